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
// The provider is a providerkit.Batcher (use package batch): the requests
// go up as one JSONL file through Groq's Files API (/openai/v1/files,
// purpose "batch") and become a job of its Batch API on
// /v1/chat/completions with the 24h window (Groq takes up to 7d; a job not
// done in time expires, keeping what was answered). Results stream from
// the output file, then the error file; one request's failure is its
// result's error. Groq's limits per job, [MaxBatchRequests] lines and
// [MaxBatchBytes] bytes of input file, are refused before any upload:
// split the prompts across jobs. Each line is the body Call sends, a
// Format as the forced tool included: its answer comes back as a call of
// that tool, which batch.Extract takes as the answer.
//
// [WithExtraBody] sets body fields this package does not model (e.g.
// reasoning_format); mirascope.WithReasoning sets reasoning_effort, which
// Groq documents for its reasoning models (gpt-oss, qwen3).
package groq
