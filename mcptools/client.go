package mcptools

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"

	"github.com/mirascope-go/mirascope"
)

// MaxTools bounds how many tools [Tools] takes from one server: a model
// offered more would not choose well, and a server that keeps listing must
// not make the client grow without bound.
const MaxTools = 4096

// ErrListing is matched by the error [Tools] returns when the server's
// listing cannot be used: a cursor repeated or more than [MaxTools] pages
// (the listing would never end), more than [MaxTools] tools, or a tool whose input schema is not a JSON
// object of type object (the error then also matches
// mirascope.ErrInvalidTool). A tool with no input schema takes an object
// without properties.
var ErrListing = errors.New("mirascope: mcp tool listing")

// Tools lists every tool session's server offers, following the cursors
// across all pages, and returns each as a mirascope.Tool, to pass to
// mirascope.WithTools and mirascope.Run. Its definition is the server's
// description and input schema, as sent; providers adapt the schema (strict
// mode, unsupported keywords) as they do our own tools' schemas.
//
// A name a service would refuse (anything but 1 to 64 letters, digits, '_'
// or '-'; MCP allows dots and 128 characters) is mapped: each other byte
// becomes '_', and a name then too long, empty or already taken is cut to
// 55 bytes and ended with '_' and 8 hex digits of the SHA-256 of the
// server's name. Valid names never change. Calls use the server's name.
//
// The tool's Call sends tools/call with the model's arguments:
//   - the result's text content is the answer; when the server gives
//     structured content, the answer is its JSON, followed by any text
//     that is not the same JSON;
//   - images, audio, resources and other content are described in the
//     text (kind, MIME type, size, URI), never dropped silently;
//   - a result marked isError is a [*ToolError], which mirascope.CallTools
//     hands to the model as an error result;
//   - a transport or protocol failure, a closed session, or ctx ending
//     first is a [*CallError], returned as soon as ctx ends.
//
// The caller's trace context (W3C traceparent and tracestate, written by
// go.opentelemetry.io/otel/propagation.TraceContext whatever global
// propagator is set) goes in the request's _meta, so a server that reads it,
// as [Serve] does, continues the trace. Each call is a CLIENT span
// "tools/call {name}", the name as the server knows it
// (gen_ai.operation.name execute_tool, mcp.method.name, gen_ai.tool.name,
// mcp.session.id when the session has one, mcp.protocol.version,
// network.transport, error.type tool_error on an isError result), made by the tracer provider of the span in ctx when that
// one is recording (the execute_tool span of otel.Traced) and otherwise the
// global one. With otel.Traced, the execute_tool span carries the same MCP
// attributes.
//
// network.transport is "tcp" when the session has an id (the streamable
// HTTP and SSE transports assign one) and "pipe" otherwise (stdio, command
// and in-memory transports; a stateless HTTP session, which has no id, is
// reported as "pipe" too: the SDK does not expose the transport).
//
// The tools are safe for concurrent use; they live as long as the session.
func Tools(ctx context.Context, session *mcp.ClientSession) ([]mirascope.Tool, error) {
	if session == nil {
		return nil, errors.New("mirascope: mcptools.Tools: nil session")
	}
	var listed []*mcp.Tool
	// The cursors seen, by digest: a server's cursors may be long.
	seen := map[[sha256.Size]byte]bool{}
	params := &mcp.ListToolsParams{}
	for pages := 1; ; pages++ {
		res, err := session.ListTools(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("mirascope: mcp tools/list: %w", err)
		}
		listed = append(listed, res.Tools...)
		if len(listed) > MaxTools {
			return nil, fmt.Errorf("%w: more than %d tools", ErrListing, MaxTools)
		}
		if res.NextCursor == "" {
			break
		}
		// Empty pages with new cursors would never end, nor add a tool.
		if pages > MaxTools {
			return nil, fmt.Errorf("%w: more than %d pages", ErrListing, MaxTools)
		}
		sum := sha256.Sum256([]byte(res.NextCursor))
		if seen[sum] {
			return nil, fmt.Errorf("%w: the server repeated the cursor %q", ErrListing, truncate(res.NextCursor, 64))
		}
		seen[sum] = true
		params = &mcp.ListToolsParams{Cursor: res.NextCursor}
	}
	names := make([]string, len(listed))
	for i, t := range listed {
		if t == nil {
			return nil, fmt.Errorf("%w: a null tool", ErrListing)
		}
		names[i] = t.Name
	}
	mapped := modelNames(names)
	tools := make([]mirascope.Tool, len(listed))
	for i, t := range listed {
		var schema json.RawMessage // none: an object without properties
		if t.InputSchema != nil {
			var err error
			if schema, err = json.Marshal(t.InputSchema); err != nil {
				return nil, fmt.Errorf("%w: tool %q: %v", ErrListing, truncate(t.Name, 128), err)
			}
		}
		tools[i] = &tool{
			session: session,
			server:  t.Name,
			def:     mirascope.ToolDefinition{Name: mapped[i], Description: t.Description, Parameters: schema},
		}
	}
	// What a request would refuse, refused now: a schema that is not an
	// object.
	if err := mirascope.CheckTools(tools...); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrListing, err)
	}
	return tools, nil
}

// tool is one of a server's tools.
type tool struct {
	session *mcp.ClientSession
	server  string // the name the server knows it by
	def     mirascope.ToolDefinition
}

func (t *tool) Definition() mirascope.ToolDefinition {
	d := t.def
	d.Parameters = bytes.Clone(d.Parameters)
	return d
}

// SpanAttributes are the MCP attributes of the tool's spans. otel.Traced
// finds this method by type assertion and adds them to the execute_tool
// span.
func (t *tool) SpanAttributes() []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, semconv.McpMethodNameToolsCall)
	if id := t.session.ID(); id != "" {
		attrs = append(attrs, semconv.McpSessionIDKey.String(id), semconv.NetworkTransportTCP)
	} else {
		attrs = append(attrs, semconv.NetworkTransportPipe)
	}
	if r := t.session.InitializeResult(); r != nil && r.ProtocolVersion != "" {
		attrs = append(attrs, semconv.McpProtocolVersionKey.String(r.ProtocolVersion))
	}
	return attrs
}

func (t *tool) Call(ctx context.Context, arguments string) (string, error) {
	args := strings.TrimSpace(arguments)
	if args == "" {
		args = "{}"
	}
	if !json.Valid([]byte(args)) || args[0] != '{' {
		return "", &mirascope.ArgumentsError{Tool: t.def.Name, Err: errors.New("the arguments are not a JSON object")}
	}
	ctx, span := startClient(ctx, t)
	defer span.End()
	params := &mcp.CallToolParams{Name: t.server, Arguments: json.RawMessage(args), Meta: mcp.Meta{}}
	inject(ctx, params.Meta)

	res, err := t.call(ctx, params)
	if err != nil {
		err = &CallError{Tool: t.def.Name, Err: err}
		span.SetAttributes(semconv.ErrorTypeKey.String(callErrorType(ctx, err)))
		span.SetStatus(codes.Error, err.Error())
		return "", err
	}
	text := answer(res)
	if res.IsError {
		span.SetAttributes(semconv.ErrorTypeKey.String("tool_error"))
		span.SetStatus(codes.Error, "isError")
		return "", &ToolError{Tool: t.def.Name, Text: text}
	}
	return text, nil
}

// call sends the request and waits for its answer or for ctx, whichever
// comes first: the SDK cancels the request when ctx ends, but the caller
// must not wait on a peer that is slow to hear it.
func (t *tool) call(ctx context.Context, params *mcp.CallToolParams) (*mcp.CallToolResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type outcome struct {
		res *mcp.CallToolResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := t.session.CallTool(ctx, params)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() != nil && !errors.Is(o.err, ctx.Err()) {
			o.err = fmt.Errorf("%w (%v)", ctx.Err(), o.err)
		}
		if o.err == nil && o.res == nil {
			o.err = errors.New("no result")
		}
		return o.res, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func callErrorType(ctx context.Context, err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, mcp.ErrConnectionClosed):
		return "connection_closed"
	}
	return "_OTHER"
}

// answer is what the model reads of a result: see [Tools].
func answer(res *mcp.CallToolResult) string {
	var parts []string
	var structured []byte
	if res.StructuredContent != nil {
		if b, err := json.Marshal(res.StructuredContent); err == nil {
			structured = b
			parts = append(parts, string(b))
		}
	}
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.TextContent:
			if structured != nil && sameJSON(c.Text, structured) {
				continue // the copy the spec asks servers to send for old clients
			}
			parts = append(parts, c.Text)
		default:
			parts = append(parts, describe(c))
		}
	}
	return strings.Join(parts, "\n")
}

// describe is content the model cannot read as text, in words.
func describe(c mcp.Content) string {
	switch c := c.(type) {
	case *mcp.ImageContent:
		return fmt.Sprintf("[image: %s, %d bytes, not shown]", orUnknown(c.MIMEType), len(c.Data))
	case *mcp.AudioContent:
		return fmt.Sprintf("[audio: %s, %d bytes, not shown]", orUnknown(c.MIMEType), len(c.Data))
	case *mcp.ResourceLink:
		s := "[resource link: " + c.URI
		if c.Name != "" {
			s += " (" + c.Name + ")"
		}
		if c.MIMEType != "" {
			s += ", " + c.MIMEType
		}
		return s + "]"
	case *mcp.EmbeddedResource:
		r := c.Resource
		if r == nil {
			return "[resource: empty]"
		}
		if r.Blob == nil {
			return "[resource: " + r.URI + "]\n" + r.Text
		}
		return fmt.Sprintf("[resource: %s, %s, %d bytes, not shown]", r.URI, orUnknown(r.MIMEType), len(r.Blob))
	case nil:
		return "[empty content]"
	}
	var kind struct {
		Type string `json:"type"`
	}
	if b, err := c.MarshalJSON(); err == nil {
		_ = json.Unmarshal(b, &kind)
	}
	return "[" + orUnknown(kind.Type) + " content, not shown]"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown type"
	}
	return s
}

// sameJSON reports whether text is the JSON value b is.
func sameJSON(text string, b []byte) bool {
	var x, y any
	if json.Unmarshal([]byte(text), &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

var _ interface {
	mirascope.Tool
	SpanAttributes() []attribute.KeyValue
} = (*tool)(nil)
