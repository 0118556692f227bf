package replaytest

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mirascope-go/mirascope"
)

// Tool offers a fixed definition to a provider under test; provider tests
// check the wire, so it is never run.
type Tool struct{ Def mirascope.ToolDefinition }

// Definition implements mirascope.Tool.
func (t Tool) Definition() mirascope.ToolDefinition { return t.Def }

// Call implements mirascope.Tool; it always fails.
func (t Tool) Call(context.Context, string) (string, error) {
	return "", errors.New("tools are not run in provider tests")
}

var (
	// GetAuthor takes a required title.
	GetAuthor = Tool{Def: mirascope.ToolDefinition{
		Name:        "get_author",
		Description: "Returns the author of a book",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","description":"the book's title"}},"required":["title"],"additionalProperties":false}`),
	}}
	// ListGenres takes no arguments and declares no schema.
	ListGenres = Tool{Def: mirascope.ToolDefinition{Name: "list_genres"}}
)

// BookFormat asks for a book with a bounded year, as Extract[Book] would.
var BookFormat = mirascope.Format{
	Name:        "Book",
	Description: "A book",
	Schema:      json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"author":{"type":"string"},"year":{"type":"integer","minimum":1450}},"required":["title","author","year"]}`),
}

// WithFormat asks for a structured answer, as Extract does.
func WithFormat(f mirascope.Format) mirascope.CallOption {
	return func(r *mirascope.Request) { r.Format = &f }
}
