// Package openai calls OpenAI's Chat Completions API through the official
// SDK, github.com/openai/openai-go/v3.
//
//	p := openai.New("gpt-4o-mini") // OPENAI_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"},
//		mirascope.WithMaxTokens(256), openai.WithReasoningEffort("low"))
//
// # Environment
//
// OPENAI_API_KEY (the key, sent as Authorization: Bearer), OPENAI_BASE_URL
// (default https://api.openai.com/v1), and OPENAI_ORG_ID / OPENAI_PROJECT_ID
// (the OpenAI-Organization and OpenAI-Project headers). Options win over
// the environment. The SDK's other variables, OPENAI_CUSTOM_HEADERS among
// them, are not read: the SDK service is built without openai.NewClient.
//
// # Wire
//
// Params.MaxTokens is sent as max_completion_tokens (max_tokens is
// deprecated and rejected by reasoning models). Streams ask for
// stream_options.include_usage, so usage arrives in a last event without
// choices. Errors are [mirascope.ProviderError]s carrying the service's
// message, code and type and the x-request-id header; a 429 that says
// insufficient_quota is not retried. Response.Raw is the SDK's
// *openai.ChatCompletion. The SDK's own retries are off: the transport
// every provider shares retries (see package providers).
//
// [WithExtraBody] sets body fields this package does not model (logprobs,
// penalties), through openai-go's SetExtraFields; it and
// [WithReasoningEffort] and [WithResponseFormat] work on every
// OpenAI-compatible provider whose service documents the field (each
// option says which), and are refused with mirascope.ErrUnsupportedParameter
// elsewhere.
//
// # Tools and structured output
//
// Tools go out as tools [{type: function, function: {name, description,
// parameters}}] and every ToolChoice as tool_choice ("auto", "required",
// "none", or {type: function, function: {name}}); calls come back in
// Response.ToolCalls in the model's order, several at once when the model
// asks so, and streamed calls are assembled from their pieces. A tool result
// is a role "tool" message: the wire has no error flag, so a failed tool's
// text says so. A Format goes out as response_format json_schema with
// strict: true, its schema rewritten to strict mode's subset (every property
// required, the optional ones nullable, additionalProperties false); a schema
// strict mode cannot express (a map) goes with strict off. A Format together
// with [WithResponseFormat] is refused. Refused before any request, with
// [mirascope.UnsupportedError]: ToolChoiceRequired without tools, or a
// tool choice naming a tool not offered. Auto and none without tools send no
// tool_choice.
package openai
