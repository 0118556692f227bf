package mirascope

import (
	"errors"
	"fmt"
	"strings"
)

// ReasoningEffort is how hard a reasoning model thinks before it answers.
// The three constants are portable: each provider maps them to its service's
// own control (a level, or a token budget by a rule its package documents).
// Another value, such as OpenAI's "minimal", is sent as written to a
// service whose levels are words, and refused elsewhere.
type ReasoningEffort string

// The portable reasoning levels.
const (
	ReasoningLow    ReasoningEffort = "low"
	ReasoningMedium ReasoningEffort = "medium"
	ReasoningHigh   ReasoningEffort = "high"
)

// WithReasoning turns the model's reasoning on at a level. A service with
// no such control refuses it with an [*UnsupportedError] before any
// request; one that takes only a token budget gets the budget the level
// maps to (see the provider's package doc). Where the service returns its
// thinking, it is Response.Reasoning; what it must see again travels in
// Response.Message.Reasoning.
func WithReasoning(effort ReasoningEffort) CallOption {
	return func(r *Request) { r.Params.Reasoning = &effort }
}

// WithReasoningBudget turns the model's reasoning on with a budget of
// thinking tokens (at least 1; a service may demand more, e.g. Anthropic
// 1024). With [WithReasoning] too, each service uses the setting it takes;
// one that takes only a level gets the level the budget maps to.
func WithReasoningBudget(tokens int) CallOption {
	return func(r *Request) { r.Params.ReasoningBudget = &tokens }
}

// OptionError is a call option given a value no service could take (a
// reasoning budget of zero tokens, an empty level), returned before any
// request. It matches [ErrInvalidOption].
type OptionError struct {
	// Option is the option, as the user wrote it (e.g. "WithReasoningBudget").
	Option string
	// Value is the value it was given.
	Value any
	// Reason says what it takes instead.
	Reason string
}

// ErrInvalidOption is matched by an [*OptionError].
var ErrInvalidOption = errors.New("mirascope: invalid option")

func (e *OptionError) Error() string {
	return fmt.Sprintf("mirascope: %s(%#v): %s", e.Option, e.Value, e.Reason)
}

// Is matches [ErrInvalidOption].
func (e *OptionError) Is(target error) bool { return target == ErrInvalidOption }

// CheckReasoning returns the [*OptionError] for a reasoning setting no
// service could take; nil when pa has none, or a usable one. [NewRequest]
// calls it; a provider calls it for a request built by hand.
func (pa *Params) CheckReasoning() error {
	if e := pa.Reasoning; e != nil && strings.TrimSpace(string(*e)) == "" {
		return &OptionError{Option: "WithReasoning", Value: string(*e),
			Reason: "a level is ReasoningLow, ReasoningMedium, ReasoningHigh or a service's own word"}
	}
	if b := pa.ReasoningBudget; b != nil && *b <= 0 {
		return &OptionError{Option: "WithReasoningBudget", Value: *b,
			Reason: "a budget is a positive number of thinking tokens"}
	}
	return nil
}
