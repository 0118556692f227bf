package otelsetup_test

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/mirascope-go/mirascope/otel/otelsetup"
)

// BenchmarkBurst sends 10,000 traced calls from 50 goroutines through
// Configure to a local OTLP/HTTP receiver, once per pipeline, and reports
// what arrived, the calls' latency and the heap's peak during the burst; then
// 3,000 calls whose prompts carry 64 KiB, where the queue's size is the
// heap's.
// "sdk-default" is the SDK's own batch processor as Configure once used it:
// a 2,048-span queue that drops silently.
//
//	go test ./otel/otelsetup -run '^$' -bench Burst -benchtime 1x
func BenchmarkBurst(b *testing.B) {
	const g = 50
	cases := []struct {
		name string
		n    int
		big  int // bytes of each prompt's field value
		opts func(endpoint string) []otelsetup.Option
	}{
		{"sdk-default", 10_000, 0, func(endpoint string) []otelsetup.Option {
			exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(endpoint))
			if err != nil {
				b.Fatal(err)
			}
			return []otelsetup.Option{otelsetup.WithProcessors(sdktrace.NewBatchSpanProcessor(exp))}
		}},
		{"queue=2048", 10_000, 0, func(string) []otelsetup.Option {
			return []otelsetup.Option{otelsetup.WithMaxQueueSize(2048)}
		}},
		{"default(16384,64MiB)", 10_000, 0, func(string) []otelsetup.Option { return nil }},
		{"queue=32768", 10_000, 0, func(string) []otelsetup.Option {
			return []otelsetup.Option{otelsetup.WithMaxQueueSize(32768)}
		}},
		{"drop(16384,64MiB)", 10_000, 0, func(string) []otelsetup.Option {
			return []otelsetup.Option{otelsetup.WithDropOnFullQueue()}
		}},
		{"64KiB-prompts/default(16384,64MiB)", 3_000, 64 << 10, func(string) []otelsetup.Option { return nil }},
		{"64KiB-prompts/16384,no-byte-bound", 3_000, 64 << 10, func(string) []otelsetup.Option {
			return []otelsetup.Option{otelsetup.WithMaxQueueBytes(1 << 40)}
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				r := newReceiver(b, false)
				otlpEnv(b, r.URL)
				shutdown, err := otelsetup.Configure(c.opts(r.URL + "/v1/traces")...)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				peak, stop := heapPeak()
				start := time.Now()
				n := c.n
				lat := burstOf(b, n, g, strings.Repeat("x", c.big))
				wall := time.Since(start)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				sstart := time.Now()
				serr := shutdown(ctx)
				cancel()
				stop()
				slices.Sort(lat)
				b.ReportMetric(float64(r.spans.Load()), "delivered")
				b.ReportMetric(float64(lat[n/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[n*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(lat[n-1].Milliseconds()), "max-ms")
				b.ReportMetric(float64(wall.Milliseconds()), "burst-ms")
				b.ReportMetric(float64(time.Since(sstart).Milliseconds()), "shutdown-ms")
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak-live-heap-MiB")
				if serr != nil {
					b.Log(serr)
				}
			}
		})
	}
}

// BenchmarkDeadCollector fills the default queue through Configure towards
// a collector that accepts connections and never answers, over OTLP/HTTP and
// gRPC (a burst of DefaultMaxQueueSize+2,000 calls from 50 goroutines), then
// makes 50 traced calls at once, each under a 200ms context, and shuts down
// under 500ms. It reports the worst time any call of the burst and of the 50
// took, the spans dropped, and how long shutdown took.
//
//	go test ./otel/otelsetup -run '^$' -bench DeadCollector -benchtime 1x
func BenchmarkDeadCollector(b *testing.B) {
	for _, proto := range []string{"http/protobuf", "grpc"} {
		b.Run(strings.ReplaceAll(proto, "/", "-"), func(b *testing.B) {
			for b.Loop() {
				deadCollector(b, proto)
				shutdown, err := otelsetup.Configure()
				if err != nil {
					b.Fatal(err)
				}
				fill := burst(b, otelsetup.DefaultMaxQueueSize+2000, 50)
				lat := deadline(b, 50, 200*time.Millisecond)
				ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
				start := time.Now()
				err = shutdown(ctx)
				cancel()
				var lost *otelsetup.LostSpansError
				if !errors.As(err, &lost) {
					b.Fatalf("shutdown: %v", err)
				}
				b.ReportMetric(float64(slices.Max(fill).Microseconds())/1000, "burst-worst-ms")
				b.ReportMetric(float64(slices.Max(lat).Microseconds())/1000, "call200ms-worst-ms")
				b.ReportMetric(float64(lost.Dropped), "dropped")
				b.ReportMetric(float64(lost.Ended), "ended")
				b.ReportMetric(float64(time.Since(start).Milliseconds()), "shutdown-ms")
			}
		})
	}
}

// heapPeak samples the heap marked live by the latest GC every millisecond
// until stop is called.
func heapPeak() (*atomic.Uint64, func()) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return &peak, func() { close(done); <-finished }
}
