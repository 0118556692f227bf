package otelsetup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Configure builds an SDK tracer provider and meter provider, installs them
// (and the W3C trace-context and baggage propagators) globally, and returns
// the function that flushes and stops them; call it before the program
// exits, with a context that bounds how long it may wait.
//
// Spans go to the processors given with [WithProcessors]; without them, to
// the exporter the standard environment names (OTEL_TRACES_EXPORTER,
// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_*, read by
// go.opentelemetry.io/contrib/exporters/autoexport), or, when none of those is
// set, to stdout as indented JSON, one span as it ends. Metrics go to the
// readers given with [WithMetricReaders], or to the exporter the environment
// names (OTEL_METRICS_EXPORTER, OTEL_EXPORTER_OTLP_*), or nowhere.
//
// The pipeline built from the environment holds spans in a queue of at most
// [DefaultMaxQueueSize] spans and [DefaultMaxQueueBytes] (see
// [WithMaxQueueSize], [WithMaxQueueBytes]) and exports them in batches of at
// most 512 spans (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) and about
// [DefaultMaxExportBytes]. When the queue is full, ending a span waits for
// room for at most [MaxEnqueueWait], and not at all while exports are
// failing: a collector that keeps up receives a whole burst, and one that is
// slow or dead costs a traced call at most that wait. A span that finds no
// room in time is dropped; [WithDropOnFullQueue] drops without waiting.
// Whatever did not reach the collector — dropped, refused by it, or still
// queued when shutdown's context ended — is reported by shutdown as a
// [*LostSpansError].
//
// The resource is the SDK's default (OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, telemetry.sdk.*) with [WithResource]'s attributes
// over it.
//
// The returned shutdown runs once, under the first call's context. Every
// call, including concurrent ones, returns when that work is done or when its
// own context ends, whichever is first, even if a collector never answers;
// a call cut short returns an error that wraps its context's error and
// includes the spans lost so far. The exports the work started go on in the
// background until their own timeouts. Calls after the work ended return its
// result.
func Configure(opts ...Option) (shutdown func(context.Context) error, err error) {
	cfg := newConfig(opts)
	ctx := context.Background()

	res, err := buildResource(ctx, cfg.resource)
	if err != nil {
		return nil, err
	}

	// own is the processor Configure built itself: if a later step fails,
	// it is shut down rather than left running (an OTLP exporter's batch
	// goroutine and connection).
	var (
		own  sdktrace.SpanProcessor
		pipe *pipeline
	)
	tpOpts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if len(cfg.processors) > 0 {
		for _, p := range cfg.processors {
			tpOpts = append(tpOpts, sdktrace.WithSpanProcessor(p))
		}
	} else {
		p, err := defaultProcessor(ctx, cfg)
		if err != nil {
			return nil, err
		}
		own = p
		pipe, _ = p.(*pipeline)
		tpOpts = append(tpOpts, sdktrace.WithSpanProcessor(p))
	}
	release := func(err error) error {
		if own != nil {
			err = errors.Join(err, own.Shutdown(ctx))
		}
		return err
	}

	mpOpts := []sdkmetric.Option{sdkmetric.WithResource(res)}
	readers := cfg.metricReaders
	if len(readers) == 0 && metricsFromEnv() {
		r, err := autoexport.NewMetricReader(ctx)
		if err != nil {
			return nil, release(errors.Join(errors.New("mirascope/otelsetup: metric exporter from the environment"), err))
		}
		readers = append(readers, r)
	}
	for _, r := range readers {
		mpOpts = append(mpOpts, sdkmetric.WithReader(r))
	}

	tp := sdktrace.NewTracerProvider(tpOpts...)
	mp := sdkmetric.NewMeterProvider(mpOpts...)
	if pipe != nil {
		if err := pipe.observe(mp); err != nil {
			return nil, release(errors.Join(err, mp.Shutdown(ctx)))
		}
	}
	otelapi.SetTracerProvider(tp)
	otelapi.SetMeterProvider(mp)
	otelapi.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	return (&stopper{tp: tp, mp: mp, pipe: pipe, done: make(chan struct{})}).shutdown, nil
}

// stopper is the shutdown Configure returns. The first call shuts tp and then
// mp down under its own context; every call, the first or a concurrent or
// later one, returns when that work is done or when its own context ends,
// whichever is first: the SDK's own shutdowns honour their context, but an
// exporter's might not, and a program's exit must not wait on a collector.
type stopper struct {
	tp   *sdktrace.TracerProvider
	mp   *sdkmetric.MeterProvider
	pipe *pipeline

	start  sync.Once
	settle sync.Once
	done   chan struct{} // closed once result is set
	result error
}

func (s *stopper) shutdown(ctx context.Context) error {
	first := false
	s.start.Do(func() {
		first = true
		go func() { s.finish(errors.Join(s.tp.Shutdown(ctx), s.mp.Shutdown(ctx))) }()
	})
	select {
	case <-s.done:
		return s.result
	case <-ctx.Done():
	}
	err := fmt.Errorf("mirascope/otelsetup: shutdown unfinished when its context ended: %w", ctx.Err())
	if first {
		// The work ran under this context: its end is the work's outcome,
		// and what later calls return.
		s.finish(err)
		return s.result
	}
	if s.pipe != nil {
		err = errors.Join(err, s.pipe.lost())
	}
	return err
}

// finish records the outcome of the shutdown, with the pipeline's losses
// counted now, unless one is recorded already.
func (s *stopper) finish(err error) {
	s.settle.Do(func() {
		if s.pipe != nil {
			err = errors.Join(err, s.pipe.lost())
		}
		s.result = err
		close(s.done)
	})
}

// buildResource lays the user's resource over the environment's
// (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) and the SDK's. It detects
// afresh rather than use resource.Default, which is computed once per process.
// Two resources with different schema URLs cannot be merged; the user's
// attributes then still win, under the detected schema URL.
func buildResource(ctx context.Context, user *resource.Resource) (*resource.Resource, error) {
	base, err := resource.New(ctx, resource.WithService(), resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		if base == nil {
			return nil, err
		}
		otelapi.Handle(err) // a partial resource, e.g. a malformed OTEL_RESOURCE_ATTRIBUTES entry
	}
	if user == nil {
		return base, nil
	}
	merged, err := resource.Merge(base, user)
	if err == nil {
		return merged, nil
	}
	if !errors.Is(err, resource.ErrSchemaURLConflict) {
		return nil, err
	}
	return resource.NewWithAttributes(base.SchemaURL(), merged.Attributes()...), nil
}

// defaultProcessor exports where the environment says, or to the console.
func defaultProcessor(ctx context.Context, cfg *config) (sdktrace.SpanProcessor, error) {
	if !tracesFromEnv() {
		return consoleProcessor()
	}
	exp, err := autoexport.NewSpanExporter(ctx)
	if err != nil {
		return nil, errors.Join(errors.New("mirascope/otelsetup: span exporter from the environment"), err)
	}
	size := cfg.maxQueue
	if size == 0 {
		size = envInt("OTEL_BSP_MAX_QUEUE_SIZE", DefaultMaxQueueSize)
	}
	maxBytes := cfg.maxBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxQueueBytes
	}
	return newPipeline(exp, size, maxBytes, cfg.drop), nil
}

// consoleProcessor prints each span as it ends, as the seed's console
// exporter does, so a short program shows its spans without waiting for a
// batch.
func consoleProcessor() (sdktrace.SpanProcessor, error) {
	exp, err := stdouttrace.New(stdouttrace.WithPrettyPrint(), stdouttrace.WithWriter(os.Stdout))
	if err != nil {
		return nil, err
	}
	return sdktrace.NewSimpleSpanProcessor(exp), nil
}

// tracesFromEnv reports whether the environment names a span exporter or an
// OTLP endpoint; autoexport itself would default to OTLP on localhost, which
// on a developer's machine prints nothing and fails quietly.
func tracesFromEnv() bool {
	return anyEnv("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
}

func metricsFromEnv() bool {
	return anyEnv("OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
}

func anyEnv(keys ...string) bool {
	for _, k := range keys {
		if os.Getenv(k) != "" {
			return true
		}
	}
	return false
}
