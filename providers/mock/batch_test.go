package mock_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
