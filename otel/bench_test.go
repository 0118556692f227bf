package otel_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// BenchBook is the benchmark's 5-field template prompt.
type BenchBook struct {
	Genre    string   `prompt:"genre"`
	Audience string   `prompt:"audience"`
	Count    int      `prompt:"count"`
	MinStars float64  `prompt:"min_stars"`
	Themes   []string `prompt:"themes"`
}

func (BenchBook) Template() string {
	return `SYSTEM: You are a librarian who recommends books.
USER: Recommend {count} {genre} books for {audience}, rated at least {min_stars} stars, about {themes:list}.`
}

var benchPrompt = BenchBook{Genre: "fantasy", Audience: "teenagers", Count: 3, MinStars: 4.5, Themes: []string{"dragons", "friendship"}}

const benchAnswer = "Try The Hobbit, Eragon and Seraphina: each has dragons and friends."

// discard is a span exporter that drops everything.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

func benchProviders(b *testing.B) (*sdktrace.TracerProvider, *sdkmetric.MeterProvider) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return tp, mp
}

func runCalls(b *testing.B, m *mock.Provider, p mirascope.Provider) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%4096 == 0 {
			m.Reset() // the mock keeps every request; keep memory flat
		}
		if _, err := mirascope.Call(ctx, p, benchPrompt, mirascope.WithMaxTokens(256), mirascope.WithTemperature(0.7)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTraced compares one call through the bare mock; through
// otel.Traced(mock) on a real SDK tracer provider (batch processor,
// discarding exporter) with the metrics going to a no-op meter provider;
// the same with content capture off; the same plus a real SDK meter provider
// (the three GenAI histograms); and the floor: the same span (name, kind,
// attribute values copied from a traced call) written by hand through the
// SDK tracer. The target is (traced - bare) <= 1.5 x handwritten.
func BenchmarkTraced(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		m := mock.New(mock.Text(benchAnswer))
		runCalls(b, m, m)
	})
	b.Run("traced", func(b *testing.B) {
		tp, _ := benchProviders(b)
		m := mock.New(mock.Text(benchAnswer))
		runCalls(b, m, otel.Traced(m, otel.WithTracerProvider(tp), otel.WithMeterProvider(noop.NewMeterProvider())))
	})
	b.Run("traced-nocontent", func(b *testing.B) {
		tp, _ := benchProviders(b)
		m := mock.New(mock.Text(benchAnswer))
		runCalls(b, m, otel.Traced(m, otel.WithTracerProvider(tp), otel.WithMeterProvider(noop.NewMeterProvider()), otel.WithContentCapture(false)))
	})
	b.Run("traced+metrics", func(b *testing.B) {
		tp, mp := benchProviders(b)
		m := mock.New(mock.Text(benchAnswer))
		runCalls(b, m, otel.Traced(m, otel.WithTracerProvider(tp), otel.WithMeterProvider(mp)))
	})
	b.Run("handwritten", func(b *testing.B) {
		name, kind, kvs := oneTracedSpan(b)
		tp, _ := benchProviders(b)
		tracer := tp.Tracer("bench")
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			_, span := tracer.Start(ctx, name, trace.WithSpanKind(kind), trace.WithAttributes(kvs...))
			span.End()
		}
	})
}

// oneTracedSpan records one traced call and returns what its span holds.
func oneTracedSpan(b *testing.B) (string, trace.SpanKind, []attribute.KeyValue) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	p := otel.Traced(mock.New(mock.Text(benchAnswer)), otel.WithTracerProvider(tp))
	if _, err := mirascope.Call(context.Background(), p, benchPrompt, mirascope.WithMaxTokens(256), mirascope.WithTemperature(0.7)); err != nil {
		b.Fatal(err)
	}
	s := exp.GetSpans()[0]
	return s.Name, s.SpanKind, s.Attributes
}
