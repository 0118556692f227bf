package oaicompat

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// BenchmarkMediaBody is the request body of a call with a 1 MiB image,
// mapped and marshalled as the SDK sends it, beside the same call as a URL:
// the bytes cost their base64 data URL once, and the SDK's marshalling.
func BenchmarkMediaBody(b *testing.B) {
	img := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 1<<20)...)
	c := &Core{spec: Spec{Name: "openai", Caps: lower.OpenAI}, model: "gpt-4o-mini"}
	for _, tc := range []struct {
		name string
		part prompt.Part
	}{
		{"url", prompt.ImageURL("https://example.com/cover.png")},
		{"bytes 1MiB", prompt.ImageData(img, "image/png")},
	} {
		req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Text("Describe it."), tc.part)}}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, _, _, err := c.params(req, false)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The same body built by hand with the SDK: what the SDK's own
	// marshalling costs, whoever builds the parameters.
	b.Run("sdk by hand 1MiB", func(b *testing.B) {
		m := &prompt.Media{MIMEType: "image/png", Data: img}
		b.ReportAllocs()
		for b.Loop() {
			p := openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{
				openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
					openai.TextContentPart("Describe it."),
					openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{URL: lower.DataURL(m)}),
				}),
			}}
			if _, err := json.Marshal(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
