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
package groq
