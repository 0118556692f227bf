package mirascope

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/mirascope-go/mirascope/internal/jsonschema"
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
// matching [ErrUnsupportedParameter] before any request. With no tools
// offered, auto and none are accepted and send nothing (they ask for what
// already holds); required and a name are refused, on every provider.
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
// the error Run returns (an error, too, when a panic unwinds through Run).
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

// NewTool makes a [Tool] of fn. The JSON Schema of In (a struct) is derived
// once per type from the tags its fields already carry: `json` names;
// `jsonschema` descriptions, as plain text or description=…; and the
// `validate` rules that have a schema form (required, oneof as enum, min,
// max, len, gt, gte, lt, lte as bounds, email and url as formats). A field
// is required unless it is a pointer or tagged omitempty or omitzero. An
// optional field that is absent or null is validated as its zero value, so
// give an optional struct whose fields have rules a pointer type or
// `validate:"omitempty"`. When the model
// calls the tool, its arguments are decoded strictly against that schema
// (a required key absent or null, an unknown key, trailing data rejected)
// and validated with the shared validator (see prompt.RegisterValidation)
// and In's Validate() error method, if it has one, before fn runs; the
// error then says what was wrong, by JSON path ([*ValueError]), rule and
// value, for the model to correct. A panic in Validate is the tool's
// [*ToolPanicError]. A string Out is returned as it is, anything else as
// its JSON.
//
// A name that is not 1 to 64 letters, digits, '_' or '-', an In whose
// schema cannot be derived, or a mistyped `validate` rule a zero In
// reaches, makes every request offering the tool fail with
// [ErrInvalidTool] before it is sent.
func NewTool[In, Out any](name, description string, fn func(context.Context, In) (Out, error)) Tool {
	t := &funcTool[In, Out]{def: ToolDefinition{Name: name, Description: description}, fn: fn}
	if err := checkName(name); err != nil {
		t.err = &toolError{name: name, msg: err.Error()}
		return t
	}
	if fn == nil {
		t.err = &toolError{name: name, msg: "nil function"}
		return t
	}
	schema, err := objectSchema(reflect.TypeFor[In]())
	if err == nil {
		err = probeTags(reflect.TypeFor[In]())
	}
	if err != nil {
		t.err = &toolError{name: name, msg: strings.TrimPrefix(err.Error(), "mirascope: ")}
		return t
	}
	t.def.Parameters = schema
	return t
}

type funcTool[In, Out any] struct {
	def ToolDefinition
	fn  func(context.Context, In) (Out, error)
	err error
}

func (t *funcTool[In, Out]) Definition() ToolDefinition {
	d := t.def
	d.Parameters = bytes.Clone(d.Parameters)
	return d
}

func (t *funcTool[In, Out]) Call(ctx context.Context, arguments string) (string, error) {
	if t.err != nil {
		return "", t.err
	}
	if strings.TrimSpace(arguments) == "" {
		arguments = "{}"
	}
	var in In
	if err := decodeStrict(arguments, &in); err != nil {
		return "", &ArgumentsError{Tool: t.def.Name, Err: err}
	}
	if err := validateTags(&in, arguments); err != nil {
		if !answerAt(err) {
			return "", err
		}
		return "", &ArgumentsError{Tool: t.def.Name, Err: err}
	}
	if err := validateSelf(&in, "$"); err != nil {
		var pe *ValidatePanicError
		if errors.As(err, &pe) {
			// the tool's own code panicked: as if fn had
			return "", &ToolPanicError{Tool: t.def.Name, Value: pe.Value, Stack: pe.Stack}
		}
		return "", &ArgumentsError{Tool: t.def.Name, Err: err}
	}
	out, err := t.fn(ctx, in)
	if err != nil {
		return "", err
	}
	if s, ok := any(out).(string); ok {
		return s, nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("mirascope: tool %s: encoding its result: %w", t.def.Name, err)
	}
	return string(b), nil
}

func (t *funcTool[In, Out]) invalid() error { return t.err }

// objectSchema is the JSON Schema of t, which must be a struct.
func objectSchema(t reflect.Type) (json.RawMessage, error) {
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() != reflect.Struct || st == reflect.TypeFor[time.Time]() {
		return nil, fmt.Errorf("%s is not a struct: tool arguments are a JSON object", t)
	}
	return jsonschema.For(st)
}

// checkName enforces the name rule services share for tools and schemas.
func checkName(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool {
		return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		return errors.New("a name must be 1 to 64 letters, digits, '_' or '-'")
	}
	return nil
}

// ErrInvalidTool is matched by the error a request offering an unusable tool
// fails with, before it is sent: a bad name, a schema that cannot be
// derived, a nil tool, or two tools of one name.
var ErrInvalidTool = errors.New("mirascope: invalid tool")

type toolError struct{ name, msg string }

func (e *toolError) Error() string {
	return fmt.Sprintf("mirascope: invalid tool %q: %s", e.name, e.msg)
}
func (e *toolError) Is(target error) bool { return target == ErrInvalidTool }

// checkTools refuses tools no service would accept, before any request.
func checkTools(tools []Tool) error {
	seen := make(map[string]bool, len(tools))
	for i, t := range tools {
		if t == nil {
			return &toolError{name: fmt.Sprintf("#%d", i), msg: "nil tool"}
		}
		if it, ok := t.(interface{ invalid() error }); ok && it.invalid() != nil {
			return it.invalid()
		}
		name := t.Definition().Name
		if err := checkName(name); err != nil {
			return &toolError{name: name, msg: err.Error()}
		}
		if seen[name] {
			return &toolError{name: name, msg: "offered twice"}
		}
		seen[name] = true
	}
	return nil
}

// ArgumentsError is a tool call whose arguments did not decode into the
// tool's input type or failed its validation; [CallTools] sends its text to
// the model. It matches [prompt.ErrValidation] when validation failed, and
// unwraps to encoding/json's error when decoding did.
type ArgumentsError struct {
	// Tool is the tool's name.
	Tool string
	// Err says what was wrong, by JSON path, rule and value.
	Err error
}

func (e *ArgumentsError) Error() string {
	return "mirascope: invalid arguments for tool " + e.Tool + ": " + e.Err.Error()
}

func (e *ArgumentsError) Unwrap() error { return e.Err }
