package lower_test

import (
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// What the preparation stage costs a call: a short conversation with a
// tool, plain and with a Format made strict or adapted natively.
func BenchmarkPrepare(b *testing.B) {
	msgs := []prompt.Message{prompt.System("You are a librarian."), prompt.User("Recommend a book."),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "1", Name: "search", Arguments: "{}"}}}, prompt.ToolResult("1", "[]")}
	for _, bc := range []struct {
		name string
		caps lower.Caps
		req  mirascope.Request
	}{
		{"tools", lower.OpenAI, mirascope.Request{Messages: msgs, Tools: []mirascope.Tool{search}}},
		{"strict format", lower.OpenAI, mirascope.Request{Messages: msgs, Format: book}},
		{"native format", lower.Anthropic, mirascope.Request{Messages: msgs, Format: book}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lower.Prepare(&bc.req, bc.caps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
