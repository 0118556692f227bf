package google_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const (
	testKey   = "gemini-test-key-123"
	testModel = "gemini-2.0-flash-001"
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
	return replaytest.Fixture(t, "google", name)
}

// replay answers as the Gemini API does.
var replay = replaytest.Responder{
	Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	StreamHeader: map[string]string{
		"Content-Type": "text/event-stream",
		"X-Request-Id": "goog-req-stream",
	},
}

func newProvider(s *replaytest.Server, opts ...providers.Option) *google.Provider {
	base := []providers.Option{providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), providers.WithMaxRetries(0)}
	return google.New(testModel, append(base, opts...)...)
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
