package anthropic

import (
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
)

// BenchmarkMediaParams maps a request with and without a 1 MiB image: the
// only copy of the bytes is the base64 text the SDK's source field holds.
func BenchmarkMediaParams(b *testing.B) {
	p := New("claude-3-5-sonnet-20240620", providers.WithAPIKey("k"))
	img := make([]byte, 1<<20)
	copy(img, "\x89PNG\r\n\x1a\n")
	for _, bc := range []struct {
		name string
		msg  prompt.Message
	}{
		{"text", prompt.User("Describe this cover.")},
		{"1MiB image", prompt.UserParts(prompt.Text("Describe this cover."), prompt.ImageData(img, "image/png"))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := &mirascope.Request{Messages: []prompt.Message{bc.msg}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.params(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
