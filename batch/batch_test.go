package batch_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

type book struct {
	Genre string `prompt:"genre" validate:"required,oneof=fantasy scifi mystery"`
}

func (book) Template() string { return "Recommend a {genre} book." }

var fast = batch.WithPollInterval(time.Millisecond, 5*time.Millisecond)

func TestSubmitWaitResults(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	p := mock.New(mock.Text("a"), mock.Fail(boom), mock.Text("c"))
	job, err := batch.Submit(ctx, p, []book{{"fantasy"}, {"scifi"}, {"mystery"}}, mirascope.WithMaxTokens(64))
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fast))

	// Every request was built as Call builds it, options included.
	reqs := p.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		require.NotNil(t, r.Params.MaxTokens)
		assert.Equal(t, 64, *r.Params.MaxTokens)
	}
	assert.Equal(t, "Recommend a scifi book.", reqs[1].Messages[0].Content)

	var order []int
	got := map[int]batch.Result{}
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		order = append(order, r.Index)
		got[r.Index] = r
	}
	assert.Equal(t, []int{2, 1, 0}, order, "the mock answers out of order")
	assert.Equal(t, "a", got[0].Response.Content)
	assert.Same(t, p, got[0].Response.Provider)
	assert.ErrorIs(t, got[1].Err, boom, "a failed line is that result's error")
	assert.Nil(t, got[1].Response)
	assert.Equal(t, "c", got[2].Response.Content)

	// Resume with the id alone reads the same results with the same indexes.
	again, err := batch.Resume(ctx, p, job.ID())
	require.NoError(t, err)
	var order2 []int
	for r, err := range again.Results(ctx) {
		require.NoError(t, err)
		order2 = append(order2, r.Index)
	}
	assert.Equal(t, order, order2)
}

func TestBadPromptSubmitsNothing(t *testing.T) {
	p := mock.New(mock.Text("x"))
	_, err := batch.Submit(context.Background(), p, []book{{"fantasy"}, {"scifi"}, {"horror"}, {"mystery"}})
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Index)
	assert.ErrorIs(t, err, prompt.ErrValidation)
	assert.Contains(t, err.Error(), "prompt 2")
	assert.Empty(t, p.Requests(), "nothing is submitted")

	// An option Call has no use for is refused as Call refuses it.
	_, err = batch.Submit(context.Background(), p, []book{{"fantasy"}}, mirascope.WithMaxTurns(3))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "batch.Submit", ue.Provider)
	assert.Equal(t, "WithMaxTurns", ue.Parameter)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 0, pe.Index)
	assert.Empty(t, p.Requests())

	_, err = batch.Submit(context.Background(), p, []book{})
	assert.ErrorIs(t, err, batch.ErrNoPrompts)
	_, err = batch.Submit(context.Background(), nil, []book{{"fantasy"}})
	assert.ErrorIs(t, err, mirascope.ErrNilProvider)
}

// plain is a provider with no batch API.
type plain struct{ *mock.Provider }

func (plain) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "plain"} }
func (p plain) Call(ctx context.Context, r *mirascope.Request) (*mirascope.Response, error) {
	return p.Provider.Call(ctx, r)
}

type onlyCall struct{ p plain }

func (o onlyCall) Info() mirascope.ProviderInfo { return o.p.Info() }
func (o onlyCall) Call(ctx context.Context, r *mirascope.Request) (*mirascope.Response, error) {
	return o.p.Call(ctx, r)
}

func TestNoBatchAPIIsRefused(t *testing.T) {
	p := onlyCall{plain{mock.New(mock.Text("x"))}}
	_, err := batch.Submit(context.Background(), p, []book{{"fantasy"}})
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "plain", ue.Provider)
	assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	_, err = batch.Resume(context.Background(), p, "x")
	assert.ErrorAs(t, err, &ue)
}

func TestFoundThroughUnwrap(t *testing.T) {
	m := mock.New(mock.Text("x"))
	p := otel.Traced(m)
	job, err := batch.Submit(context.Background(), p, []book{{"fantasy"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(context.Background(), fast))
	for r, err := range job.Results(context.Background()) {
		require.NoError(t, err)
		assert.Equal(t, "x", r.Response.Content)
	}
	assert.Len(t, m.Requests(), 1)
}

func TestWaitReportsEndedJobs(t *testing.T) {
	ctx := context.Background()
	for _, state := range []providerkit.BatchState{providerkit.BatchFailed, providerkit.BatchExpired, providerkit.BatchCancelled} {
		p := mock.New(mock.Text("a"), mock.Fail(errors.New("no")))
		job, err := batch.Submit(ctx, p, []book{{"fantasy"}, {"scifi"}, {"mystery"}})
		require.NoError(t, err)
		if state == providerkit.BatchCancelled {
			require.NoError(t, job.Cancel(ctx))
		} else {
			p.SetBatchState(job.ID(), state)
		}
		err = job.Wait(ctx, fast)
		var je *batch.JobError
		require.ErrorAs(t, err, &je, state)
		assert.Equal(t, state, je.State)
		assert.Equal(t, job.ID(), je.ID)
		assert.Equal(t, []int{3, 1, 2}, []int{je.Total, je.Completed, je.Failed})
		assert.Contains(t, err.Error(), string(state))
	}
}

func TestWaitHonoursContext(t *testing.T) {
	p := mock.New(mock.Text("a"))
	job, err := batch.Submit(context.Background(), p, []book{{"fantasy"}})
	require.NoError(t, err)
	p.SetBatchState(job.ID(), providerkit.BatchRunning)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err = job.Wait(ctx, fast)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	// Results of a running job: the stream's error, not a panic or a hang.
	for _, err := range job.Results(context.Background()) {
		assert.ErrorIs(t, err, batch.ErrNoResults)
	}
}

// fakeBatcher answers with results of its choosing.
type fakeBatcher struct {
	*mock.Provider
	results []providerkit.BatchResult
	polls   []time.Time
}

func (f *fakeBatcher) SubmitBatch(context.Context, []providerkit.BatchRequest) (string, error) {
	return "fake", nil
}
func (f *fakeBatcher) BatchStatus(context.Context, string) (providerkit.BatchStatus, error) {
	f.polls = append(f.polls, time.Now())
	if len(f.polls) < 4 {
		return providerkit.BatchStatus{State: providerkit.BatchRunning}, nil
	}
	return providerkit.BatchStatus{State: providerkit.BatchEnded}, nil
}
func (f *fakeBatcher) BatchResults(context.Context, string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		for _, r := range f.results {
			if !yield(r, nil) {
				return
			}
		}
	}
}
func (f *fakeBatcher) CancelBatch(context.Context, string) error { return nil }

func TestForeignCustomIDsAreErrors(t *testing.T) {
	f := &fakeBatcher{Provider: mock.New(), results: []providerkit.BatchResult{
		{CustomID: "mirascope-7", Response: &mirascope.Response{Content: "ok"}},
		{CustomID: "other-1"}, {CustomID: "mirascope-"}, {CustomID: "mirascope-01"},
		{CustomID: "mirascope--1"}, {CustomID: "mirascope-+1"}, {CustomID: "mirascope-99999999999999999999999"},
	}}
	job, err := batch.Resume(context.Background(), f, "fake")
	require.NoError(t, err)
	var idx []int
	errs := 0
	for r, err := range job.Results(context.Background()) {
		if err != nil {
			errs++
			continue
		}
		idx = append(idx, r.Index)
	}
	assert.Equal(t, []int{7}, idx)
	assert.Equal(t, 6, errs)

	// Breaking early stops the stream.
	for range job.Results(context.Background()) {
		break
	}
}

func TestWaitBacksOff(t *testing.T) {
	f := &fakeBatcher{Provider: mock.New()}
	job, err := batch.Resume(context.Background(), f, "fake")
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, job.Wait(context.Background(), batch.WithPollInterval(10*time.Millisecond, 20*time.Millisecond)))
	require.Len(t, f.polls, 4)
	// Delays 10, 20, 20, 20 ms: at least 70 ms in all, never before the first delay.
	assert.GreaterOrEqual(t, f.polls[0].Sub(start), 10*time.Millisecond)
	assert.GreaterOrEqual(t, f.polls[3].Sub(start), 70*time.Millisecond)
	assert.True(t, slices.IsSortedFunc(f.polls, func(a, b time.Time) int { return a.Compare(b) }))
}
