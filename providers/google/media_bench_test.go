package google

import (
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
)

// BenchmarkMediaPrepare maps a request with and without a 1 MiB image: the
// bytes go to the SDK's Blob as they are, not copied.
func BenchmarkMediaPrepare(b *testing.B) {
	p := New("gemini-2.0-flash-001", providers.WithAPIKey("k"))
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
				if _, err := p.prepare(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
