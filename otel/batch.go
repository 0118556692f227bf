package otel

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
)

// StartBatch starts the span of a batch submission: "batch {PromptType}"
// ("batch" when the type has no name), kind CLIENT, with the provider's
// name, the request count and, once the service gave it, the job id.
// batch.Submit calls it: with BatchResult, it makes the traced provider a
// providerkit.BatchObserver (asserted in the tests, so that otel need not
// import providerkit).
func (t *tracedProvider) StartBatch(ctx context.Context, promptType string, n int) (context.Context, func(id string, err error)) {
	tracer := t.tracer
	if tracer == nil {
		tracer = globalTracer()
	}
	name := "batch"
	if promptType != "" {
		name += " " + validString(promptType)
	}
	info := t.inner.Info()
	attrs := []attribute.KeyValue{keyProviderName.String(validString(info.Name)), KeyBatchSize.Int(n)}
	attrs = targetAttrs(attrs, info, validString(info.Model))
	ctx, span := tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx, func(id string, err error) {
		if id != "" {
			span.SetAttributes(KeyBatchID.String(validString(id)))
		}
		if err != nil {
			recordError(span, err, nil)
		}
		span.End()
	}
}

// BatchResult records one result of batch job id, as batch.Job.Results
// reads it: a chat span, a child of ctx, carrying the response's attributes
// (usage, and with content capture on its output) or the request's error,
// linked to the submission's span when submitted holds it, and the token
// metrics. The job keeps no requests, so the span has none of the
// request's attributes, and no duration is recorded: the span lasts the
// reading, not the service's work.
func (t *tracedProvider) BatchResult(ctx, submitted context.Context, id string, resp *mirascope.Response, err error) {
	c := t.newCall(ctx, &mirascope.Request{}, false)
	c.noDuration = true
	c.startKVs = append(c.startKVs, KeyBatchID.String(validString(id)))
	c.used++
	if submitted != nil {
		if sc := trace.SpanContextFromContext(submitted); sc.IsValid() {
			c.link = trace.Link{SpanContext: sc}
		}
	}
	c.begin(ctx)
	if err != nil {
		resp = nil
	}
	c.end(resp, err, false)
}
