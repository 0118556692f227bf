package mirascope

import (
	"time"

	"github.com/mirascope-go/mirascope/prompt"
)

// Response is a model's whole answer.
type Response struct {
	// Content is the text of the answer.
	Content string
	// Reasoning is the thinking text, or its summary, that the service
	// returned beside the answer; empty when it hides it. What the service
	// must see again in a later turn is Message.Reasoning.
	Reasoning string
	// Model is the model that answered, as the service names it.
	Model string
	// ID is the service's id for the response.
	ID string
	// FinishReasons are the service's own values (e.g. "stop", "end_turn"),
	// one per choice.
	FinishReasons []string
	// Usage counts the tokens.
	Usage Usage
	// ToolCalls are the tools the model asked to run, in its order; they are
	// also on Message. Run them with [CallTools].
	ToolCalls []prompt.ToolCall
	// Message is the assistant turn, to append to a history.
	Message prompt.Message
	// Raw is the SDK's own response value (for a stream, its last event).
	Raw any
	// Attempts counts the HTTP requests the provider sent for this answer:
	// 1, or more when it retried; 0 when it does not count them. A tracer
	// records Attempts-1 as http.request.resend_count.
	Attempts int
	// RateLimitWait is how long the call waited for rate limits before
	// sending (see providers.WithRateLimit); a tracer records it.
	RateLimitWait time.Duration

	// Request and Provider say where the answer came from: the request
	// [Call], [Stream], [Run] or [Extract] sent, and the provider it went
	// through (nil in a Response built otherwise). [CallTools] reports tool
	// runs to a [ToolObserver] found on Provider, handing it Request, so
	// that a tracer masks the prompt's redacted values in its tool spans.
	// Set them on a Response of your own to the same effect.
	Request  *Request `json:"-"`
	Provider Provider `json:"-"`
}

// String returns the text content, so fmt.Println(resp) prints the answer.
func (r *Response) String() string {
	if r == nil {
		return ""
	}
	return r.Content
}

// Usage counts tokens as the OpenTelemetry GenAI conventions do: InputTokens
// includes cached tokens.
type Usage struct {
	InputTokens  int
	OutputTokens int
	// CacheReadTokens are input tokens served from the provider's cache.
	CacheReadTokens int
	// CacheWriteTokens are input tokens written to the provider's cache.
	CacheWriteTokens int
	// ReasoningTokens are output tokens spent on reasoning.
	ReasoningTokens int
	// Batch says the service's batch engine answered (package batch sets
	// it on every result): these tokens are priced at its batch rate,
	// about half the online one. A sum of usages (Transcript.Usage) is
	// Batch only when every usage in it is: a mix has no single rate.
	Batch bool
}

// Chunk is one piece of a streamed response.
type Chunk struct {
	// Content is the text this chunk adds.
	Content string
	// Reasoning is the thinking text this chunk adds, kept apart from
	// Content; [ResponseStream] concatenates it into Response.Reasoning.
	Reasoning string
	// ReasoningBlocks are pieces of the reasoning blocks the service must
	// see again; [ResponseStream] assembles them into
	// Response.Message.Reasoning.
	ReasoningBlocks []ReasoningChunk
	// ID, Model and FinishReason are set on the chunk that carries them.
	ID           string
	Model        string
	FinishReason string
	// Usage, where set, is the running total for the whole response so far;
	// the last one wins.
	Usage *Usage
	// ToolCalls are pieces of tool calls; [ResponseStream] assembles them
	// into Response.ToolCalls.
	ToolCalls []ToolCallChunk
	// Raw is the SDK's own event.
	Raw any
	// Attempts, on a stream's first chunk, is Response.Attempts: a stream
	// is retried before its first chunk only.
	Attempts int
	// RateLimitWait, on a stream's first chunk, is Response.RateLimitWait.
	RateLimitWait time.Duration
}

// ToolCallChunk is a piece of a streamed tool call. Pieces with the same
// Index belong to one call, which is ordered among the others by Index; ID
// and Name are set on at least one piece (the last non-empty one wins, as
// for Signature), and the Arguments of all pieces are concatenated. A
// provider whose service sends a call whole sends one piece.
type ToolCallChunk struct {
	Index     int
	ID        string
	Name      string
	Arguments string
	// Signature is the call's prompt.ToolCall.Signature, where the service
	// gives one.
	Signature string
}

// ReasoningChunk is a piece of a streamed reasoning block (a
// prompt.Reasoning). Pieces with the same Index belong to one block, which
// is ordered among the others by Index; their Text, Signature and Redacted
// are each concatenated.
type ReasoningChunk struct {
	Index     int
	Text      string
	Signature string
	Redacted  string
}
