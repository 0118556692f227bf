package mcptools_test

import (
	"context"
	"errors"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/mcptools"
)

type getAuthor struct {
	Title string `json:"title" jsonschema:"the book's title" validate:"required,min=2"`
}

func authorTool(fn func(context.Context, getAuthor) (string, error)) mirascope.Tool {
	return mirascope.NewTool("get_author", "Returns a book's author", fn)
}

func callRaw(t *testing.T, cs *mcp.ClientSession, name string, args any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	require.NoError(t, err, "a tool's failure is a result, not a protocol error")
	return res
}

func resultText(res *mcp.CallToolResult) string {
	if len(res.Content) != 1 {
		return "<not one content>"
	}
	return res.Content[0].(*mcp.TextContent).Text
}

// NewTool's schema is the input schema; a call runs the tool.
func TestServe(t *testing.T) {
	s := newServer(nil)
	require.NoError(t, mcptools.Serve(s, authorTool(func(_ context.Context, in getAuthor) (string, error) {
		return "Frank Herbert wrote " + in.Title, nil
	})))
	cs := connect(t, s)
	res, err := cs.ListTools(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, res.Tools, 1)
	assert.Equal(t, "get_author", res.Tools[0].Name)
	assert.Equal(t, "Returns a book's author", res.Tools[0].Description)
	def := authorTool(func(context.Context, getAuthor) (string, error) { return "", nil }).Definition()
	got, err := mcpJSON(res.Tools[0].InputSchema)
	require.NoError(t, err)
	assert.JSONEq(t, string(def.Parameters), got)

	r := callRaw(t, cs, "get_author", map[string]any{"title": "Dune"})
	assert.False(t, r.IsError)
	assert.Equal(t, "Frank Herbert wrote Dune", resultText(r))
}

// Arguments that fail validation are an isError result naming the field;
// a panic and an error are isError results too; the session lives on.
func TestServeFailuresAreResults(t *testing.T) {
	s := newServer(nil)
	require.NoError(t, mcptools.Serve(s,
		authorTool(func(_ context.Context, in getAuthor) (string, error) {
			if in.Title == "boom" {
				panic("secret internal state")
			}
			return "", errors.New("no such book")
		})))
	cs := connect(t, s)

	r := callRaw(t, cs, "get_author", map[string]any{"title": "x"})
	assert.True(t, r.IsError)
	assert.Contains(t, resultText(r), "title")
	assert.Contains(t, resultText(r), "min")

	r = callRaw(t, cs, "get_author", map[string]any{"titel": "Dune"})
	assert.True(t, r.IsError)
	assert.Contains(t, resultText(r), "titel", "an unknown field is named")

	r = callRaw(t, cs, "get_author", map[string]any{"title": "boom"})
	assert.True(t, r.IsError)
	assert.Equal(t, "the tool get_author failed unexpectedly", resultText(r))

	r = callRaw(t, cs, "get_author", map[string]any{"title": "Emma"})
	assert.True(t, r.IsError)
	assert.Equal(t, "no such book", resultText(r))
}

// A panic in a hand-written tool's Call is a result as well.
func TestServePanicInCall(t *testing.T) {
	s := newServer(nil)
	require.NoError(t, mcptools.Serve(s, panicky{}))
	r := callRaw(t, connect(t, s), "panicky", map[string]any{})
	assert.True(t, r.IsError)
	assert.Equal(t, "the tool panicky failed unexpectedly", resultText(r))
}

type panicky struct{}

func (panicky) Definition() mirascope.ToolDefinition {
	return mirascope.ToolDefinition{Name: "panicky", Parameters: []byte(`{"type":"object"}`)}
}
func (panicky) Call(context.Context, string) (string, error) { panic(errors.New("nil map")) }

// Invalid tools are refused before anything is registered.
func TestServeRefusesInvalidTools(t *testing.T) {
	s := newServer(nil)
	ok := authorTool(func(context.Context, getAuthor) (string, error) { return "", nil })
	err := mcptools.Serve(s, ok, mirascope.NewTool("bad name", "", func(context.Context, getAuthor) (string, error) { return "", nil }))
	require.ErrorIs(t, err, mirascope.ErrInvalidTool)
	res, err := connect(t, s).ListTools(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, res.Tools, "nothing registered")

	require.ErrorIs(t, mcptools.Serve(newServer(nil), ok, ok), mirascope.ErrInvalidTool, "twice")
	require.EqualError(t, mcptools.Serve(nil, ok), "mirascope: mcptools.Serve: nil server")
}

// A tool served by Serve and listed by Tools round-trips: written once,
// served in-process and over MCP alike.
func TestServeThenTools(t *testing.T) {
	s := newServer(nil)
	local := authorTool(func(_ context.Context, in getAuthor) (string, error) { return "by " + in.Title, nil })
	require.NoError(t, mcptools.Serve(s, local))
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	require.Len(t, tools, 1)
	assert.JSONEq(t, string(local.Definition().Parameters), string(tools[0].Definition().Parameters))
	out, err := tools[0].Call(context.Background(), `{"title":"Dune"}`)
	require.NoError(t, err)
	assert.Equal(t, "by Dune", out)
	_, err = tools[0].Call(context.Background(), `{}`)
	var te *mcptools.ToolError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, te.Text, "title")
}
