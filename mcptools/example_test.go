package mcptools_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/mcptools"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// A server's tools as mirascope tools, used in a tool loop. The server here
// runs in-process; a real one is reached with mcp.CommandTransport (stdio)
// or mcp.StreamableClientTransport (HTTP).
func ExampleTools() {
	ctx := context.Background()
	server := mcp.NewServer(&mcp.Implementation{Name: "catalog", Version: "v1"}, nil)
	server.AddTool(&mcp.Tool{
		Name:        "catalog.author",
		Description: "Returns the author of a book",
		InputSchema: map[string]any{"type": "object", "properties": map[string]any{"title": map[string]any{"type": "string"}}},
	}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "Frank Herbert"}}}, nil
	})
	st, ct := mcp.NewInMemoryTransports()
	if _, err := server.Connect(ctx, st, nil); err != nil {
		panic(err)
	}
	session, err := mcp.NewClient(&mcp.Implementation{Name: "librarian", Version: "v1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		panic(err)
	}
	defer session.Close()

	tools, err := mcptools.Tools(ctx, session)
	if err != nil {
		panic(err)
	}
	fmt.Println(tools[0].Definition().Name) // "." is not a name every service takes

	model := mock.New( // recorded answers: a tool call, then the answer
		mock.ToolCalls(mock.ToolCall("catalog_author", map[string]string{"title": "Dune"})),
		mock.Text("Dune is by Frank Herbert."))
	tr, err := mirascope.Run(ctx, model, ask{"Who wrote Dune?"}, mirascope.WithTools(tools...))
	if err != nil {
		panic(err)
	}
	fmt.Println(tr.Messages[2].Content)
	fmt.Println(tr.Response)
	// Output:
	// catalog_author
	// Frank Herbert
	// Dune is by Frank Herbert.
}

// Our tools served over MCP: NewTool's schema is the input schema, and bad
// arguments are an isError result naming the field.
func ExampleServe() {
	ctx := context.Background()
	type GetAuthor struct {
		Title string `json:"title" validate:"required"`
	}
	getAuthor := mirascope.NewTool("get_author", "Returns the author of a book",
		func(_ context.Context, in GetAuthor) (string, error) { return "Frank Herbert", nil })

	server := mcp.NewServer(&mcp.Implementation{Name: "catalog", Version: "v1"}, nil)
	if err := mcptools.Serve(server, getAuthor); err != nil {
		panic(err)
	}
	// Any MCP client can now call it; here, one in-process.
	st, ct := mcp.NewInMemoryTransports()
	if _, err := server.Connect(ctx, st, nil); err != nil {
		panic(err)
	}
	session, err := mcp.NewClient(&mcp.Implementation{Name: "client", Version: "v1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		panic(err)
	}
	defer session.Close()
	for _, args := range []string{`{"title":"Dune"}`, `{}`} {
		res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "get_author", Arguments: json.RawMessage(args)})
		if err != nil {
			panic(err)
		}
		fmt.Println(res.IsError, res.Content[0].(*mcp.TextContent).Text)
	}
	// Output:
	// false Frank Herbert
	// true invalid arguments for tool get_author: $.title: required, missing
}
