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
// *openai.ChatCompletion.
package openai
