package mirascope

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/mirascope-go/mirascope/internal/jsonschema"
	"github.com/mirascope-go/mirascope/internal/validation"
	"github.com/mirascope-go/mirascope/prompt"
)

// ValueError is one thing wrong with a JSON value the model wrote (an
// extracted answer, or a tool's arguments), at one place: it does not parse,
// does not fit the Go type, breaks the schema that was sent (a required key
// absent or null, a key the schema does not name), fails a `validate` rule,
// or the Validate method refused it. Every error [Extract] records in an
// [ExtractAttempt], and every [ArgumentsError], reaches one with errors.As;
// when validation finds several problems, the first.
type ValueError struct {
	// Path is the JSON path of the place in the value as the model wrote
	// it: "$" for the whole value, "$.books[1].year".
	Path string
	// Problem says what is wrong there.
	Problem string
	// Err is the cause, when there is one: encoding/json's
	// *json.SyntaxError or *json.UnmarshalTypeError, io.ErrUnexpectedEOF
	// for a value cut short, the validator's validator.FieldError, or the
	// Validate method's error.
	Err error
}

func (e *ValueError) Error() string { return e.Path + ": " + e.Problem }

// Unwrap returns the cause.
func (e *ValueError) Unwrap() error { return e.Err }

// decodeStrict decodes one JSON object into v, a pointer, rejecting a bare
// null, anything after the value, and whatever the schema derived for v's
// type forbids and encoding/json lets through: a required key absent or
// null, a key the schema does not name. Every error is a *ValueError naming
// the JSON path, unwrapping to encoding/json's *json.SyntaxError or
// *json.UnmarshalTypeError, or to io.ErrUnexpectedEOF for a cut answer.
func decodeStrict(data string, v any) error {
	if strings.TrimSpace(data) == "null" {
		// encoding/json leaves v as it was; the schema asks for an object.
		return &ValueError{Path: "$", Problem: "expected an object, got null"}
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			if strings.TrimSpace(data) == "" {
				return &ValueError{Path: "$", Problem: "invalid JSON: empty answer, expected an object", Err: io.ErrUnexpectedEOF}
			}
			return &ValueError{Path: pathAt(data, int64(len(data))), Problem: "invalid JSON: the value is cut short", Err: io.ErrUnexpectedEOF}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return &ValueError{Path: pathAt(data, int64(len(data))), Problem: "invalid JSON: the value is cut short", Err: err}
		case errors.As(err, &se):
			off := max(se.Offset-1, 0)
			return &ValueError{Path: pathAt(data, off), Problem: fmt.Sprintf("invalid JSON at offset %d: %s", off, strings.TrimPrefix(se.Error(), "json: ")), Err: err}
		case errors.As(err, &te):
			return &ValueError{Path: pathAt(data, te.Offset), Problem: fmt.Sprintf("expected %s, got %s", jsonKind(te.Type), te.Value), Err: err}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			// encoding/json does not say where: the schema check does.
			if cerr := jsonschema.Check(reflect.TypeOf(v).Elem(), []byte(data)); cerr != nil {
				return schemaError(cerr)
			}
			return &ValueError{Path: "$", Problem: fmt.Sprintf("unknown field %s, not in the schema", strings.TrimPrefix(err.Error(), "json: unknown field ")), Err: err}
		}
		return &ValueError{Path: "$", Problem: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: "), Err: err}
	}
	end := int(dec.InputOffset())
	if rest := strings.TrimLeft(data[end:], " \t\r\n"); rest != "" {
		return &ValueError{Path: "$", Problem: fmt.Sprintf("invalid JSON: unexpected data after the value at offset %d", len(data)-len(rest))}
	}
	if err := jsonschema.Check(reflect.TypeOf(v).Elem(), []byte(data[:end])); err != nil {
		return schemaError(err)
	}
	return nil
}

// schemaError states a schema check's failure as a *ValueError.
func schemaError(err error) error {
	var ve *jsonschema.ValueError
	if errors.As(err, &ve) {
		return &ValueError{Path: ve.Path, Problem: ve.Msg}
	}
	return &ValueError{Path: "$", Problem: err.Error(), Err: err}
}

// pathAt is the JSON path of the value in data that ends at off, or whose
// object or array opens there (where encoding/json reports a type
// mismatch), or of the place where data stops being valid JSON (a syntax
// error, a cut). encoding/json's own UnmarshalTypeError.Field drops array
// indexes ("items.n" for items[3].n), which leaves the model guessing which
// item was wrong.
func pathAt(data string, off int64) string {
	type frame struct {
		array     bool
		idx       int
		key       string
		expectKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		b.WriteString("$")
		for _, f := range stack {
			switch {
			case f.array:
				fmt.Fprintf(&b, "[%d]", f.idx)
			case !f.expectKey: // between members: the object itself
				b.WriteString(jsonschema.PathKey(f.key))
			}
		}
		return b.String()
	}
	// next moves the innermost container past the value just read.
	next := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].idx++
			} else {
				stack[n-1].expectKey = true
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return path()
		}
		reached := dec.InputOffset() >= off
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if reached {
				return path()
			}
			stack = append(stack, frame{array: tok == json.Delim('['), expectKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			next()
			continue
		}
		if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].expectKey {
			stack[n-1].key, stack[n-1].expectKey = tok.(string), false
			if reached { // a map key that is not a number
				return path()
			}
			continue
		}
		if reached {
			return path()
		}
		next()
	}
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Int8, reflect.Int16, reflect.Int32:
		// a number out of range is refused too: say which range
		bits := t.Bits()
		return fmt.Sprintf("an integer from %d to %d", -1<<(bits-1), 1<<(bits-1)-1)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return fmt.Sprintf("an integer from 0 to %d", 1<<t.Bits()-1)
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// invalidError is a decoded value that failed its `validate` tags or its
// Validate method. It matches [prompt.ErrValidation] and unwraps to the
// validator's validator.ValidationErrors and a *ValueError per problem
// stated, or to the Validate method's *ValueError.
type invalidError struct {
	msg  string
	errs []error
}

func (e *invalidError) Error() string   { return e.msg }
func (e *invalidError) Unwrap() []error { return append([]error{prompt.ErrValidation}, e.errs...) }

// maxProblems bounds the validation problems stated in one error (and so in
// a re-ask): a thousand bad items need not cost a thousand lines.
const maxProblems = 10

// selfValidator is what a type implements to check itself after its tags.
type selfValidator interface{ Validate() error }

// tagError is a `validate` tag the validator cannot run (an unknown rule,
// a rule for another kind of field): the program's mistake, not the
// model's, so it is never sent back as a re-ask. It matches
// [prompt.ErrInvalidField].
type tagError struct {
	typ reflect.Type
	val any
}

func (e *tagError) Error() string {
	return fmt.Sprintf("mirascope: invalid validate tag on %s: %v", e.typ, e.val)
}
func (e *tagError) Is(target error) bool { return target == prompt.ErrInvalidField }

// ValidatePanicError is a panic in the Validate method of a value being
// extracted, recovered by [Extract] and [StreamExtract]: it is the
// program's bug, not a bad answer, so it is returned at once with the value
// and stack, never sent to the model as a re-ask. (In a tool's input, the
// same panic is the tool's [ToolPanicError].)
type ValidatePanicError struct {
	// Type is the Go type whose Validate panicked.
	Type string
	// Value is what was passed to panic.
	Value any
	// Stack is the panicking goroutine's stack.
	Stack []byte
}

func (e *ValidatePanicError) Error() string {
	return fmt.Sprintf("mirascope: %s.Validate panicked: %v", e.Type, e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *ValidatePanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// validateTags checks v (a pointer to a struct, or to pointers to one) with
// the shared validator. Problems are stated by JSON path, failed rule and
// value (or "absent", for a key data lacks), so the model can correct them.
func validateTags(v any, data string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if rp, ok := r.(*prompt.RulePanicError); ok {
				err = rp // the rule's bug, not the tag's
				return
			}
			err = &tagError{typ: reflect.TypeOf(v).Elem(), val: r}
		}
	}()
	// Extract[*T] hands us a **T: validate the struct it points to.
	rv := reflect.ValueOf(v)
	for rv.Elem().Kind() == reflect.Pointer {
		if rv.Elem().IsNil() {
			return &ValueError{Path: "$", Problem: "expected an object, got null"}
		}
		rv = rv.Elem()
		v = rv.Interface()
	}
	if rv.Elem().Kind() != reflect.Struct {
		return nil
	}
	verr := validation.Validator.Struct(v)
	if verr == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(verr, &ves) {
		return &tagError{typ: rv.Elem().Type(), val: verr}
	}
	var doc any // data, parsed only to tell an absent key from a zero value
	var b strings.Builder
	errs := []error{ves}
	for i, fe := range ves {
		if i == maxProblems {
			fmt.Fprintf(&b, "; and %d more", len(ves)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		rule := fe.Tag()
		if fe.Param() != "" {
			rule += "=" + fe.Param()
		}
		segs := jsonPath(rv.Elem().Type(), fe.StructNamespace())
		if doc == nil {
			dec := json.NewDecoder(strings.NewReader(data))
			dec.UseNumber()
			if dec.Decode(&doc) != nil {
				doc = struct{}{}
			}
		}
		got := "absent"
		if present(doc, segs) {
			got = "got " + gotValue(fe.Value())
		}
		ve := &ValueError{Path: formatPath(segs), Problem: fmt.Sprintf("failed rule %q (%s)", rule, got), Err: fe}
		errs = append(errs, ve)
		b.WriteString(ve.Error())
	}
	return &invalidError{msg: b.String(), errs: errs}
}

// validateSelf runs the Validate method of *v or v, if it has one; path is
// where v sits in the JSON. A panic in it is a *ValidatePanicError.
func validateSelf(v any, path string) (err error) {
	rv := reflect.ValueOf(v)
	// Extract[*T] hands us a **T: find Validate on *T, as for Extract[T].
	for rv.Elem().Kind() == reflect.Pointer {
		if rv.Elem().IsNil() {
			return nil // null: nothing to check
		}
		rv = rv.Elem()
		v = rv.Interface()
	}
	sv, ok := v.(selfValidator)
	if !ok {
		if sv, ok = rv.Elem().Interface().(selfValidator); !ok {
			return nil
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = &ValidatePanicError{Type: rv.Elem().Type().String(), Value: r, Stack: debug.Stack()}
		}
	}()
	if verr := sv.Validate(); verr != nil {
		ve := &ValueError{Path: path, Problem: "Validate: " + verr.Error(), Err: verr}
		return &invalidError{msg: ve.Error(), errs: []error{ve}}
	}
	return nil
}

func gotValue(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = fmt.Sprintf("%q", x)
	case nil:
		return "null"
	default:
		b, err := json.Marshal(x)
		if err != nil {
			s = fmt.Sprint(x)
		} else {
			s = string(b)
		}
	}
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// pathSeg is one step of a JSON path: a key, or an index (idx >= 0).
type pathSeg struct {
	key string
	idx int
}

func formatPath(segs []pathSeg) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if s.idx >= 0 {
			fmt.Fprintf(&b, "[%d]", s.idx)
		} else {
			b.WriteString(jsonschema.PathKey(s.key))
		}
	}
	return b.String()
}

// present reports whether doc, parsed JSON, has a value at segs (null
// counts: it was written).
func present(doc any, segs []pathSeg) bool {
	for _, s := range segs {
		switch x := doc.(type) {
		case map[string]any:
			v, ok := x[s.key]
			if !ok || s.idx >= 0 {
				return false
			}
			doc = v
		case []any:
			if s.idx < 0 || s.idx >= len(x) {
				return false
			}
			doc = x[s.idx]
		default:
			return false
		}
	}
	return true
}

// jsonPath turns a validator namespace over t ("Book.Authors[1].Name", or
// "Authors[1].Name" for an unnamed struct) into the path the model wrote
// ($.authors[1].name). A map key in brackets is a key, not an index.
func jsonPath(t reflect.Type, ns string) []pathSeg {
	var out []pathSeg
	segs := strings.Split(ns, ".")
	if t.Name() != "" {
		segs = segs[1:]
	}
	for _, seg := range segs {
		name, idx, _ := strings.Cut(seg, "[")
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		key := name
		if t.Kind() == reflect.Struct {
			if f, ok := t.FieldByName(name); ok {
				t = f.Type
				jn, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				switch {
				case f.Anonymous && jn == "":
					key = "" // embedded: its fields are the parent's in JSON
				case jn != "":
					key = jn
				}
			}
		}
		if key != "" {
			out = append(out, pathSeg{key: key, idx: -1})
		}
		for idx != "" {
			i, rest, _ := strings.Cut(idx, "]")
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			k := t.Kind()
			if n, err := strconv.Atoi(i); err == nil && (k == reflect.Slice || k == reflect.Array) {
				out = append(out, pathSeg{idx: n})
			} else {
				out = append(out, pathSeg{key: i, idx: -1})
			}
			if k == reflect.Slice || k == reflect.Array || k == reflect.Map {
				t = t.Elem()
			}
			idx = strings.TrimPrefix(rest, "[")
		}
	}
	return out
}

var probed sync.Map // reflect.Type → error

// probeTags runs the validator once over a zero value of t, so that a
// mistyped rule (`validate:"requird"`) is found when a tool is made or an
// extraction starts, before any request, rather than in the first answer.
// Rules reached only through a nil pointer or an empty slice are checked
// when a value reaches them. A custom rule that panics on the zero value is
// not a tag mistake: it is left to panic on a real value, where it is a
// *prompt.RulePanicError.
func probeTags(t reflect.Type) error {
	if err, ok := probed.Load(t); ok {
		e, _ := err.(error)
		return e
	}
	var err error
	st := t
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		err = func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(*prompt.RulePanicError); !ok {
						err = &tagError{typ: st, val: r}
					}
				}
			}()
			validation.Validator.Struct(reflect.New(st).Interface())
			return nil
		}()
	}
	probed.Store(t, err)
	return err
}
