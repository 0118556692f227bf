package otel

import (
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
)

// Every attribute key the package writes, defined once. The gen_ai.* keys come
// from semconv v1.41.0, the newest opentelemetry-go semconv package that
// carries the GenAI conventions; the few it lacks (the seed's legacy keys) and
// the mirascope.* keys are defined here.

// The OpenTelemetry GenAI keys (Development stability).
const (
	keyOperationName      = semconv.GenAIOperationNameKey
	keyProviderName       = semconv.GenAIProviderNameKey
	keyRequestModel       = semconv.GenAIRequestModelKey
	keyRequestMaxTokens   = semconv.GenAIRequestMaxTokensKey
	keyRequestTemperature = semconv.GenAIRequestTemperatureKey
	keyRequestTopP        = semconv.GenAIRequestTopPKey
	keyRequestStopSeqs    = semconv.GenAIRequestStopSequencesKey
	keyRequestSeed        = semconv.GenAIRequestSeedKey
	keyRequestStream      = semconv.GenAIRequestStreamKey
	keyResponseID         = semconv.GenAIResponseIDKey
	keyResponseModel      = semconv.GenAIResponseModelKey
	keyResponseFinish     = semconv.GenAIResponseFinishReasonsKey
	keyResponseTTFC       = semconv.GenAIResponseTimeToFirstChunkKey
	keyUsageInput         = semconv.GenAIUsageInputTokensKey
	keyUsageOutput        = semconv.GenAIUsageOutputTokensKey
	keyUsageCacheRead     = semconv.GenAIUsageCacheReadInputTokensKey
	keyUsageCacheCreation = semconv.GenAIUsageCacheCreationInputTokensKey
	keyUsageReasoning     = semconv.GenAIUsageReasoningOutputTokensKey
	keySystemInstructions = semconv.GenAISystemInstructionsKey
	keyInputMessages      = semconv.GenAIInputMessagesKey
	keyOutputMessages     = semconv.GenAIOutputMessagesKey
	keyTokenType          = semconv.GenAITokenTypeKey
	keyServerAddress      = semconv.ServerAddressKey
	keyServerPort         = semconv.ServerPortKey
	keyErrorType          = semconv.ErrorTypeKey
	keyHTTPResendCount    = semconv.HTTPRequestResendCountKey
	keyOutputType         = semconv.GenAIOutputTypeKey
	keyToolDefinitions    = semconv.GenAIToolDefinitionsKey
	keyToolName           = semconv.GenAIToolNameKey
	keyToolCallID         = semconv.GenAIToolCallIDKey
	keyToolType           = semconv.GenAIToolTypeKey
	keyToolDescription    = semconv.GenAIToolDescriptionKey
	keyToolArguments      = semconv.GenAIToolCallArgumentsKey
	keyToolResult         = semconv.GenAIToolCallResultKey
	keyAgentName          = semconv.GenAIAgentNameKey
	keyExceptionType      = semconv.ExceptionTypeKey
	keyExceptionMessage   = semconv.ExceptionMessageKey
	eventException        = semconv.ExceptionEventName
	operationChat         = "chat"
	operationExecuteTool  = "execute_tool"
	operationInvokeAgent  = "invoke_agent"
	toolTypeFunction      = "function"
	tokenTypeInput        = "input"
	tokenTypeOutput       = "output"
	errorTypeOther        = "_OTHER"
	errorTypeTimeout      = "timeout"
	errorTypeCanceled     = "canceled"
	errorTypeUnknownTool  = "unknown_tool"
)

// The seed's older keys and events, written only under [WithLegacyAttributes].
const (
	keyLegacySystem           = attribute.Key("gen_ai.system")
	keyLegacyPromptTokens     = attribute.Key("gen_ai.usage.prompt_tokens")
	keyLegacyCompletionTokens = attribute.Key("gen_ai.usage.completion_tokens")
	keyLegacyPrompt           = attribute.Key("gen_ai.prompt")
	keyLegacyCompletion       = attribute.Key("gen_ai.completion")
	eventLegacyPrompt         = "gen_ai.content.prompt"
	eventLegacyCompletion     = "gen_ai.content.completion"
)

// The mirascope.* keys. These are part of the package's stable API.
const (
	// KeyPromptName is the prompt's Go type name, e.g. "RecommendBook".
	KeyPromptName = attribute.Key("mirascope.prompt.name")
	// KeyPromptTemplate is the template as written (template prompts only).
	KeyPromptTemplate = attribute.Key("mirascope.prompt.template")
	// KeyPromptFieldPrefix prefixes one attribute per prompt field:
	// mirascope.prompt.field.<name>, with the field's typed value.
	KeyPromptFieldPrefix = "mirascope.prompt.field."
	// KeyContentTruncated is true on a span whose captured content was cut
	// to fit its budget (see [WithMaxContentSize]); absent otherwise.
	KeyContentTruncated = attribute.Key("mirascope.content.truncated")
	// KeyContentDroppedParts counts the parts of a span's captured content
	// (message parts such as tool calls and tool results, system
	// instructions, tool definitions, legacy prompt events) left out
	// because even cut they did not fit its budget, and the media parts
	// (which are never cut) left out because whole they did not; absent
	// when none was.
	// The span then also has [KeyContentTruncated].
	KeyContentDroppedParts = attribute.Key("mirascope.content.dropped_parts")
	// KeyExtractAttempt numbers the attempts of a mirascope.Extract on their
	// chat spans: 1 for the first answer, 2, 3, … for re-asks.
	KeyExtractAttempt = attribute.Key("mirascope.extract.attempt")
	// KeyExtractRejected is true on the chat span of an answer Extract
	// refused (it did not decode or validate); absent otherwise. The call
	// itself succeeded, so the span's status is not Error.
	KeyExtractRejected = attribute.Key("mirascope.extract.rejected")
	// KeyExtractRejection says why the answer was refused, as the model is
	// told on a re-ask; recorded with content capture on only, since it may
	// quote the answer.
	KeyExtractRejection = attribute.Key("mirascope.extract.rejection")
	// KeyRateLimitWait is how long, in seconds, the call waited for rate
	// limits before sending (Response.RateLimitWait); absent when it did
	// not wait.
	KeyRateLimitWait = attribute.Key("mirascope.rate_limit.wait")
	// KeyBatchID is the service's id of a batch job, on its submission's
	// span and on the chat span of each of its results.
	KeyBatchID = attribute.Key("mirascope.batch.id")
	// KeyBatchSize is how many requests a batch submission holds.
	KeyBatchSize = attribute.Key("mirascope.batch.size")
	// KeyUsageBatch is true beside the usage of an answer a service's
	// batch engine gave (mirascope.Usage.Batch), priced at its batch rate,
	// and on the token metric's points of such answers; absent otherwise.
	KeyUsageBatch = attribute.Key("mirascope.usage.batch")
)

// Precomputed attributes that never vary.
var (
	attrOperationChat    = keyOperationName.String(operationChat)
	attrStreamTrue       = keyRequestStream.Bool(true)
	attrOutputJSON       = semconv.GenAIOutputTypeJSON
	attrToolFunction     = keyToolType.String(toolTypeFunction)
	attrExecuteTool      = semconv.GenAIOperationNameExecuteTool
	attrInvokeAgent      = semconv.GenAIOperationNameInvokeAgent
	attrContentTruncated = KeyContentTruncated.Bool(true)
	attrUsageBatch       = KeyUsageBatch.Bool(true)
	attrTokenInput       = keyTokenType.String(tokenTypeInput)
	attrTokenOutput      = keyTokenType.String(tokenTypeOutput)
)
