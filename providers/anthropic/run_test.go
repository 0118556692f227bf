package anthropic_test

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

type book struct {
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
	tr, err := mirascope.Run(bg, otel.Traced(newProvider(s), otel.WithTracerProvider(tp)), askAuthors{}, mirascope.WithTools(authors(&asked)))
	require.NoError(t, err)

	assert.ElementsMatch(t, []string{"The Name of the Wind", "Mistborn"}, asked)
	assert.Equal(t, 2, tr.Turns)
	assert.Equal(t, mirascope.Usage{InputTokens: 412 + 571, OutputTokens: 98 + 27}, tr.Usage)
	assert.Equal(t, `"The Name of the Wind" is by Patrick Rothfuss; I could not find the author of "Mistborn".`, tr.Response.Content)

	// The failed run goes back flagged as an error.
	results := s.Requests()[1].JSON["messages"].([]any)[2].(map[string]any)["content"].([]any)
	require.Len(t, results, 2)
	assert.Equal(t, false, results[0].(map[string]any)["is_error"])
	assert.Equal(t, true, results[1].(map[string]any)["is_error"])
	assert.Equal(t, "toolu_01Hk8Y1TQjmGbh8dwsM3Ryc5", results[1].(map[string]any)["tool_use_id"])

	var names []string
	for _, sp := range exp.GetSpans() {
		names = append(names, sp.Name)
	}
	assert.ElementsMatch(t, []string{"askAuthors", "execute_tool get_author", "execute_tool get_author", "askAuthors", "invoke_agent askAuthors"}, names)
}

func TestExtract(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract.json"), nil))
	got, resp, err := mirascope.Extract[book](bg, newProvider(s), recommend{Genre: "fantasy"})
	require.NoError(t, err)
	assert.Equal(t, book{Title: "The Name of the Wind", Author: "Patrick Rothfuss", Year: 2007}, got)
	assert.Equal(t, []string{"end_turn"}, resp.FinishReasons)
	format := s.Requests()[0].JSON["output_config"].(map[string]any)["format"].(map[string]any)
	assert.Equal(t, "json_schema", format["type"])
	assert.Equal(t, false, format["schema"].(map[string]any)["additionalProperties"])
}
