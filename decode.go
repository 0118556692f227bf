package mirascope

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/mirascope-go/mirascope/internal/validation"
	"github.com/mirascope-go/mirascope/prompt"
)

// decodeStrict decodes one JSON object into v, rejecting a bare null,
// unknown fields and anything after the value. Errors name the JSON path
// where encoding/json gives one, and unwrap to its *json.SyntaxError or
// *json.UnmarshalTypeError, or to io.ErrUnexpectedEOF for a cut answer.
func decodeStrict(data string, v any) error {
	if strings.TrimSpace(data) == "null" {
		// encoding/json leaves v as it was; the schema asks for an object.
		return errors.New("$: expected an object, got null")
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			if strings.TrimSpace(data) == "" {
				return fmt.Errorf("invalid JSON: empty answer, expected an object: %w", err)
			}
			return fmt.Errorf("invalid JSON: the value is cut short: %w", io.ErrUnexpectedEOF)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fmt.Errorf("invalid JSON: the value is cut short: %w", err)
		case errors.As(err, &se):
			return &decodeError{fmt.Sprintf("invalid JSON at offset %d: %s", max(se.Offset-1, 0), strings.TrimPrefix(se.Error(), "json: ")), err}
		case errors.As(err, &te):
			path, ok := pathAt(data, te.Offset)
			if !ok {
				path = "$"
				if te.Field != "" {
					path += "." + te.Field
				}
			}
			return &decodeError{fmt.Sprintf("%s: expected %s, got %s", path, jsonKind(te.Type), te.Value), err}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			// encoding/json does not say at which object: claiming "$"
			// would mislead for a nested one.
			return &decodeError{fmt.Sprintf("unknown field %s, not in the schema", strings.TrimPrefix(err.Error(), "json: unknown field ")), err}
		}
		return fmt.Errorf("invalid JSON: %w", err)
	}
	end := int(dec.InputOffset())
	if rest := strings.TrimLeft(data[end:], " \t\r\n"); rest != "" {
		return fmt.Errorf("invalid JSON: unexpected data after the value at offset %d", len(data)-len(rest))
	}
	return nil
}

// pathAt is the JSON path of the value in data that ends at off, or whose
// object or array opens there: where encoding/json reports a type mismatch.
// Its own UnmarshalTypeError.Field drops array indexes ("items.n" for
// items[3].n), which leaves the model guessing which item was wrong.
func pathAt(data string, off int64) (string, bool) {
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
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.idx)
			} else {
				b.WriteString(jsonPathKey(f.key))
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
			return "", false
		}
		reached := dec.InputOffset() >= off
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if reached {
				return path(), true
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
				return path(), true
			}
			continue
		}
		if reached {
			return path(), true
		}
		next()
	}
}

// jsonPathKey is ".key", or ["key"] for a key that is not an identifier.
func jsonPathKey(k string) string {
	if k != "" && (k[0] < '0' || k[0] > '9') && !strings.ContainsFunc(k, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		return "." + k
	}
	q, _ := json.Marshal(k)
	return "[" + string(q) + "]"
}

// decodeError states a decoding failure for the model to correct: by path
// and expected kind, without encoding/json's Go type names, to which it
// unwraps.
type decodeError struct {
	msg string
	err error
}

func (e *decodeError) Error() string { return e.msg }
func (e *decodeError) Unwrap() error { return e.err }

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
// validator's validator.ValidationErrors, or to the Validate method's error.
type invalidError struct {
	msg string
	err error
}

func (e *invalidError) Error() string   { return e.msg }
func (e *invalidError) Unwrap() []error { return []error{prompt.ErrValidation, e.err} }

// validator is what a type implements to check itself after its tags.
type selfValidator interface{ Validate() error }

// validateValue checks v (a pointer to a struct, or to pointers to one) with the shared validator
// and then its Validate method. Problems are stated as JSON paths, the
// failed rule and the value, so the model can correct them.
func validateValue(v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid validate tag on %s: %v", reflect.TypeOf(v).Elem(), r)
		}
	}()
	// Extract[*T] hands us a **T: validate the struct it points to, and
	// find Validate on *T, as for Extract[T].
	rv := reflect.ValueOf(v)
	for rv.Elem().Kind() == reflect.Pointer {
		if rv.Elem().IsNil() {
			return errors.New("$: expected an object, got null")
		}
		rv = rv.Elem()
		v = rv.Interface()
	}
	if rv.Elem().Kind() == reflect.Struct {
		if verr := validation.Validator.Struct(v); verr != nil {
			var ves validator.ValidationErrors
			if !errors.As(verr, &ves) {
				return verr
			}
			var b strings.Builder
			for i, fe := range ves {
				if i > 0 {
					b.WriteString("; ")
				}
				rule := fe.Tag()
				if fe.Param() != "" {
					rule += "=" + fe.Param()
				}
				fmt.Fprintf(&b, "%s: failed rule %q (got %s)", jsonPath(rv.Elem().Type(), fe.StructNamespace()), rule, gotValue(fe.Value()))
			}
			return &invalidError{msg: b.String(), err: ves}
		}
	}
	if sv, ok := v.(selfValidator); ok {
		if verr := sv.Validate(); verr != nil {
			return &invalidError{msg: "Validate: " + verr.Error(), err: verr}
		}
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

// jsonPath turns a validator namespace over t ("Book.Authors[1].Name") into
// the JSON path the model wrote ("$.authors[1].name").
func jsonPath(t reflect.Type, ns string) string {
	var b bytes.Buffer
	b.WriteString("$")
	segs := strings.Split(ns, ".")
	for _, seg := range segs[1:] {
		name, idx, _ := strings.Cut(seg, "[")
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Struct {
			if f, ok := t.FieldByName(name); ok {
				t = f.Type
				jn, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				switch {
				case f.Anonymous && jn == "":
					// embedded: its fields are the parent's in JSON
				case jn != "":
					b.WriteString("." + jn)
				default:
					b.WriteString("." + name)
				}
			} else {
				b.WriteString("." + name)
			}
		} else {
			b.WriteString("." + name)
		}
		for idx != "" {
			i, rest, _ := strings.Cut(idx, "]")
			b.WriteString("[" + i + "]")
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if k := t.Kind(); k == reflect.Slice || k == reflect.Array || k == reflect.Map {
				t = t.Elem()
			}
			idx = strings.TrimPrefix(rest, "[")
		}
	}
	return b.String()
}
