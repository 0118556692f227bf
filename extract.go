package mirascope

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mirascope-go/mirascope/internal/jsonschema"
	"github.com/mirascope-go/mirascope/prompt"
)

// WithMaxReasks lets [Extract] ask again, at most n times, when the answer
// does not decode or validate: the answer goes back to the model with what
// was wrong (JSON path, rule, value). The default is 0: the first invalid
// answer is an [*ExtractError].
//
// Only Extract asks again: elsewhere (Call, Stream, Run, StreamExtract) it
// is refused with an [*UnsupportedError], before any request.
func WithMaxReasks(n int) CallOption {
	return func(r *Request) { r.loop.maxReasks, r.loop.reasksSet = max(n, 0), true }
}

// ExtractError is an [Extract] whose every attempt gave an invalid answer.
// It unwraps to the last attempt's error, which reaches a [*ValueError]
// naming the JSON path with errors.As; errors.Is(err, prompt.ErrValidation)
// holds when that answer failed its `validate` tags or Validate method;
// errors.As finds encoding/json's *json.SyntaxError or
// *json.UnmarshalTypeError when it did not decode, and errors.Is finds
// io.ErrUnexpectedEOF when it was cut short (a low max tokens, say).
type ExtractError struct {
	// Attempts are the answers, in order, with what was wrong with each.
	Attempts []ExtractAttempt

	typ string
}

// ExtractAttempt is one answer of an [Extract] and why it was refused.
type ExtractAttempt struct {
	// Raw is the model's answer as it came.
	Raw string
	// Err says what was wrong with it.
	Err error
}

func (e *ExtractError) Error() string {
	n := len(e.Attempts)
	if n == 0 {
		return "mirascope: extract " + e.typ + ": no answer"
	}
	s := "attempt"
	if n > 1 {
		s = "attempts"
	}
	return fmt.Sprintf("mirascope: extract %s: %d %s failed; last: %v", e.typ, n, s, e.Attempts[n-1].Err)
}

// Unwrap returns the last attempt's error.
func (e *ExtractError) Unwrap() error {
	if len(e.Attempts) == 0 {
		return nil
	}
	return e.Attempts[len(e.Attempts)-1].Err
}

// Extract renders p and asks the model for a T, returning the value and the
// response it came from. The JSON Schema of T (derived as [NewTool] derives
// its arguments' schema, from json, jsonschema and validate tags) goes out
// as [Request.Format], named after T: providers send it as the service's
// native structured output, strict where the service demands it, or as a
// forced tool. A T that is not a struct (or a pointer to one), such as
// []Book, int or map[string]int, travels as {"value": …}, since services
// take only an object there: the schema is an object with that one required
// property, and the value is returned unwrapped (paths in errors are those
// of the answer, $.value[1].year).
//
// The answer is decoded strictly, against the schema sent: a required key
// that is absent, or null where the schema does not allow null, a key the
// schema does not name (also one that differs only in case), a type
// mismatch and trailing data are refused. It is then checked with T's
// `validate` tags on the shared validator (a slice's or map's items too,
// for a wrapped T), then by T's Validate() error method if it has one (on T
// or *T; on each item of a wrapped slice or map). Every such problem is a
// [*ValueError] naming its JSON path.
//
// An invalid answer is an [*ExtractError]; with [WithMaxReasks] the model is
// first shown its answer and what was wrong, and asked again. A panic in
// Validate ([*ValidatePanicError]) or in a custom rule
// ([*prompt.RulePanicError]), or a mistyped `validate` rule (matching
// prompt.ErrInvalidField, found before any request when a zero T reaches
// it) is the program's mistake: returned at once, never re-asked. With
// [WithTools], Extract runs the tool loop as [Run] does (the structured
// answer is the one without tool calls; [WithMaxTurns] bounds each attempt)
// and a re-ask continues that conversation. A provider's error is returned
// as it is. All attempts run under one [RunObserver] run, each reported to
// an [AttemptObserver], when provider is or wraps one (otel.Traced is both).
func Extract[T any](ctx context.Context, provider Provider, p any, opts ...CallOption) (T, *Response, error) {
	var zero T
	req, err := extractRequest[T](provider, p, opts)
	if err != nil {
		return zero, nil, err
	}
	if err := req.unusedOption("Extract", len(req.Tools) == 0, false); err != nil {
		return zero, nil, err
	}
	var resp *Response
	var v T
	body := func(ctx context.Context, tr *Transcript) error {
		resp, v, err = extractLoop[T](ctx, provider, req, tr)
		return err
	}
	// Every attempt, with tools or without, runs under one observed run:
	// a tracer parents them all under one span.
	_, err = observedRun(ctx, provider, req, body)
	return v, resp, err
}

func extractRequest[T any](provider Provider, p any, opts []CallOption) (*Request, error) {
	t := reflect.TypeFor[T]()
	w := wireFor(t)
	var te *tagError
	if errors.As(w.err, &te) {
		return nil, w.err
	}
	if w.err != nil {
		return nil, fmt.Errorf("mirascope: extract: %w", w.err)
	}
	req, err := NewRequest(p, opts...)
	if err != nil {
		return nil, err
	}
	if provider == nil {
		return nil, ErrNilProvider
	}
	// The schema is cached and shared: the request gets its own copy.
	req.Format = &Format{Name: formatName(t), Schema: bytes.Clone(w.schema)}
	return req, nil
}

// wire is how values of a type travel as a structured answer. A struct (or
// a pointer to one) is the answer itself. Anything else ([]Book, int,
// map[string]int, time.Time) travels wrapped, as {"value": …}: services
// take only an object as the root of a structured answer or of a tool's
// arguments, so the schema sent is an object with that one required
// property, and the answer is unwrapped before it is returned.
type wire struct {
	typ     reflect.Type // what the answer decodes into
	wrapped bool
	schema  json.RawMessage
	err     error
}

// valueKey is the one property of a wrapped answer.
const valueKey = "value"

var wires sync.Map // reflect.Type → *wire

func wireFor(t reflect.Type) *wire {
	if w, ok := wires.Load(t); ok {
		return w.(*wire)
	}
	w := &wire{typ: t}
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() != reflect.Struct || st == reflect.TypeFor[time.Time]() {
		w.wrapped = true
		w.typ = wrapperType(t)
	}
	w.schema, w.err = objectSchema(w.typ)
	if w.err == nil {
		w.err = probeTags(w.typ)
	}
	got, _ := wires.LoadOrStore(t, w)
	return got.(*wire)
}

// wrapperType is struct{ Value T `json:"value"` }, required on the wire
// even when T is a pointer, with T's items validated (a dive per level of
// slice, array or map) as a field of type T would be.
func wrapperType(t reflect.Type) reflect.Type {
	var dives []string
	for e := t; ; {
		for e.Kind() == reflect.Pointer {
			e = e.Elem()
		}
		k := e.Kind()
		if k != reflect.Slice && k != reflect.Array && k != reflect.Map || k == reflect.Slice && e.Elem().Kind() == reflect.Uint8 {
			break
		}
		dives = append(dives, "dive")
		e = e.Elem()
		if len(dives) > 32 { // type T []T dives forever: stop, the schema will refer
			break
		}
	}
	tag := `json:"` + valueKey + `" jsonschema:"required"`
	if len(dives) > 0 {
		tag += ` validate:"` + strings.Join(dives, ",") + `"`
	}
	return reflect.StructOf([]reflect.StructField{{Name: "Value", Type: t, Tag: reflect.StructTag(tag)}})
}

func extractLoop[T any](ctx context.Context, provider Provider, req *Request, tr *Transcript) (*Response, T, error) {
	var zero T
	xerr := &ExtractError{typ: reflect.TypeFor[T]().String()}
	obs, _ := find[AttemptObserver](provider)
	for attempt := 0; ; attempt++ {
		actx, end := ctx, func(*Response, error) {}
		if obs != nil {
			actx, end = obs.StartAttempt(ctx, req, attempt+1)
		}
		var resp *Response
		if len(req.Tools) > 0 {
			if err := loop(actx, provider, req, tr); err != nil {
				end(nil, nil)
				return tr.Response, zero, err
			}
			resp = tr.Response
		} else {
			r := *req
			r.Messages = tr.Messages
			var err error
			resp, err = provider.Call(actx, &r)
			if err == nil && resp == nil {
				err = noResponse(ctx, provider)
			}
			if err != nil {
				end(nil, nil)
				return nil, zero, withContextErr(ctx, err)
			}
			resp.Request, resp.Provider = &r, provider
			tr.Response = resp
			tr.Turns++
			tr.Usage = tr.Usage.add(resp.Usage)
			tr.Messages = append(tr.Messages[:len(tr.Messages):len(tr.Messages)], assistantMessage(resp))
		}
		v, err := decodeValue[T](resp.Content)
		end(resp, err)
		if err == nil {
			return resp, v, nil
		}
		if !answerAt(err) {
			return resp, zero, err
		}
		xerr.Attempts = append(xerr.Attempts, ExtractAttempt{Raw: resp.Content, Err: err})
		if attempt >= req.loop.maxReasks {
			return resp, zero, xerr
		}
		tr.Messages = append(tr.Messages, prompt.User(reask(err)))
	}
}

// answerAt reports whether err is the answer's fault, which asking again
// may mend, rather than the program's (a panic in Validate, a mistyped
// validate tag), which it cannot.
func answerAt(err error) bool {
	var pe *ValidatePanicError
	var te *tagError
	var rp *prompt.RulePanicError
	return !errors.As(err, &pe) && !errors.As(err, &te) && !errors.As(err, &rp)
}

// reask is what the model is told about its invalid answer.
func reask(err error) string {
	return "Your answer is not valid: " + strings.TrimPrefix(err.Error(), "mirascope: ") +
		"\nAnswer again with the corrected JSON only."
}

// decodeValue decodes and validates an extracted answer: strictly, against
// the schema sent (see [wire]); then T's `validate` tags; then its Validate
// method.
func decodeValue[T any](content string) (T, error) {
	var v T
	w := wireFor(reflect.TypeFor[T]())
	if !w.wrapped {
		if err := decodeStrict(content, &v); err != nil {
			var zero T
			return zero, err
		}
		if err := validateTags(&v, content); err != nil {
			var zero T
			return zero, err
		}
		if err := validateSelf(&v, "$"); err != nil {
			var zero T
			return zero, err
		}
		return v, nil
	}
	pw := reflect.New(w.typ)
	if err := decodeStrict(content, pw.Interface()); err != nil {
		return v, err
	}
	if err := validateTags(pw.Interface(), content); err != nil {
		return v, err
	}
	reflect.ValueOf(&v).Elem().Set(pw.Elem().Field(0))
	if err := validateItems(reflect.ValueOf(v), "$."+valueKey); err != nil {
		var zero T
		return zero, err
	}
	if err := validateSelf(&v, "$."+valueKey); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// validateItems runs the Validate method of each item of a wrapped slice,
// array or map, as Extract of one item would: Extract[[]Book] checks every
// Book as Extract[Book] does (its tags are checked by the wrapper's dive).
func validateItems(rv reflect.Value, path string) error {
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if !canValidate(rv.Type().Elem()) {
			return nil
		}
		for i := range rv.Len() {
			if err := validateSelf(addr(rv.Index(i)), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if !canValidate(rv.Type().Elem()) {
			return nil
		}
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if err := validateSelf(addr(rv.MapIndex(k)), path+jsonschema.PathKey(fmt.Sprint(k))); err != nil {
				return err
			}
		}
	}
	return nil
}

var selfValidatorType = reflect.TypeFor[selfValidator]()

func canValidate(t reflect.Type) bool {
	return t.Implements(selfValidatorType) || reflect.PointerTo(t).Implements(selfValidatorType)
}

// addr is a pointer to a copy of v, as validateSelf takes.
func addr(v reflect.Value) any {
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p.Interface()
}

// formatName names the schema after T: its type name with every character
// services refuse replaced by '_' ("Box[main.Book]" → "Box_main_Book").
func formatName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.TrimRight(t.Name(), "]"))
	if name == "" {
		name = "response"
	}
	return name[:min(len(name), 64)]
}
