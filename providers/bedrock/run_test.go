package bedrock_test

import (
	"context"
	"encoding/json"
	"errors"
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
	s := sequence(t, "converse_tool.json", "converse_tool_answer.json")
	var asked []string
	search := mirascope.NewTool("search_books", "Search the library's catalogue by genre.",
		func(_ context.Context, q bookQuery) (shelf, error) {
			asked = append(asked, q.Genre)
			return shelf{Books: []string{"Mistborn"}}, nil
		})
	tr, err := mirascope.Run(context.Background(), newProvider(t, s), recommend{"fantasy"}, mirascope.WithTools(search))
	require.NoError(t, err)
	assert.Equal(t, []string{"fantasy"}, asked)
	assert.Equal(t, 2, tr.Turns)
	assert.Equal(t, mirascope.Usage{InputTokens: 402 + 489, OutputTokens: 63 + 17}, tr.Usage)
	assert.Equal(t, "I recommend Mistborn by Brandon Sanderson; the library has it.", tr.Response.Content)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	var first, second struct {
		ToolConfig json.RawMessage   `json:"toolConfig"`
		Messages   []json.RawMessage `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(reqs[0].Body, &first))
	require.NoError(t, json.Unmarshal(reqs[1].Body, &second))
	assert.JSONEq(t, `{"tools": [{"toolSpec": {"name": "search_books", "description": "Search the library's catalogue by genre.",
		"inputSchema": {"json": {"type": "object", "properties": {"genre": {"type": "string", "description": "The genre to search for."}},
			"required": ["genre"], "additionalProperties": false}}}}]}`, string(first.ToolConfig))
	require.Len(t, second.Messages, 3)
	assert.JSONEq(t, `{"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
		"content": [{"text": "{\"books\":[\"Mistborn\"]}"}]}}]}`, string(second.Messages[2]))
}

func TestExtract(t *testing.T) {
	s := sequence(t, "converse_extract.json")
	got, resp, err := mirascope.Extract[book](context.Background(), newProvider(t, s), recommend{"fantasy"})
	require.NoError(t, err)
	assert.Equal(t, book{Title: "Mistborn", Author: "Brandon Sanderson", Year: 2006}, got)
	assert.Equal(t, []string{"end_turn"}, resp.FinishReasons)
	var body struct {
		OutputConfig struct {
			TextFormat struct {
				Type      string `json:"type"`
				Structure struct {
					JSONSchema struct {
						Name   string `json:"name"`
						Schema string `json:"schema"`
					} `json:"jsonSchema"`
				} `json:"structure"`
			} `json:"textFormat"`
		} `json:"outputConfig"`
	}
	require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
	f := body.OutputConfig.TextFormat
	assert.Equal(t, "json_schema", f.Type)
	assert.Equal(t, "book", f.Structure.JSONSchema.Name)
	assert.JSONEq(t, `{"type": "object",
		"properties": {"title": {"type": "string"}, "author": {"type": "string"}, "year": {"type": "integer", "description": "(minimum: 1450)"}},
		"required": ["title", "author", "year"], "additionalProperties": false}`, f.Structure.JSONSchema.Schema)
}

func TestRunTraced(t *testing.T) {
	s := sequence(t, "converse_tool.json", "converse_tool_answer.json")
	tp, exp := replaytest.Tracer()
	search := mirascope.NewTool("search_books", "Search the library's catalogue by genre.",
		func(context.Context, bookQuery) (shelf, error) { return shelf{}, errors.New("catalogue offline") })
	_, err := mirascope.Run(context.Background(), otel.Traced(newProvider(t, s), otel.WithTracerProvider(tp)),
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
	assert.Equal(t, []string{"tool_use"}, first["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.Contains(t, first["gen_ai.output.messages"].AsString(),
		`{"type":"tool_call","id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"search_books","arguments":{"genre":"fantasy"}}`)
	tool := replaytest.Attrs(spans[1].Attributes)
	assert.Equal(t, "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", tool["gen_ai.tool.call.id"].AsString())
	assert.NotEmpty(t, tool["error.type"].AsString(), "the tool failed")

	// The failure went back to the model as an error result.
	var second struct {
		Messages []json.RawMessage `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(s.Requests()[1].Body, &second))
	require.Len(t, second.Messages, 3)
	var turn struct {
		Content []struct {
			ToolResult struct {
				ToolUseID string `json:"toolUseId"`
				Status    string `json:"status"`
			} `json:"toolResult"`
		} `json:"content"`
	}
	require.NoError(t, json.Unmarshal(second.Messages[2], &turn))
	require.Len(t, turn.Content, 1)
	assert.Equal(t, "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", turn.Content[0].ToolResult.ToolUseID)
	assert.Equal(t, "error", turn.Content[0].ToolResult.Status)
}
