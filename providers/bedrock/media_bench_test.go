package bedrock

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// BenchmarkMediaInput maps a request with and without a 1 MiB image: the
// bytes go to the SDK's block as they are, not copied.
func BenchmarkMediaInput(b *testing.B) {
	p := New("anthropic.claude-3-5-haiku-20241022-v1:0", WithRegion("us-east-1"),
		WithCredentials(credentials.NewStaticCredentialsProvider("AKIDTESTFAKEKEY00000", "fake-secret-key", "")))
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
				if _, err := p.input(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
