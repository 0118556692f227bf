// Package google is the Gemini API provider (Vertex AI by option), on the
// official SDK google.golang.org/genai.
//
//	p := google.New("gemini-2.0-flash-001") // key from GEMINI_API_KEY or GOOGLE_API_KEY
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
//	v := google.New("gemini-2.0-flash-001", google.WithVertex("my-project", "us-central1")) // ADC
//
// # Environment
//
// The key comes from providers.WithAPIKey, else GEMINI_API_KEY, else
// GOOGLE_API_KEY (the SDK on its own prefers GOOGLE_API_KEY; we do not), and
// is sent as x-goog-api-key. The endpoint comes from providers.WithBaseURL,
// else GOOGLE_GEMINI_BASE_URL (GOOGLE_VERTEX_BASE_URL with Vertex), else the
// service's; the SDK appends v1beta/ (v1beta1/ on Vertex). The backend is set
// explicitly, so GOOGLE_GENAI_USE_VERTEXAI and GOOGLE_GENAI_USE_ENTERPRISE
// change nothing. The SDK still reads its variables when the client is built
// and logs a warning through the standard log package when GOOGLE_API_KEY
// and GEMINI_API_KEY are both set. With [WithVertex], credentials are
// Application Default Credentials, looked up at the first call, unless
// providers.WithAPIKey gives a key.
//
// # The wire
//
// System messages become the systemInstruction and assistant turns the
// "model" role.
// MaxTokens, Temperature, TopP, Stop and Seed map to generationConfig's
// maxOutputTokens, temperature, topP, stopSequences and seed.
//
// # Media
//
// A user message's Parts go out in order: text as text, bytes (or a data:
// URL) as inlineData {mimeType, data}, a URL or an uploaded file as
// fileData {fileUri, mimeType}. A URL's MIME type is Media.MIMEType, else
// the one its path's extension tells (a fixed table: png, jpg, webp, gif,
// heic, heif, mp3, wav, flac, ogg, aac, aiff, m4a, pdf, txt, md, csv,
// html), else none. The Gemini API takes an http(s) URL (public or signed,
// or a Files API URI) and an uploaded file's Media.FileID, its File.URI or
// its name ("files/abc", sent as
// https://generativelanguage.googleapis.com/v1beta/files/abc); a Cloud
// Storage object only once registered (genai's Files.RegisterFiles), by
// that file's URI, so a gs:// URL is refused there. Vertex AI takes http(s)
// and gs:// URLs, requires their MIME type (a URL whose type is neither
// given nor told by its extension is refused), and has no Files API, so a
// file id is refused there. s3:// URLs and media outside user messages are
// refused everywhere, with a *mirascope.UnsupportedError before any
// request: the provider fetches nothing on the caller's behalf.
//
// # Thinking
//
// mirascope.WithReasoning and WithReasoningBudget set thinkingConfig, with
// includeThoughts so that the thought summaries come back, as
// Response.Reasoning (streamed as Chunk.Reasoning), apart from the answer:
// Gemini 3 takes a thinkingLevel (minimal, low, medium, high; a budget goes
// out as the level it reaches: below 4096 tokens low, below 16384 medium,
// else high), Gemini 2.5 a thinkingBudget (a level goes out as its budget:
// low 1024, medium 4096, high 16384). Gemini 1.x and 2.0 refuse both with a
// *mirascope.UnsupportedError before any request. Thought signatures
// travel on the function calls (prompt.ToolCall.Signature). A
// prompt.CacheBreakpoint is accepted and sends nothing: the API caches
// prefixes on its own (implicit caching).
//
// # Tools and structured output
//
// Tools go out as tools [{functionDeclarations: [{name, description,
// parametersJsonSchema}]}]: the tool's JSON Schema as written, not the
// OpenAPI subset of "parameters". ToolChoiceAuto, ToolChoiceRequired and
// ToolChoiceNone become toolConfig.functionCallingConfig.mode AUTO, ANY and
// NONE; a tool's name is ANY with allowedFunctionNames [name]. A tool choice
// that names no offered tool, or ToolChoiceRequired without tools, is
// refused with a *mirascope.UnsupportedError before any request.
//
// functionCall parts come back as Response.ToolCalls, and in a stream each
// arrives whole, as one tool-call piece. Gemini usually gives a call no id:
// such a call gets "gemini-call-<responseId>-<n>" (n counts the calls of the
// response), which is never sent back. A call's thoughtSignature, which
// Gemini 3 requires back with the next turn, is the call's
// prompt.ToolCall.Signature (base64, as on the wire) and is sent again
// with it: a history stored as JSON and continued later, by another
// process or provider value, keeps it. Tool results
// become functionResponse parts of one user turn, named after the function
// of the call they answer (the API needs the name; a result that answers
// no earlier call is an error before any request): {"output": result}, a
// result that is a JSON object as it is, and a failed run (IsError)
// {"error": result}, the keys the API documents.
//
// A mirascope.Format is sent as generationConfig responseMimeType
// "application/json" with responseJsonSchema (the full JSON Schema, not
// responseSchema's subset); the answer is the text. Gemini 1.x and 2.x models
// refuse function calling together with a JSON response type, so with tools
// on those models the format becomes one more function declaration, named
// Format.Name, and the model must call a function (mode ANY): a tool, or
// that one, whose arguments are then the Content and which is not in
// ToolCalls. Gemini 3 takes tools and responseJsonSchema together.
//
// Automatic continuation, which the SDK turns on by default (re-sending a
// request whose response carries a continuation token and merging the
// answers), is off: one Call is one request, and a response cut short keeps
// the service's CONTINUATION finish reason.
//
// # Results
//
// FinishReasons are Gemini's own (STOP, MAX_TOKENS, SAFETY, …). ID is
// responseId and Model is modelVersion. Usage.InputTokens is
// promptTokenCount (which already includes cachedContentTokenCount) plus
// toolUsePromptTokenCount; OutputTokens is candidatesTokenCount plus
// thoughtsTokenCount; CacheReadTokens and ReasoningTokens carry the cached
// and thinking counts. Every streamed response carries cumulative usage, so
// each chunk's Usage is the running total.
//
// # Batches
//
// The provider is a providerkit.Batcher (use package batch) on the Gemini
// API's batch mode, through genai's Batches and Files services: about half
// the price, answered within a day. Each request is the very
// generateContent body Call would send (the SDK serializes it, extra body
// fields merged), so every request of a job must name the same model, the
// job's. While the create request stays under [MaxBatchInlineBytes] (the
// API's 20 MB) and holds at most 1,000 requests (their answers come back
// whole, inside the job's resource) the requests are inlined, each with
// its custom id as metadata {"key": id}; past either they are uploaded as one JSONL file
// ({"key": id, "request": body} a line, application/jsonl) and a file past
// [MaxBatchFileBytes] (2 GB) is refused with a *mirascope.UnsupportedError
// before anything is sent: split the prompts across jobs. A format goes
// out as Call sends it: as responseJsonSchema, or, beside tools before
// Gemini 3, as a function the model must call, whose call then comes back
// as a tool call, which batch.Extract's results take as the answer.
//
// A job's state and counts are read from GET v1beta/batches/{id} itself
// (genai's BatchJob drops batchStats): BATCH_STATE_SUCCEEDED is ended, and
// FAILED, CANCELLED and EXPIRED are what they say. The results of a job
// that succeeded, expired or was cancelled are its inlined responses, or
// its responses file, downloaded from download/v1beta/files/{id}:download
// and decoded line by line, never whole (a line is bounded at 64 MB).
// Either way a result finds its request by its key (an inlined response's
// metadata.key, a line's key). One that comes without it (users have
// reported inlined responses without their metadata) is found by its
// position, as the API reference promises both in "the same order as the
// input requests": the i-th answer is the i-th request's, whose key is read
// from the batch's list of its inlined requests when GET returns one (it
// has been seen to leave it out), else from the rule the job's display
// name carries when its keys are a plain prefix and then their positions
// ("mirascope-batch keys=mirascope-{i}", as package batch's always are).
// The position is not trusted, and such an answer is an error of the
// stream that says why, never another prompt's result, when there is
// neither, when the answers are not one per request (a job expired or
// cancelled part-way), or when an answer's key stands where another
// request's does (answers out of order have been reported too). A request
// that failed is its result's *mirascope.ProviderError (the google.rpc
// code mapped to its HTTP status, its name as Code). Vertex AI's
// batch prediction reads Cloud Storage or BigQuery: with [WithVertex] every
// batch call is refused with a *mirascope.UnsupportedError.
//
// # Retries and errors
//
// The SDK retries nothing unless asked (HTTPOptions.RetryOptions, left
// unset): the transport every provider shares retries (see package
// providers), waiting as Retry-After or the error's google.rpc.RetryInfo
// asks. The SDK's genai.APIError takes its code from the JSON body and
// carries no headers; the transport records the true status and the
// x-request-id / x-goog-request-id header of each call for the
// *mirascope.ProviderError. [WithExtraBody] merges fields this package does
// not model into the body, through genai's HTTPOptions.ExtraBody. The SDK's set-up errors print its
// whole configuration, API key included: they are reported without it.
package google
