package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
)

// harness is a real SDK tracer and meter provider recording into memory.
type harness struct {
	spans  *tracetest.InMemoryExporter
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSyncer(h.spans))
	h.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		_ = h.tp.Shutdown(context.Background())
		_ = h.mp.Shutdown(context.Background())
	})
	return h
}

// traced wraps p with the harness's providers and opts.
func (h *harness) traced(p mirascope.Provider, opts ...otel.Option) mirascope.Provider {
	return otel.Traced(p, append([]otel.Option{otel.WithTracerProvider(h.tp), otel.WithMeterProvider(h.mp)}, opts...)...)
}

// only returns the one span recorded, failing unless there is exactly one.
func (h *harness) only(t testing.TB) tracetest.SpanStub {
	t.Helper()
	spans := h.spans.GetSpans()
	require.Len(t, spans, 1, "exactly one span per call")
	return spans[0]
}

func (h *harness) metrics(t testing.TB) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// attrs maps a span's attributes by key, keeping their typed values.
func attrs(kvs []attribute.KeyValue) map[string]attribute.Value {
	m := make(map[string]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value
	}
	return m
}

// textCall is a provider that only calls (no Streamer), answering text.
type textCall struct {
	info mirascope.ProviderInfo
	fn   func(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error)
}

func (p *textCall) Info() mirascope.ProviderInfo { return p.info }
func (p *textCall) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.fn(ctx, req)
}

func histFloat(t testing.TB, m metricdata.Metrics) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	require.True(t, ok, "%s is a float64 histogram", m.Name)
	return h.DataPoints
}

func histInt(t testing.TB, m metricdata.Metrics) []metricdata.HistogramDataPoint[int64] {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[int64])
	require.True(t, ok, "%s is an int64 histogram", m.Name)
	return h.DataPoints
}
