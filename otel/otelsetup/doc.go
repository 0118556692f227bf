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
//
// # Nothing lost to a live collector, nothing silent, no stall
//
// The SDK's batch span processor, as it comes, drops every span that ends
// while 2,048 wait for export, and says nothing: a burst of 10,000 traced
// calls delivers about a quarter of them. Its blocking mode loses nothing,
// but once a collector stops answering every traced call waits for an
// export to time out (30 s). The pipeline Configure builds from the
// environment holds up to [DefaultMaxQueueSize] spans and
// [DefaultMaxQueueBytes] of them (estimated); when either is reached, the
// call ending a span waits for room for at most [MaxEnqueueWait], enough for
// a collector that keeps up to take a batch, so a burst slows down a little
// and every span arrives. While exports are failing, or one has run for a
// second, the wait is skipped: a dead collector costs a traced call nothing
// once detected and [MaxEnqueueWait] at most before. A span that finds no
// room in time is dropped. Exports are split so that no request exceeds
// about [DefaultMaxExportBytes], below the body limits collectors enforce. A
// program that prefers losing spans to any wait says so with
// [WithDropOnFullQueue]. Every drop is counted: in the metric
// otel.sdk.processor.span.processed (error.type "queue_full") and in the
// [*LostSpansError] shutdown returns, which also counts spans the collector
// refused and spans still queued when shutdown's context ended.
// OTEL_BSP_MAX_QUEUE_SIZE and OTEL_BSP_MAX_EXPORT_BATCH_SIZE are honoured.
package otelsetup

// scopeName is the instrumentation scope of the pipeline's own metrics.
const scopeName = "github.com/mirascope-go/mirascope/otel/otelsetup"
