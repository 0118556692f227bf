package otelsetup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"golang.org/x/sync/semaphore"
)

// DefaultMaxQueueSize is how many ended spans the default pipeline holds
// while they wait for export, unless OTEL_BSP_MAX_QUEUE_SIZE or
// [WithMaxQueueSize] says otherwise.
const DefaultMaxQueueSize = 8192

// DefaultMaxQueueBytes bounds the estimated size of the spans the default
// pipeline holds while they wait for export, so that spans carrying large
// prompts cannot fill memory before the queue is full. See
// [WithMaxQueueBytes].
const DefaultMaxQueueBytes = 64 << 20

// DefaultMaxExportBytes bounds the estimated size of one export request.
// Collectors refuse larger bodies: an OpenTelemetry Collector's gRPC receiver
// takes 4 MiB by default, its HTTP receiver 20 MiB; a batch of 512 spans
// carrying 64 KiB prompts would be 100 MiB.
const DefaultMaxExportBytes = 3 << 20

// pipeline is the default span pipeline: an SDK batch span processor over
// the environment's exporter, bounded by count and by bytes, with every span
// accounted for. A span that ends is accepted into the queue or, in drop mode
// with the queue full, dropped; an accepted span is later exported, failed
// (the exporter returned an error for its batch), or still pending when
// shutdown returns.
type pipeline struct {
	sdktrace.SpanProcessor // the batch processor

	maxQueue int64
	maxBytes int64
	drop     bool
	bytes    *semaphore.Weighted // estimated bytes of the spans queued
	flushing atomic.Bool         // a flush for bytes is under way

	queued   atomic.Int64 // accepted, not yet exported or failed
	accepted atomic.Int64
	dropped  atomic.Int64
	exported atomic.Int64
	failed   atomic.Int64
}

// newPipeline wraps exp in a batch span processor that, by default, makes the
// caller ending a span wait for room when the queue is full (back-pressure:
// nothing is lost while the collector keeps up at all); with drop, it drops
// the span instead, and counts it.
func newPipeline(exp sdktrace.SpanExporter, maxQueue int, maxBytes int64, drop bool) *pipeline {
	p := &pipeline{maxQueue: int64(maxQueue), maxBytes: maxBytes, drop: drop, bytes: semaphore.NewWeighted(maxBytes)}
	// A batch larger than the queue would only leave on the timer: the
	// queued count includes the batch being filled.
	batch := min(envInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", sdktrace.DefaultMaxExportBatchSize), maxQueue)
	p.SpanProcessor = sdktrace.NewBatchSpanProcessor(
		&splitExporter{next: exp, maxBytes: DefaultMaxExportBytes, p: p},
		sdktrace.WithMaxQueueSize(maxQueue),
		sdktrace.WithMaxExportBatchSize(batch),
		// In drop mode the count in queued keeps the queue from filling,
		// so blocking never waits there; it is the safety net that keeps a
		// span from being dropped uncounted.
		sdktrace.WithBlocking(),
	)
	return p
}

// weight is what a span counts against the byte bound; a span larger than
// the whole bound counts as the bound, so it waits for an empty queue rather
// than forever.
func (p *pipeline) weight(s sdktrace.ReadOnlySpan) int64 {
	return min(int64(spanSize(s)), p.maxBytes)
}

// OnEnd accepts a sampled span, waiting for room by count and by bytes, or in
// drop mode counts it dropped when there is none. Unsampled spans are not
// exported, as the batch processor itself skips them.
func (p *pipeline) OnEnd(s sdktrace.ReadOnlySpan) {
	if !s.SpanContext().IsSampled() {
		return
	}
	w := p.weight(s)
	if !p.bytes.TryAcquire(w) {
		if p.drop {
			p.dropped.Add(1)
			return
		}
		p.waitFor(w)
	}
	if n := p.queued.Add(1); p.drop && n > p.maxQueue {
		p.queued.Add(-1)
		p.bytes.Release(w)
		p.dropped.Add(1)
		return
	}
	p.accepted.Add(1)
	p.SpanProcessor.OnEnd(s)
}

// waitFor waits until w bytes are free. The batch waiting in the processor
// may hold them: it is sent now, rather than when it reaches its count or its
// timer, and again after each short wait, as other spans join it.
func (p *pipeline) waitFor(w int64) {
	for {
		p.flush()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err := p.bytes.Acquire(ctx, w)
		cancel()
		if err == nil {
			return
		}
	}
}

// flush starts exporting the processor's current batch, unless a flush is
// already under way.
func (p *pipeline) flush() {
	if !p.flushing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer p.flushing.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = p.SpanProcessor.ForceFlush(ctx) // an export error is the processor's to report
	}()
}

// done records the outcome of one export request.
func (p *pipeline) done(spans []sdktrace.ReadOnlySpan, err error) {
	var w int64
	for _, s := range spans {
		w += p.weight(s)
	}
	if err != nil {
		p.failed.Add(int64(len(spans)))
	} else {
		p.exported.Add(int64(len(spans)))
	}
	p.queued.Add(-int64(len(spans)))
	p.bytes.Release(w)
}

// lost reports, once the processor has shut down (or shutdown gave up), the
// spans that did not reach the exporter successfully, or nil.
func (p *pipeline) lost() error {
	e := &LostSpansError{
		Ended:   p.accepted.Load() + p.dropped.Load(),
		Dropped: p.dropped.Load(),
		Failed:  p.failed.Load(),
		Pending: p.queued.Load(),
	}
	if e.Dropped+e.Failed+e.Pending == 0 {
		return nil
	}
	return e
}

// observe registers the pipeline's counts as the OpenTelemetry SDK's own
// self-observability metric, otel.sdk.processor.span.processed: spans handed
// to the exporter, and, with error.type=queue_full, spans dropped.
func (p *pipeline) observe(mp metric.MeterProvider) error {
	m := mp.Meter(scopeName)
	processed, err := m.Int64ObservableCounter("otel.sdk.processor.span.processed",
		metric.WithUnit("{span}"),
		metric.WithDescription("The number of spans for which processing has finished, successful or not."))
	if err != nil {
		return err
	}
	component := attribute.String("otel.component.type", "batching_span_processor")
	ok := metric.WithAttributeSet(attribute.NewSet(component))
	full := metric.WithAttributeSet(attribute.NewSet(component, attribute.String("error.type", "queue_full")))
	_, err = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		o.ObserveInt64(processed, p.exported.Load()+p.failed.Load(), ok)
		o.ObserveInt64(processed, p.dropped.Load(), full)
		return nil
	}, processed)
	return err
}

// LostSpansError is returned by the shutdown [Configure] returns when its
// default pipeline did not deliver every span that ended: some were dropped
// from a full queue (only with [WithDropOnFullQueue]), the exporter failed to
// send some (the collector refused them or did not answer in time), or some
// were still waiting when shutdown's context ended.
type LostSpansError struct {
	Ended   int64 // sampled spans that ended
	Dropped int64 // dropped because the queue was full
	Failed  int64 // the exporter returned an error for their batch
	Pending int64 // not yet exported when shutdown returned
}

func (e *LostSpansError) Error() string {
	var parts []string
	if e.Dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d dropped from a full queue", e.Dropped))
	}
	if e.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed to export", e.Failed))
	}
	if e.Pending > 0 {
		parts = append(parts, fmt.Sprintf("%d not exported before shutdown's context ended", e.Pending))
	}
	return fmt.Sprintf("mirascope/otelsetup: %d of %d spans lost: %s",
		e.Dropped+e.Failed+e.Pending, e.Ended, strings.Join(parts, ", "))
}

// splitExporter sends a batch in as many requests as keep each under
// maxBytes (estimated), and counts what each request delivered.
type splitExporter struct {
	next     sdktrace.SpanExporter
	maxBytes int
	p        *pipeline
}

func (e *splitExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	var errs error
	for len(spans) > 0 {
		n, size := 0, 0
		for n < len(spans) {
			s := spanSize(spans[n])
			if n > 0 && size+s > e.maxBytes {
				break
			}
			size += s
			n++
		}
		err := e.next.ExportSpans(ctx, spans[:n])
		e.p.done(spans[:n], err)
		errs = errors.Join(errs, err)
		spans = spans[n:]
	}
	return errs
}

func (e *splitExporter) Shutdown(ctx context.Context) error { return e.next.Shutdown(ctx) }

// spanSize over-estimates a span's size in an OTLP protobuf body: its
// strings, plus a generous allowance per field for ids, tags and lengths.
func spanSize(s sdktrace.ReadOnlySpan) int {
	n := 128 + len(s.Name()) + len(s.Status().Description) + attrsSize(s.Attributes())
	for _, ev := range s.Events() {
		n += 32 + len(ev.Name) + attrsSize(ev.Attributes)
	}
	for _, l := range s.Links() {
		n += 64 + attrsSize(l.Attributes)
	}
	return n
}

func attrsSize(kvs []attribute.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		n += 16 + len(kv.Key)
		switch v := kv.Value; v.Type() {
		case attribute.STRING:
			n += len(v.AsString())
		case attribute.STRINGSLICE:
			for _, s := range v.AsStringSlice() {
				n += 8 + len(s)
			}
		case attribute.BOOLSLICE:
			n += 2 * len(v.AsBoolSlice())
		case attribute.INT64SLICE:
			n += 11 * len(v.AsInt64Slice())
		case attribute.FLOAT64SLICE:
			n += 11 * len(v.AsFloat64Slice())
		default:
			n += 11
		}
	}
	return n
}

// envInt reads one of the standard OTEL_BSP_* variables: a positive
// integer, or def.
func envInt(key string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(os.Getenv(key)))
	if err != nil || n <= 0 {
		return def
	}
	return n
}
