// Package cohere is the provider for Cohere's Chat v2 API (POST /v2/chat),
// built on the types of the official SDK, github.com/cohere-ai/cohere-go/v2.
//
//	p := cohere.New("command-a-03-2025") // key from CO_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// # Configuration
//
// The API key comes from [providers.WithAPIKey], else CO_API_KEY; without one,
// Call and Stream return a *providers.MissingAPIKeyError before any request.
// The endpoint is [providers.WithBaseURL], else CO_API_URL, else
// https://api.cohere.com (the provider appends /v2/chat). No other variable
// is read.
//
// # Wire
//
// Requests and responses are the SDK's own types (V2ChatRequest,
// V2ChatStreamRequest, V2ChatResponse, V2ChatStreamResponse), and HTTP errors
// unwrap to the SDK's typed errors (e.g. *cohere.TooManyRequestsError). The
// provider sends them itself, through the configured *http.Client, because
// the SDK's caller falls short in three ways: its stream reader hands a
// partial event to json.Unmarshal when a network read ends mid-event
// (cohere-ai/cohere-go#103), its retrier sleeps without watching the context
// and ignores Retry-After, and its errors carry no headers.
//
// Roles map to Cohere's system, user, assistant (with tool_calls) and tool
// (with tool_call_id) messages. Params map to max_tokens, temperature, p
// (top_p), stop_sequences and seed; only those set are sent.
//
// # Thinking
//
// On Cohere's reasoning models (command-a-reasoning-…),
// mirascope.WithReasoningBudget sets thinking {"type": "enabled",
// "token_budget"} (WithReasoning: the budget its level maps to, low 1024,
// medium 4096, high 16384); the thinking content comes back as
// Response.Reasoning, streamed as Chunk.Reasoning, and is not sent back.
// Other models refuse both before any request. A prompt.CacheBreakpoint is
// accepted and sends nothing.
//
// # Tools and structured output
//
// Tools go out as tools [{type: "function", function: {name, description,
// parameters}}]. ToolChoiceRequired is tool_choice REQUIRED and
// ToolChoiceNone is NONE; auto is Cohere's default and is not sent. Cohere
// cannot force one named tool, so a tool name as the choice is refused. An
// assistant turn with tool calls sends its text as tool_plan (Cohere's
// reasoning before it calls tools), and a response's tool_plan is its
// Content when it has no text, so a turn goes back as it came. A tool result
// that is a JSON object is sent as a document (which Cohere cites); any
// other result is sent as text. Cohere has no error flag for a tool result,
// so a failed run (IsError) is sent as text, never as a document.
//
// A Format goes out as response_format {type: "json_object", json_schema}.
// Cohere documents a subset of JSON Schema for it: the root must be an
// object and every object must list a required property, and
// allOf, oneOf and not are unsupported; such schemas are refused. The bounds
// it does not support (minimum, maximum, minLength, maxLength, minItems,
// maxItems, uniqueItems) move into the descriptions, and formats other than
// date-time, uuid, date and time and patterns with anchors or lookaheads are
// dropped, since the answer is checked against them after decoding. Cohere refuses response_format together with
// tools, so a Format with tools goes as one more tool, named Format.Name and
// described by Format.Description, with tool_choice REQUIRED: each turn
// either calls a tool or answers through that one, whose arguments are then
// the Content (and the stream's Content), not a tool call; the tool plan is
// then left out of the Content. ToolChoiceNone with a Format and tools is
// refused, as is a Format named like one of the tools.
//
// Every refusal is a *mirascope.UnsupportedError, returned before any
// request.
//
// # Response
//
// Cohere's responses name no model: Response.Model is the model requested.
// FinishReasons are Cohere's own values (COMPLETE, MAX_TOKENS, STOP_SEQUENCE,
// TOOL_CALL, ERROR). Usage reports usage.tokens, the tokens the model read
// and wrote, as the GenAI conventions count them: the input includes the
// tokens Cohere adds to the prompt, which it does not bill; the billed
// counts (usage.billed_units, used only when tokens are absent) are on
// Response.Raw. The request id is the
// x-request-id header (else x-debug-trace-id, else the error body's id).
//
// # Retries
//
// The transport every provider shares retries (see package providers):
// 408, 409, 429, 5xx and failed connections, up to providers.WithMaxRetries
// times (default 2), waiting Retry-After (or retry-after-ms) when given,
// else 0.5 s doubling up to 8 s with jitter. A wait longer than a minute, or
// than the context's deadline leaves, is not started: the error is returned
// at once. [WithExtraBody] sets top-level body fields this package does not
// model.
//
// # Streaming
//
// Stream yields a chunk with the response id (message-start), one per text
// delta (content-delta and tool-plan-delta), one per tool-call piece
// (tool-call-start with the id and name, tool-call-delta with a fragment of
// the arguments, by Cohere's index), and one with the finish reason and
// usage (message-end); the stream ends at "data: [DONE]". Citation events
// are not turned into chunks. A message-end carrying an error is yielded,
// then the error as a *mirascope.ProviderError.
package cohere
