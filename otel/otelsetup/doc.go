// Package otelsetup builds an OpenTelemetry SDK pipeline for programs that
// have none of their own: tracer and meter providers, exporters chosen by the
// standard OTEL_* environment (as go.opentelemetry.io/contrib/exporters/autoexport
// reads it), or the console. It is separate from package
// [github.com/mirascope-go/mirascope/otel] so that a service that already
// configures OpenTelemetry imports the instrumentation alone, without the
// SDK, the exporters, gRPC or Prometheus.
//
//	shutdown, err := otelsetup.Configure()
//	if err != nil {
//		return err
//	}
//	defer func() {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		_ = shutdown(ctx) // flushes every span and metric, within 5 seconds
//	}()
//	provider := otel.Traced(openai.New("gpt-4o-mini"))
//
// # Configure
//
// [Configure] builds an SDK tracer provider and meter provider and installs
// them globally, with the W3C trace-context and baggage propagators. With no
// [WithProcessors] it reads the standard environment (OTEL_TRACES_EXPORTER,
// OTEL_METRICS_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_*),
// and when none of those is set it prints each finished span to stdout as
// indented JSON. OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and
// [WithResource] describe the process. The returned shutdown flushes, and
// returns when its context ends even if the collector does not answer.
package otelsetup
