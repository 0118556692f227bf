package mirascope_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// definedTool is a Tool implemented by hand, as an MCP server's tools are.
type definedTool struct{ def mirascope.ToolDefinition }

func (d definedTool) Definition() mirascope.ToolDefinition { return d.def }
func (d definedTool) Call(context.Context, string) (string, error) {
	return "", nil
}

// CheckTools finds, without a request, what a request offering the tools
// would be refused for, with the same typed error.
func TestCheckTools(t *testing.T) {
	noop := func(context.Context, GetAuthor) (string, error) { return "", nil }
	ok := authorTool(nil)
	tests := []struct {
		name  string
		tools []mirascope.Tool
		tool  string // InvalidToolError.Name
		why   string // InvalidToolError.Reason
	}{
		{"bad name", []mirascope.Tool{mirascope.NewTool("get author", "", noop)}, "get author", "a name must be 1 to 64 letters, digits, '_' or '-'"},
		{"long name", []mirascope.Tool{mirascope.NewTool(strings.Repeat("a", 65), "", noop)}, strings.Repeat("a", 65), "a name must be 1 to 64 letters, digits, '_' or '-'"},
		{"not a struct", []mirascope.Tool{mirascope.NewTool("n", "", func(context.Context, []string) (string, error) { return "", nil })},
			"n", "[]string is not a struct: tool arguments are a JSON object"},
		{"nil fn", []mirascope.Tool{mirascope.NewTool[GetAuthor, string]("f", "", nil)}, "f", "nil function"},
		{"nil tool", []mirascope.Tool{ok, nil}, "#1", "nil tool"},
		{"twice", []mirascope.Tool{ok, authorTool(nil)}, "get_author", "offered twice"},
		{"hand-made, bad name", []mirascope.Tool{definedTool{mirascope.ToolDefinition{Name: "a.b"}}}, "a.b", "a name must be 1 to 64 letters, digits, '_' or '-'"},
		{"hand-made, schema not an object", []mirascope.Tool{definedTool{mirascope.ToolDefinition{Name: "a", Parameters: json.RawMessage(`[1]`)}}},
			"a", "its parameters schema is not a JSON object"},
		{"hand-made, schema of a string", []mirascope.Tool{definedTool{mirascope.ToolDefinition{Name: "a", Parameters: json.RawMessage(`{"type":"string"}`)}}},
			"a", `its parameters schema's type is "string": a tool's arguments are an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mirascope.CheckTools(tt.tools...)
			require.ErrorIs(t, err, mirascope.ErrInvalidTool)
			var ie *mirascope.InvalidToolError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.tool, ie.Name)
			assert.Equal(t, tt.why, ie.Reason)

			p := mock.New(mock.Text("x"))
			_, callErr := mirascope.Call(context.Background(), p, AskLibrarian{"x"}, mirascope.WithTools(tt.tools...))
			assert.Equal(t, err, callErr, "the error a request gets")
			assert.Empty(t, p.Requests())
		})
	}
	assert.NoError(t, mirascope.CheckTools())
	assert.NoError(t, mirascope.CheckTools(ok, definedTool{mirascope.ToolDefinition{Name: "no_arguments"}},
		definedTool{mirascope.ToolDefinition{Name: "b", Parameters: json.RawMessage(`{"type":"object","properties":{}}`)}}))
}
