package secrets_test

import (
	"strings"
	"testing"

	"github.com/mirascope-go/mirascope/internal/secrets"
)

// BenchmarkMaskCredentials masks a 1 MiB error body, the most a provider
// keeps: plain text, and text quoting a key near its end.
func BenchmarkMaskCredentials(b *testing.B) {
	plain := strings.Repeat("an ordinary error message, nothing to see; ", 1<<20/44)
	for name, text := range map[string]string{
		"plain_1MiB":    plain,
		"with_key_1MiB": plain + " Authorization: Bearer sk-abcdefghijkl",
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				secrets.MaskCredentials(text)
			}
		})
	}
}
