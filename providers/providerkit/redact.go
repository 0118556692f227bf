package providerkit

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

// Redacted replaces a credential in any text that leaves the library.
const Redacted = secrets.Redacted

// A Redactor masks a provider's credentials. In text that reports a
// failure (error answers before the SDK reads them, every error a provider
// returns) it masks them and anything shaped like a credential; in a
// successful answer ([Redactor.Response], [Redactor.Stream]) it masks the
// provider's own credentials only, whatever the service sends back (a
// gateway echoing its bearer token, say), so that they reach no span or
// cassette. It is safe for concurrent use; a provider adds credentials it
// learns later (AWS session tokens).
type Redactor struct {
	mu     sync.RWMutex
	masker secrets.Masker
}

// minKey is the shortest credential masked verbatim: no service issues a
// shorter key, and masking a test key such as "test" in every answer would
// mangle it. (Redacted prompt values have their own, lower, bound.)
const minKey = 8

// Add registers credentials to mask; those shorter than 8 bytes are
// ignored.
func (r *Redactor) Add(creds ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range creds {
		if s = strings.TrimSpace(s); len(s) >= minKey {
			r.masker.Add(s)
		}
	}
}

// own masks the provider's own credentials in s.
func (r *Redactor) own(s string) string {
	if r == nil || s == "" {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.masker.Mask(s)
}

// String returns s with every credential replaced by [Redacted]: the
// provider's own, and anything shaped like one.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	return secrets.MaskCredentials(r.own(s))
}

// Error masks credentials in everything err says. A *mirascope.ProviderError
// anywhere in err's chain has its Message, Code and Type masked in place
// (only when err is one, at the top); the SDK error it wraps keeps its
// type for errors.As, behind a wrapper whose text is masked.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var pe *mirascope.ProviderError
	if errors.As(err, &pe) && pe == err {
		r.ProviderError(pe)
		return pe
	}
	return r.wrap(err)
}

// ProviderError masks credentials in pe, in place, and returns it.
func (r *Redactor) ProviderError(pe *mirascope.ProviderError) *mirascope.ProviderError {
	if pe == nil {
		return nil
	}
	pe.Message = r.String(pe.Message)
	pe.Code = r.String(pe.Code)
	pe.Type = r.String(pe.Type)
	pe.RequestID = r.String(pe.RequestID)
	pe.Err = r.wrap(pe.Err)
	return pe
}

func (r *Redactor) wrap(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(redactedError); ok {
		return err
	}
	text := err.Error()
	if masked := r.String(text); masked != text {
		return redactedError{err: err, text: masked}
	}
	return err
}

// redactedError is err with its text masked; errors.Is and errors.As still
// reach err.
type redactedError struct {
	err  error
	text string
}

func (e redactedError) Error() string { return e.text }
func (e redactedError) Unwrap() error { return e.err }

// Call runs one Call of a provider, fn being its body, and finishes what
// it returns, the one way for every provider: the answer masked of the
// provider's own credentials (see [Redactor.Response]), and the HTTP
// requests the call sent counted in Response.Attempts, or in the
// *mirascope.ProviderError's Attempts, and its rate-limit waits in
// Response.RateLimitWait. fn begins the call with
// [StartCall] on the ctx it is given.
func (r *Redactor) Call(ctx context.Context, fn func(ctx context.Context) (*mirascope.Response, error)) (*mirascope.Response, error) {
	ctx = withRecord(ctx)
	resp, err := fn(ctx)
	n := Attempts(ctx)
	if err != nil {
		countAttempts(err, n)
		return resp, err
	}
	if resp != nil {
		r.Response(resp)
		resp.Attempts = n
		resp.RateLimitWait = RateLimitWait(ctx)
		settle(ctx, resp.Usage)
	}
	return resp, nil
}

// countAttempts sets n on the *mirascope.ProviderError err is, or wraps,
// unless it counts already.
func countAttempts(err error, n int) {
	var pe *mirascope.ProviderError
	if n > 0 && errors.As(err, &pe) && pe.Attempts == 0 {
		pe.Attempts = n
	}
}

// Response masks the provider's own credentials in a successful answer, in
// place: its content, tool calls and message. Raw, the SDK's own value, is
// left as it came (no span or cassette records it). It returns resp.
func (r *Redactor) Response(resp *mirascope.Response) *mirascope.Response {
	if resp == nil || r.empty() {
		return resp
	}
	resp.Content = r.own(resp.Content)
	r.toolCalls(resp.ToolCalls)
	resp.Message.Content = r.own(resp.Message.Content)
	r.toolCalls(resp.Message.ToolCalls)
	return resp
}

func (r *Redactor) toolCalls(tcs []prompt.ToolCall) {
	for i := range tcs {
		tcs[i].Name = r.own(tcs[i].Name)
		tcs[i].ID = r.own(tcs[i].ID)
		tcs[i].Arguments = r.own(tcs[i].Arguments)
	}
}

func (r *Redactor) empty() bool {
	if r == nil {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.masker.Empty()
}

// Stream runs one Stream of a provider, body yielding its chunks, and
// finishes what it yields, as [Redactor.Call] does: the first chunk
// carries Attempts (a stream is retried before its first chunk only), so
// does a *mirascope.ProviderError, and the provider's own credentials are
// masked, even split across chunks: text that may begin a credential is
// held back with the chunk that carries it until the next chunk settles
// it, so the stream keeps its chunks, and what each carries is masked as a
// whole answer would be. Chunks are modified in place. body begins the
// call with [StartCall] on the ctx it is given, which is fresh for each
// range over the stream.
func (r *Redactor) Stream(ctx context.Context, body func(ctx context.Context, yield func(*mirascope.Chunk, error) bool)) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		ctx := context.WithValue(ctx, recordKey{}, &record{})
		seq := func(yield func(*mirascope.Chunk, error) bool) { body(ctx, yield) }
		var s *streamMasker // made at the first chunk: credentials learnt on the way count
		var held *mirascope.Chunk
		var usage mirascope.Usage // the last running total, to settle the limiter
		defer func() { settle(ctx, usage) }()
		first := true
		for c, err := range seq {
			if c == nil || err != nil {
				if held != nil {
					s.flush(held)
					if !yield(held, nil) {
						return
					}
					held = nil
				}
				if err != nil {
					countAttempts(err, Attempts(ctx))
				}
				if !yield(c, err) {
					return
				}
				continue
			}
			if first {
				first = false
				c.Attempts = Attempts(ctx)
				c.RateLimitWait = RateLimitWait(ctx)
			}
			if c.Usage != nil {
				usage = *c.Usage
			}
			if s == nil {
				s = r.streamMasker()
			}
			s.chunk(c)
			if held != nil && !yield(held, nil) {
				return
			}
			held = nil
			if s.pending() {
				held = c
				continue
			}
			if !yield(c, nil) {
				return
			}
		}
		if held != nil {
			s.flush(held)
			yield(held, nil)
		}
	}
}

func (r *Redactor) streamMasker() *streamMasker {
	var m *secrets.Masker
	if r == nil {
		m = secrets.NewMasker()
	} else {
		r.mu.RLock()
		m = r.masker.Clone()
		r.mu.RUnlock()
	}
	return &streamMasker{m: m, forms: m.Forms(), args: map[int]string{}}
}

// streamMasker masks one stream's texts: its content and each tool call's
// arguments, each keeping back the tail that may begin a credential.
type streamMasker struct {
	m       *secrets.Masker
	forms   []string
	content string
	args    map[int]string // by tool call index
}

func (s *streamMasker) pending() bool {
	if s.content != "" {
		return true
	}
	for _, a := range s.args {
		if a != "" {
			return true
		}
	}
	return false
}

// chunk masks c's texts, keeping back what may begin a credential.
func (s *streamMasker) chunk(c *mirascope.Chunk) {
	if s.m.Empty() {
		return
	}
	c.Content, s.content = s.settle(s.content + c.Content)
	for i := range c.ToolCalls {
		tc := &c.ToolCalls[i]
		tc.Name = s.m.Mask(tc.Name)
		tc.ID = s.m.Mask(tc.ID)
		tc.Arguments, s.args[tc.Index] = s.settle(s.args[tc.Index] + tc.Arguments)
	}
}

// flush gives c what was kept back: it began no credential after all.
func (s *streamMasker) flush(c *mirascope.Chunk) {
	c.Content += s.content
	s.content = ""
	for i := range c.ToolCalls {
		tc := &c.ToolCalls[i]
		tc.Arguments += s.args[tc.Index]
		delete(s.args, tc.Index)
	}
	for idx, a := range s.args {
		if a != "" {
			c.ToolCalls = append(c.ToolCalls, mirascope.ToolCallChunk{Index: idx, Arguments: a})
		}
	}
	clear(s.args)
}

// settle masks text and splits it into what can go now and the tail that
// may begin a credential.
func (s *streamMasker) settle(text string) (now, kept string) {
	text = s.m.Mask(text)
	cut := len(text)
	for _, f := range s.forms {
		// The longest tail of text that is a proper prefix of f.
		from := max(len(text)-len(f)+1, 0)
		for i := from; i < len(text); i++ {
			j := strings.IndexByte(text[i:], f[0])
			if j < 0 {
				break
			}
			i += j
			if strings.HasPrefix(f, text[i:]) {
				cut = min(cut, i)
				break
			}
		}
	}
	return text[:cut], text[cut:]
}

// Redactor returns the Redactor of the provider being configured, holding
// its API key; the transport of [Config.Client] masks with it.
func (c *Config) Redactor() *Redactor {
	if c.redactor == nil {
		c.redactor = &Redactor{}
	}
	c.redactor.Add(c.APIKey)
	return c.redactor
}
