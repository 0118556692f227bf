// Package bedrock is the provider for Amazon Bedrock's Converse and
// ConverseStream APIs, on the official SDK,
// github.com/aws/aws-sdk-go-v2/service/bedrockruntime, and for its batch
// inference (service/bedrock and service/s3).
//
//	p := bedrock.New("us.anthropic.claude-3-5-haiku-20241022-v1:0", bedrock.WithRegion("us-east-1"))
//	resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
//
// # Configuration
//
// The model is a Bedrock model id or inference profile id. Credentials and
// region come from the AWS default chain (config.LoadDefaultConfig: AWS_*
// variables, shared config and credentials files, SSO, container and
// instance roles), loaded once in [New]; [WithRegion] and [WithCredentials]
// replace them. Without a region, Call and Stream fail before any request
// (the SDK would otherwise sign for an empty region). Without credentials
// they return an error matching *providers.MissingAPIKeyError and
// mirascope.ErrAuth, before any request.
//
// A Bedrock API key (providers.WithAPIKey, else AWS_BEARER_TOKEN_BEDROCK) is
// sent as "Authorization: Bearer" instead of SigV4; the SDK sends it over
// HTTPS only. providers.WithBaseURL sets the SDK's BaseEndpoint (the full
// URL; the SDK also honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME and
// AWS_ENDPOINT_URL). The SDK's own retryer (standard mode: 429, 5xx,
// throttling and transient errors, exponential backoff, no Retry-After) makes
// providers.WithMaxRetries+1 attempts, whatever AWS_MAX_ATTEMPTS says.
//
// # Wire
//
// System messages become system blocks; tool calls toolUse blocks; tool
// results toolResult blocks in a user turn; consecutive turns of one role are
// merged, since Converse wants them to alternate. Params map to
// inferenceConfig maxTokens, temperature, topP and stopSequences; maxTokens
// is not sent when unset (Converse does not require it: the model's default
// applies). A temperature above 1, the top of Converse's range, fails
// before any request, as does max tokens past 32 bits. Converse has no
// seed: WithSeed fails before any request with a
// *mirascope.UnsupportedError (matching [ErrUnsupportedParameter]); models
// that take a seed or other fields of their own get them through
// [WithAdditionalModelRequestFields].
//
// # Thinking
//
// mirascope.WithReasoningBudget (or WithReasoning, a level going out as its
// budget: low 1024, medium 4096, high 16384 tokens) turns on thinking for
// the Claude models that take a budget (3.7 Sonnet, the 4.x models up to
// 4.6): additionalModelRequestFields {"thinking": {"type": "enabled",
// "budget_tokens"}} (a "thinking" field given with
// WithAdditionalModelRequestFields wins), and maxTokens above the budget
// (with none set, the budget plus [ThinkingAnswerTokens]; set at or below
// it, refused). Other models refuse both before any request.
// reasoningContent blocks come back in Message.Reasoning (the text with its
// signature; redacted content as base64), the text also in
// Response.Reasoning, and go back first in the assistant turn, unchanged.
// A prompt.CacheBreakpoint is a cachePoint block after the system block or
// the user part before it.
//
// # Media
//
// A user message's Parts go out in order: text as text blocks, images,
// audio and documents as image, audio and document blocks from their bytes
// (a data: URL's too) or an s3:// URI (an S3Location; only some models
// read S3). The block's format is named by the MIME type, else, for an S3
// object, by its key's extension: images png, jpeg, gif, webp; audio mp3,
// wav, flac, ogg, opus, aac, mp4, m4a, webm, mka, mpga, pcm; documents pdf,
// csv, doc, docx, xls, xlsx, html, txt, md. Converse requires a document
// name, which Media does not carry: documents are named "document-1",
// "document-2", … in the request's order (a neutral name, as AWS advises,
// since the model reads it). http(s) and gs:// URLs, file ids, other types,
// an S3 object of no known type and media outside user messages are
// refused with a *mirascope.UnsupportedError before any request: the
// provider fetches nothing on the caller's behalf.
//
// # Tools and structured output
//
// Tools go out as toolConfig.tools [{toolSpec: {name, description,
// inputSchema: {json}}}]; the schema is sent as written (its properties in
// their order, numbers as written), as are a tool call's arguments.
// ToolChoiceAuto is toolChoice {auto: {}}, ToolChoiceRequired {any: {}} and
// a tool name {tool: {name}} (a name not among the tools is refused); left
// empty, no toolChoice is sent and the model decides. Converse has no "none":
// ToolChoiceNone leaves the tools out of the request, which Converse accepts
// only while the conversation holds no tool calls or results; after them it
// is refused. Which models honour any and tool is the service's matter.
//
// Tool calls are toolUse blocks {toolUseId, name, input}, and tool results
// toolResult blocks {toolUseId, content: [{text}]} in a user turn, all the
// results of one turn in one message; a failed run (IsError) also sends
// status "error", which Bedrock documents for Amazon Nova and Anthropic
// Claude 3 and 4 models only. A result always goes as text, which every
// model takes.
//
// A Format goes out as Converse's native structured output,
// outputConfig.textFormat {type: "json_schema", structure: {jsonSchema:
// {schema, name, description}}}, the schema as a JSON string in its own key
// order; it combines with tools. Bedrock checks the schema against a JSON
// Schema subset it does not list, and answers 400 (a
// *mirascope.ProviderError) for a model without structured output or a
// schema outside the subset. Numeric and length bounds (minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength,
// minItems, maxItems), which Anthropic documents as unsupported in
// structured output, are moved into the descriptions: the answer is checked
// against them after decoding anyway.
//
// Every refusal is a *mirascope.UnsupportedError, returned before any
// request.
//
// # Response
//
// Converse returns neither a response id nor a model name: Response.ID is
// the request id (x-amzn-RequestId) and Response.Model the model id
// requested. FinishReasons are Bedrock's stopReason values (end_turn,
// tool_use, max_tokens, stop_sequence, guardrail_intervened, …). Usage
// counts input as the OpenTelemetry GenAI conventions do: inputTokens plus
// cacheReadInputTokens plus cacheWriteInputTokens, with the two cache counts
// also in CacheReadTokens and CacheWriteTokens.
//
// # Streaming
//
// Stream yields a chunk with the request id and model (messageStart), one
// per text delta (contentBlockDelta), one per tool-call piece by content
// block index (the toolUseId and name from contentBlockStart, each input
// fragment from contentBlockDelta; a call whose block ends without input
// gets "{}", as Converse returns it whole), one with the stop reason
// (messageStop) and one with the usage (metadata, the last event). An
// exception event (throttlingException, modelStreamErrorException, …) ends
// the stream with a *mirascope.ProviderError carrying its code and message,
// no status, and the request id of the response that opened the stream. A
// body that ends before the metadata event is an error wrapping
// io.ErrUnexpectedEOF (the SDK itself takes a frame cut short for a clean
// end).
//
// # Batches
//
// Given [WithBatchStorage] (an s3://bucket/prefix URI and the ARN of the IAM
// service role Bedrock reads and writes it as), the Provider implements
// providerkit.Batcher on Bedrock batch inference: use package batch.
// Without the option batch.Submit is refused with a
// *mirascope.UnsupportedError (Parameter "batch"). SubmitBatch uploads one
// JSONL file, {prefix}/{job name}/input.jsonl, one line {"recordId",
// "modelInput"} per request, and calls CreateModelInvocationJob with
// modelInvocationType "Converse", so modelInput is the very Converse body
// Call would send (the SDK's own serializer writes it) for every model
// family, and its output {prefix}/{job name}/output/. The job id is the
// job's ARN. The record id carries package batch's custom id as the
// alphanumeric string the service documents: letters and digits stay,
// any other byte (and X) becomes X and two hex digits ("mirascope-7" is
// "mirascopeX2D7"). The file is built in memory, then uploaded as it is.
//
// Refused before anything is uploaded, with a *mirascope.UnsupportedError:
// fewer than [MinBatchRecords] or more than [MaxBatchRecords] requests, an
// input file over [MaxBatchFileBytes] (the service's default quotas, which
// an account may have changed: split the prompts across jobs, or send a few
// with Call); requests for more than one model (a job runs one); media
// given by s3:// URI (a job reads S3 media only from its input's folder);
// and tools, since a Converse-type job fails every record that has a
// toolConfig. A refusal of one request (media, tools, a setting it cannot
// send) is a *providerkit.BatchRequestError, which batch.Submit reports as
// that prompt's *batch.PromptError.
// CreateModelInvocationJob carries a fresh clientRequestToken: the
// transport's retry after a 5xx or a lost answer gets the job the first
// attempt made, never a second one; after such a failure the input file
// stays in the bucket (the job may exist and read it), after a refusal
// (4xx) it is deleted. A batch's requests skip the providers.RateLimiter,
// which paces model calls.
// Structured output (a Format) goes as outputConfig, which such jobs take.
// S3 and the control plane need SigV4 credentials: a Bedrock API key alone
// is a *providers.MissingAPIKeyError. Their endpoints are the SDK's own
// (AWS_ENDPOINT_URL_BEDROCK, AWS_ENDPOINT_URL_S3, a profile's services
// section), not providers.WithBaseURL, which names the runtime's.
//
// BatchStatus maps GetModelInvocationJob: Submitted, Validating,
// Scheduled, InProgress and Stopping are running; Completed is ended;
// PartiallyCompleted (not every record done in time) and Expired (never
// started in time) are expired; Stopped (CancelBatch calls
// StopModelInvocationJob) is cancelled; Failed is failed; the counts are
// the job's successRecordCount and errorRecordCount of totalRecordCount;
// a failed job's message is BatchStatus.Reason (masked, cut short).
// BatchResults needs only the ARN, in any process: GetModelInvocationJob
// names the output, {output URI}/{job id, the ARN's last part}/input.jsonl.out,
// which is read from S3 line by line as it downloads (a line is bounded at
// 64 MiB; the echoed modelInput is skipped). A modelOutput is decoded by the
// SDK as Call's answer is, so Response carries the content, reasoning, tool
// calls, finish reason and usage as Call's does; Model is the job's model id
// and ID is empty (a record has no request id). A record with an error is
// its result's *mirascope.ProviderError: StatusCode its errorCode, Message
// its errorMessage. An expired or stopped job that wrote no output has no
// results; a running or failed one has none to read: the error matches
// batch.ErrNoResults.
//
// # Errors
//
// HTTP errors keep the status and request id (from *awshttp.ResponseError)
// and the service's code and message (from smithy.APIError, e.g.
// ThrottlingException, ValidationException, AccessDeniedException,
// ModelTimeoutException, ServiceUnavailableException). The SDK's retryer is
// replaced by one that never retries: the transport every provider shares
// retries (see package providers), resending the request the SDK signed.
package bedrock
