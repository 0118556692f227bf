// Package anthropic is the Anthropic Messages API provider, on the official
// SDK github.com/anthropics/anthropic-sdk-go/v2.
//
//	p := anthropic.New("claude-3-5-sonnet-20240620") // key from ANTHROPIC_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"}, mirascope.WithMaxTokens(512))
//
// # Environment
//
// ANTHROPIC_API_KEY supplies the key when providers.WithAPIKey is not given,
// and ANTHROPIC_BASE_URL the endpoint when providers.WithBaseURL is not given
// (default [DefaultBaseURL]; the SDK appends v1/messages, so a trailing /v1 is
// dropped). Nothing else in the environment matters: the SDK's own defaults
// (ANTHROPIC_AUTH_TOKEN, ANTHROPIC_PROFILE and profile files,
// ANTHROPIC_CUSTOM_HEADERS, workload-identity federation,
// ANTHROPIC_OPEN_TELEMETRY*) are turned off. A call without a key returns a
// *providers.MissingAPIKeyError before any request.
//
// # The wire
//
// The SDK sends anthropic-version [APIVersion] and the key as
// "Authorization: Bearer". System messages become the top-level system
// prompt, in order; tool results become tool_result blocks of a user turn.
// max_tokens is required by the API: [DefaultMaxTokens] is sent when a call
// sets none ([WithDefaultMaxTokens] changes it).
//
// That API version removed temperature, top_p and top_k, and the API has no
// seed: a call with mirascope.WithTemperature, WithTopP or WithSeed returns an
// [*UnsupportedParamError] naming the parameter and the version, before any
// request, rather than running with other sampling than asked.
//
// A non-streaming call whose max_tokens could outlast the API's ten minutes
// is refused by the SDK; it returns a *mirascope.ProviderError matching
// [ErrStreamingRequired]: use mirascope.Stream for it.
//
// # Results
//
// FinishReasons are Anthropic's own (end_turn, max_tokens, stop_sequence,
// tool_use, …). Usage.InputTokens is input_tokens + cache_read_input_tokens +
// cache_creation_input_tokens, as the OpenTelemetry GenAI conventions count
// input; CacheReadTokens and CacheWriteTokens carry the two cache counts.
//
// # Retries, timeouts, telemetry
//
// The SDK retries 408, 409, 429 and 5xx (and connection failures), honouring
// Retry-After and the x-should-retry header, providers.WithMaxRetries times
// (default 2); a Retry-After longer than a minute, or than the call has
// left, is not waited for: the error returns at once with its RetryAfter. The SDK's own OpenTelemetry span and its trace-context headers
// are off: wrap the provider in otel.Traced for one span per call. An error
// event inside a stream (e.g. overloaded_error) becomes a ProviderError with
// the status the API documents for its type (529 for overloaded_error).
package anthropic
