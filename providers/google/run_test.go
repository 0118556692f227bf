package google_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

type authorQuery struct {
	Title string `json:"title" jsonschema:"the book's title" validate:"required"`
}

type Book struct {
	Title  string `json:"title" validate:"required"`
	Author string `json:"author" validate:"required"`
	Year   int    `json:"year" validate:"min=1450"`
}

// authors is a get_author tool that knows one book.
func authors(asked *[]string) mirascope.Tool {
	var mu sync.Mutex
	return mirascope.NewTool("get_author", "Returns the author of a book",
		func(_ context.Context, q authorQuery) (string, error) {
			mu.Lock()
			*asked = append(*asked, q.Title)
			mu.Unlock()
			if q.Title == "The Name of the Wind" {
				return "Patrick Rothfuss", nil
			}
			return "", errors.New(`no author found for "` + q.Title + `"`)
		})
}

func TestRun(t *testing.T) {
	s := replaytest.NewServer(t, replaytest.Sequence(
		replay.JSON(200, fixture(t, "tool_call.json"), nil),
		replay.JSON(200, fixture(t, "tool_answer.json"), nil),
	))
	tp, exp := replaytest.Tracer()
	var asked []string
	tr, err := mirascope.Run(bg, otel.Traced(newProvider(s), otel.WithTracerProvider(tp)), askAuthors{},
		mirascope.WithModel("gemini-3-pro-preview"), mirascope.WithTools(authors(&asked)))
	require.NoError(t, err)

	assert.ElementsMatch(t, []string{"The Name of the Wind", "Mistborn"}, asked)
	assert.Equal(t, 2, tr.Turns)
	assert.Equal(t, `"The Name of the Wind" is by Patrick Rothfuss; I could not find the author of "Mistborn".`, tr.Response.Content)

	second := s.Requests()[1].JSON["contents"].([]any)
	require.Len(t, second, 3)
	calls := second[1].(map[string]any)["parts"].([]any)
	assert.Equal(t, "Q2lRQjBlMlVKR1F2V0dtWnFKc3Zr", calls[0].(map[string]any)["thoughtSignature"], "the signature goes back")
	results := second[2].(map[string]any)["parts"].([]any)
	require.Len(t, results, 2)
	assert.Equal(t, map[string]any{"output": "Patrick Rothfuss"}, results[0].(map[string]any)["functionResponse"].(map[string]any)["response"])
	assert.Contains(t, results[1].(map[string]any)["functionResponse"].(map[string]any)["response"], "error")

	var names []string
	for _, sp := range exp.GetSpans() {
		names = append(names, sp.Name)
	}
	assert.ElementsMatch(t, []string{"askAuthors", "execute_tool get_author", "execute_tool get_author", "askAuthors", "invoke_agent askAuthors"}, names)
}

func TestExtract(t *testing.T) {
	want := Book{Title: "The Left Hand of Darkness", Author: "Ursula K. Le Guin", Year: 1969}
	t.Run("native", func(t *testing.T) {
		s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract.json"), nil))
		got, _, err := mirascope.Extract[Book](bg, newProvider(s), recommend{Genre: "scifi"})
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.Equal(t, "application/json", s.Requests()[0].JSON["generationConfig"].(map[string]any)["responseMimeType"])
	})
	t.Run("forced function with tools before Gemini 3", func(t *testing.T) {
		s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract_function.json"), nil))
		var asked []string
		// The fixture's function is named after Book, as Extract names the format.
		got, resp, err := mirascope.Extract[Book](bg, newProvider(s), recommend{Genre: "scifi"},
			mirascope.WithModel("gemini-2.5-flash"), mirascope.WithTools(authors(&asked)))
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.Empty(t, resp.ToolCalls)
		assert.Empty(t, asked)
	})
}

func TestStreamTraced(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream_tool.sse")))
	attrs := replaytest.Traced(t, newProvider(s), true, askAuthors{}, mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres))
	assert.JSONEq(t, `[{"role":"assistant","parts":[
		{"type":"text","content":"Let me look that up."},
		{"type":"tool_call","id":"gemini-call-3Yw0aYbGL_SFz7IPnYrTqQs-0","name":"get_author","arguments":{"title":"The Name of the Wind"}},
		{"type":"tool_call","id":"gemini-call-3Yw0aYbGL_SFz7IPnYrTqQs-1","name":"list_genres","arguments":{}}],
		"finish_reason":"stop"}]`, attrs["gen_ai.output.messages"].AsString())
}

// Before Gemini 3, a streamed answer in the forced format function is
// content, not a tool call.
func TestStreamForcedFormatFunction(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream_extract_function.sse")))
	st, err := mirascope.Stream(bg, newProvider(s), recommend{Genre: "scifi"},
		mirascope.WithModel("gemini-2.5-flash"), mirascope.WithTools(replaytest.GetAuthor), replaytest.WithFormat(replaytest.BookFormat))
	require.NoError(t, err)
	var content string
	for c, err := range st.Chunks() {
		require.NoError(t, err)
		assert.Empty(t, c.ToolCalls)
		content += c.Content
	}
	assert.JSONEq(t, `{"title":"The Left Hand of Darkness","author":"Ursula K. Le Guin","year":1969}`, content)
	assert.Empty(t, st.Response().ToolCalls)
	assert.Equal(t, map[string]any{"functionCallingConfig": map[string]any{"mode": "ANY"}}, s.Requests()[0].JSON["toolConfig"])
}
