package otelsetup

import (
	"context"
	"errors"
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
// (and the W3C trace-context propagator) globally, and returns the function
// that flushes and stops them; call it before the program exits.
//
// Spans go to the processors given with [WithProcessors]; without them, to the
// exporter the standard environment names (OTEL_TRACES_EXPORTER,
// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_*, read by
// go.opentelemetry.io/contrib/exporters/autoexport), or, when none of those is
// set, to stdout as indented JSON, one span as it ends. Metrics go to the
// readers given with [WithMetricReaders], or to the exporter the environment
// names (OTEL_METRICS_EXPORTER, OTEL_EXPORTER_OTLP_*), or nowhere.
//
// The resource is the SDK's default (OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, telemetry.sdk.*) with [WithResource]'s attributes
// over it.
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
	var own sdktrace.SpanProcessor
	tpOpts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if len(cfg.processors) > 0 {
		for _, p := range cfg.processors {
			tpOpts = append(tpOpts, sdktrace.WithSpanProcessor(p))
		}
	} else {
		p, err := defaultProcessor(ctx)
		if err != nil {
			return nil, err
		}
		own = p
		tpOpts = append(tpOpts, sdktrace.WithSpanProcessor(p))
	}

	mpOpts := []sdkmetric.Option{sdkmetric.WithResource(res)}
	readers := cfg.metricReaders
	if len(readers) == 0 && metricsFromEnv() {
		r, err := autoexport.NewMetricReader(ctx)
		if err != nil {
			err = errors.Join(errors.New("mirascope/otelsetup: metric exporter from the environment"), err)
			if own != nil {
				err = errors.Join(err, own.Shutdown(ctx))
			}
			return nil, err
		}
		readers = append(readers, r)
	}
	for _, r := range readers {
		mpOpts = append(mpOpts, sdkmetric.WithReader(r))
	}

	tp := sdktrace.NewTracerProvider(tpOpts...)
	mp := sdkmetric.NewMeterProvider(mpOpts...)
	otelapi.SetTracerProvider(tp)
	otelapi.SetMeterProvider(mp)
	otelapi.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	// Shutdown runs once; later calls return the first result, so an
	// explicit shutdown followed by a deferred one is not an error.
	var (
		once    sync.Once
		stopErr error
	)
	return func(ctx context.Context) error {
		once.Do(func() { stopErr = errors.Join(tp.Shutdown(ctx), mp.Shutdown(ctx)) })
		return stopErr
	}, nil
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
func defaultProcessor(ctx context.Context) (sdktrace.SpanProcessor, error) {
	if !tracesFromEnv() {
		return consoleProcessor()
	}
	exp, err := autoexport.NewSpanExporter(ctx)
	if err != nil {
		return nil, errors.Join(errors.New("mirascope/otelsetup: span exporter from the environment"), err)
	}
	return sdktrace.NewBatchSpanProcessor(exp), nil
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
