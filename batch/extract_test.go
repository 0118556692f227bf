package batch_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

type bookInfo struct {
	Title string `json:"title" validate:"required"`
	Year  int    `json:"year" validate:"min=1000"`
}

// Validate is called after the tags, as mirascope.Extract calls it.
func (b bookInfo) Validate() error {
	if b.Title == "Untitled" {
		return errors.New("a book has a title")
	}
	return nil
}

func collect[T any](t *testing.T, job *batch.ExtractJob[T]) map[int]batch.ExtractResult[T] {
	t.Helper()
	got := map[int]batch.ExtractResult[T]{}
	for r, err := range job.Results(context.Background()) {
		require.NoError(t, err)
		got[r.Index] = r
	}
	return got
}

func TestExtractTypedResults(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	p := mock.New(
		mock.Text(`{"title":"The Hobbit","year":1937}`),
		mock.Text(`{"title":"","year":1937}`),           // validate tag
		mock.Fail(boom),                                 // the request failed
		mock.Text(`{"title":"Dune","year":1965,"x":1}`), // unknown key: strict
		mock.Text(`{"title":"Untitled","year":1999}`),   // Validate method
	)
	prompts := []book{{"fantasy"}, {"scifi"}, {"mystery"}, {"scifi"}, {"fantasy"}}
	job, err := batch.Extract[bookInfo](ctx, p, prompts, mirascope.WithMaxTokens(64))
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fast))

	// Each request is the one mirascope.Extract sends.
	online := mock.New(mock.Text(`{"title":"The Hobbit","year":1937}`))
	_, _, err = mirascope.Extract[bookInfo](ctx, online, prompts[0], mirascope.WithMaxTokens(64))
	require.NoError(t, err)
	want := online.Requests()[0]
	reqs := p.Requests()
	require.Len(t, reqs, 5)
	require.NotNil(t, reqs[0].Format)
	assert.Equal(t, want.Format, reqs[0].Format)
	assert.Equal(t, "bookInfo", reqs[0].Format.Name)
	assert.Equal(t, want.Messages, reqs[0].Messages)
	assert.Equal(t, want.Params, reqs[0].Params)

	got := collect(t, job)
	require.Len(t, got, 5)
	assert.NoError(t, got[0].Err)
	assert.Equal(t, bookInfo{"The Hobbit", 1937}, got[0].Value)
	assert.Same(t, p, got[0].Response.Provider)
	assert.Nil(t, got[0].Response.Request)
	assert.True(t, got[0].Response.Usage.Batch)

	// An invalid answer is the *ExtractError Extract returns with no re-ask.
	_, _, onlineErr := mirascope.Extract[bookInfo](ctx, mock.New(mock.Text(`{"title":"","year":1937}`)), prompts[1])
	var xe *mirascope.ExtractError
	require.ErrorAs(t, got[1].Err, &xe)
	assert.Equal(t, onlineErr.Error(), got[1].Err.Error())
	require.Len(t, xe.Attempts, 1)
	assert.Equal(t, `{"title":"","year":1937}`, xe.Attempts[0].Raw)
	var ve *mirascope.ValueError
	require.ErrorAs(t, got[1].Err, &ve)
	assert.Equal(t, "$.title", ve.Path)
	assert.ErrorIs(t, got[1].Err, prompt.ErrValidation)
	assert.Zero(t, got[1].Value)
	require.NotNil(t, got[1].Response, "the answer is kept")
	assert.Same(t, p, got[1].Response.Provider)

	assert.ErrorIs(t, got[2].Err, boom)
	assert.Nil(t, got[2].Response)

	require.ErrorAs(t, got[3].Err, &ve)
	assert.Equal(t, "$.x", ve.Path)
	require.ErrorAs(t, got[4].Err, &ve)
	assert.Contains(t, got[4].Err.Error(), "a book has a title")

	// Resume in a new process: the id alone, typed.
	again, err := batch.ResumeExtract[bookInfo](ctx, p, job.ID())
	require.NoError(t, err)
	got2 := collect(t, again)
	assert.Equal(t, got[0].Value, got2[0].Value)
	assert.Equal(t, got[1].Err.Error(), got2[1].Err.Error())

	// The raw results stay readable through the Job.
	n := 0
	for r, err := range job.Job.Results(ctx) {
		require.NoError(t, err)
		if r.Index == 0 {
			assert.Equal(t, `{"title":"The Hobbit","year":1937}`, r.Response.Content)
		}
		n++
	}
	assert.Equal(t, 5, n)
}

func TestExtractNonStructT(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text(`{"value":["Dune","Emma"]}`), mock.Text(`["Dune"]`))
	job, err := batch.Extract[[]string](ctx, p, []book{{"scifi"}, {"fantasy"}})
	require.NoError(t, err)
	assert.Equal(t, "response", p.Requests()[0].Format.Name)
	got := collect(t, job)
	assert.Equal(t, []string{"Dune", "Emma"}, got[0].Value)
	var ve *mirascope.ValueError
	require.ErrorAs(t, got[1].Err, &ve, "unwrapped arrays are refused, as Extract refuses them")
}

func TestExtractRefusesConversations(t *testing.T) {
	ctx := context.Background()
	tool := mirascope.NewTool("lookup", "Looks a book up", func(context.Context, struct {
		Q string `json:"q"`
	}) (string, error) {
		return "", nil
	})
	for _, tc := range []struct {
		opt  mirascope.CallOption
		name string
	}{
		{mirascope.WithTools(tool), "WithTools"},
		{mirascope.WithMaxReasks(2), "WithMaxReasks"},
		{mirascope.WithMaxTurns(3), "WithMaxTurns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mock.New(mock.Text("{}"))
			_, err := batch.Extract[bookInfo](ctx, p, []book{{"fantasy"}}, tc.opt)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "batch.Extract", ue.Provider)
			assert.Equal(t, tc.name, ue.Parameter)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, "mirascope: batch.Extract: "+tc.name+" is not supported: a batch answers each request once, "+
				"and this needs a conversation (a tool loop or a re-ask); use mirascope.Extract for those prompts", err.Error())
			var pe *batch.PromptError
			assert.False(t, errors.As(err, &pe), "the options' fault, not a prompt's")
			assert.Empty(t, p.Requests(), "nothing uploaded")
		})
	}

	// A bad prompt is refused as Submit refuses it, and so is a T Extract refuses.
	p := mock.New(mock.Text("{}"))
	_, err := batch.Extract[bookInfo](ctx, p, []book{{"fantasy"}, {"horror"}})
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Index)
	type badTag struct {
		X int `json:"x" validate:"requird"`
	}
	_, err = batch.Extract[badTag](ctx, p, []book{{"fantasy"}})
	_, _, online := mirascope.Extract[badTag](ctx, p, book{"fantasy"})
	require.Error(t, err)
	assert.Equal(t, online.Error(), err.Error())
	_, err = batch.ResumeExtract[badTag](ctx, p, "mock-batch-1")
	assert.Equal(t, online.Error(), err.Error())
	assert.Empty(t, p.Requests())
	_, err = batch.Extract[bookInfo](ctx, p, []book{})
	assert.ErrorIs(t, err, batch.ErrNoPrompts)
	_, err = batch.ResumeExtract[bookInfo](ctx, p, "")
	assert.Error(t, err)
}

// A service that sends the Format as a forced tool returns the answer as
// a call of that tool; the provider's result mapping has no plan to tell.
func TestExtractFormatAsToolCall(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Respond(&mirascope.Response{ToolCalls: []prompt.ToolCall{
		{ID: "c1", Name: "other", Arguments: `{}`},
		{ID: "c2", Name: "bookInfo", Arguments: `{"title":"Emma","year":1815}`},
		{ID: "c3", Name: "bookInfo", Arguments: `{"title":"second","year":2000}`},
	}}))
	job, err := batch.Extract[bookInfo](ctx, p, []book{{"fantasy"}})
	require.NoError(t, err)
	got := collect(t, job)
	require.NoError(t, got[0].Err)
	assert.Equal(t, bookInfo{"Emma", 1815}, got[0].Value, "the first call named as T's format")
	r := got[0].Response
	assert.Equal(t, `{"title":"Emma","year":1815}`, r.Content)
	assert.Equal(t, r.Content, r.Message.Content)
	require.Len(t, r.ToolCalls, 2)
	assert.Equal(t, []string{"c1", "c3"}, []string{r.ToolCalls[0].ID, r.ToolCalls[1].ID})
	assert.Equal(t, r.ToolCalls, r.Message.ToolCalls)

	// A plain Submit's results are left as the service gave them, a Format
	// set by a CallOption or not; ResumeExtract reads the same job typed.
	withFormat := func(r *mirascope.Request) {
		r.Format = &mirascope.Format{Name: "bookInfo", Schema: []byte(`{"type":"object"}`)}
	}
	for _, opts := range [][]mirascope.CallOption{nil, {withFormat}} {
		p.Reset()
		plain, err := batch.Submit(ctx, p, []book{{"fantasy"}}, opts...)
		require.NoError(t, err)
		for r, err := range plain.Results(ctx) {
			require.NoError(t, err)
			assert.Empty(t, r.Response.Content)
			assert.Len(t, r.Response.ToolCalls, 3)
		}
		typed, err := batch.ResumeExtract[bookInfo](ctx, p, plain.ID())
		require.NoError(t, err)
		assert.Equal(t, bookInfo{"Emma", 1815}, collect(t, typed)[0].Value)
	}
}

func TestResultWithNeitherResponseNorError(t *testing.T) {
	f := &fakeBatcher{Provider: mock.New(), results: []providerkit.BatchResult{
		{CustomID: "mirascope-0"},
		{CustomID: "mirascope-1", Response: &mirascope.Response{Content: `{"title":"Emma","year":1815}`}},
	}}
	ctx := context.Background()
	job, err := batch.ResumeExtract[bookInfo](ctx, f, "fake")
	require.NoError(t, err)
	got := collect(t, job)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[0].Err, &pe)
	assert.Equal(t, "mock", pe.Provider)
	assert.Contains(t, pe.Error(), "neither a response nor an error")
	assert.Equal(t, bookInfo{"Emma", 1815}, got[1].Value)

	plain, err := batch.Resume(ctx, f, "fake")
	require.NoError(t, err)
	for r, err := range plain.Results(ctx) {
		require.NoError(t, err)
		if r.Index == 0 {
			assert.ErrorAs(t, r.Err, &pe)
		}
	}
}

// Hostile answers are that result's error, never a crash or a hang.
func TestExtractHostileAnswers(t *testing.T) {
	huge := `{"title":"` + strings.Repeat("a", 8<<20) + `","year":1999}`
	results := []providerkit.BatchResult{
		{CustomID: "mirascope-0", Response: &mirascope.Response{Content: huge}},
		{CustomID: "mirascope-1", Response: &mirascope.Response{Content: "{\"title\":\"\xff\xfe\",\"year\":1999}"}},
		{CustomID: "mirascope-2", Response: &mirascope.Response{Content: strings.Repeat("[", 1<<20)}},
		{CustomID: "mirascope-3", Response: &mirascope.Response{Content: strings.Repeat(`{"title":`, 100000)}},
		{CustomID: "mirascope-4", Response: &mirascope.Response{Content: ""}},
		{CustomID: "mirascope-5", Response: &mirascope.Response{Content: `{"title":"Emma","year":1815} trailing`}},
	}
	f := &fakeBatcher{Provider: mock.New(), results: results}
	job, err := batch.ResumeExtract[bookInfo](context.Background(), f, "fake")
	require.NoError(t, err)
	got := collect(t, job)
	require.Len(t, got, len(results))
	assert.NoError(t, got[0].Err, "a large valid answer decodes")
	assert.Len(t, got[0].Value.Title, 8<<20)
	// Invalid UTF-8 in a string is replaced, as encoding/json does for Extract.
	assert.NoError(t, got[1].Err)
	for i := 2; i < len(results); i++ {
		var xe *mirascope.ExtractError
		assert.ErrorAs(t, got[i].Err, &xe, i)
		assert.Zero(t, got[i].Value, i)
	}
}

func TestExtractResultsConcurrentAndEarlyBreak(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text(`{"title":"Emma","year":1815}`))
	prompts := make([]book, 200)
	for i := range prompts {
		prompts[i] = book{"fantasy"}
	}
	job, err := batch.Extract[bookInfo](ctx, p, prompts)
	require.NoError(t, err)
	var wg sync.WaitGroup
	counts := make([]int, 8)
	for g := range counts {
		wg.Go(func() {
			for r, err := range job.Results(ctx) {
				if err != nil || r.Err != nil || r.Value.Title != "Emma" {
					t.Errorf("goroutine %d: %v %v %+v", g, err, r.Err, r.Value)
					return
				}
				counts[g]++
				if g%2 == 1 && counts[g] == g {
					break // a consumer who stops early
				}
			}
		})
	}
	wg.Wait()
	for g, n := range counts {
		if g%2 == 1 {
			assert.Equal(t, g, n)
		} else {
			assert.Equal(t, len(prompts), n)
		}
	}
}

func TestResultsMarkBatchUsage(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Respond(&mirascope.Response{Content: "x", Usage: mirascope.Usage{InputTokens: 3, OutputTokens: 1}}))
	job, err := batch.Submit(ctx, p, []book{{"fantasy"}})
	require.NoError(t, err)
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		assert.Equal(t, mirascope.Usage{InputTokens: 3, OutputTokens: 1, Batch: true}, r.Response.Usage)
	}
	// An online call is not.
	resp, err := mirascope.Call(ctx, p, book{"fantasy"})
	require.NoError(t, err)
	assert.False(t, resp.Usage.Batch)
}

func ExampleExtract() {
	ctx := context.Background()
	// Any provider with a batch API works here; the mock answers in reverse order.
	provider := mock.New(
		mock.Text(`{"title":"The Hobbit","year":1937}`),
		mock.Text(`{"title":"Dune","year":99}`),
	)
	prompts := []book{{"fantasy"}, {"scifi"}}

	job, err := batch.Extract[bookInfo](ctx, provider, prompts)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Another process: job, err = batch.ResumeExtract[bookInfo](ctx, provider, id)
	if err := job.Wait(ctx, batch.WithPollInterval(time.Millisecond, time.Second)); err != nil {
		fmt.Println(err)
		return
	}
	for r, err := range job.Results(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.Err != nil { // the request's failure, or an invalid answer (*mirascope.ExtractError)
			fmt.Println(prompts[r.Index].Genre, "failed:", r.Err)
			continue
		}
		fmt.Printf("%s -> %+v (batch priced: %v)\n", prompts[r.Index].Genre, r.Value, r.Response.Usage.Batch)
	}
	// Output:
	// scifi failed: mirascope: extract batch_test.bookInfo: 1 attempt failed; last: $.year: failed rule "min=1000" (got 99)
	// fantasy -> {Title:The Hobbit Year:1937} (batch priced: true)
}
