package mirascope

import "github.com/mirascope-go/mirascope/prompt"

// Request is what a [Provider] receives: the rendered prompt and the call's
// settings.
type Request struct {
	// Model overrides the provider's default model when set.
	Model string
	// Messages is the conversation to send.
	Messages []prompt.Message
	// Prompt is the rendered prompt the messages came from; nil when a
	// request is built by hand.
	Prompt *prompt.Rendered
	// Params are the portable sampling settings.
	Params Params
	// Tools are the tools the model may call (see [WithTools]).
	Tools []Tool
	// ToolChoice says whether and which tool the model must call; empty
	// leaves it to the service's default (auto when tools are given).
	ToolChoice ToolChoice
	// Format, when set, asks for a structured answer: JSON matching
	// Format.Schema, as Content (see [Format]).
	Format *Format
	// Extensions holds provider-specific settings, set by a provider
	// package's own CallOptions under keys of its own unexported types.
	Extensions map[any]any

	// loop holds the settings of Run and Extract, which no provider reads.
	loop loopSettings
}

type loopSettings struct {
	maxTurns  int // 0: DefaultMaxTurns
	maxReasks int
	// which of WithMaxTurns and WithMaxReasks were passed, so that a
	// function they do nothing for refuses them
	turnsSet, reasksSet bool
}

// The loop options, and the functions they do something for.
const (
	optMaxTurns  = "WithMaxTurns"
	optMaxReasks = "WithMaxReasks"
)

// unusedOption refuses, before any request, the loop options that fn does
// not use: every function refuses them the same way, with an
// [*UnsupportedError] naming fn and the option.
func (r *Request) unusedOption(fn string, turns, reasks bool) error {
	switch {
	case turns && r.loop.turnsSet:
		return &UnsupportedError{Provider: fn, Parameter: optMaxTurns,
			Reason: "it bounds a tool loop; only Run, and Extract with WithTools, run one"}
	case reasks && r.loop.reasksSet:
		return &UnsupportedError{Provider: fn, Parameter: optMaxReasks,
			Reason: "only Extract asks again"}
	}
	return nil
}

// Params are the settings every provider understands. Pointers tell unset
// from zero: only set ones reach the wire and the span.
type Params struct {
	MaxTokens   *int
	Temperature *float64
	TopP        *float64
	Stop        []string
	Seed        *int64
	// Reasoning and ReasoningBudget turn the model's reasoning on (see
	// [WithReasoning] and [WithReasoningBudget]); nil: the service's
	// default.
	Reasoning       *ReasoningEffort
	ReasoningBudget *int
}

// CallOption sets something on a [Request]. Provider packages define their own
// for service-specific settings, stored in Request.Extensions.
type CallOption func(*Request)

// WithModel overrides the provider's default model for one call.
func WithModel(model string) CallOption { return func(r *Request) { r.Model = model } }

// WithMaxTokens bounds the number of tokens the model may generate.
func WithMaxTokens(n int) CallOption { return func(r *Request) { r.Params.MaxTokens = &n } }

// WithTemperature sets the sampling temperature.
func WithTemperature(t float64) CallOption { return func(r *Request) { r.Params.Temperature = &t } }

// WithTopP sets nucleus sampling.
func WithTopP(p float64) CallOption { return func(r *Request) { r.Params.TopP = &p } }

// WithStop sets the sequences at which generation stops.
func WithStop(sequences ...string) CallOption {
	s := append([]string(nil), sequences...)
	return func(r *Request) { r.Params.Stop = s }
}

// WithSeed asks for deterministic sampling where the service supports it.
func WithSeed(seed int64) CallOption { return func(r *Request) { r.Params.Seed = &seed } }

// ModelOr returns the request's model, or def when the request names none.
func (r *Request) ModelOr(def string) string {
	if r.Model != "" {
		return r.Model
	}
	return def
}
