package otelsetup

import (
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Option configures [Configure].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	processors    []sdktrace.SpanProcessor
	metricReaders []sdkmetric.Reader
	resource      *resource.Resource
	maxQueue      int
	maxBytes      int64
	drop          bool
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

// WithProcessors gives [Configure] the span processors to use, replacing its
// default (the exporter the environment names, or the console). Nil
// processors are ignored. What they drop is theirs to report: an SDK
// BatchSpanProcessor made without WithBlocking drops spans, silently, once
// its queue is full; one made with it makes every traced call wait, without
// bound, while a collector that stopped answering holds the queue full.
func WithProcessors(processors ...sdktrace.SpanProcessor) Option {
	return optionFunc(func(c *config) {
		for _, p := range processors {
			if p != nil {
				c.processors = append(c.processors, p)
			}
		}
	})
}

// WithMetricReaders gives [Configure] the metric readers to use, replacing
// its default (the exporter the environment names, or none). Nil readers
// are ignored.
func WithMetricReaders(readers ...sdkmetric.Reader) Option {
	return optionFunc(func(c *config) {
		for _, r := range readers {
			if r != nil {
				c.metricReaders = append(c.metricReaders, r)
			}
		}
	})
}

// WithResource sets attributes of the resource [Configure] describes the
// process with. They are merged over the defaults (OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, the SDK's own) and win over them.
func WithResource(r *resource.Resource) Option {
	return optionFunc(func(c *config) { c.resource = r })
}

// WithMaxQueueSize sets how many ended spans the default pipeline holds while
// they wait for export: [DefaultMaxQueueSize], or OTEL_BSP_MAX_QUEUE_SIZE
// when set. When that many wait, ending another span waits for room for at
// most [MaxEnqueueWait] (not at all with [WithDropOnFullQueue] or while
// exports are failing) and is then dropped, and counted. n <= 0 is ignored. It has no effect with
// [WithProcessors] or on the console exporter, which prints each span as it
// ends.
func WithMaxQueueSize(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxQueue = n
		}
	})
}

// WithMaxQueueBytes bounds the estimated size, in bytes, of the spans the
// default pipeline holds while they wait for export: [DefaultMaxQueueBytes]
// unless given. The estimate counts attribute keys and values, names and
// events; the heap the spans take is a small multiple of it. n <= 0 is
// ignored.
func WithMaxQueueBytes(n int64) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxBytes = n
		}
	})
}

// WithDropOnFullQueue makes the default pipeline drop a span that ends while
// its queue is full (by count or by bytes) at once, rather than wait up to
// [MaxEnqueueWait] for room: a traced call never waits on the collector, at
// the price of the spans a burst brings beyond the queue. Each drop is
// counted: the shutdown [Configure] returns reports them in a
// [*LostSpansError], and the metric otel.sdk.processor.span.processed with
// error.type "queue_full" carries the running count.
func WithDropOnFullQueue() Option {
	return optionFunc(func(c *config) { c.drop = true })
}
