package mirascope

import (
	"context"
	"iter"
	"slices"
	"sync"

	"github.com/mirascope-go/mirascope/prompt"
)

// ResponseStream is a streamed response. Range over [ResponseStream.Chunks]
// once, from one goroutine; [ResponseStream.Response] then returns what was
// accumulated.
type ResponseStream struct {
	ctx      context.Context
	provider Provider
	req      *Request

	mu      sync.Mutex
	started bool
	acc     Accumulator
	called  *Response // the answer of a provider that cannot stream, as it came
	err     error
}

// Request returns the request the stream sends.
func (s *ResponseStream) Request() *Request { return s.req }

// Chunks sends the request and yields the response piece by piece. A chunk
// and a nil error, or a nil chunk and an error, which ends the sequence.
// Breaking out of the loop closes the connection. Ranging a second time
// yields [ErrStreamConsumed]. A provider that streams neither a chunk nor
// an error (or, not streaming, answers neither) is a [*ProviderError].
func (s *ResponseStream) Chunks() iter.Seq2[*Chunk, error] {
	return func(yield func(*Chunk, error) bool) {
		s.mu.Lock()
		if s.started {
			s.mu.Unlock()
			yield(nil, ErrStreamConsumed)
			return
		}
		s.started = true
		s.mu.Unlock()

		if err := s.ctx.Err(); err != nil {
			s.fail(err)
			yield(nil, err)
			return
		}
		st, ok := s.provider.(Streamer)
		if !ok {
			s.whole(yield)
			return
		}
		some := false
		for c, err := range st.Stream(s.ctx, s.req) {
			if err != nil {
				err = withContextErr(s.ctx, err)
				s.fail(err)
				yield(nil, err)
				return
			}
			if c == nil {
				continue
			}
			some = true
			s.add(c)
			if !yield(c, nil) {
				return
			}
		}
		if !some { // as a Call answering (nil, nil)
			err := noResponse(s.ctx, s.provider)
			s.fail(err)
			yield(nil, err)
		}
	}
}

// whole serves a provider that cannot stream: one Call, its chunks.
func (s *ResponseStream) whole(yield func(*Chunk, error) bool) {
	resp, err := s.provider.Call(s.ctx, s.req)
	if err == nil && resp == nil {
		err = noResponse(s.ctx, s.provider)
	}
	if err != nil {
		err = withContextErr(s.ctx, err)
		s.fail(err)
		yield(nil, err)
		return
	}
	s.mu.Lock()
	s.called = resp
	s.mu.Unlock()
	for _, c := range resp.Chunks() {
		if !yield(c, nil) {
			return
		}
	}
}

func (s *ResponseStream) add(c *Chunk) {
	s.mu.Lock()
	s.acc.Add(c)
	s.mu.Unlock()
}

func (s *ResponseStream) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// Response returns what the stream accumulated: the whole response after the
// loop ran to its end, a partial one after a break or an error.
func (s *ResponseStream) Response() *Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	var r *Response
	if s.called != nil {
		c := *s.called
		c.FinishReasons = slices.Clone(c.FinishReasons)
		c.ToolCalls = slices.Clone(c.ToolCalls)
		if c.Message.Role == "" {
			c.Message = prompt.Assistant(c.Content)
			c.Message.ToolCalls = slices.Clone(c.ToolCalls)
		}
		r = &c
	} else {
		r = s.acc.Response()
	}
	r.Request, r.Provider = s.req, s.provider
	return r
}

// Err returns the error that ended the stream, if any.
func (s *ResponseStream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
