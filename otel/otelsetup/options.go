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
// its queue is full.
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
