package mirascope

import (
	"context"
	"iter"
	"reflect"
	"sync"
)

// ExtractStream is a streamed [Extract]: range over
// [ExtractStream.Partials] to see T fill in as the JSON arrives, then call
// [ExtractStream.Result] for the validated value. Use it from one goroutine.
type ExtractStream[T any] struct {
	stream *ResponseStream

	mu       sync.Mutex
	consumed bool
	value    T
	resp     *Response
	err      error
}

// StreamExtract is [Extract] streamed: it renders p and validates it,
// returning its error before any I/O, and returns a stream whose request is
// sent when ranging over Partials starts (or when Result is called). The
// answer is decoded strictly and validated once, at its end; it is not asked
// again, and tools are not run: [WithMaxReasks], [WithMaxTurns] and
// [WithTools] are refused with an [UnsupportedError] (use Extract for them). ctx must outlive the
// stream.
func StreamExtract[T any](ctx context.Context, provider Provider, p any, opts ...CallOption) (*ExtractStream[T], error) {
	req, err := extractRequest[T](provider, p, opts)
	if err != nil {
		return nil, err
	}
	if err := req.unusedOption("StreamExtract", true, true); err != nil {
		return nil, err
	}
	if len(req.Tools) > 0 {
		return nil, &UnsupportedError{Provider: "StreamExtract", Parameter: "WithTools", Reason: "a stream does not run tools; use Extract"}
	}
	return &ExtractStream[T]{stream: &ResponseStream{ctx: ctx, provider: provider, req: req}}, nil
}

// Partials sends the request and yields T as it fills in: after a chunk
// that changes what T holds, the JSON so far decoded leniently (not
// validated), with open strings, arrays and objects as far as they got and
// a half-written key, literal or escape left out. A value that does not fit
// its field is left out, as are unknown keys; Result reports them.
//
// At most one value is yielded per chunk, and the work per chunk is in
// proportion to the chunk, not to all received so far. For that, a list of
// n entries shows each complete entry at once but the one being written
// only once per n bytes, a map of n entries changes once per 4n bytes, and
// values of types that decode themselves (json.Unmarshaler,
// encoding.TextUnmarshaler), json.Number, []byte, arrays, structs with
// ",string" fields or embedded pointers, and values nested deeper than 64,
// appear once complete. The last value yielded shows all that arrived. A
// yielded value is never changed by later ones (their strings may share
// memory).
//
// A stream failure is yielded as (zero, err) and ends the sequence.
// Breaking out of the loop closes the connection, and Result then reports
// the cut. Ranging a second time yields [ErrStreamConsumed].
func (s *ExtractStream[T]) Partials() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		s.mu.Lock()
		if s.consumed {
			s.mu.Unlock()
			yield(zero, ErrStreamConsumed)
			return
		}
		s.consumed = true
		s.mu.Unlock()

		// A T that travels wrapped ({"value": …}) is decoded as its
		// wrapper and shown unwrapped.
		w := wireFor(reflect.TypeFor[T]())
		out := func(v reflect.Value) T {
			if w.wrapped {
				v = v.Field(0)
			}
			return asT[T](v)
		}
		dec := newPartialDecoder(w.typ)
		broke := false
		for c, err := range s.stream.Chunks() {
			if err != nil {
				s.finish(zero, err)
				yield(zero, err)
				return
			}
			if c.Content == "" {
				continue
			}
			if v, ok := dec.write(c.Content); ok && !yield(out(v), nil) {
				broke = true
				break
			}
		}
		if !broke {
			if v, ok := dec.flush(); ok {
				yield(out(v), nil) // the stream is whole: a break here cuts nothing
			}
		}
		resp := s.stream.Response()
		if broke {
			s.finishResp(zero, resp, &ExtractError{typ: reflect.TypeFor[T]().String(), Attempts: []ExtractAttempt{{Raw: resp.Content, Err: errStreamBroken}}})
			return
		}
		v, err := decodeValue[T](resp.Content)
		if err != nil && !answerAt(err) {
			s.finishResp(zero, resp, err)
			return
		}
		if err != nil {
			s.finishResp(zero, resp, &ExtractError{typ: reflect.TypeFor[T]().String(), Attempts: []ExtractAttempt{{Raw: resp.Content, Err: err}}})
			return
		}
		s.finishResp(v, resp, nil)
	}
}

// asT is v, a value of type T, as a T (which may be an interface).
func asT[T any](v reflect.Value) T {
	p := reflect.New(reflect.TypeFor[T]())
	p.Elem().Set(v)
	return *p.Interface().(*T)
}

var errStreamBroken = &streamBrokenError{}

type streamBrokenError struct{}

func (*streamBrokenError) Error() string { return "the stream was left before its end" }

func (s *ExtractStream[T]) finish(v T, err error) { s.finishResp(v, s.stream.Response(), err) }

func (s *ExtractStream[T]) finishResp(v T, resp *Response, err error) {
	s.mu.Lock()
	s.value, s.resp, s.err = v, resp, err
	s.mu.Unlock()
}

// Result returns the validated value and the whole response, as [Extract]
// does, after Partials ran; called first, it consumes the stream itself.
// An invalid answer is an [*ExtractError] with one attempt.
func (s *ExtractStream[T]) Result() (T, *Response, error) {
	s.mu.Lock()
	consumed := s.consumed
	s.mu.Unlock()
	if !consumed {
		for range s.Partials() {
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.value, s.resp, s.err
}
