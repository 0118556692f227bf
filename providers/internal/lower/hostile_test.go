package lower_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// A data: URL whose media type does not parse is refused with an error
// that quotes a bounded part of its header, not all of it.
func TestDataURLHugeHeaderErrorBounded(t *testing.T) {
	header := "image/png;" + strings.Repeat("x", 1<<20) // no '=': a bad parameter
	u := "data:" + header + ";base64," + base64.StdEncoding.EncodeToString([]byte("xyz"))
	req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: u}})}}
	_, err := lower.Prepare(req, lower.Anthropic)
	if err == nil {
		t.Fatal("want an error")
	}
	if n := len(err.Error()); n > 1024 {
		t.Errorf("error is %d bytes", n)
	}
}

func hostileReq(parts, turns int, payload int) *mirascope.Request {
	data := base64.StdEncoding.EncodeToString(make([]byte, payload))
	req := &mirascope.Request{}
	for range turns {
		ps := make([]prompt.Part, parts)
		for j := range ps {
			ps[j] = prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "data:image/png;base64," + data}}
		}
		req.Messages = append(req.Messages, prompt.UserParts(ps...), prompt.Message{Role: prompt.RoleAssistant, Content: "ok"})
	}
	return req
}

func BenchmarkHostilePrepare(b *testing.B) {
	for _, c := range []struct{ parts, turns, payload int }{
		{10, 1, 16}, {10000, 1, 16}, {1, 10, 16}, {1, 100000, 16}, {1, 1, 5 << 20}, {1, 1, 50 << 20},
	} {
		req := hostileReq(c.parts, c.turns, c.payload)
		b.Run(fmt.Sprintf("parts=%d/turns=%d/payload=%d", c.parts, c.turns, c.payload), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lower.Prepare(req, lower.Anthropic); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, n := range []int{100, 100000} {
		req := &mirascope.Request{Messages: []prompt.Message{{Role: prompt.RoleUser, Content: "hi"}}}
		for i := range n {
			req.Tools = append(req.Tools, mirascope.NewTool(fmt.Sprintf("t%d", i), "d", func(context.Context, struct{}) (string, error) { return "", nil }))
		}
		b.Run(fmt.Sprintf("tools=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lower.Prepare(req, lower.Anthropic); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// deepSchema is an object schema whose property nests n levels of objects.
func deepSchema(n int) []byte {
	var b strings.Builder
	for range n {
		b.WriteString(`{"type":"object","properties":{"a":`)
	}
	b.WriteString(`{"type":"string"}`)
	for range n {
		b.WriteString(`},"required":["a"],"additionalProperties":false}`)
	}
	return []byte(b.String())
}

func BenchmarkHostileDeepSchema(b *testing.B) {
	for _, depth := range []int{10, 100, 1000, 2000, 4000, 5000} {
		schema := deepSchema(depth)
		for _, name := range []string{"openai", "anthropic", "gcp.gemini", "aws.bedrock", "cohere", "mistral_ai"} {
			caps, ok := lower.All[name]
			if !ok {
				b.Fatalf("no caps %s", name)
			}
			req := &mirascope.Request{Messages: []prompt.Message{{Role: prompt.RoleUser, Content: "hi"}},
				Format: &mirascope.Format{Name: "out", Schema: schema}}
			b.Run(fmt.Sprintf("%s/depth=%d", name, depth), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_, _ = lower.Prepare(req, caps)
				}
			})
		}
	}
}

// deepItems is an object schema whose property is an array nesting n
// levels of arrays.
func deepItems(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{"a":`)
	for range n {
		b.WriteString(`{"type":"array","items":`)
	}
	b.WriteString(`{"type":"string"}`)
	for range n {
		b.WriteString(`}`)
	}
	b.WriteString(`},"required":["a"],"additionalProperties":false}`)
	return []byte(b.String())
}

func BenchmarkHostileDeepItems(b *testing.B) {
	for _, depth := range []int{1000, 2000, 4000} {
		schema := deepItems(depth)
		for _, name := range []string{"openai", "anthropic", "cohere", "gcp.gemini"} {
			req := &mirascope.Request{Messages: []prompt.Message{{Role: prompt.RoleUser, Content: "hi"}},
				Format: &mirascope.Format{Name: "out", Schema: schema}}
			b.Run(fmt.Sprintf("%s/depth=%d", name, depth), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_, _ = lower.Prepare(req, lower.All[name])
				}
			})
		}
	}
}

// A data: URL or bytes whose media type is huge are refused with a
// bounded error.
func TestHugeMIMETypeErrorBounded(t *testing.T) {
	huge := "image/" + strings.Repeat("x", 1<<20)
	for _, m := range []*prompt.Media{
		{Kind: prompt.MediaImage, URL: "data:" + huge + ";base64,AAAA"},
		{Kind: prompt.MediaImage, Data: []byte("xyz"), MIMEType: huge},
	} {
		req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Part{Media: m})}}
		_, err := lower.Prepare(req, lower.Anthropic)
		if err == nil {
			t.Fatal("want an error")
		}
		if n := len(err.Error()); n > 1024 {
			t.Errorf("error is %d bytes", n)
		}
	}
}
