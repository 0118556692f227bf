// Package mcptools bridges the Model Context Protocol and mirascope tools,
// on the official SDK (github.com/modelcontextprotocol/go-sdk/mcp).
//
// [Tools] turns the tools an MCP server offers into mirascope.Tools, so a
// model uses them like any Go function:
//
//	client := mcp.NewClient(&mcp.Implementation{Name: "librarian"}, nil)
//	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: exec.Command("catalog-server")}, nil)
//	if err != nil { return err }
//	defer session.Close()
//	tools, err := mcptools.Tools(ctx, session)
//	if err != nil { return err }
//	tr, err := mirascope.Run(ctx, otel.Traced(provider), AskLibrarian{Question: q}, mirascope.WithTools(tools...))
//
// [Serve] does the reverse: tools written once with mirascope.NewTool serve
// in-process and, registered on an mcp.Server, over MCP to any client:
//
//	server := mcp.NewServer(&mcp.Implementation{Name: "catalog"}, nil)
//	if err := mcptools.Serve(server, getAuthor, searchBooks); err != nil { return err }
//	return server.Run(ctx, &mcp.StdioTransport{})
//
// # Errors
//
// What a model can correct is an error result it reads, what it cannot is a
// Go error. A server's isError result is a [*ToolError], and mirascope.Run
// shows it to the model; a transport or protocol failure, a closed session
// or an ended context is a [*CallError]. Served tools answer bad arguments,
// their own errors and panics with isError results, never protocol errors.
//
// Give every call a context with a deadline: a tool call returns when its
// context ends even if the server never answers, but the SDK's
// ClientSession.Close waits for calls still in flight, so a call without a
// deadline to a silent server also blocks Close.
//
// # Tracing
//
// The caller's W3C trace context travels in each tools/call request's
// _meta (traceparent, tracestate, as SEP-414 proposes), always in the W3C
// format whatever global propagator is set, and [Serve] continues it: one
// trace runs from the model's turn through the client to the server's tool.
// The client makes a CLIENT span "tools/call {name}", under otel.Traced's
// execute_tool span; Serve makes a SERVER span of the same name with the
// global tracer provider. Both, and the execute_tool span, carry the MCP
// attributes of the OpenTelemetry semantic conventions v1.41.0
// (mcp.method.name, mcp.session.id, mcp.protocol.version,
// network.transport); the otel package learns them from the tool itself (an
// optional SpanAttributes method), so neither the root package nor otel
// imports the MCP SDK.
package mcptools
