package oaicompat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

type batchAsk struct {
	Q string `prompt:"q"`
}

func (batchAsk) Template() string { return "{q}" }

// A result line over the bound ends the stream with an error, after the
// lines before it, without reading the rest into memory; one byte per
// write changes nothing.
func TestBatchLineBound(t *testing.T) {
	old := maxBatchLine
	maxBatchLine = 4096
	t.Cleanup(func() { maxBatchLine = old })

	f := oaitest.NewFakeBatches(t, oaitest.BatchAPI{
		CheckAuth: func(h http.Header) bool { return h.Get("Authorization") == "Bearer "+oaitest.TestKey },
		Endpoint:  OpenAIBatch.URL, Window: OpenAIBatch.Window,
	})
	f.SetChunk(1)
	c := New(Spec{Name: "test", Batch: &OpenAIBatch}, "gpt-4o-mini", []providers.Option{providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(f.URL)})
	ctx := context.Background()
	job, err := batch.Submit(ctx, c, []batchAsk{{strings.Repeat("y", 5000)}, {"short"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, batch.WithPollInterval(time.Millisecond, time.Millisecond)))
	var idx []int
	var errs []error
	for r, err := range job.Results(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.NoError(t, r.Err)
		idx = append(idx, r.Index)
	}
	assert.Equal(t, []int{1}, idx, "the output file is in reverse: the short answer comes first")
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "a line passes 4096 bytes")
}

// A Spec without a Batch API refuses every batch method, sending nothing.
func TestBatchNone(t *testing.T) {
	c := New(Spec{Name: "test"}, "m", []providers.Option{providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL("http://127.0.0.1:1")})
	ctx := context.Background()
	_, err := c.SubmitBatch(ctx, nil)
	assert.ErrorContains(t, err, "no batch API")
	_, err = c.BatchStatus(ctx, "b")
	assert.ErrorContains(t, err, "no batch API")
	assert.ErrorContains(t, c.CancelBatch(ctx, "b"), "no batch API")
	for _, err := range c.BatchResults(ctx, "b") {
		assert.ErrorContains(t, err, "no batch API")
	}
}

// Azure has answered with capitalised statuses; they map as lower case.
func TestBatchStatusCase(t *testing.T) {
	for raw, want := range map[string]providerkit.BatchState{
		"Validating": providerkit.BatchRunning, "in_progress": providerkit.BatchRunning, "Finalizing": providerkit.BatchRunning,
		"Completed": providerkit.BatchEnded, "completed": providerkit.BatchEnded, "Failed": providerkit.BatchFailed,
		"Expired": providerkit.BatchExpired, "Cancelled": providerkit.BatchCancelled, "cancelling": providerkit.BatchRunning,
	} {
		st := batchStatus(&openai.Batch{Status: openai.BatchStatus(raw)})
		assert.Equal(t, want, st.State, raw)
		assert.Equal(t, raw, st.Raw)
	}
}

// Each result's Raw is the completion the SDK decodes from its line, as
// Call's is, and owns its bytes: the lines are read in place from a
// reused buffer, so results kept while later lines (past the buffer's
// 64 KiB) are read must not change; lines longer than the buffer, a long
// one then a shorter one, are gathered whole.
func TestBatchResultsRawAsSDK(t *testing.T) {
	f := oaitest.NewFakeBatches(t, oaitest.BatchAPI{
		CheckAuth: func(h http.Header) bool { return h.Get("Authorization") == "Bearer "+oaitest.TestKey },
		Endpoint:  OpenAIBatch.URL, Window: OpenAIBatch.Window,
	})
	c := New(Spec{Name: "test", Batch: &OpenAIBatch}, "gpt-4o-mini", []providers.Option{providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(f.URL)})
	ctx := context.Background()
	prompts := make([]batchAsk, 1500)
	for i := range prompts {
		prompts[i] = batchAsk{fmt.Sprintf("question %d %s", i, strings.Repeat("é", i%50))}
	}
	prompts[7].Q = strings.Repeat("a", 200<<10)
	prompts[3].Q = strings.Repeat("b", 100<<10) // read after 7's: the output is in reverse
	job, err := batch.Submit(ctx, c, prompts)
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, batch.WithPollInterval(time.Millisecond, time.Millisecond)))
	var got []batch.Result
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		got = append(got, r)
	}
	require.Len(t, got, len(prompts))

	out := f.File("file-out-" + job.ID())
	require.Greater(t, len(out), 64<<10)
	want := map[string]*openai.ChatCompletion{}
	for line := range bytes.Lines(out) {
		var l jsonLine
		require.NoError(t, json.Unmarshal(line, &l))
		var cc openai.ChatCompletion
		require.NoError(t, json.Unmarshal(l.Response.Body, &cc))
		want[l.CustomID] = &cc
	}
	for _, r := range got {
		assert.Equal(t, "answer to: "+prompts[r.Index].Q, r.Response.Content)
		assert.Equal(t, want[fmt.Sprintf("mirascope-%d", r.Index)], r.Response.Raw)
	}
}
