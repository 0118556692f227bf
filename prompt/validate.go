package prompt

import (
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/mirascope-go/mirascope/internal/validation"
)

// validate is the one shared validator (prompts, tool arguments, extracted
// values): its per-type cache only pays off as a singleton.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validation.Validator
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("prompt"), ",")
		switch name {
		case "-":
			return f.Name
		case "":
			return f.Name
		}
		return name
	})
	return v
}

// RegisterValidation adds a custom rule to the shared validator, usable in
// `validate` tags of prompts, tool arguments and extracted values. Call it from an init function: registering while prompts
// render is not safe. A panic in fn is a [*RulePanicError], told apart from
// a mistyped tag.
func RegisterValidation(tag string, fn validator.Func, callValidationEvenIfNull ...bool) error {
	if fn == nil {
		return validate.RegisterValidation(tag, fn, callValidationEvenIfNull...) // the validator's own refusal
	}
	return validate.RegisterValidation(tag, guardRule(tag, fn), callValidationEvenIfNull...)
}

// guardRule marks a panic in a custom rule, so that whoever recovers the
// validator's panic can tell the rule's bug from the validator's own panic
// on a mistyped tag.
func guardRule(tag string, fn validator.Func) validator.Func {
	return func(fl validator.FieldLevel) bool {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(*RulePanicError); ok {
					panic(r) // a nested rule's, already marked
				}
				field := fl.StructFieldName()
				if p := fl.Parent(); p.IsValid() {
					t := p.Type()
					for t.Kind() == reflect.Pointer {
						t = t.Elem()
					}
					if t.Name() != "" && field != "" {
						field = t.Name() + "." + field
					}
				}
				panic(&RulePanicError{Rule: tag, Field: field, Value: r, Stack: debug.Stack()})
			}
		}()
		return fn(fl)
	}
}

// RulePanicError is a panic in a rule added with [RegisterValidation]: the
// program's bug, not a bad value nor a mistyped tag, so it carries the
// panic's value and stack, and mirascope.Extract returns it at once rather
// than asking the model again.
type RulePanicError struct {
	// Rule is the tag the rule was registered under.
	Rule string
	// Field is the Go field it was checking (Type.Field), if known.
	Field string
	// Value is what was passed to panic.
	Value any
	// Stack is the panicking goroutine's stack.
	Stack []byte
}

func (e *RulePanicError) Error() string {
	on := ""
	if e.Field != "" {
		on = " on " + e.Field
	}
	return fmt.Sprintf("prompt: validate rule %q panicked%s: %v", e.Rule, on, e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *RulePanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// ValidationError is a prompt value that failed its `validate` tags. It
// matches [ErrValidation] with errors.Is and gives the validator's own
// validator.ValidationErrors to errors.As. Its text never prints a redacted
// value.
type ValidationError struct {
	// Type is the prompt's type name.
	Type string
	// Errors are the validator's per-field failures.
	Errors validator.ValidationErrors
	msg    string
}

func (e *ValidationError) Error() string { return e.msg }

// Unwrap gives [ErrValidation] and the validator.ValidationErrors.
func (e *ValidationError) Unwrap() []error { return []error{ErrValidation, e.Errors} }

// validateStruct runs the validator over p, turning a mistyped rule's panic
// into an error that names the field, and a custom rule's into its
// *RulePanicError.
func validateStruct(pl *plan, p any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if rp, ok := r.(*RulePanicError); ok {
				err = rp
				return
			}
			err = &Error{Type: pl.name, Err: ErrInvalidField, Msg: fmt.Sprintf("invalid validate tag: %v", r)}
		}
	}()
	// The validator recurses without cycle detection: refuse a value too
	// deep for it first.
	rv := reflect.ValueOf(p)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	for i := 0; i < rv.NumField(); i++ {
		sf := rv.Type().Field(i)
		if (sf.IsExported() || sf.Anonymous) && sf.Tag.Get("validate") != "-" && mayNest(sf.Type) {
			if checkDepth(rv.Field(i), 1) != nil {
				return &Error{Type: pl.name, Field: sf.Name, Err: ErrInvalidValue, Msg: valueErrMsg("validate")}
			}
		}
	}
	verr := validate.Struct(p)
	if verr == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(verr, &ves) {
		return &Error{Type: pl.name, Err: ErrInvalidField, Msg: verr.Error()}
	}
	var b strings.Builder
	b.WriteString("prompt: ")
	for i, fe := range ves {
		if i > 0 {
			b.WriteString("; ")
		}
		rule := fe.Tag()
		if fe.Param() != "" {
			rule += "=" + fe.Param()
		}
		fmt.Fprintf(&b, "%s: failed %q (got ", fe.StructNamespace(), rule)
		if pl.redactedPath(fe.StructNamespace()) {
			b.WriteString(RedactedText)
		} else {
			writeGot(&b, fe.Value())
		}
		b.WriteString(")")
	}
	return &ValidationError{Type: pl.name, Errors: ves, msg: b.String()}
}

func writeGot(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		// Cut short, a signed URL's signature masked: the value may be a
		// megabyte data: URL, or a URL that is a credential.
		b.WriteString(quoteShort(x))
	case nil:
		b.WriteString("nil")
	case Part:
		b.WriteString(describePart(x)) // never the bytes
	case []byte:
		fmt.Fprintf(b, "%d bytes", len(x))
	default:
		s := fmt.Sprintf("%v", x)
		if len(s) > 80 {
			s = s[:77] + "..."
		}
		b.WriteString(s)
	}
}

// redactedPath reports whether a validator namespace (Type.Field.Sub[2].X)
// passes through a redacted field.
func (p *plan) redactedPath(ns string) bool {
	segs := strings.Split(ns, ".")
	cur := p
	for _, seg := range segs[1:] {
		if i := strings.IndexByte(seg, '['); i >= 0 {
			seg = seg[:i]
		}
		if cur == nil {
			return false
		}
		var next *plan
		for _, f := range cur.fields {
			if f.goName == seg {
				if f.redact {
					return true
				}
				next = f.inner
				break
			}
		}
		if next != nil {
			cur = next
		}
	}
	return false
}
