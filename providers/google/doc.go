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
// System messages become the systemInstruction, assistant turns the "model"
// role, tool results functionResponse parts (a result that is not a JSON
// object is sent as {"output": result}; Gemini often returns function calls
// without an id, and such a call gets its function name as ToolCall.ID).
// MaxTokens, Temperature, TopP, Stop and Seed map to generationConfig's
// maxOutputTokens, temperature, topP, stopSequences and seed.
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
// # Retries and errors
//
// The SDK retries nothing by default and its optional retries ignore
// Retry-After, so this package retries itself, in its HTTP transport:
// 408, 409, 429 and 5xx answers and failed connections, providers.WithMaxRetries
// times (default 2), waiting as Retry-After or the error's
// google.rpc.RetryInfo asks (up to a minute, and never past the call's
// deadline), else with exponential backoff. The SDK's genai.APIError takes
// its code from the JSON body and carries no headers; the transport records
// the true status and the x-request-id / x-goog-request-id header of each
// call for the *mirascope.ProviderError. The SDK's set-up errors print its
// whole configuration, API key included: they are reported without it.
package google
