// Package litellm calls a LiteLLM proxy through its OpenAI-compatible
// Chat Completions API, with the official openai-go SDK.
//
//	p := litellm.New("gpt-4o-mini") // LITELLM_BASE_URL, default http://localhost:4000
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// LITELLM_BASE_URL and LITELLM_API_KEY (a virtual or master key, sent as
// Authorization: Bearer) are read; the key is optional, for a proxy that
// needs none. No OPENAI_* variable is read. Params.MaxTokens is sent as
// max_tokens, which the proxy translates for every backend. Request ids come
// from x-litellm-call-id.
//
// The span's gen_ai.provider.name is "litellm": the GenAI conventions have no
// value for a proxy, and which backend answered is the proxy's business;
// gen_ai.response.model still names the model that did.
//
// Tools, tool choices and a Format (response_format json_schema, strict) go
// to the proxy in OpenAI's shape; the proxy translates them for the backend,
// including to a forced tool for a backend without json_schema, and refuses
// what the backend cannot do with its own error.
//
// Usage is the proxy's: prompt_tokens counts cached tokens, read
// (prompt_tokens_details.cached_tokens) and, for an Anthropic-backed model,
// written (cache_creation_input_tokens, or
// prompt_tokens_details.cache_creation_tokens): Usage.CacheReadTokens and
// Usage.CacheWriteTokens.
//
// [WithExtraBody] sets body fields this package does not model; the proxy
// passes mirascope.WithReasoning's reasoning_effort on to the backend.
package litellm
