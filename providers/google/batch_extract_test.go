package google_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// extractBody is the generateContent body mirascope.Extract[T] sends for p.
func extractBody[T any](t *testing.T, p any, opts ...mirascope.CallOption) []byte {
	t.Helper()
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		googleError(w, 400, "INVALID_ARGUMENT", "kept")
	}))
	defer srv.Close()
	_, _, err := mirascope.Extract[T](context.Background(), newBatcher(srv.URL), p, opts...)
	require.Error(t, err)
	require.NotEmpty(t, body)
	return body
}

// The prompts of the typed batches below: each text is the model's answer
// (see fakeGeminiBatches), but the second, which fails, and the third,
// which lacks the author Book requires.
var bookAsks = []ask{
	{`{"title":"Dune","author":"Frank Herbert","year":1965}`},
	{"FAIL"},
	{`{"title":"Emma","year":1815}`},
	{`{"title":"Emma","author":"Jane Austen","year":1815}`},
}

// checkBooks checks the typed results of bookAsks.
func checkBooks(t *testing.T, got map[int]batch.ExtractResult[Book]) {
	t.Helper()
	require.Len(t, got, len(bookAsks))
	assert.NoError(t, got[0].Err)
	assert.Equal(t, Book{"Dune", "Frank Herbert", 1965}, got[0].Value)
	assert.True(t, got[0].Response.Usage.Batch)
	assert.Empty(t, got[0].Response.ToolCalls, "the format's answer is not a tool call")
	assert.JSONEq(t, bookAsks[0].Q, got[0].Response.Content)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, "INVALID_ARGUMENT", pe.Code)
	var xe *mirascope.ExtractError
	require.ErrorAs(t, got[2].Err, &xe)
	require.Len(t, xe.Attempts, 1)
	assert.JSONEq(t, bookAsks[2].Q, xe.Attempts[0].Raw)
	assert.ErrorContains(t, got[2].Err, "author")
	assert.Zero(t, got[2].Value)
	assert.NoError(t, got[3].Err)
	assert.Equal(t, Book{"Emma", "Jane Austen", 1815}, got[3].Value)
}

func readBooks(t *testing.T, job *batch.ExtractJob[Book]) (map[int]batch.ExtractResult[Book], []int) {
	t.Helper()
	got := map[int]batch.ExtractResult[Book]{}
	var order []int
	for r, err := range job.Results(context.Background()) {
		require.NoError(t, err)
		got[r.Index] = r
		order = append(order, r.Index)
	}
	return got, order
}

// batch.Extract on the Gemini API: every request is the one Extract sends
// (Book's schema as responseJsonSchema: batch.Extract sends no tools, so
// on every Gemini model its format goes natively), and every answer, read
// by a new provider value from the id alone, is judged as Extract judges
// it.
func TestBatchExtractWire(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	f.keyed = true // answers in reverse order, each with its key
	ctx := context.Background()
	job, err := batch.Extract[Book](ctx, newBatcher(srv.URL), bookAsks)
	require.NoError(t, err)
	for i, q := range f.jobs[job.ID()].requests {
		assert.JSONEq(t, string(extractBody[Book](t, bookAsks[i])), string(q))
		assert.Contains(t, string(q), `"responseJsonSchema"`)
	}
	require.NoError(t, job.Wait(ctx, fastPoll))

	again, err := batch.ResumeExtract[Book](ctx, newBatcher(srv.URL), job.ID())
	require.NoError(t, err)
	got, order := readBooks(t, again)
	assert.Equal(t, []int{3, 2, 1, 0}, order)
	checkBooks(t, got)
}

// A format that goes out as a function the model must call (beside tools,
// before Gemini 3) is no longer refused: the requests are the ones Call
// sends, and the answers, functionCall parts of that function, are tool
// calls as a plain Job reads them, and the typed answers as an ExtractJob
// of the format's type reads them.
func TestBatchFormatAsFunction(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	ctx := context.Background()
	opts := []mirascope.CallOption{mirascope.WithModel("gemini-2.5-flash"),
		mirascope.WithTools(replaytest.GetAuthor), replaytest.WithFormat(replaytest.BookFormat)}
	job, err := batch.Submit(ctx, newBatcher(srv.URL), bookAsks, opts...)
	require.NoError(t, err)
	for i, q := range f.jobs[job.ID()].requests {
		assert.JSONEq(t, string(callBody(t, bookAsks[i], opts...)), string(q))
		assert.NotContains(t, string(q), `"responseJsonSchema"`)
		assert.Contains(t, string(q), `"functionCallingConfig":{"mode":"ANY"}`)
	}
	require.NoError(t, job.Wait(ctx, fastPoll))

	// A plain Job keeps the service's answer: a call of the function.
	plain, err := batch.Resume(ctx, newBatcher(srv.URL), job.ID())
	require.NoError(t, err)
	n := 0
	for r, err := range plain.Results(ctx) {
		require.NoError(t, err)
		if r.Err != nil {
			continue
		}
		n++
		require.Len(t, r.Response.ToolCalls, 1)
		assert.Equal(t, "Book", r.Response.ToolCalls[0].Name)
		assert.JSONEq(t, bookAsks[r.Index].Q, r.Response.ToolCalls[0].Arguments)
		assert.Empty(t, r.Response.Content)
	}
	assert.Equal(t, 3, n)

	// Read as Book, the call named after it is the answer.
	typed, err := batch.ResumeExtract[Book](ctx, newBatcher(srv.URL), job.ID())
	require.NoError(t, err)
	got, _ := readBooks(t, typed)
	checkBooks(t, got)
}
