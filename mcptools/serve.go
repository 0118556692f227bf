package mcptools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
)

// Serve registers tools on server, so a tool written once with
// mirascope.NewTool (or any mirascope.Tool) serves in-process and over MCP.
// Each is listed with its name, description and input schema (NewTool's
// derived schema). A call runs the tool's Call with the arguments as sent:
//   - its answer is the result's text content;
//   - arguments NewTool's decoding or validation refuses, an error the
//     tool returns, and a panic in the tool are a result marked isError
//     whose text says what went wrong (for bad arguments, the field, the
//     rule and the value), for the client's model to correct; the text of
//     a panic names the tool only, its value stays on the span;
//   - the trace context in the request's _meta (traceparent, tracestate)
//     is the parent of a SERVER span "tools/call {name}" made by the global
//     tracer provider, which the tool's context carries; a failure sets
//     error.type tool_error and says its kind (invalid arguments, an
//     error, a panic), never its text, which may quote the arguments.
//
// The tools are checked as mirascope.CheckTools does, all before any is
// added: a nil server or an invalid tool is an error and nothing is
// registered. A tool of a name already on server replaces it.
func Serve(server *mcp.Server, tools ...mirascope.Tool) error {
	if server == nil {
		return errors.New("mirascope: mcptools.Serve: nil server")
	}
	if err := mirascope.CheckTools(tools...); err != nil {
		return err
	}
	for _, t := range tools {
		def := t.Definition()
		if err := addTool(server, t, def); err != nil {
			return err
		}
	}
	return nil
}

func addTool(server *mcp.Server, t mirascope.Tool, def mirascope.ToolDefinition) (err error) {
	defer func() {
		if r := recover(); r != nil { // the SDK panics on a schema it refuses
			err = &mirascope.InvalidToolError{Name: def.Name, Reason: fmt.Sprint(r)}
		}
	}()
	server.AddTool(&mcp.Tool{Name: def.Name, Description: def.Description, InputSchema: json.RawMessage(def.Parameters)}, handler(t, def.Name))
	return nil
}

func handler(t mirascope.Tool, name string) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var args string
		if req.Params != nil {
			ctx = extract(ctx, req.Params.Meta)
			args = string(req.Params.Arguments)
		}
		ctx, span := otelapi.Tracer(ScopeName).Start(ctx, "tools/call "+name,
			trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(serverAttrs(name, req)...))
		defer span.End()
		out, err := run(ctx, t, name, args)
		if err != nil {
			// The error may quote the arguments, which Serve never records:
			// the span says what kind of failure it was, not its text.
			span.SetAttributes(semconv.ErrorTypeKey.String("tool_error"))
			span.SetStatus(codes.Error, failureKind(err))
			return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: errorText(err)}}}, nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: out}}}, nil
	}
}

// run calls t, a panic recovered as a *mirascope.ToolPanicError.
func run(ctx context.Context, t mirascope.Tool, name, args string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = "", &mirascope.ToolPanicError{Tool: name, Value: r, Stack: debug.Stack()}
		}
	}()
	return t.Call(ctx, args)
}

// failureKind names a failure without quoting it.
func failureKind(err error) string {
	var pe *mirascope.ToolPanicError
	var ae *mirascope.ArgumentsError
	switch {
	case errors.As(err, &pe):
		return "the tool panicked"
	case errors.As(err, &ae):
		return "invalid arguments"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err.Error()
	}
	return "the tool returned an error"
}

// errorText is what the client reads of a failed call.
func errorText(err error) string {
	var pe *mirascope.ToolPanicError
	if errors.As(err, &pe) {
		return "the tool " + pe.Tool + " failed unexpectedly"
	}
	return strings.TrimPrefix(err.Error(), "mirascope: ")
}
