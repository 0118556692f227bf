package mirascope

import (
	"context"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/mirascope-go/mirascope/internal/toolcall"
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
	content strings.Builder
	calls   toolcall.Assembler
	resp    Response
	err     error
}

// Request returns the request the stream sends.
func (s *ResponseStream) Request() *Request { return s.req }

// Chunks sends the request and yields the response piece by piece. A chunk
// and a nil error, or a nil chunk and an error, which ends the sequence.
// Breaking out of the loop closes the connection. Ranging a second time
// yields [ErrStreamConsumed].
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
			s.add(c)
			if !yield(c, nil) {
				return
			}
		}
	}
}

// whole serves a provider that cannot stream: one Call, one chunk.
func (s *ResponseStream) whole(yield func(*Chunk, error) bool) {
	resp, err := s.provider.Call(s.ctx, s.req)
	if err != nil {
		err = withContextErr(s.ctx, err)
		s.fail(err)
		yield(nil, err)
		return
	}
	s.mu.Lock()
	s.resp = *resp
	s.mu.Unlock()
	c := &Chunk{Content: resp.Content, ID: resp.ID, Model: resp.Model, Raw: resp.Raw}
	for i, tc := range resp.ToolCalls {
		c.ToolCalls = append(c.ToolCalls, ToolCallChunk{Index: i, ID: tc.ID, Name: tc.Name, Arguments: tc.Arguments})
	}
	if len(resp.FinishReasons) > 0 {
		c.FinishReason = resp.FinishReasons[0]
	}
	u := resp.Usage
	c.Usage = &u
	yield(c, nil)
}

func (s *ResponseStream) add(c *Chunk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.content.WriteString(c.Content)
	if c.ID != "" {
		s.resp.ID = c.ID
	}
	if c.Model != "" {
		s.resp.Model = c.Model
	}
	if c.FinishReason != "" {
		s.resp.FinishReasons = append(s.resp.FinishReasons, c.FinishReason)
	}
	if c.Usage != nil {
		s.resp.Usage = *c.Usage
	}
	if c.Raw != nil {
		s.resp.Raw = c.Raw
	}
	for _, tc := range c.ToolCalls {
		s.calls.Add(tc.Index, tc.ID, tc.Name, tc.Arguments)
	}
	s.resp.Content = s.content.String()
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
	r := s.resp
	r.FinishReasons = append([]string(nil), s.resp.FinishReasons...)
	if s.calls.Len() > 0 {
		r.ToolCalls = s.calls.Calls()
	} else {
		r.ToolCalls = slices.Clone(s.resp.ToolCalls)
	}
	if r.Message.Role == "" {
		r.Message = prompt.Assistant(r.Content)
		r.Message.ToolCalls = r.ToolCalls
	}
	r.Request, r.Provider = s.req, s.provider
	return &r
}

// Err returns the error that ended the stream, if any.
func (s *ResponseStream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
