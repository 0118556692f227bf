package oaicompat

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
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
			`mirascope: invalid tool "#0": nil tool`},
		{"unnamed tool", mirascope.Request{Tools: []mirascope.Tool{defTool{Parameters: obj}}},
			`mirascope: invalid tool "#0": it has no name`},
		{"two tools one name", mirascope.Request{Tools: []mirascope.Tool{defTool{Name: "a"}, defTool{Name: "a"}}},
			`mirascope: invalid tool "a": offered twice`},
		{"parameters not an object", mirascope.Request{Tools: []mirascope.Tool{defTool{Name: "a", Parameters: json.RawMessage(`[1]`)}}},
			`mirascope: invalid tool "a": its parameters schema is not a JSON object`},
		{"unnamed format", mirascope.Request{Format: &mirascope.Format{Schema: obj}},
			"mirascope: svc: Format is not supported: it has no name; the schema is sent under its Name"},
		{"format schema not an object", mirascope.Request{Format: &mirascope.Format{Name: "f", Schema: json.RawMessage(`null`)}},
			`mirascope: svc: Format is not supported: the schema is not a JSON object`},
		{"tool result without an id", mirascope.Request{Messages: []prompt.Message{prompt.ToolResult("", "x")}},
			"mirascope: svc: prompt.ToolResult is not supported: message 0 is a tool result without the id of the call it answers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Core{spec: Spec{Name: "svc", Caps: lower.OpenAI.With("svc")}, model: "m"}
			_, _, _, err := c.params(&tc.req, false)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// A tool without parameters goes out without them: the wire reads that as
// an empty argument list.
func TestToolWithoutParameters(t *testing.T) {
	c := &Core{spec: Spec{Name: "svc", Caps: lower.OpenAI.With("svc")}, model: "m"}
	p, _, _, err := c.params(&mirascope.Request{Tools: []mirascope.Tool{defTool{Name: "now", Description: "The time"}}}, false)
	require.NoError(t, err)
	b, err := json.Marshal(p.Tools)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"type":"function","function":{"name":"now","description":"The time"}}]`, string(b))
}
