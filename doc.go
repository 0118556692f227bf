// Package mirascope calls large language models with prompts that are plain
// Go structs. A prompt's fields are its typed, validated inputs; its
// Template, Prompt or Messages method says what to send (see package prompt):
//
//	type RecommendBook struct {
//		Genre string `prompt:"genre" validate:"required"`
//	}
//
//	func (RecommendBook) Template() string { return "Recommend a {genre} book." }
//
//	resp, err := mirascope.Call(ctx, otel.Traced(openai.New("gpt-4o-mini")), RecommendBook{Genre: "fantasy"})
//	fmt.Println(resp)
//
// [Call] renders and validates the prompt, so bad input fails before any
// request, then sends it through a [Provider]: one of the providers/...
// packages, each on its service's official SDK, providers/mock in tests, or
// your own. [Stream] does the same and yields the answer chunk by chunk.
// Package otel wraps any provider so that each call becomes an OpenTelemetry
// span.
//
// # Tools and structured output
//
// [NewTool] makes a [Tool] of a Go function, its arguments' JSON Schema
// derived from the json, jsonschema and validate tags of its input struct.
// [CheckTools] finds a tool no service would take (a bad name, an input
// that is no struct) without a request, for a unit test or start-up.
// [Run] is the tool loop (call, [CallTools], call again, until an answer
// without tool calls); written by hand, each turn appends resp.Message and
// then the tools' results to the history (see Example_toolLoopByHand).
// [Extract] asks for a typed value through the
// service's structured output and, with [WithMaxReasks], shows the model what
// was wrong with an invalid answer and asks again; [StreamExtract] yields the
// value as it fills in. Whatever the model gets wrong (an unknown tool, bad
// arguments, invalid output) it is told, by JSON path, rule and value.
// The model's own output is bounded where it is echoed back: an unknown
// tool's name is repeated cut at 128 bytes; and however many calls it asks
// for in one turn, at most [MaxToolConcurrency] tools run at once.
//
// # Errors
//
// A prompt that cannot be rendered returns a *prompt.Error or a
// *prompt.ValidationError. A failure of the service, or on the way to it, is
// a *[ProviderError] with the status, the service's request id and whether a
// retry may succeed; [ErrRateLimited], [ErrAuth] and [ErrContextLength]
// match it with errors.Is. A setting that cannot be honoured where it is
// given (an option Call or Stream has no use for, a parameter the service
// lacks) is an *[UnsupportedError], before any request. A cancelled or
// expired context always satisfies errors.Is(err, context.Canceled) or
// context.DeadlineExceeded.
//
// # Writing a provider or a decorator
//
// Implement [Provider], and [Streamer] when the service streams. Whatever
// consumes a stream itself turns chunks into a [Response] with an
// [Accumulator], as [ResponseStream] does, and a Response into chunks with
// [Response.Chunks]; reasoning state a service ties to a tool call travels
// in prompt.ToolCall.Signature, so a stored history keeps it.
//
// The library never logs: errors and spans are how it speaks.
package mirascope
