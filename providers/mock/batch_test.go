package mock_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

func TestResetForgetsBatches(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text("a"), mock.Text("b"))
	id, err := p.SubmitBatch(ctx, []providerkit.BatchRequest{{CustomID: "x", Request: req("q")}})
	require.NoError(t, err)
	assert.Equal(t, "mock-batch-1", id)

	p.Reset()
	_, err = p.BatchStatus(ctx, id)
	assert.ErrorIs(t, err, mock.ErrNoBatch)
	for _, err := range p.BatchResults(ctx, id) {
		assert.ErrorIs(t, err, mock.ErrNoBatch)
	}
	assert.ErrorIs(t, p.CancelBatch(ctx, id), mock.ErrNoBatch)
	assert.Empty(t, p.Requests())

	// The script and the numbering start again.
	id, err = p.SubmitBatch(ctx, []providerkit.BatchRequest{{CustomID: "y", Request: req("q")}})
	require.NoError(t, err)
	assert.Equal(t, "mock-batch-1", id)
	for r, err := range p.BatchResults(ctx, id) {
		require.NoError(t, err)
		assert.Equal(t, "y", r.CustomID)
		assert.Equal(t, "a", r.Response.Content)
	}
}

// TestBatchStates: as a service's, a running or failed job has no results
// to read (ErrNoResults), an expired or cancelled one has its answers.
func TestBatchStates(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		state providerkit.BatchState
		read  bool
	}{
		{providerkit.BatchRunning, false},
		{providerkit.BatchFailed, false},
		{providerkit.BatchExpired, true},
		{providerkit.BatchCancelled, true},
		{providerkit.BatchEnded, true},
	} {
		p := mock.New(mock.Text("a"), mock.Text("b"))
		id, err := p.SubmitBatch(ctx, []providerkit.BatchRequest{{CustomID: "x", Request: req("q")}, {CustomID: "y", Request: req("q")}})
		require.NoError(t, err)
		p.SetBatchState(id, tc.state)
		st, err := p.BatchStatus(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, tc.state, st.State)
		var ids []string
		n := 0
		for r, err := range p.BatchResults(ctx, id) {
			n++
			if !tc.read {
				require.ErrorIs(t, err, providerkit.ErrBatchNoResults, tc.state)
				require.ErrorIs(t, err, batch.ErrNoResults)
				continue
			}
			require.NoError(t, err, tc.state)
			ids = append(ids, r.CustomID)
		}
		if tc.read {
			assert.Equal(t, []string{"y", "x"}, ids, tc.state)
		} else {
			assert.Equal(t, 1, n, "one error, then the stream ends")
		}
	}
}
