package mcptools_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	otelapi "go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/mcptools"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// recorder is a tracer provider recording ended spans, also set as the
// global one (Serve's spans use it) until the test ends.
func recorder(t *testing.T) (*tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prev := otelapi.GetTracerProvider()
	otelapi.SetTracerProvider(tp)
	t.Cleanup(func() { otelapi.SetTracerProvider(prev) })
	return rec, tp
}

func attrsOf(s sdktrace.ReadOnlySpan) map[string]string {
	m := map[string]string{}
	for _, kv := range s.Attributes() {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func spanNamed(t *testing.T, spans []sdktrace.ReadOnlySpan, name string, kind trace.SpanKind) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range spans {
		if s.Name() == name && s.SpanKind() == kind {
			return s
		}
	}
	require.FailNow(t, "no span", "%s (%s)", name, kind)
	return nil
}

// One trace runs from the Run through the MCP client to the server that
// Serve built: the traceparent in _meta is the client span's, the server
// span is its child, and the execute_tool span carries the MCP attributes.
func TestOneTraceAcrossClientAndServer(t *testing.T) {
	rec, tp := recorder(t)
	s := newServer(nil)
	var meta mcp.Meta
	require.NoError(t, mcptools.Serve(s, authorTool(func(ctx context.Context, in getAuthor) (string, error) {
		assert.True(t, trace.SpanContextFromContext(ctx).IsValid(), "the tool's context carries the trace")
		return "Frank Herbert", nil
	})))
	s.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if p, ok := req.GetParams().(*mcp.CallToolParamsRaw); ok {
				meta = p.Meta
			}
			return next(ctx, method, req)
		}
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)

	p := otel.Traced(mock.New(mock.ToolCalls(mock.ToolCall("get_author", map[string]any{"title": "Dune"})), mock.Text("Frank Herbert.")),
		otel.WithTracerProvider(tp))
	_, err = mirascope.Run(context.Background(), p, ask{"Who wrote Dune?"}, mirascope.WithTools(tools...))
	require.NoError(t, err)

	spans := rec.Ended()
	agent := spanNamed(t, spans, "invoke_agent ask", trace.SpanKindInternal)
	exec := spanNamed(t, spans, "execute_tool get_author", trace.SpanKindInternal)
	client := spanNamed(t, spans, "tools/call get_author", trace.SpanKindClient)
	server := spanNamed(t, spans, "tools/call get_author", trace.SpanKindServer)
	traceID := agent.SpanContext().TraceID()
	for _, s := range []sdktrace.ReadOnlySpan{exec, client, server} {
		assert.Equal(t, traceID, s.SpanContext().TraceID(), "%s %s is in the run's trace", s.Name(), s.SpanKind())
	}
	assert.Equal(t, exec.SpanContext().SpanID(), client.Parent().SpanID())
	assert.Equal(t, client.SpanContext().SpanID(), server.Parent().SpanID())
	assert.True(t, server.Parent().IsRemote())

	require.NotNil(t, meta)
	assert.Equal(t, "00-"+traceID.String()+"-"+client.SpanContext().SpanID().String()+"-01", meta["traceparent"])

	ea := attrsOf(exec)
	assert.Equal(t, "tools/call", ea["mcp.method.name"])
	assert.Equal(t, "pipe", ea["network.transport"])
	assert.NotEmpty(t, ea["mcp.protocol.version"])
	assert.NotContains(t, ea, "mcp.session.id", "the in-memory transport has no session id")
	assert.Equal(t, "execute_tool", ea["gen_ai.operation.name"])
	assert.Equal(t, "get_author", ea["gen_ai.tool.name"])

	ca := attrsOf(client)
	for _, k := range []string{"mcp.method.name", "network.transport", "mcp.protocol.version", "gen_ai.operation.name", "gen_ai.tool.name"} {
		assert.Equal(t, ea[k], ca[k], k)
	}
	sa := attrsOf(server)
	assert.Equal(t, "tools/call", sa["mcp.method.name"])
	assert.Equal(t, ea["mcp.protocol.version"], sa["mcp.protocol.version"])
	assert.Equal(t, "get_author", sa["gen_ai.tool.name"])
}

// An isError result marks both ends' spans tool_error.
func TestSpansOfAFailedCall(t *testing.T) {
	rec, tp := recorder(t)
	s := newServer(nil)
	require.NoError(t, mcptools.Serve(s, authorTool(func(context.Context, getAuthor) (string, error) { return "", nil })))
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	ctx, span := tp.Tracer("test").Start(context.Background(), "parent")
	_, err = tools[0].Call(ctx, `{"title":""}`)
	span.End()
	require.Error(t, err)
	spans := rec.Ended()
	assert.Equal(t, "tool_error", attrsOf(spanNamed(t, spans, "tools/call get_author", trace.SpanKindClient))["error.type"])
	assert.Equal(t, "tool_error", attrsOf(spanNamed(t, spans, "tools/call get_author", trace.SpanKindServer))["error.type"])
}

// With no tracer provider at all, the caller's trace context still
// reaches the server.
func TestTraceContextWithoutTracing(t *testing.T) {
	prev := otelapi.GetTracerProvider()
	otelapi.SetTracerProvider(noop.NewTracerProvider())
	t.Cleanup(func() { otelapi.SetTracerProvider(prev) })
	s := newServer(nil)
	got := make(chan trace.SpanContext, 1)
	require.NoError(t, mcptools.Serve(s, authorTool(func(ctx context.Context, _ getAuthor) (string, error) {
		got <- trace.SpanContextFromContext(ctx)
		return "", nil
	})))
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, TraceFlags: trace.FlagsSampled,
	})
	ctx := trace.ContextWithRemoteSpanContext(context.Background(), sc)
	_, err = tools[0].Call(ctx, `{"title":"Dune"}`)
	require.NoError(t, err)
	remote := <-got
	assert.Equal(t, sc.TraceID(), remote.TraceID())
	assert.Equal(t, sc.SpanID(), remote.SpanID())
}

// Over streamable HTTP the session has an id and the transport is tcp.
func TestSpanAttributesOverHTTP(t *testing.T) {
	rec, tp := recorder(t)
	s := newServer(nil)
	require.NoError(t, mcptools.Serve(s, authorTool(func(context.Context, getAuthor) (string, error) { return "x", nil })))
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil))
	defer srv.Close()
	client := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "v0"}, nil)
	cs, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: srv.URL, DisableStandaloneSSE: true}, nil)
	require.NoError(t, err)
	defer cs.Close()
	require.NotEmpty(t, cs.ID())
	tools, err := mcptools.Tools(context.Background(), cs)
	require.NoError(t, err)

	p := otel.Traced(mock.New(mock.ToolCalls(mock.ToolCall("get_author", map[string]any{"title": "Dune"})), mock.Text("x")),
		otel.WithTracerProvider(tp))
	_, err = mirascope.Run(context.Background(), p, ask{"?"}, mirascope.WithTools(tools...))
	require.NoError(t, err)
	spans := rec.Ended()
	ea := attrsOf(spanNamed(t, spans, "execute_tool get_author", trace.SpanKindInternal))
	assert.Equal(t, cs.ID(), ea["mcp.session.id"])
	assert.Equal(t, "tcp", ea["network.transport"])
	sa := attrsOf(spanNamed(t, spans, "tools/call get_author", trace.SpanKindServer))
	assert.Equal(t, cs.ID(), sa["mcp.session.id"])
}

// The server's span names a failure's kind, never its text (which quotes
// the arguments).
func TestServerSpanQuotesNoArguments(t *testing.T) {
	rec, _ := recorder(t)
	s := newServer(nil)
	require.NoError(t, mcptools.Serve(s, authorTool(func(context.Context, getAuthor) (string, error) { return "", nil })))
	r := callRaw(t, connect(t, s), "get_author", map[string]any{"title": "S3CRET-x", "extra": "S3CRET-y"})
	require.True(t, r.IsError)
	server := spanNamed(t, rec.Ended(), "tools/call get_author", trace.SpanKindServer)
	assert.Equal(t, "invalid arguments", server.Status().Description)
	for _, kv := range server.Attributes() {
		assert.NotContains(t, kv.Value.String(), "S3CRET")
	}
	assert.Empty(t, server.Events())
}

// The client span names the tool as the wire does; execute_tool as the
// model does.
func TestClientSpanUsesTheServersName(t *testing.T) {
	rec, tp := recorder(t)
	s := newServer(nil)
	addRaw(s, "books.search", func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) { return textResult("ok"), nil })
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	p := otel.Traced(mock.New(mock.ToolCalls(mock.ToolCall("books_search", map[string]any{})), mock.Text("x")), otel.WithTracerProvider(tp))
	_, err = mirascope.Run(context.Background(), p, ask{"?"}, mirascope.WithTools(tools...))
	require.NoError(t, err)
	spans := rec.Ended()
	spanNamed(t, spans, "execute_tool books_search", trace.SpanKindInternal)
	c := spanNamed(t, spans, "tools/call books.search", trace.SpanKindClient)
	assert.Equal(t, "books.search", attrsOf(c)["gen_ai.tool.name"])
}
