package template_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mirascope-go/mirascope/template"
)

// longPrompt builds a system prompt of about size bytes of plain lines
// (about 55 bytes each), as a long instruction block reads, then a short
// user message with a variable.
func longPrompt(size int) string {
	var b strings.Builder
	b.WriteString("SYSTEM: You are a careful librarian.\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Rule %d: answer briefly, cite the shelf, and be kind.\n", i)
	}
	b.WriteString("USER: Recommend a {genre} book.")
	return b.String()
}

// BenchmarkParseSize shows that parsing is linear in the template's size:
// ns/op per byte stays flat from 4 KB to 1 MB.
func BenchmarkParseSize(b *testing.B) {
	for _, size := range []int{4 << 10, 64 << 10, 1 << 20} {
		src := longPrompt(size)
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := template.Parse(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
