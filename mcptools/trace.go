package mcptools

import (
	"context"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans this package makes.
const ScopeName = "github.com/mirascope-go/mirascope/mcptools"

// propagator writes and reads the W3C trace context in _meta (SEP-414):
// always this one, so neither side depends on a global propagator being set.
var propagator = propagation.TraceContext{}

// tracer is the span in ctx's provider when that span is recording (so the
// client span joins otel.Traced's, whatever provider it was given), else the
// global one.
func tracer(ctx context.Context) trace.Tracer {
	tp := otelapi.GetTracerProvider()
	if s := trace.SpanFromContext(ctx); s.IsRecording() {
		tp = s.TracerProvider()
	}
	return tp.Tracer(ScopeName)
}

// startClient starts the CLIENT span of one tools/call. It names the tool
// as the wire does, by the server's name (valid UTF-8, at most 128 bytes).
func startClient(ctx context.Context, t *tool) (context.Context, trace.Span) {
	name := truncate(strings.ToValidUTF8(t.server, "\uFFFD"), 128)
	attrs := append(t.SpanAttributes(), semconv.GenAIOperationNameExecuteTool, semconv.GenAIToolName(name))
	cctx, span := tracer(ctx).Start(ctx, "tools/call "+name,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	if !span.SpanContext().IsValid() {
		// A no-op tracer drops the parent's context: keep ctx's, so the
		// trace still reaches the server.
		return ctx, span
	}
	return cctx, span
}

// inject writes ctx's trace context into meta.
func inject(ctx context.Context, meta mcp.Meta) {
	propagator.Inject(ctx, metaCarrier(meta))
}

// extract returns ctx carrying the remote span context meta holds, if any.
func extract(ctx context.Context, meta mcp.Meta) context.Context {
	if len(meta) == 0 {
		return ctx
	}
	return propagator.Extract(ctx, metaCarrier(meta))
}

// metaCarrier reads and writes string keys of a request's _meta.
type metaCarrier mcp.Meta

func (m metaCarrier) Get(key string) string {
	s, _ := m[key].(string)
	return s
}

func (m metaCarrier) Set(key, value string) { m[key] = value }

func (m metaCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// serverAttrs are the attributes of a served tool's SERVER span.
func serverAttrs(name string, req *mcp.CallToolRequest) []attribute.KeyValue {
	attrs := []attribute.KeyValue{semconv.McpMethodNameToolsCall, semconv.GenAIOperationNameExecuteTool, semconv.GenAIToolName(name)}
	if ss := req.Session; ss != nil {
		if id := ss.ID(); id != "" {
			attrs = append(attrs, semconv.McpSessionIDKey.String(id))
		}
		if p := ss.InitializeParams(); p != nil && p.ProtocolVersion != "" {
			attrs = append(attrs, semconv.McpProtocolVersionKey.String(p.ProtocolVersion))
		}
	}
	return attrs
}
