// Package otel records every model call as an OpenTelemetry span and as the
// GenAI client metrics. Content is recorded by default: the span carries the
// prompt's field values and the input and output messages, as the original
// Mirascope integration does. This differs from the OpenTelemetry GenAI
// conventions, where content is opt-in; turn it off with
// [WithContentCapture](false) or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false
// (or NO_CONTENT). A field tagged `prompt:"name,redact"` is recorded as
// "[REDACTED]", and its value never in any message or error text.
//
// It imports the OpenTelemetry API and semantic conventions only, as an
// instrumentation library should: spans go wherever the program's tracer
// provider sends them. A program with no pipeline of its own gets one from
// package [github.com/mirascope-go/mirascope/otel/otelsetup]:
//
//	shutdown, err := otelsetup.Configure() // console exporter, or what OTEL_* names
//	if err != nil {
//		return err
//	}
//	defer func() {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		_ = shutdown(ctx) // flushes every span and metric, within 5 seconds
//	}()
//
//	provider := otel.Traced(anthropic.New("claude-sonnet-4-5"))
//	resp, err := mirascope.Call(ctx, provider, RecommendBook{Genre: "fantasy"})
//
// This package shares its name with go.opentelemetry.io/otel; code that needs
// both imports the upstream one under another name:
//
//	import otelapi "go.opentelemetry.io/otel"
//
// # Traced
//
// [Traced] wraps any [mirascope.Provider], a user's own included. The result
// streams exactly when the wrapped provider does, and its Unwrap method
// returns it. Options: [WithTracerProvider] and [WithMeterProvider] (default:
// the global ones, looked up at each call), [WithContentCapture],
// [WithSpanNameFormatter] (with [ChatSpanName] ready for "chat {model}"),
// [WithLegacyAttributes], [WithMaxContentSize].
//
// # The span
//
// One span per Call or Stream, kind CLIENT, a child of the span in the
// caller's context, named after the prompt's type (RecommendBook). Its
// attributes:
//
//	gen_ai.operation.name            "chat"
//	gen_ai.provider.name             ProviderInfo.Name, e.g. "anthropic"
//	gen_ai.request.model             the model sent
//	gen_ai.request.max_tokens, .temperature, .top_p, .stop_sequences, .seed   those set
//	gen_ai.request.stream            true, for a stream
//	server.address, server.port      where the service is
//	gen_ai.response.id, .model, .finish_reasons
//	gen_ai.usage.input_tokens, .output_tokens (and cache_read.input_tokens,
//	    cache_creation.input_tokens, reasoning.output_tokens when given)
//	mirascope.usage.batch            true when a batch engine answered (Usage.Batch)
//	gen_ai.response.time_to_first_chunk   seconds, for a stream
//	http.request.resend_count        retries the provider made (Response.Attempts-1, or the ProviderError's)
//	mirascope.rate_limit.wait        seconds waited for rate limits (Response.RateLimitWait), when any
//	error.type                       on failure, see below
//	mirascope.prompt.name            the prompt's type name
//	mirascope.prompt.template        the template as written
//	mirascope.prompt.field.<name>    each field's typed value (content)
//	gen_ai.system_instructions, gen_ai.input.messages, gen_ai.output.messages
//	                                 JSON in the GenAI message schemas (content),
//	                                 tool calls, tool results and media as their parts
//	gen_ai.tool.definitions          the tools offered, as JSON (content)
//	gen_ai.output.type               "json", when the request asks for a Format
//	mirascope.content.truncated      true when content was cut to fit the budget
//	mirascope.content.dropped_parts  how many parts were left out to fit it
//
// The attributes a sampler may decide on (operation, provider, request
// model, server) are given when the span starts; the others are set when it
// ends, in one call, and only on a span that is recorded.
//
// Field values are strings, int64s, float64s, bools or slices of them, as the
// field's kind is; other values are JSON; []prompt.Message fields are not
// recorded. A redacted field is recorded as "[REDACTED]", inside nested
// structs too. With a redacted field, a template prompt's input messages are
// recorded rendered again with the secret masked; for the other prompt
// styles, whose text the user's method built, the input messages are left
// out. Redacted values the model repeats in its answer are masked in
// gen_ai.output.messages, and any a failure's text quotes are masked in the
// span's status and exception event; with capture off, so are the field
// values and input messages. No API key, header or provider option ever
// reaches a span: this package sees only the request, the response and the
// error.
//
// Credentials are masked in recorded error text, failed tool results in the
// input messages included, as a second line of defence (providers mask
// their own): the value of an Authorization, x-api-key or
// similar header or key= parameter, and the key shapes sk-…, AIza…, xai-…,
// gsk_…, AKIA…/ASIA… all become "[REDACTED]". Error text is recorded up to
// 8 KiB.
//
// # Content budget
//
// All the content one span captures shares one budget, [WithMaxContentSize]
// (default [DefaultMaxContentSize], 128 KiB), so that no span outgrows what
// a collector accepts and takes its export batch down with it. Texts that
// fit an equal share are kept whole; longer ones are all cut to the same
// length, at a UTF-8 boundary, ending in "…"; a slice of strings shares its
// part the same way. Parts too many even for that (thousands of tool calls
// in one answer, of tool results in a conversation, of tool definitions or
// system instructions) are kept from the first, as many as fit, and the
// rest left out: the span counts them in mirascope.content.dropped_parts,
// and every attribute stays valid JSON. Texts are masked after being cut,
// so a huge one costs no more to mask than what is recorded of it. Tool
// call ids and names, which the model writes, are cut at 128 bytes wherever
// recorded. A chat span's request side (fields, template, instructions,
// messages, tool definitions) takes at most three quarters, the answer what
// is left; a span whose content was cut carries
// mirascope.content.truncated=true. Every string a span or metric records
// is valid UTF-8: invalid bytes become U+FFFD, as OTLP's protobuf encoding
// would otherwise fail the whole batch.
//
// # Media
//
// A message built from parts (prompt.Message.Parts: text, images, audio,
// documents) is recorded part by part, in order, in the GenAI conventions'
// part forms, with the medium as the modality:
//
//	bytes                {"type":"blob","modality":"image","mime_type":"image/png","content":"<base64>"}
//	a base64 data: URL   the same blob, its payload as it is
//	a URL                {"type":"uri","modality":"image","uri":"https://…"}
//	an uploaded file     {"type":"file","modality":"document","file_id":"file-…"}
//
// (mime_type when known). A URL, here and in a field's attribute, has the
// values of its signing query parameters (X-Amz-Signature,
// X-Goog-Signature, an Azure SAS's sig…) masked: a signed URL grants
// access to its object. A payload — the base64, the URL, the file id —
// is never cut, as a cut one is garbage: one of up to 1 KiB is planned like
// a part's framing; a larger one is kept only if it fits in what the
// attribute's texts, whole, leave of its bound, the first ones first, and
// is otherwise left out whole, counted in mirascope.content.dropped_parts
// and flagged by mirascope.content.truncated. The texts around it stay. The
// decision comes from the size (base64 takes 4/3 of the bytes) before
// anything is encoded, so a 2 MB image that cannot fit the default budget
// costs no encoding; one that fits is encoded once, straight into the
// attribute. A legacy prompt event carries a message's texts only.
//
// A media field (a prompt.Part or []prompt.Part, as a template's
// {cover:image} takes) records as its mirascope.prompt.field.<name> its URL,
// its file id, or, for bytes, its MIME type and size ("image/png, 2097152
// bytes"); a []prompt.Part field the list of them (a text part as its
// text); a part inside a struct or slice field is described likewise in
// the field's JSON. Never the bytes. A redacted media field records "[REDACTED]", and
// wherever a recorded message holds its media (the same Media, the same
// bytes, URL or file id) the part is recorded as the text "[REDACTED]";
// as for text, a messages-style prompt with a redacted field records no
// input messages. With capture off, a failure's text is masked of the
// media fields' and messages' URLs and file ids.
//
// error.type is one of: "canceled", "timeout", the service's own error code
// (e.g. "rate_limit_exceeded"), the HTTP status as a string ("429"), or
// "_OTHER". The span's status is Error with the error's text (masked as
// above), and the error is recorded as an exception event.
//
// gen_ai.output.messages always carries the finish_reason its schema
// requires: the service's first reason, normalised (stop, length,
// content_filter, tool_call, error); when the service gave none, "error"
// for a failure, "tool_call" for an answer calling tools, else "stop".
//
// A stream's span records the request as it was when Stream was called,
// and ends when the stream is exhausted, when the caller stops ranging, when
// the stream fails, or when a panic in the loop body unwinds through it; it
// carries what was accumulated until then, tool calls included.
//
// # Tools and runs
//
// The traced provider implements [mirascope.ToolObserver] and
// [mirascope.RunObserver], which mirascope.CallTools and mirascope.Run find
// on it. Each tool run is a span "execute_tool {name}", kind INTERNAL, with
//
//	gen_ai.operation.name            "execute_tool"
//	gen_ai.tool.name, .call.id, .description
//	gen_ai.tool.type                 "function"
//	gen_ai.tool.call.arguments       the model's arguments (content)
//	gen_ai.tool.call.result          the result, when the tool succeeded (content)
//	error.type                       on failure: "canceled", "timeout",
//	                                 "unknown_tool", the error's Go type
//	                                 (e.g. mirascope.ArgumentsError), or "_OTHER"
//
// arguments and result sharing the content budget. A Run is a span
// "invoke_agent {PromptType}", kind INTERNAL, parenting the chat span of each
// turn and the tool spans, with gen_ai.operation.name "invoke_agent",
// gen_ai.agent.name (the prompt's type), the provider and model, and the
// tokens of every turn summed in gen_ai.usage.input_tokens and
// .output_tokens (and, where reported, .cache_read.input_tokens,
// .cache_creation.input_tokens and .reasoning.output_tokens); it ends in
// error when the Run fails, reaches its turn limit or is unwound by a
// panic. An Extract, with tools or without, runs
// as one too, so that its attempts share a trace: the chat span of each
// attempt's answer carries mirascope.extract.attempt (1, 2, …), and that of
// a refused answer mirascope.extract.rejected=true and, with capture on,
// mirascope.extract.rejection (why, as the model is told). A refused answer
// is not an Error status: the call succeeded; the Extract's own failure,
// when no attempt is left, is the invoke_agent span's. Values of the
// prompt's redacted fields are masked in the later turns' input messages,
// and in the tools' arguments, results and errors, whichever way the tools
// run (Run, or mirascope.CallTools on the response of a Call or a Stream):
// the tool span is handed the request the response answers.
//
// # Batches
//
// The traced provider also implements
// [github.com/mirascope-go/mirascope/providers/providerkit.BatchObserver], which
// package batch finds along Unwrap. batch.Submit is a span
// "batch {PromptType}", kind CLIENT, with gen_ai.provider.name, the
// provider's model and server, mirascope.batch.size (the request count)
// and mirascope.batch.id (the service's job id); it ends in error when the
// upload fails. The requests are not chat spans: the service answers them
// later. Each result that batch.Job.Results reads is a chat span, kind
// CLIENT, a child of the context given to Results, carrying
// mirascope.batch.id and the result's response attributes as a call's span
// does (id, model, finish reasons, usage, output with capture on), or the
// request's error as an Error status; and a link to the submission's span
// when the job came from Submit in this process. A job from batch.Resume
// has no link: the submission's span context is stored nowhere, not in
// the job id nor on the service. The job keeps no requests, so these
// spans have none of the request's attributes. Package batch marks every
// result's usage as batch-priced (mirascope.Usage.Batch), so its span has
// mirascope.usage.batch=true beside the usage. Each answered result
// records gen_ai.client.token.usage, its points also marked
// mirascope.usage.batch=true (low cardinality, unlike the job id), so that
// tokens priced at the batch rate are told apart; no operation duration is
// recorded, since the span lasts the reading, not the service's work.
//
// # Metrics
//
// gen_ai.client.token.usage ({token}, by gen_ai.token.type),
// gen_ai.client.operation.duration (s, with error.type on failure; not for
// a batch's results) and, for
// streams, gen_ai.client.operation.time_to_first_chunk (s), with the bucket
// boundaries the conventions advise.
//
// # Stability
//
// The Go API and the mirascope.* keys follow this module's versioning. The
// gen_ai.* keys follow the OpenTelemetry GenAI semantic conventions, which are
// at Development stability and may change with them; spans carry the schema
// URL of the conventions' version in use (1.41.0).
package otel

// ScopeName is the instrumentation scope of the tracer and meter: this
// package's import path.
const ScopeName = "github.com/mirascope-go/mirascope/otel"

// Version is the instrumentation scope's version.
const Version = "0.1.0"
