package mock

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/mirascope-go/mirascope/providers/providerkit"
)

var _ providerkit.Batcher = (*Provider)(nil)

// ErrNoBatch is the mock's answer for a batch id it never issued.
var ErrNoBatch = errors.New("mirascope: mock: no such batch")

type mockBatch struct {
	state   providerkit.BatchState
	results []providerkit.BatchResult
}

// SubmitBatch implements [providerkit.Batcher]: each request takes the next
// reply, as a Call would (a [Fail] reply is that request's error), and the
// job is ended at once. Its results come back in reverse order, as a
// service's may come in any order. Job ids are "mock-batch-1", "-2", ….
func (p *Provider) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	b := &mockBatch{state: providerkit.BatchEnded, results: make([]providerkit.BatchResult, len(reqs))}
	for i, r := range reqs {
		reply, n, info := p.take(r.Request)
		res := providerkit.BatchResult{CustomID: r.CustomID, Err: reply.err}
		if reply.err == nil {
			res.Response = reply.response(r.Request, n, info)
		}
		b.results[len(reqs)-1-i] = res
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.batches == nil {
		p.batches = make(map[string]*mockBatch)
	}
	id := fmt.Sprintf("mock-batch-%d", len(p.batches)+1)
	p.batches[id] = b
	return id, nil
}

// SetBatchState makes the job with this id report state from now on, to
// test how code meets a job that is still running, failed, expired or
// cancelled. As a service's, a running or failed job has no results to
// read; an expired or cancelled one has all of its own.
func (p *Provider) SetBatchState(id string, state providerkit.BatchState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b := p.batches[id]; b != nil {
		b.state = state
	}
}

// BatchStatus implements [providerkit.Batcher].
func (p *Provider) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	if err := ctx.Err(); err != nil {
		return providerkit.BatchStatus{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.batches[id]
	if b == nil {
		return providerkit.BatchStatus{}, fmt.Errorf("%w: %q", ErrNoBatch, id)
	}
	st := providerkit.BatchStatus{State: b.state, Raw: string(b.state), Total: len(b.results)}
	for _, r := range b.results {
		if r.Err != nil {
			st.Failed++
		} else {
			st.Completed++
		}
	}
	return st, nil
}

// BatchResults implements [providerkit.Batcher]. A running or failed job
// has none to read: the error matches [providerkit.ErrBatchNoResults]
// (batch.ErrNoResults).
func (p *Provider) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		p.mu.Lock()
		b := p.batches[id]
		var results []providerkit.BatchResult
		var state providerkit.BatchState
		if b != nil {
			results, state = b.results, b.state
		}
		p.mu.Unlock()
		switch {
		case b == nil:
			yield(providerkit.BatchResult{}, fmt.Errorf("%w: %q", ErrNoBatch, id))
			return
		case state == providerkit.BatchRunning || state == providerkit.BatchFailed:
			yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: mock: batch %q is %s: %w", id, state, providerkit.ErrBatchNoResults))
			return
		}
		for _, r := range results {
			if err := ctx.Err(); err != nil {
				yield(providerkit.BatchResult{}, err)
				return
			}
			if r.Response != nil {
				cp := *r.Response
				r.Response = &cp
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// CancelBatch implements [providerkit.Batcher]: the job reports itself
// cancelled, its results still readable.
func (p *Provider) CancelBatch(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.batches[id]
	if b == nil {
		return fmt.Errorf("%w: %q", ErrNoBatch, id)
	}
	b.state = providerkit.BatchCancelled
	return nil
}
