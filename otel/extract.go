package otel

import (
	"context"
	"sync"

	"github.com/mirascope-go/mirascope"
)

var _ mirascope.AttemptObserver = (*tracedProvider)(nil)

// StartAttempt marks one attempt of a mirascope.Extract: the chat span of
// its answer (the call without tool calls) stays open until Extract has
// judged the answer, then records mirascope.extract.attempt and, for an
// answer refused, mirascope.extract.rejected (and, with content capture on,
// mirascope.extract.rejection). All attempts share the trace of the
// invoke_agent span Extract runs under (see StartRun). mirascope.Extract
// calls it.
func (t *tracedProvider) StartAttempt(ctx context.Context, req *mirascope.Request, n int) (context.Context, func(*mirascope.Response, error)) {
	a := &attempt{t: t, req: req, n: n}
	return context.WithValue(ctx, attemptKey{t}, a), a.finish
}

// attemptKey finds, in a call's context, the Extract attempt it belongs to;
// keyed by decorator, so that each of nested decorators finds its own.
type attemptKey struct{ t *tracedProvider }

func (t *tracedProvider) attemptOf(ctx context.Context) *attempt {
	a, _ := ctx.Value(attemptKey{t}).(*attempt)
	return a
}

// attempt holds the chat span of an attempt's answer until it is judged.
type attempt struct {
	t   *tracedProvider
	req *mirascope.Request
	n   int

	mu   sync.Mutex
	held *call
	resp *mirascope.Response
	done bool
}

// hold keeps c open; a call held before (an answer superseded within the
// attempt) ends as it is.
func (a *attempt) hold(c *call, resp *mirascope.Response) {
	a.mu.Lock()
	prev, prevResp := a.held, a.resp
	if a.done {
		prev, prevResp = c, resp // judged already: nothing to wait for
	} else {
		a.held, a.resp = c, resp
	}
	a.mu.Unlock()
	if prev != nil {
		prev.end(prevResp, nil, false)
	}
}

// finish ends the held span, marked with the verdict.
func (a *attempt) finish(_ *mirascope.Response, rejected error) {
	a.mu.Lock()
	c, resp := a.held, a.resp
	a.held, a.resp, a.done = nil, nil, true
	a.mu.Unlock()
	if c == nil {
		return
	}
	if c.span.IsRecording() {
		c.span.SetAttributes(KeyExtractAttempt.Int(a.n))
		if rejected != nil {
			c.span.SetAttributes(KeyExtractRejected.Bool(true))
			if a.t.capture {
				c.span.SetAttributes(KeyExtractRejection.String(scrubbedErrorText(rejected.Error(), secretsOf(a.req, true))))
			}
		}
	}
	c.end(resp, nil, false)
}
