package otel

import (
	"os"
	"strings"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
)

// DefaultMaxContentSize is the default budget, in bytes, for all the
// content one span captures together. See [WithMaxContentSize].
const DefaultMaxContentSize = 128 << 10

// envCaptureContent is the GenAI instrumentations' standard switch for
// content capture.
const envCaptureContent = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"

// Option configures [Traced].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	capture        *bool
	spanName       func(mirascope.ProviderInfo, *mirascope.Request) string
	legacy         bool
	maxContent     int
}

func newConfig(opts []Option) *config {
	c := &config{maxContent: DefaultMaxContentSize}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

// captureContent resolves content capture: an explicit option wins, then the
// environment, then the default (on).
func (c *config) captureContent() bool {
	if c.capture != nil {
		return *c.capture
	}
	return captureFromEnv(os.Getenv(envCaptureContent))
}

// captureFromEnv reads OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT:
// "false" and "NO_CONTENT" (any case) turn capture off; anything else,
// including unset, leaves it on.
func captureFromEnv(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "no_content", "0":
		return false
	}
	return true
}

// WithTracerProvider sets the tracer provider [Traced] records spans with.
// Default: the global one at each call, so a pipeline set up after Traced
// (by otelsetup.Configure, say) is used.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracerProvider = tp })
}

// WithMeterProvider sets the meter provider [Traced] records metrics with.
// Default: the global one at each call.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}

// WithContentCapture turns recording of content — prompt field values and
// the input and output messages — on or off for [Traced]. It is on by
// default; OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false or
// NO_CONTENT turns it off, and this option, when given, wins over the
// environment.
func WithContentCapture(on bool) Option {
	return optionFunc(func(c *config) { c.capture = &on })
}

// WithSpanNameFormatter chooses each span's name for [Traced]. The default
// names a span after the prompt's type (RecommendBook), or "chat {model}"
// for a request built without a prompt; pass [ChatSpanName] for the
// OpenTelemetry GenAI convention's name everywhere.
func WithSpanNameFormatter(f func(info mirascope.ProviderInfo, req *mirascope.Request) string) Option {
	return optionFunc(func(c *config) {
		if f != nil {
			c.spanName = f
		}
	})
}

// ChatSpanName names a span "chat {model}", as the OpenTelemetry GenAI
// conventions do. Use it with [WithSpanNameFormatter].
func ChatSpanName(info mirascope.ProviderInfo, req *mirascope.Request) string {
	return operationChat + " " + req.ModelOr(info.Model)
}

// defaultSpanName is the prompt type's name, as the seed names a span after
// the decorated function.
func defaultSpanName(info mirascope.ProviderInfo, req *mirascope.Request) string {
	if req.Prompt != nil && req.Prompt.Name != "" {
		return req.Prompt.Name
	}
	return ChatSpanName(info, req)
}

// WithLegacyAttributes makes [Traced] also write the keys older GenAI
// conventions used, as the seed's spans carry them: gen_ai.system,
// gen_ai.usage.prompt_tokens and gen_ai.usage.completion_tokens, and (with
// content capture on) the events gen_ai.content.prompt and
// gen_ai.content.completion.
func WithLegacyAttributes() Option {
	return optionFunc(func(c *config) { c.legacy = true })
}

// WithMaxContentSize sets the budget, in bytes, that all the content one
// span captures shares: the prompt's field values and template, the system
// instructions, the input and output messages, the tool definitions, a
// tool's arguments and result. A span that would exceed it is cut to fit, so
// that a collector never refuses it (and with it, its whole export batch):
// texts that fit within an equal share are kept whole, longer ones are all
// cut to the same length at a UTF-8 boundary and end in "…", and the span
// gets mirascope.content.truncated=true. On a chat span the request takes at
// most three quarters of the budget and the answer what is left. Default
// [DefaultMaxContentSize]; n <= 0 removes the bound, at the risk of spans
// the collector refuses.
func WithMaxContentSize(n int) Option {
	return optionFunc(func(c *config) {
		if n <= 0 {
			n = noLimit
		}
		c.maxContent = n
	})
}
