// Package batch sends many prompts through a service's batch engine: one
// job holding every request, answered within a day at about half the price
// and outside the caller's rate limits.
//
//	job, err := batch.Submit(ctx, provider, prompts)   // rendered and validated first
//	id := job.ID()                                     // store it; batch.Resume(ctx, provider, id) later
//	err = job.Wait(ctx)                                // polls with back-off, honours ctx
//	for r, err := range job.Results(ctx) { ... }       // r.Index: the prompt's place in prompts
//
// Every prompt is rendered and validated, and its request built as
// mirascope.Call builds it, before anything is uploaded. Each request
// travels under a custom id carrying its prompt's index, so results map
// back in any order and in any process, from the job id alone. One
// request's failure is its [Result].Err, never the job's.
//
// Every result's Response.Usage.Batch is set: its tokens are priced at the
// service's batch rate. A result a provider gives with neither a response
// nor an error is a [*mirascope.ProviderError].
//
// # Typed results
//
// [Extract] is the batch counterpart of mirascope.Extract:
//
//	job, err := batch.Extract[Book](ctx, provider, prompts)  // or batch.ResumeExtract[Book](ctx, provider, id)
//	for r, err := range job.Results(ctx) { save(r.Index, r.Value) }  // r.Err: the request's failure, or an invalid answer
//
// Each request is the one mirascope.Extract sends, and each answer is
// judged by mirascope.Extract itself: strictly decoded, then checked with
// T's validate tags and Validate method. An invalid answer is that
// result's [*mirascope.ExtractError], as Extract reports it without a
// re-ask: a batch answers each request once, so WithTools, WithMaxReasks
// and WithMaxTurns, which need a conversation, are refused before anything
// is uploaded. A service that sends the schema as a forced tool (Groq's
// models but gpt-oss) returns the answer as a call of the tool named after
// T; an ExtractJob takes that call as the answer. A Job of Submit or
// Resume knows no format: its results keep such a call as a tool call, as
// the service answered it (a Format set by a CallOption given to Submit
// included); [ResumeExtract] reads the same job as typed answers.
//
// # Services and their limits
//
// OpenAI, Azure OpenAI, Groq, Mistral, Anthropic, the Gemini API and Bedrock
// (given bedrock.WithBatchStorage) run batch jobs; each provider package's
// doc says how, and which limits its service sets on one job (requests,
// bytes, one model). A job over a limit is refused before anything is
// uploaded, with an [*mirascope.UnsupportedError] whose reason says so: the
// rule is to refuse, never to split silently, so that one job id is always
// one job of the service; split the prompts and submit each part.
//
// Wait's [*JobError] carries the service's counts and, for a failed job,
// its own account of why ([JobError].Reason). Results of a job with
// nothing to read (still running, or failed) is an error matching
// [ErrNoResults].
//
// A provider offers batches by implementing [providerkit.Batcher]; it is
// found along Unwrap, so a traced provider batches too. providers/mock
// does, for tests that run offline; a provider without a batch API is an
// [*mirascope.UnsupportedError].
//
// Through otel.Traced, Submit is a span "batch {PromptType}" and each
// result Results reads a chat span with its usage and token metrics,
// linked to the submission's span when the job was submitted by this
// process (a resumed job's submission is unknown: no link). Package batch
// finds the decorator's [providerkit.BatchObserver] along Unwrap, as it
// finds the Batcher, and imports no tracing package.
package batch
