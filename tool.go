package mirascope

import (
	"context"
	"encoding/json"

	"github.com/mirascope-go/mirascope/prompt"
)

// Tool is a function the model may ask to run. [NewTool] builds one from a Go
// function; implement it directly to expose tools defined elsewhere (an MCP
// server's, say). Implementations must be safe for concurrent use.
type Tool interface {
	// Definition describes the tool to the model.
	Definition() ToolDefinition
	// Call runs the tool with the model's arguments (a JSON object) and
	// returns the result the model reads.
	Call(ctx context.Context, arguments string) (string, error)
}

// ToolDefinition is what the model is told about a [Tool].
type ToolDefinition struct {
	Name        string
	Description string
	// Parameters is the JSON Schema of the arguments object.
	Parameters json.RawMessage
}

// ToolChoice says whether the model must call a tool: [ToolChoiceAuto],
// [ToolChoiceRequired], [ToolChoiceNone], or the name of the one tool it must
// call. A provider whose service cannot honour a choice returns an error
// matching [ErrUnsupportedParameter] before any request.
type ToolChoice string

// The tool choices every provider understands.
const (
	ToolChoiceAuto     ToolChoice = "auto"
	ToolChoiceRequired ToolChoice = "required"
	ToolChoiceNone     ToolChoice = "none"
)

// WithTools offers tools to the model; calls add to those already offered.
func WithTools(tools ...Tool) CallOption {
	ts := append([]Tool(nil), tools...)
	return func(r *Request) { r.Tools = append(r.Tools, ts...) }
}

// WithToolChoice sets [Request.ToolChoice].
func WithToolChoice(choice ToolChoice) CallOption {
	return func(r *Request) { r.ToolChoice = choice }
}

// Format asks a provider for a structured answer: a JSON value matching
// Schema, returned as Response.Content (and streamed as Chunk.Content).
// Providers use the service's native structured output where it has one,
// with the schema made strict where the service demands it; otherwise they
// offer a tool named Name, force it, and return its arguments as the content
// (that call then does not appear in Response.ToolCalls).
type Format struct {
	// Name identifies the schema (the json_schema name, or the forced tool's
	// name): letters, digits, '_' and '-'.
	Name        string
	Description string
	// Schema is the JSON Schema of the answer, an object.
	Schema json.RawMessage
}

// ToolObserver is the optional capability of a provider decorator that
// observes tool runs (otel.Traced records a span for each). [CallTools] and
// [Run] find it by type assertion on the provider that produced the response,
// and on each provider its Unwrap() Provider method reaches. StartTool is
// called before the tool runs; the returned context is the tool's, and end is
// called once with the result, or with the error the run ended in (an unknown
// tool, bad arguments, the tool's error or a panic).
type ToolObserver interface {
	StartTool(ctx context.Context, def ToolDefinition, call prompt.ToolCall) (_ context.Context, end func(result string, err error))
}

// RunObserver is the optional capability of a provider decorator that
// observes a whole [Run] (otel.Traced records one span parenting its turns and
// tools). Run finds it as [CallTools] finds a [ToolObserver]; the returned
// context carries every turn, and end is called once with the transcript and
// the error Run returns.
type RunObserver interface {
	StartRun(ctx context.Context, req *Request) (_ context.Context, end func(tr *Transcript, err error))
}

// Transcript is the outcome of a [Run]: the final answer, the whole
// conversation and what it cost.
type Transcript struct {
	// Response is the last model turn (the answer, when Run succeeded).
	Response *Response
	// Messages is the whole conversation, the prompt's messages first, to
	// continue it.
	Messages []prompt.Message
	// Usage sums the tokens of every turn.
	Usage Usage
	// Turns counts the model calls made.
	Turns int
}
