package replaytest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
)

// Tracer returns a tracer provider that hands every ended span at once to
// the in-memory exporter it also returns.
func Tracer() (*sdktrace.TracerProvider, *tracetest.InMemoryExporter) {
	exp := tracetest.NewInMemoryExporter()
	return sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)), exp
}

// Attrs indexes a span's attributes by key.
func Attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// Traced sends prompt p through provider wrapped in otel.Traced, as a call
// or as a stream read to its end, requires that exactly one span was
// recorded (the provider's own, none of the SDK's) and returns its
// attributes.
func Traced(t testing.TB, provider mirascope.Provider, stream bool, p any, opts ...mirascope.CallOption) map[attribute.Key]attribute.Value {
	t.Helper()
	tp, exp := Tracer()
	traced := otel.Traced(provider, otel.WithTracerProvider(tp))
	if stream {
		st, err := mirascope.Stream(context.Background(), traced, p, opts...)
		require.NoError(t, err)
		for _, err := range st.Chunks() {
			require.NoError(t, err)
		}
	} else {
		_, err := mirascope.Call(context.Background(), traced, p, opts...)
		require.NoError(t, err)
	}
	spans := exp.GetSpans()
	require.Len(t, spans, 1, "one span: ours, none of the SDK's")
	return Attrs(spans[0].Attributes)
}
