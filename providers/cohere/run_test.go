package cohere_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

type bookQuery struct {
	Genre string `json:"genre" jsonschema:"The genre to search for." validate:"required"`
}

type shelf struct {
	Books []string `json:"books"`
}

type book struct {
	Title  string `json:"title" validate:"required"`
	Author string `json:"author"`
	Year   int    `json:"year" validate:"min=1450"`
}

func TestRunToolLoop(t *testing.T) {
	s := sequence(t, "call_tool.json", "tool_answer.json")
	var asked []string
	search := mirascope.NewTool("search_books", "Search the library's catalogue by genre.",
		func(_ context.Context, q bookQuery) (shelf, error) {
			asked = append(asked, q.Genre)
			return shelf{Books: []string{"Mistborn"}}, nil
		})
	tr, err := mirascope.Run(context.Background(), newProvider(s), recommend{"fantasy"}, mirascope.WithTools(search))
	require.NoError(t, err)
	assert.Equal(t, []string{"fantasy"}, asked)
	assert.Equal(t, 2, tr.Turns)
	assert.Equal(t, mirascope.Usage{InputTokens: 1042 + 1187, OutputTokens: 54 + 41}, tr.Usage)
	assert.Equal(t, "I recommend Mistborn by Brandon Sanderson, which the library has.", tr.Response.Content)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	var first, second struct {
		Tools    json.RawMessage   `json:"tools"`
		Messages []json.RawMessage `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(reqs[0].Body, &first))
	require.NoError(t, json.Unmarshal(reqs[1].Body, &second))
	assert.JSONEq(t, `[{"type": "function", "function": {"name": "search_books", "description": "Search the library's catalogue by genre.",
		"parameters": {"type": "object", "properties": {"genre": {"type": "string", "description": "The genre to search for."}},
			"required": ["genre"], "additionalProperties": false}}}]`, string(first.Tools))
	require.Len(t, second.Messages, 3)
	assert.JSONEq(t, `{"role": "tool", "tool_call_id": "search_books_x3kq8z1p2w4e",
		"content": [{"type": "document", "document": {"data": {"books": ["Mistborn"]}}}]}`, string(second.Messages[2]))
}

func TestExtract(t *testing.T) {
	s := sequence(t, "extract.json")
	got, resp, err := mirascope.Extract[book](context.Background(), newProvider(s), recommend{"fantasy"})
	require.NoError(t, err)
	assert.Equal(t, book{Title: "Mistborn", Author: "Brandon Sanderson", Year: 2006}, got)
	assert.Equal(t, []string{"COMPLETE"}, resp.FinishReasons)
	var body struct {
		ResponseFormat json.RawMessage `json:"response_format"`
	}
	require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
	// minimum is checked after decoding (Cohere's schema subset lacks it) and
	// told in the description.
	assert.JSONEq(t, `{"type": "json_object", "json_schema": {"type": "object",
		"properties": {"title": {"type": "string"}, "author": {"type": "string"}, "year": {"type": "integer", "description": "(minimum: 1450)"}},
		"required": ["title", "author", "year"], "additionalProperties": false}}`, string(body.ResponseFormat))
}

func TestRunTraced(t *testing.T) {
	s := sequence(t, "call_tool.json", "tool_answer.json")
	tp, exp := replaytest.Tracer()
	search := mirascope.NewTool("search_books", "Search the library's catalogue by genre.",
		func(context.Context, bookQuery) (shelf, error) { return shelf{Books: []string{"Mistborn"}}, nil })
	_, err := mirascope.Run(context.Background(), otel.Traced(newProvider(s), otel.WithTracerProvider(tp)),
		recommend{"fantasy"}, mirascope.WithTools(search))
	require.NoError(t, err)

	spans := exp.GetSpans()
	var names []string
	for _, sp := range spans {
		names = append(names, sp.Name)
	}
	assert.Equal(t, []string{"recommend", "execute_tool search_books", "recommend", "invoke_agent recommend"}, names, "in the order they ended")
	run := spans[3]
	for _, sp := range spans[:3] {
		assert.Equal(t, run.SpanContext.SpanID(), sp.Parent.SpanID(), "%s is a child of the run", sp.Name)
	}
	first := replaytest.Attrs(spans[0].Attributes)
	assert.Equal(t, []string{"TOOL_CALL"}, first["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.Contains(t, first["gen_ai.output.messages"].AsString(),
		`{"type":"tool_call","id":"search_books_x3kq8z1p2w4e","name":"search_books","arguments":{"genre":"fantasy"}}`)
	tool := replaytest.Attrs(spans[1].Attributes)
	assert.Equal(t, "search_books", tool["gen_ai.tool.name"].AsString())
	assert.Equal(t, "search_books_x3kq8z1p2w4e", tool["gen_ai.tool.call.id"].AsString())
	second := replaytest.Attrs(spans[2].Attributes)
	assert.Contains(t, second["gen_ai.input.messages"].AsString(),
		`{"type":"tool_call_response","id":"search_books_x3kq8z1p2w4e","response":"{\"books\":[\"Mistborn\"]}"}`)
	assert.Equal(t, int64(1042+1187), replaytest.Attrs(run.Attributes)["gen_ai.usage.input_tokens"].AsInt64())
}
