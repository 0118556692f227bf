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
// prompt, in order.
// max_tokens is required by the API: [DefaultMaxTokens] is sent when a call
// sets none ([WithDefaultMaxTokens] changes it).
//
// That API version removed temperature, top_p and top_k, and the API has no
// seed: a call with mirascope.WithTemperature, WithTopP or WithSeed returns a
// *mirascope.UnsupportedError naming the option and the version, before any
// request, rather than running with other sampling than asked.
//
// # Media
//
// A user message's Parts go out in order as content blocks: text as text
// blocks; an image as an image block from base64 bytes (JPEG, PNG, GIF or
// WebP), an http(s) URL or an uploaded file's id (source "file"); a
// document as a document block, a PDF from base64 bytes, an http(s) URL or
// a file id, UTF-8 text (text/plain) as a plain-text source. A data: URL
// goes out as its bytes. Audio, gs:// and s3:// URLs, other image and
// document types, a text document by URL and media outside user messages
// are refused with a *mirascope.UnsupportedError before any request: the
// provider fetches nothing on the caller's behalf.
//
// # Thinking and prompt caching
//
// mirascope.WithReasoning and WithReasoningBudget turn thinking on, mapped
// by the model's family: Claude 3.7 Sonnet and the 4.0–4.5 models take
// thinking {"type": "enabled", "budget_tokens"} (a level goes out as its
// budget: low 1024, medium 4096, high 16384 tokens); Opus 4.6, Sonnet 4.6
// and Mythos Preview take a budget that way and a level as adaptive
// thinking; Opus 4.7 and later take adaptive thinking only, with
// output_config.effort (low, medium, high, xhigh, max; a budget goes out
// as the level it reaches). Both ask for the summarized thinking. A budget
// counts toward max_tokens, which must exceed it: with
// mirascope.WithMaxTokens at or below the budget the call is refused; with
// none, the budget is added to [DefaultMaxTokens]. A budget below 1024, a
// level a model does not take and thinking on Claude 3.5 and older are
// refused with a *mirascope.UnsupportedError before any request.
//
// thinking and redacted_thinking blocks come back in Message.Reasoning,
// with their signature or data (the thinking text also in
// Response.Reasoning; streamed as Chunk.Reasoning), and are sent back
// first in the assistant turn, unchanged, as the API requires before a
// tool_use: a Run, or a history stored as JSON and sent through another
// provider value, continues. output_tokens_details.thinking_tokens is
// Usage.ReasoningTokens.
//
// A prompt.CacheBreakpoint puts cache_control {"type": "ephemeral"} on the
// block before it: a system prompt's text block (the system prompt is split
// at the breakpoint) or a user message's part. Cache reads and writes are
// Usage.CacheReadTokens and CacheWriteTokens, counted in InputTokens too.
// [WithCachedTools] ends a cacheable prefix after the tool definitions, and
// [WithCacheTTL] sets the lifetime of the entries a call writes (5m or 1h).
//
// # Tools and structured output
//
// Tools go out as tools [{name, description, input_schema}], the schema as
// the tool defines it; ToolChoiceAuto, ToolChoiceRequired, ToolChoiceNone
// and a tool's name become tool_choice {"type": "auto" | "any" | "none" |
// "tool", "name"}. tool_use blocks come back as Response.ToolCalls (the
// arguments are the block's input, as the API wrote it), and stream as
// tool-call pieces indexed by content block: the id and name from
// content_block_start, then each input_json_delta fragment. Tool results
// become tool_result blocks {tool_use_id, content, is_error} of one user
// turn, consecutive results together, as the API requires. A tool choice
// that names no offered tool, or ToolChoiceRequired without tools, is
// refused with a *mirascope.UnsupportedError before any request.
//
// A mirascope.Format is sent as native structured output, output_config
// {"format": {"type": "json_schema", "schema": …}}, generally available on
// this API version (no beta header) for every model the SDK lists; the
// answer is the text content. The schema is adapted as the API requires,
// property order kept (the model writes properties in schema order): every
// object without additionalProperties gets false, and the keywords the API
// rejects (minimum, maxLength, maxItems, …; those the SDK's own transform
// removes) move into the description, the answer being validated against
// the full schema after decoding anyway.
//
// A non-streaming call whose max_tokens could outlast the API's ten minutes
// is refused by the SDK; Call refuses it first, before any request, with a
// *mirascope.UnsupportedError matching [ErrStreamingRequired]: use
// mirascope.Stream for it, or lower the max tokens.
//
// # Results
//
// FinishReasons are Anthropic's own (end_turn, max_tokens, stop_sequence,
// tool_use, …). Usage.InputTokens is input_tokens + cache_read_input_tokens +
// cache_creation_input_tokens, as the OpenTelemetry GenAI conventions count
// input; CacheReadTokens and CacheWriteTokens carry the two cache counts.
//
// # Batches
//
// The Provider implements providerkit.Batcher on the Message Batches API:
// use package batch. Each request's params are the body Call would send, and
// its custom_id is the one package batch gives it. A batch of more than
// [MaxBatchRequests] requests or [MaxBatchBytes] bytes of request bodies (the
// service's limits) is refused with a *mirascope.UnsupportedError before
// anything is sent: split the prompts across jobs. The API's one final
// status, ended, is reported as cancelled when some requests were canceled,
// else as expired when some expired, else as ended. Results stream line by
// line; an errored, canceled or expired request is its result's
// *mirascope.ProviderError (Type the error's type, "canceled" or "expired").
//
// # Retries, timeouts, telemetry
//
// The SDK's own retries are off: the transport every provider shares retries
// (see package providers), so a deadline never swallows the last answer.
// The body may carry fields this package does not model through
// [WithExtraBody] (anthropic-sdk-go's SetExtraFields). The SDK's own
// OpenTelemetry span and its trace-context headers
// are off: wrap the provider in otel.Traced for one span per call. An error
// event inside a stream (e.g. overloaded_error) becomes a ProviderError with
// the status the API documents for its type (529 for overloaded_error).
package anthropic
