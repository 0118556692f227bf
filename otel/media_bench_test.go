package otel_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// BenchmarkTracedImage compares a call carrying a 2 MB image through the
// bare mock with the same call through otel.Traced (real SDK tracer,
// discarding exporter): with content capture on, at the default budget (the
// image cannot fit: it is left out from its size, never encoded) and at a
// budget that holds it (base64-encoded once, into the attribute), and with
// capture off. The mock copies each request's bytes (its Requests), in
// every case alike.
func BenchmarkTracedImage(b *testing.B) {
	img := image(2<<20, 9)
	msgs := []prompt.Message{prompt.System("Describe images."), prompt.UserParts(prompt.Text("What is in this picture?"), prompt.ImageData(img, "image/png"))}
	run := func(b *testing.B, m *mock.Provider, p mirascope.Provider) {
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			m.Reset() // the mock keeps every request, 2 MB each
			if _, err := mirascope.Call(ctx, p, messagesPrompt{msgs: msgs}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("bare", func(b *testing.B) {
		m := mock.New(mock.Text(benchAnswer))
		run(b, m, m)
	})
	for _, bc := range []struct {
		name string
		opts []otel.Option
	}{
		{"traced", nil},
		{"traced-fits", []otel.Option{otel.WithMaxContentSize(4 << 20)}},
		{"traced-nocontent", []otel.Option{otel.WithContentCapture(false)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tp, _ := benchProviders(b)
			m := mock.New(mock.Text(benchAnswer))
			opts := append([]otel.Option{otel.WithTracerProvider(tp), otel.WithMeterProvider(noop.NewMeterProvider())}, bc.opts...)
			run(b, m, otel.Traced(m, opts...))
		})
	}
}
