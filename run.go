package mirascope

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mirascope-go/mirascope/prompt"
)

// DefaultMaxTurns is how many model calls [Run] makes at most when
// [WithMaxTurns] is not given.
const DefaultMaxTurns = 10

// ErrMaxTurns is returned by [Run], with the transcript so far, when the
// model still asks for tools after the last turn allowed.
var ErrMaxTurns = errors.New("mirascope: maximum turns reached")

// WithMaxTurns bounds the model calls of a [Run], or of each attempt of an
// [Extract] with tools (default [DefaultMaxTurns]); n < 1 means 1. Where
// there is no tool loop (Call, Stream, StreamExtract, Extract without
// tools) it is refused with an [*UnsupportedError], before any request.
func WithMaxTurns(n int) CallOption {
	return func(r *Request) { r.loop.maxTurns, r.loop.turnsSet = max(n, 1), true }
}

// Run renders p and runs the tool loop: it calls the model, runs the tools
// it asks for with [CallTools], sends their results back, and repeats until
// an answer without tool calls, which is tr.Response. A [ToolChoiceRequired]
// or a named choice applies to the first turn only, so that the model can
// then answer. After [WithMaxTurns] model calls whose last still asked for
// tools (those ran, so the transcript can be continued), Run returns
// [ErrMaxTurns]. On any error the transcript so far comes with it. The
// context cancels the model calls and the running tools.
//
// When provider is (or wraps, along Unwrap() Provider) a [RunObserver], the
// whole run is reported to it.
func Run(ctx context.Context, provider Provider, p any, opts ...CallOption) (*Transcript, error) {
	req, err := NewRequest(p, opts...)
	if err != nil {
		return nil, err
	}
	if err := req.unusedOption("Run", false, true); err != nil {
		return nil, err
	}
	if provider == nil {
		return nil, ErrNilProvider
	}
	return observedRun(ctx, provider, req, func(ctx context.Context, tr *Transcript) error {
		return loop(ctx, provider, req, tr)
	})
}

// observedRun runs body under the provider's RunObserver, if any.
func observedRun(ctx context.Context, provider Provider, req *Request, body func(context.Context, *Transcript) error) (tr *Transcript, err error) {
	tr = &Transcript{Messages: slices.Clone(req.Messages)}
	if obs, ok := find[RunObserver](provider); ok {
		var end func(*Transcript, error)
		ctx, end = obs.StartRun(ctx, req)
		returned := false
		defer func() {
			if !returned {
				// A panic (in a provider, a tool's observer, a callback) is
				// unwinding: the run failed, and the panic goes on.
				err = errRunPanicked
			}
			end(tr, err)
		}()
		err = body(ctx, tr)
		returned = true
		return tr, err
	}
	return tr, body(ctx, tr)
}

// errRunPanicked is what a RunObserver is told when a panic ended the run.
var errRunPanicked = errors.New("mirascope: run abandoned by a panic")

// loop continues tr until an answer without tool calls, the turn limit or
// an error. tr.Messages is the conversation to send.
func loop(ctx context.Context, provider Provider, req *Request, tr *Transcript) error {
	maxTurns := req.loop.maxTurns
	if maxTurns == 0 {
		maxTurns = DefaultMaxTurns
	}
	for turns := 0; ; turns++ {
		if turns == maxTurns {
			return fmt.Errorf("%w (%d)", ErrMaxTurns, maxTurns)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		r := *req
		r.Messages = slices.Clone(tr.Messages)
		if tr.Turns > 0 && r.ToolChoice != ToolChoiceNone && r.ToolChoice != ToolChoiceAuto && r.ToolChoice != "" {
			r.ToolChoice = ToolChoiceAuto
		}
		resp, err := provider.Call(ctx, &r)
		if err != nil {
			return withContextErr(ctx, err)
		}
		if resp == nil {
			return noResponse(ctx, provider)
		}
		resp.Request, resp.Provider = &r, provider
		tr.Response = resp
		tr.Turns++
		tr.Usage = tr.Usage.add(resp.Usage)
		tr.Messages = append(tr.Messages, assistantMessage(resp))
		if len(resp.ToolCalls) == 0 {
			return nil
		}
		tr.Messages = append(tr.Messages, CallTools(ctx, resp, req.Tools...)...)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// assistantMessage is resp's turn as history, with its tool calls.
func assistantMessage(resp *Response) prompt.Message {
	m := resp.Message
	if m.Role == "" {
		m = prompt.Assistant(resp.Content)
	}
	if len(m.ToolCalls) == 0 && len(resp.ToolCalls) > 0 {
		m.ToolCalls = slices.Clone(resp.ToolCalls)
	}
	return m
}

func (u Usage) add(v Usage) Usage {
	// The zero Usage (nothing counted yet, or nothing reported) adds
	// nothing, its Batch flag included; otherwise a sum is Batch only when
	// both parts are.
	batch := u.Batch && v.Batch
	switch {
	case u == (Usage{}):
		batch = v.Batch
	case v == (Usage{}):
		batch = u.Batch
	}
	return Usage{
		InputTokens:      u.InputTokens + v.InputTokens,
		OutputTokens:     u.OutputTokens + v.OutputTokens,
		CacheReadTokens:  u.CacheReadTokens + v.CacheReadTokens,
		CacheWriteTokens: u.CacheWriteTokens + v.CacheWriteTokens,
		ReasoningTokens:  u.ReasoningTokens + v.ReasoningTokens,
		Batch:            batch,
	}
}
