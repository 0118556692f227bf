// Package mistral calls Mistral AI's Chat Completions API
// (https://api.mistral.ai/v1) through the official openai-go SDK.
//
//	p := mistral.New("mistral-large-latest") // MISTRAL_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// MISTRAL_API_KEY and MISTRAL_BASE_URL are read; no OPENAI_* variable is.
// Mistral rejects fields it does not know with a 422, so this package sends
// max_tokens, sends Params.Seed as random_seed, and never sends
// stream_options: Mistral reports usage in the last stream event unasked.
// Its errors ({"object": "error", "message": ..., "type", "code"}, where the
// message may be an object of validation details) are read into
// ProviderError. The span's gen_ai.provider.name is mistral_ai.
//
// Tools and every tool choice (auto, required, none, a named function) go
// out as on OpenAI's wire; Mistral's call ids are 9 characters, its calls
// carry no type and arrive whole in a stream, often with finish_reason
// tool_calls and the usage in the same event. A Format goes out as
// response_format json_schema {name, description, schema, strict: true},
// which Mistral supports on every model.
//
// # Media
//
// Images go out as image_url (an http(s) URL, or the bytes as a data URL).
// Audio goes out as Mistral's {"type": "input_audio", "input_audio":
// base64}, the bytes themselves (the Voxtral models take it; others answer
// with an error), and a document as {"type": "document_url",
// "document_url": url}, which Mistral fetches from an http(s) URL (public,
// or a signed URL of a file uploaded to its Files API). Audio by URL and a
// document as bytes or by file id are refused with a
// *mirascope.UnsupportedError before any request.
//
// [WithExtraBody] sets body fields this package does not model (e.g.
// safe_prompt); mirascope.WithReasoning sets reasoning_effort, which
// Mistral documents for its adjustable-reasoning models.
//
// # Batches
//
// The Provider implements providerkit.Batcher on Mistral's Batch API: use
// package batch. The requests go up as one JSONL file (Files API, purpose
// "batch"), one {"custom_id", "body"} line each, the body the one Call would
// send (random_seed included), and become a job on /v1/chat/completions.
// Mistral runs one model per job, so requests for different models are
// refused; so is a job of more than [MaxBatchRequests] requests or
// [MaxBatchBytes] bytes of input file (the service's limits), with a
// *mirascope.UnsupportedError before anything is uploaded: split the
// prompts across jobs. Mistral's inline batches (requests in the job body,
// answers in the job object) are not used: their answers cannot be
// streamed. SUCCESS is ended, TIMEOUT_EXCEEDED expired, CANCELLED
// cancelled and FAILED failed; CANCELLATION_REQUESTED is still running.
// Results stream line by line from the output file, then the error file,
// also for a job that expired or was cancelled; a request that failed is
// its result's *mirascope.ProviderError.
package mistral
