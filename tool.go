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
// [Run] find it by type assertion on the provider that produced the response
// (Response.Provider), and on each provider its Unwrap() Provider method
// reaches. StartTool is called before the tool runs, with the request whose
// answer asked for the call (Response.Request; nil when unknown), from which
// it learns what it must not record (its prompt's redacted values); it must
// not modify or retain req. The returned context is the tool's, and end is
// called once with the result, or with the error the run ended in (an
// unknown tool, bad arguments, the tool's error or a panic).
type ToolObserver interface {
	StartTool(ctx context.Context, req *Request, def ToolDefinition, call prompt.ToolCall) (_ context.Context, end func(result string, err error))
}

// RunObserver is the optional capability of a provider decorator that
// observes a whole [Run] (otel.Traced records one span parenting its turns and
// tools). Run finds it as [CallTools] finds a [ToolObserver]; the returned
// context carries every turn, and end is called once with the transcript and
// the error Run returns (an error, too, when a panic unwinds through Run).
type RunObserver interface {
	StartRun(ctx context.Context, req *Request) (_ context.Context, end func(tr *Transcript, err error))
}

// AttemptObserver is the optional capability of a provider decorator that
// observes the attempts of an [Extract] (otel.Traced marks a rejected
// answer on its chat span). Extract finds it as [Run] finds a [RunObserver],
// and calls StartAttempt before each attempt (1 for the first answer, 2,
// 3, … for re-asks), under the context of the run that parents them all;
// the returned context carries the attempt's model calls. end is called
// once, when the answer was judged: with resp and nil when it was
// accepted, with resp and why when it was refused, and with nil, nil when
// no answer came (the call's error is the run's).
type AttemptObserver interface {
	StartAttempt(ctx context.Context, req *Request, attempt int) (_ context.Context, end func(resp *Response, rejected error))
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
// A name that is not 1 to 64 letters, digits, '_' or '-', a nil fn, an In
// whose schema cannot be derived (In is not a struct), or a mistyped
// `validate` rule a zero In reaches is found here, but a Tool cannot carry
// an error: every request offering the tool fails with [ErrInvalidTool]
// before it is sent, and [CheckTools] reports it at once, from a unit test
// or at start-up.
func NewTool[In, Out any](name, description string, fn func(context.Context, In) (Out, error)) Tool {
	t := &funcTool[In, Out]{def: ToolDefinition{Name: name, Description: description}, fn: fn}
	if err := checkName(name); err != nil {
		t.err = &InvalidToolError{Name: name, Reason: err.Error()}
		return t
	}
	if fn == nil {
		t.err = &InvalidToolError{Name: name, Reason: "nil function"}
		return t
	}
	schema, err := objectSchema(reflect.TypeFor[In]())
	if err == nil {
		err = probeTags(reflect.TypeFor[In]())
	}
	if err != nil {
		t.err = &InvalidToolError{Name: name, Reason: strings.TrimPrefix(err.Error(), "mirascope: ")}
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
		if rp := (*prompt.RulePanicError)(nil); errors.As(err, &rp) {
			// a custom rule panicked: the program's bug, as a panic in
			// Validate is
			return "", &ToolPanicError{Tool: t.def.Name, Value: rp, Stack: rp.Stack}
		}
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
// fails with, before it is sent, and by what [CheckTools] reports: a bad
// name, a schema that cannot be derived or is not an object, a nil tool or
// function, or two tools of one name.
var ErrInvalidTool = errors.New("mirascope: invalid tool")

// InvalidToolError is a tool no service would accept. It matches
// [ErrInvalidTool].
type InvalidToolError struct {
	// Name is the tool's name, or "#i" for a nil tool at index i.
	Name string
	// Reason says what is wrong with it.
	Reason string
}

func (e *InvalidToolError) Error() string {
	return fmt.Sprintf("mirascope: invalid tool %q: %s", e.Name, e.Reason)
}

func (e *InvalidToolError) Is(target error) bool { return target == ErrInvalidTool }

// CheckTools reports what a request offering tools would be refused for,
// without a request: a tool's name is not 1 to 64 letters, digits, '_' or
// '-' (the rule every service shares), its parameters' schema is not a JSON
// object of type "object", [NewTool] could not derive its schema (In is not
// a struct) or got a nil function, a tool is nil, or two share a name. The
// error is an [*InvalidToolError] matching [ErrInvalidTool], the one a
// request would fail with. As prompt.Check does for prompts, it lets a unit
// test or a program's start-up find a broken tool before any model is
// called:
//
//	func TestTools(t *testing.T) {
//		require.NoError(t, mirascope.CheckTools(getAuthor, searchBooks))
//	}
func CheckTools(tools ...Tool) error { return checkTools(tools) }

// checkTools refuses tools no service would accept, before any request.
func checkTools(tools []Tool) error {
	seen := make(map[string]bool, len(tools))
	for i, t := range tools {
		if t == nil {
			return &InvalidToolError{Name: fmt.Sprintf("#%d", i), Reason: "nil tool"}
		}
		it, ours := t.(interface{ invalid() error })
		if ours && it.invalid() != nil {
			return it.invalid()
		}
		def := t.Definition()
		if err := checkName(def.Name); err != nil {
			return &InvalidToolError{Name: def.Name, Reason: err.Error()}
		}
		if !ours {
			// NewTool's schemas are derived objects; anyone else's is read.
			if err := jsonschema.CheckArguments(def.Parameters); err != nil {
				return &InvalidToolError{Name: def.Name, Reason: err.Error()}
			}
		}
		if seen[def.Name] {
			return &InvalidToolError{Name: def.Name, Reason: "offered twice"}
		}
		seen[def.Name] = true
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
