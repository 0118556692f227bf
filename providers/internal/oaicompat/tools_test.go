package oaicompat

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

type defTool mirascope.ToolDefinition

func (d defTool) Definition() mirascope.ToolDefinition       { return mirascope.ToolDefinition(d) }
func (defTool) Call(context.Context, string) (string, error) { return "", nil }

// Input no request may carry is refused with a message naming it.
func TestToolParamsBadInput(t *testing.T) {
	obj := json.RawMessage(`{"type":"object"}`)
	for _, tc := range []struct {
		name string
		req  mirascope.Request
		want string
	}{
		{"nil tool", mirascope.Request{Tools: []mirascope.Tool{nil}},
			"mirascope: svc: tool 0 is nil"},
		{"unnamed tool", mirascope.Request{Tools: []mirascope.Tool{defTool{Parameters: obj}}},
			"mirascope: svc: a tool has no name"},
		{"two tools one name", mirascope.Request{Tools: []mirascope.Tool{defTool{Name: "a"}, defTool{Name: "a"}}},
			`mirascope: svc: two tools are named "a"`},
		{"parameters not an object", mirascope.Request{Tools: []mirascope.Tool{defTool{Name: "a", Parameters: json.RawMessage(`[1]`)}}},
			`mirascope: svc: tool "a": the JSON schema is not a JSON object`},
		{"unnamed format", mirascope.Request{Format: &mirascope.Format{Schema: obj}},
			"mirascope: svc: the structured-output format has no name"},
		{"format schema not an object", mirascope.Request{Format: &mirascope.Format{Name: "f", Schema: json.RawMessage(`null`)}},
			`mirascope: svc: Format is not supported: the schema is not a JSON object`},
		{"tool result without an id", mirascope.Request{Messages: []prompt.Message{prompt.ToolResult("", "x")}},
			"mirascope: svc: message 0 is a tool result without the id of the call it answers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Core{spec: Spec{Name: "svc"}, model: "m"}
			_, _, _, err := c.params(&tc.req, false)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// A tool without parameters goes out without them: the wire reads that as
// an empty argument list.
func TestToolWithoutParameters(t *testing.T) {
	c := &Core{spec: Spec{Name: "svc"}, model: "m"}
	p, _, _, err := c.params(&mirascope.Request{Tools: []mirascope.Tool{defTool{Name: "now", Description: "The time"}}}, false)
	require.NoError(t, err)
	b, err := json.Marshal(p.Tools)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"type":"function","function":{"name":"now","description":"The time"}}]`, string(b))
}

// In a stream, the forced format tool's pieces are content, the others'
// are calls, told apart by the index the first piece named.
func TestStreamFormatToolAmongCalls(t *testing.T) {
	s := &streamState{formatTool: "book"}
	delta := func(i int64, id, name, args string) openai.ChatCompletionChunkChoiceDeltaToolCall {
		d := openai.ChatCompletionChunkChoiceDeltaToolCall{Index: i, ID: id}
		d.Function.Name, d.Function.Arguments = name, args
		return d
	}
	var out mirascope.Chunk
	s.toolDeltas(&out, []openai.ChatCompletionChunkChoiceDeltaToolCall{delta(0, "c0", "get_author", `{"ti`), delta(1, "c1", "book", `{"title":`)})
	s.toolDeltas(&out, []openai.ChatCompletionChunkChoiceDeltaToolCall{delta(1, "", "", `"X"}`), delta(0, "", "", `tle":"X"}`)})
	assert.Equal(t, `{"title":"X"}`, out.Content)
	assert.Equal(t, []mirascope.ToolCallChunk{
		{Index: 0, ID: "c0", Name: "get_author", Arguments: `{"ti`},
		{Index: 0, Arguments: `tle":"X"}`},
	}, out.ToolCalls)
}
