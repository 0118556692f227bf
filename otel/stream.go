package otel

import (
	"context"
	"iter"
	"sync/atomic"
	"time"

	"github.com/mirascope-go/mirascope"
)

// Stream streams req through the wrapped provider inside a span. What the
// span records of the request is taken from req when Stream is called, so
// that a change to the prompt after that is not recorded. The span starts
// when ranging starts (when the request is sent) and ends exactly once: when
// the stream is exhausted, when it fails, when the caller stops ranging, or
// when a panic in the caller's loop body unwinds through it (the panic goes
// on). It carries the accumulated usage and finish reasons,
// gen_ai.request.stream=true and gen_ai.response.time_to_first_chunk.
func (t *tracedStreamer) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	first := t.newCall(ctx, req, true)
	first.takeSnapshot()
	var ranged atomic.Bool
	return func(yield func(*mirascope.Chunk, error) bool) {
		c := first
		if ranged.Swap(true) {
			// Ranged again: another request, another span.
			c = t.newCall(ctx, req, true)
		}
		c, spanCtx := c.begin(ctx)
		acc := accumulator{capture: t.capture}
		done := false
		defer func() {
			if !done {
				c.end(acc.response(), nil, true)
			}
		}()
		for chunk, err := range t.streamer.Stream(spanCtx, req) {
			if err != nil {
				done = true
				c.end(acc.response(), err, false)
				yield(nil, err)
				return
			}
			if chunk == nil {
				continue
			}
			if c.ttfc < 0 {
				c.ttfc = time.Since(c.start)
			}
			acc.add(chunk)
			if !yield(chunk, nil) {
				// The caller broke out of its loop: a normal end.
				done = true
				c.end(acc.response(), nil, false)
				return
			}
		}
		done = true
		if acc.acc.Len() == 0 {
			err := t.noAnswer()
			c.end(nil, err, false)
			yield(nil, err)
			return
		}
		c.end(acc.response(), nil, false)
	}
}

// accumulator gathers what a stream's chunks say, as the span reports it,
// through the one mirascope.Accumulator. Without content capture it keeps
// no text and no tool calls, which the span would not record.
type accumulator struct {
	capture bool
	acc     mirascope.Accumulator
}

func (a *accumulator) add(c *mirascope.Chunk) {
	if !a.capture && (c.Content != "" || len(c.ToolCalls) > 0) {
		meta := *c
		meta.Content, meta.ToolCalls = "", nil
		c = &meta
	}
	a.acc.Add(c)
}

// response is what was accumulated, or nil when no chunk came.
func (a *accumulator) response() *mirascope.Response {
	if a.acc.Len() == 0 {
		return nil
	}
	return a.acc.Response()
}
