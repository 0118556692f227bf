package otel_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// image returns n bytes of a PNG-looking image whose bytes differ by seed.
func image(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

// DescribeMedia is a messages-style prompt whose fields are media.
type DescribeMedia struct {
	Cover  prompt.Part   `prompt:"cover"`
	Pages  []prompt.Part `prompt:"pages"`
	Secret prompt.Part   `prompt:"secret,redact"`
	Genre  string        `prompt:"genre"`
}

func (d DescribeMedia) Messages() []prompt.Message {
	parts := []prompt.Part{prompt.Text("Describe this " + d.Genre + " cover:"), d.Cover}
	parts = append(parts, d.Pages...)
	if d.Secret.Media != nil {
		parts = append(parts, d.Secret)
	}
	return []prompt.Message{prompt.System("You are a librarian."), prompt.UserParts(parts...)}
}

// partsOf decodes a messages attribute into its messages' parts.
func partsOf(t *testing.T, v attribute.Value) [][]map[string]any {
	t.Helper()
	var msgs []struct {
		Role  string           `json:"role"`
		Parts []map[string]any `json:"parts"`
	}
	require.NoError(t, json.Unmarshal([]byte(v.AsString()), &msgs), v.AsString())
	out := make([][]map[string]any, len(msgs))
	for i, m := range msgs {
		out[i] = m.Parts
	}
	return out
}

// TestMediaParts: each source of media is recorded in the GenAI
// conventions' part form, in order among the texts, with its modality and
// MIME type; a media field's attribute describes it without its bytes.
func TestMediaParts(t *testing.T) {
	h := newHarness(t)
	img := image(300, 1)
	pdf := []byte("%PDF-1.7 a small document")
	p := h.traced(mock.New(mock.Text("A dragon.")))
	msgs := []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("Be brief."), prompt.ImageURL("https://example.com/logo.png")}},
		prompt.UserParts(
			prompt.Text("What is in these?"),
			prompt.ImageData(img, "image/png"),
			prompt.ImageURL("https://example.com/a.png"),
			prompt.DocumentData(pdf, ""),
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-abc123"}},
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaAudio, URL: "data:audio/wav;base64,UklGRg=="}},
			prompt.Text("Thanks."),
		),
	}
	_, err := p.Call(context.Background(), &mirascope.Request{Messages: msgs})
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)

	var sys []map[string]any
	require.NoError(t, json.Unmarshal([]byte(a["gen_ai.system_instructions"].AsString()), &sys))
	assert.Equal(t, []map[string]any{
		{"type": "text", "content": "Be brief."},
		{"type": "uri", "modality": "image", "uri": "https://example.com/logo.png"},
	}, sys)

	in := partsOf(t, a["gen_ai.input.messages"])
	require.Len(t, in, 1)
	assert.Equal(t, []map[string]any{
		{"type": "text", "content": "What is in these?"},
		{"type": "blob", "modality": "image", "mime_type": "image/png", "content": base64.StdEncoding.EncodeToString(img)},
		{"type": "uri", "modality": "image", "uri": "https://example.com/a.png"},
		{"type": "blob", "modality": "document", "mime_type": "application/pdf", "content": base64.StdEncoding.EncodeToString(pdf)},
		{"type": "file", "modality": "document", "file_id": "file-abc123"},
		{"type": "blob", "modality": "audio", "mime_type": "audio/wav", "content": "UklGRg=="},
		{"type": "text", "content": "Thanks."},
	}, in[0])
	assert.NotContains(t, a, "mirascope.content.truncated")
}

// TestMediaFieldAttributes: a media field records its URL, its file id,
// or its MIME type and size; a []Part field the list of them; a redacted
// one "[REDACTED]". The bytes are nowhere, with capture on or off.
func TestMediaFieldAttributes(t *testing.T) {
	img := image(2<<20, 2)
	secret := image(5000, 3)
	d := DescribeMedia{
		Cover: prompt.ImageData(img, "image/png"),
		Pages: []prompt.Part{
			prompt.ImageURL("https://example.com/p1.png"),
			{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-xyz"}},
			{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "data:image/gif;base64,R0lGODlhAQABAAAAACw="}},
			prompt.Text("a caption"),
			{Media: &prompt.Media{Kind: prompt.MediaAudio, MIMEType: "audio/wav", Data: []byte("RIFF....WAVE")}},
		},
		Secret: prompt.ImageData(secret, "image/jpeg"),
		Genre:  "fantasy",
	}
	for _, capture := range []bool{true, false} {
		h := newHarness(t)
		p := h.traced(mock.New(mock.Text("A dragon.")), otel.WithContentCapture(capture))
		_, err := mirascope.Call(context.Background(), p, d)
		require.NoError(t, err)
		s := h.only(t)
		a := attrs(s.Attributes)
		if capture {
			assert.Equal(t, "image/png, 2097152 bytes", a["mirascope.prompt.field.cover"].AsString())
			assert.Equal(t, []string{"https://example.com/p1.png", "file-xyz", "image/gif, 14 bytes", "a caption", "audio/wav, 12 bytes"},
				a["mirascope.prompt.field.pages"].AsStringSlice())
			assert.Equal(t, prompt.RedactedText, a["mirascope.prompt.field.secret"].AsString())
			assert.NotContains(t, a, "gen_ai.input.messages", "a messages-style prompt with a redacted field records no input")
		} else {
			for k := range a {
				assert.NotContains(t, k, "mirascope.prompt.field.")
			}
			assert.NotContains(t, a, "gen_ai.input.messages")
		}
		for _, kv := range s.Attributes {
			v := kv.Value.String()
			for _, raw := range [][]byte{img[:64], secret[:64]} {
				assert.NotContains(t, v, base64.StdEncoding.EncodeToString(raw)[:40], "%s holds an image's bytes", kv.Key)
				assert.False(t, strings.Contains(v, string(raw[8:40])), "%s holds an image's raw bytes", kv.Key)
			}
		}
	}
}

// TestLargeBlobs: a blob that does not fit the budget is left out whole,
// counted and flagged; the texts around it and the blobs that fit are kept;
// a kept blob decodes to the original bytes.
func TestLargeBlobs(t *testing.T) {
	big, small, mid := image(2<<20, 4), image(600, 5), image(20<<10, 6)
	call := func(t *testing.T, budget int, parts ...prompt.Part) map[string]attribute.Value {
		t.Helper()
		h := newHarness(t)
		p := h.traced(mock.New(mock.Text("Two cats.")), otel.WithMaxContentSize(budget))
		_, err := p.Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(parts...)}})
		require.NoError(t, err)
		kvs := h.only(t).Attributes
		assert.LessOrEqual(t, contentBytes(kvs), budget)
		return attrs(kvs)
	}
	blob := func(b []byte) map[string]any {
		return map[string]any{"type": "blob", "modality": "image", "mime_type": "image/png", "content": base64.StdEncoding.EncodeToString(b)}
	}
	text := func(s string) map[string]any { return map[string]any{"type": "text", "content": s} }

	t.Run("a 2 MB image is left out whole, the text kept", func(t *testing.T) {
		a := call(t, otel.DefaultMaxContentSize, prompt.Text("Before."), prompt.ImageData(big, "image/png"), prompt.Text("After."))
		assert.Equal(t, [][]map[string]any{{text("Before."), text("After.")}}, partsOf(t, a["gen_ai.input.messages"]))
		assert.Equal(t, int64(1), a["mirascope.content.dropped_parts"].AsInt64())
		assert.True(t, a["mirascope.content.truncated"].AsBool())
		assert.Contains(t, a["gen_ai.output.messages"].AsString(), "Two cats.", "the answer keeps its share")
	})
	t.Run("blobs that fit are kept, the first ones first, a later smaller one too", func(t *testing.T) {
		a := call(t, 40<<10, prompt.ImageData(mid, "image/png"), prompt.ImageData(big, "image/png"),
			prompt.ImageData(mid, "image/png"), prompt.ImageData(small, "image/png"))
		assert.Equal(t, [][]map[string]any{{blob(mid), blob(small)}}, partsOf(t, a["gen_ai.input.messages"]))
		assert.Equal(t, int64(2), a["mirascope.content.dropped_parts"].AsInt64())
	})
	t.Run("only a blob: the message stays, with no parts", func(t *testing.T) {
		a := call(t, 8<<10, prompt.ImageData(big, "image/png"))
		assert.JSONEq(t, `[{"role":"user","parts":[]}]`, a["gen_ai.input.messages"].AsString())
		assert.Equal(t, int64(1), a["mirascope.content.dropped_parts"].AsInt64())
	})
	t.Run("texts take their room before large blobs", func(t *testing.T) {
		long := strings.Repeat("w", 20<<10)
		a := call(t, 40<<10, prompt.Text(long), prompt.ImageData(mid, "image/png"), prompt.ImageURL("https://example.com/x.png"))
		in := partsOf(t, a["gen_ai.input.messages"])
		require.Len(t, in[0], 2)
		assert.True(t, in[0][0]["content"] == long, "the text whole")
		assert.Equal(t, "https://example.com/x.png", in[0][1]["uri"], "a URL is small: planned like framing")
	})
	t.Run("a budget that holds it keeps a 2 MB image whole", func(t *testing.T) {
		a := call(t, 4<<20, prompt.Text("Look."), prompt.ImageData(big, "image/png"))
		in := partsOf(t, a["gen_ai.input.messages"])
		require.Len(t, in[0], 2)
		got, err := base64.StdEncoding.DecodeString(in[0][1]["content"].(string))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(big, got))
		assert.NotContains(t, a, "mirascope.content.truncated")
	})
	t.Run("a large data URL is left out whole as well", func(t *testing.T) {
		url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(big)
		a := call(t, otel.DefaultMaxContentSize, prompt.Text("Hi."), prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: url}})
		assert.Equal(t, [][]map[string]any{{text("Hi.")}}, partsOf(t, a["gen_ai.input.messages"]))
		assert.Equal(t, int64(1), a["mirascope.content.dropped_parts"].AsInt64())
	})
}

// TestBlobBudgetNeverExceeded: whatever the budget and however many 2 MB
// images, in the request, in the answer and in a system message, the span's
// content stays within its budget and every attribute is valid JSON with
// whole blobs only.
func TestBlobBudgetNeverExceeded(t *testing.T) {
	big := image(2<<20, 7)
	bigB64 := base64.StdEncoding.EncodeToString(big)
	whole := 0
	for _, budget := range []int{16, 100, 1 << 10, 4 << 10, 64 << 10, otel.DefaultMaxContentSize, 3 << 20, 8 << 20} {
		for _, images := range []int{1, 3} {
			parts := []prompt.Part{prompt.Text(strings.Repeat("t", 2000))}
			for range images {
				parts = append(parts, prompt.ImageData(big, "image/png"), prompt.Text("and"))
			}
			msgs := []prompt.Message{
				{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("sys"), prompt.ImageData(big, "image/png")}},
				prompt.UserParts(parts...),
			}
			answer := &mirascope.Response{Content: "", Message: prompt.Message{Role: prompt.RoleAssistant,
				Parts: []prompt.Part{prompt.Text("Here:"), prompt.ImageData(big, "image/png")}}}
			h := newHarness(t)
			p := h.traced(mock.New(mock.Respond(answer)), otel.WithMaxContentSize(budget))
			_, err := p.Call(context.Background(), &mirascope.Request{Messages: msgs})
			require.NoError(t, err)
			kvs := h.only(t).Attributes
			assert.LessOrEqual(t, contentBytes(kvs), budget, "budget %d, %d images", budget, images)
			for _, kv := range kvs {
				switch kv.Key {
				case "gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages":
					var v []any
					require.NoError(t, json.Unmarshal([]byte(kv.Value.AsString()), &v), "%s", kv.Key)
					s := kv.Value.AsString()
					for i := strings.Index(s, `"content":"iVBOR`); i >= 0; i = strings.Index(s, `"content":"iVBOR`) {
						s = s[i+len(`"content":"`):]
						assert.True(t, strings.HasPrefix(s, bigB64+`"`), "a blob is whole or absent")
						whole++
						s = s[1:]
					}
				}
			}
		}
	}
	assert.Positive(t, whole, "the large budgets keep some blobs")
}

// TestMediaStream: a stream's span records the request's media the same
// way.
func TestMediaStream(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("A red door.")))
	msgs := []prompt.Message{prompt.UserParts(prompt.Text("What?"), prompt.ImageURL("https://example.com/door.png"))}
	st, err := mirascope.Stream(context.Background(), p, messagesPrompt{msgs: msgs})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}
	a := attrs(h.only(t).Attributes)
	assert.JSONEq(t, `[{"role":"user","parts":[{"type":"text","content":"What?"},{"type":"uri","modality":"image","uri":"https://example.com/door.png"}]}]`,
		a["gen_ai.input.messages"].AsString())
}

type messagesPrompt struct{ msgs []prompt.Message }

func (m messagesPrompt) Messages() []prompt.Message { return m.msgs }

// TestMediaLegacyAndSecretsOff: legacy prompt events carry a parts
// message's texts only; with capture off a failure's text is masked of a
// URL the request held, and not of the words "image" or "image/png".
func TestMediaLegacyAndSecretsOff(t *testing.T) {
	img := image(3000, 8)
	msgs := []prompt.Message{prompt.UserParts(prompt.Text("Describe"), prompt.ImageData(img, "image/png"), prompt.ImageURL("https://example.com/private/scan-42.png"))}

	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("ok")), otel.WithLegacyAttributes())
	_, err := p.Call(context.Background(), &mirascope.Request{Messages: msgs})
	require.NoError(t, err)
	var legacy []string
	for _, e := range h.only(t).Events {
		if e.Name == "gen_ai.content.prompt" {
			legacy = append(legacy, e.Attributes[0].Value.AsString())
		}
	}
	assert.Equal(t, []string{`{"content":"Describe","role":"user"}`}, legacy)

	h = newHarness(t)
	fail := &textCall{info: mirascope.ProviderInfo{Name: "x"}, fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) {
		return nil, &mirascope.ProviderError{Provider: "x", StatusCode: 400, Message: "image/png at https://example.com/private/scan-42.png is too large an image"}
	}}
	_, err = h.traced(fail, otel.WithContentCapture(false)).Call(context.Background(), &mirascope.Request{Messages: msgs})
	require.Error(t, err)
	status := h.only(t).Status.Description
	assert.NotContains(t, status, "scan-42")
	assert.Contains(t, status, "image/png at [REDACTED] is too large an image")
}

// TestSignedURLs: a signed URL is recorded with its signature masked, in a
// message part and in a field's attribute: it grants access to its object.
func TestSignedURLs(t *testing.T) {
	const signed = "https://bucket.s3.amazonaws.com/scan.png?X-Amz-Expires=300&X-Amz-Signature=0123456789abcdef0123456789abcdef"
	const masked = "https://bucket.s3.amazonaws.com/scan.png?X-Amz-Expires=300&X-Amz-Signature=[REDACTED]"
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("A scan.")))
	_, err := mirascope.Call(context.Background(), p, ShowCover{Cover: prompt.ImageURL(signed)})
	require.NoError(t, err)
	s := h.only(t)
	a := attrs(s.Attributes)
	assert.Equal(t, masked, a["mirascope.prompt.field.cover"].AsString())
	assert.Equal(t, masked, partsOf(t, a["gen_ai.input.messages"])[0][0]["uri"])
	for _, kv := range s.Attributes {
		assert.NotContains(t, kv.Value.String(), "0123456789abcdef", "%s", kv.Key)
	}
}

type ShowCover struct {
	Cover prompt.Part `prompt:"cover"`
}

func (s ShowCover) Messages() []prompt.Message { return []prompt.Message{prompt.UserParts(s.Cover)} }

// Shelf nests media in a struct and in a pointer: their parts are
// described in the field's JSON, never marshalled with their bytes.
type Shelf struct {
	Book ShelfBook    `prompt:"book"`
	Ptr  *prompt.Part `prompt:"ptr"`
}

type ShelfBook struct {
	Cover prompt.Part `prompt:"cover"`
	Title string      `prompt:"title"`
}

func (Shelf) Messages() []prompt.Message { return []prompt.Message{prompt.User("Shelve it.")} }

func TestNestedMediaFields(t *testing.T) {
	img := image(4000, 13)
	cover := prompt.ImageData(img, "image/png")
	h := newHarness(t)
	_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("Done."))), Shelf{Book: ShelfBook{Cover: cover, Title: "Dune"}, Ptr: &cover})
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)
	assert.JSONEq(t, `{"cover":"image/png, 4000 bytes","title":"Dune"}`, a["mirascope.prompt.field.book"].AsString())
	assert.Equal(t, "image/png, 4000 bytes", a["mirascope.prompt.field.ptr"].AsString())
}

// TestCacheBreakpointsNotRecorded: a cache marker alone is no content; a
// part carrying one records its text or media as usual.
func TestCacheBreakpointsNotRecorded(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("ok")))
	marked := prompt.Text("Long context.")
	marked.CacheBreakpoint = true
	msgs := []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("Rules."), prompt.CacheBreakpoint()}},
		prompt.UserParts(marked, prompt.ImageURL("https://example.com/a.png"), prompt.CacheBreakpoint(), prompt.Text("Question?")),
	}
	_, err := p.Call(context.Background(), &mirascope.Request{Messages: msgs})
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)
	assert.JSONEq(t, `[{"type":"text","content":"Rules."}]`, a["gen_ai.system_instructions"].AsString())
	assert.JSONEq(t, `[{"role":"user","parts":[{"type":"text","content":"Long context."},{"type":"uri","modality":"image","uri":"https://example.com/a.png"},{"type":"text","content":"Question?"}]}]`,
		a["gen_ai.input.messages"].AsString())
	assert.NotContains(t, a, "mirascope.content.dropped_parts")
}
