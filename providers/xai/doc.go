// Package xai calls xAI's OpenAI-compatible Chat Completions API
// (https://api.x.ai/v1) through the official openai-go SDK.
//
//	p := xai.New("grok-3-mini") // XAI_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// XAI_API_KEY and XAI_BASE_URL are read; no OPENAI_* variable is.
// Params.MaxTokens is sent as max_completion_tokens (xAI deprecates
// max_tokens). xAI's completion_tokens leaves out the reasoning tokens, so
// Usage.OutputTokens adds them back and counts every generated token.
// xAI's errors are {"code": "...", "error": "..."}: the text lands in
// ProviderError.Message, the code in Code. The span's gen_ai.provider.name is
// x_ai.
//
// Tools, every tool choice (auto, required, none, a named function) and
// several calls at once work as on OpenAI's wire; xAI streams a call whole,
// in one event. A Format goes out as response_format json_schema, strict,
// its schema rewritten to strict mode's subset (xAI enforces any schema it
// supports).
//
// [WithExtraBody] sets body fields this package does not model;
// mirascope.WithReasoning sets reasoning_effort (grok-3-mini and later
// reasoning models take it).
package xai
