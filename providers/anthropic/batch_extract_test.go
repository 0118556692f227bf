package anthropic_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
)

type batchBook struct {
	Title string `json:"title" validate:"required"`
	Year  int    `json:"year"`
}

// batch.Extract through Message Batches: each request carries the Format as
// Extract sends it (native output_config), and each answer is decoded as
// Extract decodes it, from the text or, from a service that returns the
// Format as a tool call named after it, from that call.
func TestBatchExtractWire(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	f.content = func(text string) string {
		switch text {
		case "tool":
			return `[{"type":"tool_use","id":"toolu_01","name":"batchBook","input":{"title":"Dune","year":1965}}]`
		case "bad":
			return `[{"type":"text","text":"{\"title\":\"Emma\"}"}]`
		}
		return `[{"type":"text","text":"{\"title\":\"` + text + `\",\"year\":1815}"}]`
	}
	ctx := context.Background()
	job, err := batch.Extract[batchBook](ctx, newBatcher(srv.URL), []ask{{"Emma"}, {"FAIL"}, {"bad"}, {"tool"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	for _, q := range f.jobs[job.ID()].requests {
		assert.Contains(t, string(q.Params), `"output_config":{"format":{"type":"json_schema","schema":{`)
	}

	// Read by a new provider value, with the id alone.
	again, err := batch.ResumeExtract[batchBook](ctx, newBatcher(srv.URL), job.ID())
	require.NoError(t, err)
	got := map[int]batch.ExtractResult[batchBook]{}
	var order []int
	for r, err := range again.Results(ctx) {
		require.NoError(t, err)
		got[r.Index] = r
		order = append(order, r.Index)
	}
	assert.Equal(t, []int{3, 2, 1, 0}, order)
	assert.NoError(t, got[0].Err)
	assert.Equal(t, batchBook{"Emma", 1815}, got[0].Value)
	assert.True(t, got[0].Response.Usage.Batch)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, "invalid_request_error", pe.Type)
	var xe *mirascope.ExtractError
	require.ErrorAs(t, got[2].Err, &xe)
	assert.True(t, strings.Contains(got[2].Err.Error(), "year"), got[2].Err)
	assert.NoError(t, got[3].Err)
	assert.Equal(t, batchBook{"Dune", 1965}, got[3].Value)
	assert.Empty(t, got[3].Response.ToolCalls, "the format's call is the answer, not a tool call")
}
