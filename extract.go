package mirascope

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/mirascope-go/mirascope/prompt"
)

// WithMaxReasks lets [Extract] ask again, at most n times, when the answer
// does not decode or validate: the answer goes back to the model with what
// was wrong (JSON path, rule, value). The default is 0: the first invalid
// answer is an [*ExtractError].
func WithMaxReasks(n int) CallOption {
	return func(r *Request) { r.loop.maxReasks = max(n, 0) }
}

// ExtractError is an [Extract] whose every attempt gave an invalid answer.
// It unwraps to the last attempt's error: errors.Is(err,
// prompt.ErrValidation) holds when that answer failed its `validate` tags
// or Validate method; errors.As finds encoding/json's *json.SyntaxError
// or *json.UnmarshalTypeError when it did not decode, and errors.Is finds
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

// Extract renders p and asks the model for a T (a struct, or a pointer to
// one), returning the
// value and the response it came from. The JSON Schema of T (derived as
// [NewTool] derives its arguments' schema, from json, jsonschema and validate
// tags) goes out as [Request.Format], named after T: providers send it as the
// service's native structured output, strict where the service demands it,
// or as a forced tool. The answer is decoded strictly (unknown fields and
// trailing data rejected), checked with T's `validate` tags on the shared
// validator, then by T's Validate() error method if it has one (on T or *T).
//
// An invalid answer is an [*ExtractError]; with [WithMaxReasks] the model is
// first shown its answer and what was wrong, and asked again. With
// [WithTools], Extract runs the tool loop as [Run] does (the structured
// answer is the one without tool calls; [WithMaxTurns] bounds each attempt)
// and a re-ask continues that conversation. A provider's error is returned
// as it is.
func Extract[T any](ctx context.Context, provider Provider, p any, opts ...CallOption) (T, *Response, error) {
	var zero T
	req, err := extractRequest[T](provider, p, opts)
	if err != nil {
		return zero, nil, err
	}
	var resp *Response
	var v T
	body := func(ctx context.Context, tr *Transcript) error {
		resp, v, err = extractLoop[T](ctx, provider, req, tr)
		return err
	}
	if len(req.Tools) > 0 {
		_, err = observedRun(ctx, provider, req, body)
	} else {
		err = body(ctx, &Transcript{Messages: req.Messages})
	}
	return v, resp, err
}

func extractRequest[T any](provider Provider, p any, opts []CallOption) (*Request, error) {
	t := reflect.TypeFor[T]()
	schema, err := objectSchema(t)
	if err != nil {
		return nil, fmt.Errorf("mirascope: extract: %w", err)
	}
	req, err := NewRequest(p, opts...)
	if err != nil {
		return nil, err
	}
	if provider == nil {
		return nil, ErrNilProvider
	}
	// The schema is cached and shared: the request gets its own copy.
	req.Format = &Format{Name: formatName(t), Schema: bytes.Clone(schema)}
	return req, nil
}

func extractLoop[T any](ctx context.Context, provider Provider, req *Request, tr *Transcript) (*Response, T, error) {
	var zero T
	xerr := &ExtractError{typ: reflect.TypeFor[T]().String()}
	for attempt := 0; ; attempt++ {
		var resp *Response
		if len(req.Tools) > 0 {
			if err := loop(ctx, provider, req, tr); err != nil {
				return tr.Response, zero, err
			}
			resp = tr.Response
		} else {
			r := *req
			r.Messages = tr.Messages
			var err error
			resp, err = provider.Call(ctx, &r)
			if err != nil {
				return nil, zero, withContextErr(ctx, err)
			}
			resp.via = provider
			tr.Messages = append(tr.Messages[:len(tr.Messages):len(tr.Messages)], assistantMessage(resp))
		}
		v, err := decodeValue[T](resp.Content)
		if err == nil {
			return resp, v, nil
		}
		xerr.Attempts = append(xerr.Attempts, ExtractAttempt{Raw: resp.Content, Err: err})
		if attempt >= req.loop.maxReasks {
			return resp, zero, xerr
		}
		tr.Messages = append(tr.Messages, prompt.User(reask(err)))
	}
}

// reask is what the model is told about its invalid answer.
func reask(err error) string {
	return "Your answer is not valid: " + strings.TrimPrefix(err.Error(), "mirascope: ") +
		"\nAnswer again with the corrected JSON only."
}

// decodeValue decodes and validates an extracted answer.
func decodeValue[T any](content string) (T, error) {
	var v T
	if err := decodeStrict(content, &v); err != nil {
		var zero T
		return zero, err
	}
	if err := validateValue(&v); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
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
