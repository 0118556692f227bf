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
// [WithMaxQueueSize] says otherwise. It takes a burst of 10,000 spans whole
// even if the collector takes none of it meanwhile, since waiting for room
// is bounded by [MaxEnqueueWait]; [DefaultMaxQueueBytes] bounds the memory.
const DefaultMaxQueueSize = 16384

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

// MaxEnqueueWait is the longest a traced call waits for room in the default
// pipeline's queue when it is full. A collector that keeps up empties the
// queue faster than that; past it the span is dropped and counted, so that a
// slow or dead collector costs a call at most this much. While exports are
// failing, or one has run for longer than a second, a span that finds the
// queue full is dropped at once: waiting would not make room.
const MaxEnqueueWait = 50 * time.Millisecond

// stallAfter is how long an export may run before the pipeline treats the
// collector as stalled; a live collector answers a batch in milliseconds.
const stallAfter = time.Second

// pipeline is the default span pipeline: an SDK batch span processor over
// the environment's exporter, bounded by count and by bytes, with every span
// accounted for. A span that ends is accepted into the queue or, with no room
// in time, dropped; an accepted span is later exported, failed (the exporter
// returned an error for its batch), or still pending when shutdown returns.
type pipeline struct {
	sdktrace.SpanProcessor // the batch processor

	maxBytes    int64
	drop        bool
	maxWait     time.Duration       // MaxEnqueueWait, but in tests
	stallAfter  time.Duration       // stallAfter, but in tests
	slots       *semaphore.Weighted // spans queued, bounded by the queue size
	bytes       *semaphore.Weighted // estimated bytes of the spans queued
	flushing    atomic.Bool         // a flush for room is under way
	flushWanted atomic.Bool         // a flush was asked for since the running one began

	failing     atomic.Bool  // the latest export request failed
	exportStart atomic.Int64 // when the running export request started (UnixNano), or 0

	queued   atomic.Int64 // accepted, not yet exported or failed
	accepted atomic.Int64
	dropped  atomic.Int64
	exported atomic.Int64
	failed   atomic.Int64
}

// newPipeline wraps exp in a batch span processor. When the queue is full,
// the caller ending a span waits for room, at most [MaxEnqueueWait] and not
// at all while exports are failing; with drop, not at all. A span that finds
// no room is dropped, and counted.
func newPipeline(exp sdktrace.SpanExporter, maxQueue int, maxBytes int64, drop bool) *pipeline {
	p := &pipeline{
		maxBytes:   maxBytes,
		drop:       drop,
		maxWait:    MaxEnqueueWait,
		stallAfter: stallAfter,
		slots:      semaphore.NewWeighted(int64(maxQueue)),
		bytes:      semaphore.NewWeighted(maxBytes),
	}
	// A batch larger than the queue would only leave on the timer: the
	// queued count includes the batch being filled.
	batch := min(envInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", sdktrace.DefaultMaxExportBatchSize), maxQueue)
	p.SpanProcessor = sdktrace.NewBatchSpanProcessor(
		&splitExporter{next: exp, maxBytes: DefaultMaxExportBytes, p: p},
		// slots keeps at most maxQueue spans in the processor's channel;
		// the spare room is for ForceFlush's markers, which share it.
		sdktrace.WithMaxQueueSize(maxQueue+flushRoom),
		sdktrace.WithMaxExportBatchSize(batch),
		// So the channel never fills, blocking never waits; it is the
		// safety net that keeps a span from being dropped uncounted.
		sdktrace.WithBlocking(),
	)
	return p
}

// flushRoom is the room left in the processor's channel for ForceFlush's
// markers beyond the queue's spans.
const flushRoom = 64

// weight is what a span counts against the byte bound; a span larger than
// the whole bound counts as the bound, so it waits for an empty queue rather
// than forever.
func (p *pipeline) weight(s sdktrace.ReadOnlySpan) int64 {
	return min(int64(spanSize(s)), p.maxBytes)
}

// OnEnd accepts a sampled span if there is room for it by count and by
// bytes, or comes in time ([MaxEnqueueWait]); otherwise it counts the span
// dropped. Unsampled spans are not exported, as the batch processor itself
// skips them.
func (p *pipeline) OnEnd(s sdktrace.ReadOnlySpan) {
	if !s.SpanContext().IsSampled() {
		return
	}
	if !p.admit(p.weight(s)) {
		p.dropped.Add(1)
		return
	}
	p.queued.Add(1)
	p.accepted.Add(1)
	p.SpanProcessor.OnEnd(s)
}

// admit takes a slot and w bytes: at once when there is room; otherwise,
// unless dropping or stalled, waiting until MaxEnqueueWait after the call
// at the latest. It reports whether it holds both.
func (p *pipeline) admit(w int64) bool {
	var (
		ctx    context.Context
		cancel context.CancelFunc
	)
	defer func() {
		if cancel != nil {
			cancel()
		}
	}()
	take := func(sem *semaphore.Weighted, n int64) bool {
		if sem.TryAcquire(n) {
			return true
		}
		if p.drop || p.stalled() {
			return false
		}
		if ctx == nil {
			ctx, cancel = context.WithTimeout(context.Background(), p.maxWait)
		}
		p.flush()
		return sem.Acquire(ctx, n) == nil
	}
	if !take(p.slots, 1) {
		return false
	}
	if !take(p.bytes, w) {
		p.slots.Release(1)
		return false
	}
	return true
}

// stalled reports whether waiting for room is pointless: the latest export
// failed (the collector refused it or did not answer in time) and none has
// succeeded since, or the running one has taken longer than stallAfter.
func (p *pipeline) stalled() bool {
	if p.failing.Load() {
		return true
	}
	start := p.exportStart.Load()
	return start != 0 && time.Since(time.Unix(0, start)) > p.stallAfter
}

// flush starts exporting the processor's current batch: the spans holding
// the room a caller waits for may sit in a batch that is neither full nor
// due. A flush asked for while one runs is run after it, so that the spans
// that ended meanwhile are sent too.
func (p *pipeline) flush() {
	p.flushWanted.Store(true)
	if !p.flushing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		for {
			p.flushWanted.Store(false)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			_ = p.SpanProcessor.ForceFlush(ctx) // an export error is the processor's to report
			cancel()
			p.flushing.Store(false)
			if !p.flushWanted.Load() || !p.flushing.CompareAndSwap(false, true) {
				return
			}
		}
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
	p.failing.Store(err != nil)
	p.queued.Add(-int64(len(spans)))
	p.bytes.Release(w)
	p.slots.Release(int64(len(spans)))
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
// because the queue was full (and stayed so for [MaxEnqueueWait], or exports
// were failing, or [WithDropOnFullQueue] was given), the exporter failed to
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
		e.p.exportStart.Store(time.Now().UnixNano())
		err := e.next.ExportSpans(ctx, spans[:n])
		e.p.exportStart.Store(0)

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
