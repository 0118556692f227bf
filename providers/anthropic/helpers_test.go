package anthropic_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const (
	testKey   = "sk-ant-test-key"
	testModel = "claude-3-5-sonnet-20240620"
)

// recommend is a prompt in the Texter style.
type recommend struct{ Genre string }

func (r recommend) Prompt() string { return "Recommend a " + r.Genre + " book." }

// librarian is a prompt in the Messager style.
type librarian struct{ Genre string }

func (l librarian) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You are a librarian."), prompt.User("Recommend a " + l.Genre + " book.")}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return replaytest.Fixture(t, "anthropic", name)
}

// replay answers as the Messages API does.
var replay = replaytest.Responder{
	StreamHeader: map[string]string{
		"Content-Type":  "text/event-stream; charset=utf-8",
		"Cache-Control": "no-cache",
		"request-id":    "req_011CStream",
	},
}

func newProvider(s *replaytest.Server, opts ...providers.Option) *anthropic.Provider {
	base := []providers.Option{providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), providers.WithMaxRetries(0)}
	return anthropic.New(testModel, append(base, opts...)...)
}

var bg = context.Background()

// tool offers a fixed definition; these tests never run it.
type tool struct{ def mirascope.ToolDefinition }

func (t tool) Definition() mirascope.ToolDefinition { return t.def }

func (t tool) Call(context.Context, string) (string, error) {
	return "", errors.New("tools are not run in provider tests")
}

var (
	getAuthor = tool{mirascope.ToolDefinition{
		Name:        "get_author",
		Description: "Returns the author of a book",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","description":"the book's title"}},"required":["title"],"additionalProperties":false}`),
	}}
	// listGenres takes no arguments and declares no schema.
	listGenres = tool{mirascope.ToolDefinition{Name: "list_genres"}}
)

// withFormat asks for a structured answer, as Extract does.
func withFormat(f mirascope.Format) mirascope.CallOption {
	return func(r *mirascope.Request) { r.Format = &f }
}

var bookFormat = mirascope.Format{
	Name:        "Book",
	Description: "A book",
	Schema:      json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"author":{"type":"string"},"year":{"type":"integer","minimum":1450}},"required":["title","author","year"]}`),
}
