// Package groq calls Groq's OpenAI-compatible Chat Completions API
// (https://api.groq.com/openai/v1) through the official openai-go SDK.
//
//	p := groq.New("llama-3.3-70b-versatile") // GROQ_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// GROQ_API_KEY and GROQ_BASE_URL are read; no OPENAI_* variable is.
// Params.MaxTokens is sent as max_completion_tokens, which Groq documents in
// place of the deprecated max_tokens. Streams ask for
// stream_options.include_usage; Groq's own x_groq.usage is read when the
// top-level usage is missing. The span's gen_ai.provider.name is groq.
//
// Tools, every tool choice (auto, required, none, a named function) and
// several calls at once are Groq's as OpenAI's; streamed calls arrive whole.
// Structured output differs by model: Groq decodes json_schema strictly only
// on its GPT-OSS models (openai/gpt-oss-*), other models match a schema at
// best effort or reject response_format json_schema, and json_schema beside
// tools is rejected. So a Format goes out as strict json_schema for a GPT-OSS
// model without other tools, and otherwise as a tool named Format.Name that
// the model is made to call (by name, or with "required" when other tools
// are offered, so it can call them first): that call's arguments become
// Response.Content (and Chunk.Content) and it is not in ToolCalls. A tool
// choice of none or of another tool would forbid that call, and is refused
// with [mirascope.UnsupportedError], as is a tool sharing Format.Name.
//
// [WithExtraBody] sets body fields this package does not model (e.g.
// reasoning_format); mirascope.WithReasoning sets reasoning_effort, which
// Groq documents for its reasoning models (gpt-oss, qwen3).
package groq
