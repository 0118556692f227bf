package oaitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// BatchService describes one provider's Batch API to [RunBatch].
type BatchService struct {
	// API is the wire the fake speaks.
	API BatchAPI
	// Model is the provider's model: the model (or deployment) every input
	// line's body must name.
	Model string
	// New builds the provider.
	New func(model string, opts ...providers.Option) mirascope.Provider
	// BaseURL is the endpoint to configure for the fake at root.
	BaseURL func(root string) string
	// EnvVars are the variables the provider reads; the suite clears them.
	EnvVars []string
	// MaxRequests is the service's limit of requests per job.
	MaxRequests int
	// SetMaxBytes lowers the provider's bytes-per-job limit for providers
	// made until restore is called.
	SetMaxBytes func(n int) (restore func())
	// TLS serves the fake over HTTPS, with its client.
	TLS bool
	// FormatTool: Model takes a Format as a tool it is made to call, by
	// name (Groq's models but gpt-oss), not as response_format.
	FormatTool bool
}

type batchAsk struct {
	Q string `prompt:"q" validate:"required"`
}

func (batchAsk) Template() string { return "{q}" }

var fastPoll = batch.WithPollInterval(time.Millisecond, 5*time.Millisecond)

func (s *BatchService) fake(t *testing.T) *FakeBatches {
	for _, v := range s.EnvVars {
		t.Setenv(v, "")
	}
	if s.TLS {
		return NewFakeBatchesTLS(t, s.API)
	}
	return NewFakeBatches(t, s.API)
}

func (s *BatchService) provider(f *FakeBatches) mirascope.Provider {
	opts := []providers.Option{providers.WithAPIKey(TestKey), providers.WithBaseURL(s.BaseURL(f.URL))}
	if f.Client != nil {
		opts = append(opts, providers.WithHTTPClient(f.Client))
	}
	return s.New(s.Model, opts...)
}

// noKey fails the test if anything the caller can see names the key.
func noKey(t *testing.T, v ...any) {
	t.Helper()
	for _, x := range v {
		assert.NotContains(t, fmt.Sprint(x), TestKey)
	}
}

// RunBatch runs the wire checks of a provider's Batch API through the real
// openai-go client against [FakeBatches].
func RunBatch(t *testing.T, s BatchService) {
	t.Run("wire", s.testWire)
	t.Run("expired and cancelled", s.testEnded)
	t.Run("failed job", s.testFailedJob)
	t.Run("limits", s.testLimits)
	t.Run("hostile output", s.testHostile)
	t.Run("unknown job", s.testUnknownJob)
	t.Run("extract", s.testExtract)
	t.Run("created once, unmetered", s.testCreatedOnce)
}

// testCreatedOnce: a job whose creation got a 502 may exist (here it
// does): it is not created again, which would run and bill every request
// twice; after a 429 nothing was done, and it is. None of a batch's
// requests waits at the rate limiter (one call a minute here): they are
// none of the model's calls.
func (s *BatchService) testCreatedOnce(t *testing.T) {
	f := s.fake(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts := []providers.Option{providers.WithAPIKey(TestKey), providers.WithBaseURL(s.BaseURL(f.URL)), providers.WithRateLimit(1, 60_000)}
	if f.Client != nil {
		opts = append(opts, providers.WithHTTPClient(f.Client))
	}
	p := s.New(s.Model, opts...) // the default retries
	f.LoseCreates(1, 0)
	_, err := batch.Submit(ctx, p, []batchAsk{{"one"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 502, pe.StatusCode)
	assert.Equal(t, 1, f.Jobs(), "one job, not two")

	f.LoseCreates(0, 1)
	job, err := batch.Submit(ctx, p, []batchAsk{{strings.Repeat("a", 700_000)}, {strings.Repeat("b", 700_000)}})
	require.NoError(t, err)
	assert.Equal(t, 2, f.Jobs())
	require.NoError(t, job.Wait(ctx, fastPoll))
	n := 0
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		n++
	}
	assert.Equal(t, 2, n)
}

// testWire: upload and create, poll until ended, then results read by a
// new provider value in the service's order, a failed line each way.
func (s *BatchService) testWire(t *testing.T) {
	f := s.fake(t)
	ctx := context.Background()
	prompts := []batchAsk{{"one"}, {"FAIL two"}, {"three"}, {"LEAK four"}}
	job, err := batch.Submit(ctx, otel.Traced(s.provider(f)), prompts, mirascope.WithMaxTokens(32))
	require.NoError(t, err)
	assert.Equal(t, "batch_1", job.ID())

	// The uploaded file: one line per prompt, built as Call builds it.
	var lines []map[string]any
	for sc := bufio.NewScanner(bytes.NewReader(f.File("file-in1"))); sc.Scan(); {
		var l map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		lines = append(lines, l)
	}
	require.Len(t, lines, len(prompts))
	for i, l := range lines {
		assert.Equal(t, fmt.Sprintf("mirascope-%d", i), l["custom_id"])
		assert.Equal(t, "POST", l["method"])
		assert.Equal(t, s.API.Endpoint, l["url"])
		body := l["body"].(map[string]any)
		assert.Equal(t, s.Model, body["model"])
		assert.EqualValues(t, 32, body["max_completion_tokens"])
		assert.Equal(t, []any{map[string]any{"role": "user", "content": prompts[i].Q}}, body["messages"])
	}

	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Equal(t, 2, f.Polls(), "validating, in_progress, completed: polled until done")

	read := func(p mirascope.Provider) ([]int, map[int]batch.Result) {
		again, err := batch.Resume(ctx, p, job.ID())
		require.NoError(t, err)
		var order []int
		got := map[int]batch.Result{}
		for r, err := range again.Results(ctx) {
			require.NoError(t, err)
			order = append(order, r.Index)
			got[r.Index] = r
			noKey(t, r.Err, r.Response)
		}
		return order, got
	}
	order, got := read(s.provider(f))
	assert.Equal(t, []int{2, 0, 3, 1}, order, "output file in reverse, then the error file")
	assert.Equal(t, "answer to: one", got[0].Response.Content)
	assert.Equal(t, "chatcmpl-0", got[0].Response.ID)
	assert.Equal(t, mirascope.Usage{InputTokens: 12, OutputTokens: 5, Batch: true}, got[0].Response.Usage)
	assert.Equal(t, []string{"stop"}, got[0].Response.FinishReasons)
	if s.API.Model != "" {
		assert.Equal(t, s.API.Model, got[0].Response.Model)
	}
	assert.Equal(t, "answer to: three", got[2].Response.Content)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, 400, pe.StatusCode)
	assert.Equal(t, "invalid_value", pe.Code)
	assert.Equal(t, "req_e1", pe.RequestID)
	assert.Contains(t, pe.Message, "refused")
	assert.Nil(t, got[1].Response)
	require.ErrorAs(t, got[3].Err, &pe)
	assert.Equal(t, "invalid_request", pe.Code)
	assert.Contains(t, pe.Message, "was refused")

	// A second read, from yet another provider value, maps the same.
	order2, got2 := read(s.provider(f))
	assert.Equal(t, order, order2)
	for i, r := range got {
		if r.Response != nil {
			assert.Equal(t, r.Response.Content, got2[i].Response.Content)
		}
	}
}

// testEnded: an expired or cancelled job is Wait's *batch.JobError with the
// service's counts; Results still reads what was answered.
func (s *BatchService) testEnded(t *testing.T) {
	ctx := context.Background()
	prompts := []batchAsk{{"one"}, {"two"}, {"three"}}
	for _, final := range []string{"expired", "cancelled"} {
		t.Run(final, func(t *testing.T) {
			f := s.fake(t)
			f.SetFinal(final)
			job, err := batch.Submit(ctx, s.provider(f), prompts)
			require.NoError(t, err)
			if final == "cancelled" {
				require.NoError(t, job.Cancel(ctx))
			}
			err = job.Wait(ctx, fastPoll)
			var je *batch.JobError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, final, je.Raw)
			assert.Equal(t, providerkit.BatchState(final), je.State)
			assert.Equal(t, []int{3, 1, 0}, []int{je.Total, je.Completed, je.Failed})

			// A new provider value reads what was answered in time; an
			// expired job's other requests are their own errors.
			again, err := batch.Resume(ctx, s.provider(f), job.ID())
			require.NoError(t, err)
			var ok, expired []int
			for r, err := range again.Results(ctx) {
				require.NoError(t, err)
				if r.Err != nil {
					var pe *mirascope.ProviderError
					require.ErrorAs(t, r.Err, &pe)
					assert.Equal(t, "batch_expired", pe.Code)
					expired = append(expired, r.Index)
					continue
				}
				assert.Equal(t, "answer to: "+prompts[r.Index].Q, r.Response.Content)
				ok = append(ok, r.Index)
			}
			assert.Equal(t, []int{0}, ok)
			if final == "expired" {
				assert.Equal(t, []int{2, 1}, expired)
			} else {
				assert.Empty(t, expired)
			}
		})
	}
}

// testFailedJob: a job the service rejects is a JobError, and has no
// results to read.
func (s *BatchService) testFailedJob(t *testing.T) {
	f := s.fake(t)
	f.SetFinal("failed")
	ctx := context.Background()
	job, err := batch.Submit(ctx, s.provider(f), []batchAsk{{"one"}})
	require.NoError(t, err)
	var je *batch.JobError
	err = job.Wait(ctx, fastPoll)
	require.ErrorAs(t, err, &je)
	assert.Equal(t, providerkit.BatchFailed, je.State)
	// The service's errors say why: a failed job has no results to say it.
	assert.Contains(t, err.Error(), "failed (0 of 1 requests completed, 0 failed): line 1: This line is not parseable as valid JSON.")
	n := 0
	for _, err := range job.Results(ctx) {
		assert.ErrorContains(t, err, "no results")
		assert.ErrorIs(t, err, batch.ErrNoResults)
		n++
	}
	assert.Equal(t, 1, n)
}

// testLimits: a job over the service's limits is refused before anything
// is sent.
func (s *BatchService) testLimits(t *testing.T) {
	f := s.fake(t)
	b, ok := s.provider(f).(providerkit.Batcher)
	require.True(t, ok)
	_, err := b.SubmitBatch(context.Background(), make([]providerkit.BatchRequest, s.MaxRequests+1))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "batch", ue.Parameter)
	assert.Contains(t, ue.Reason, "split the prompts")
	assert.Contains(t, ue.Reason, fmt.Sprint(s.MaxRequests))

	defer s.SetMaxBytes(2000)()
	prompts := make([]batchAsk, 20)
	for i := range prompts {
		prompts[i] = batchAsk{strings.Repeat("x", 200)}
	}
	_, err = batch.Submit(context.Background(), s.provider(f), prompts)
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "batch", ue.Parameter)
	assert.Contains(t, ue.Reason, "2000 bytes")
	assert.Zero(t, f.Requests(), "nothing sent")

	// Under the limit, the same provider kind uploads.
	_, err = batch.Submit(context.Background(), s.provider(f), prompts[:2])
	require.NoError(t, err)
}

// testHostile: an output file sent one byte per write, with invalid UTF-8
// in an answer, reads whole, through a traced provider too. The answer
// keeps the service's bytes, as Call's does; the span's copy is valid.
func (s *BatchService) testHostile(t *testing.T) {
	f := s.fake(t)
	f.SetChunk(1)
	ctx := context.Background()
	prompts := []batchAsk{{"one"}, {"BADUTF8 two"}, {strings.Repeat("z", 5000)}}
	job, err := batch.Submit(ctx, otel.Traced(s.provider(f)), prompts)
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	seen := map[int]bool{}
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		want := "answer to: " + prompts[r.Index].Q
		if r.Index == 1 {
			want += "\xff\xfe"
			assert.False(t, utf8.ValidString(r.Response.Content))
		}
		assert.Equal(t, want, r.Response.Content)
		seen[r.Index] = true
	}
	assert.Len(t, seen, 3)
}

// testUnknownJob: an error answer that echoes the id and the key is a
// ProviderError with the key masked.
func (s *BatchService) testUnknownJob(t *testing.T) {
	f := s.fake(t)
	ctx := context.Background()
	job, err := batch.Resume(ctx, s.provider(f), "batch_nope")
	require.NoError(t, err)
	err = job.Wait(ctx, fastPoll)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 404, pe.StatusCode)
	assert.Contains(t, pe.Message, "batch_nope")
	noKey(t, err, pe.Message)
	for _, err := range job.Results(ctx) {
		require.ErrorAs(t, err, &pe)
		noKey(t, err)
	}
	require.ErrorAs(t, job.Cancel(ctx), &pe)
}

// extractAsks are the prompts of testExtract: each is the model's answer
// (see FakeBatches), but the second, which fails, and the third, which
// lacks the author a book requires.
var extractAsks = []batchAsk{
	{`{"title":"Dune","author":"Frank Herbert","year":1965}`},
	{"FAIL"},
	{`{"title":"Emma","year":1815}`},
	{`{"title":"Emma","author":"Jane Austen"}`},
}

// callBody is the body mirascope.Extract[T] sends for p through a provider
// of the service.
func (s *BatchService) callBody(t *testing.T, p any) []byte {
	t.Helper()
	srv := NewServer(t, false, JSON(400, nil, []byte(`{"error":{"message":"kept","type":"invalid_request_error","param":null,"code":null}}`)))
	prov := s.New(s.Model, providers.WithAPIKey(TestKey), providers.WithBaseURL(s.BaseURL(srv.URL)), providers.WithMaxRetries(0))
	_, _, err := mirascope.Extract[book](context.Background(), prov, p)
	require.Error(t, err)
	seen := srv.Requests()
	require.Len(t, seen, 1)
	return seen[0].Body
}

// testExtract: batch.Extract uploads, per prompt, the body Extract sends
// (the Format as response_format or as the forced tool, tools and
// tool_choice naming it), and reads every answer, content or call of the
// tool, as the typed value Extract would return. A plain Job keeps a call
// of the tool as a tool call.
func (s *BatchService) testExtract(t *testing.T) {
	f := s.fake(t)
	ctx := context.Background()
	job, err := batch.Extract[book](ctx, s.provider(f), extractAsks)
	require.NoError(t, err)
	var lines []map[string]json.RawMessage
	for sc := bufio.NewScanner(bytes.NewReader(f.File("file-in1"))); sc.Scan(); {
		var l map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		lines = append(lines, l)
	}
	require.Len(t, lines, len(extractAsks))
	for i, l := range lines {
		body := l["body"]
		assert.JSONEq(t, string(s.callBody(t, extractAsks[i])), string(body), "line %d: the body Extract sends", i)
		b := decodeBody(t, body)
		if s.FormatTool {
			assert.Nil(t, b.ResponseFormat)
			require.Len(t, b.Tools, 1)
			assert.JSONEq(t, `{"type":"function","function":{"name":"book"}}`, string(b.ToolChoice))
		} else {
			assert.NotNil(t, b.ResponseFormat)
			assert.Empty(t, b.Tools)
		}
	}
	require.NoError(t, job.Wait(ctx, fastPoll))

	// Read as a book by a new provider value, from the id alone.
	again, err := batch.ResumeExtract[book](ctx, s.provider(f), job.ID())
	require.NoError(t, err)
	got := map[int]batch.ExtractResult[book]{}
	for r, err := range again.Results(ctx) {
		require.NoError(t, err)
		got[r.Index] = r
		noKey(t, r.Err, r.Response)
	}
	require.Len(t, got, len(extractAsks))
	year := 1965
	assert.NoError(t, got[0].Err)
	assert.Equal(t, book{Title: "Dune", Author: "Frank Herbert", Year: &year}, got[0].Value)
	assert.JSONEq(t, extractAsks[0].Q, got[0].Response.Content)
	assert.Empty(t, got[0].Response.ToolCalls, "the format's answer is not a tool call")
	assert.Empty(t, got[0].Response.Message.ToolCalls)
	assert.True(t, got[0].Response.Usage.Batch)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, 400, pe.StatusCode)
	var xe *mirascope.ExtractError
	require.ErrorAs(t, got[2].Err, &xe)
	require.Len(t, xe.Attempts, 1)
	assert.JSONEq(t, extractAsks[2].Q, xe.Attempts[0].Raw)
	assert.ErrorContains(t, got[2].Err, "author")
	assert.Zero(t, got[2].Value)
	assert.NoError(t, got[3].Err)
	assert.Equal(t, book{Title: "Emma", Author: "Jane Austen"}, got[3].Value)

	// A plain Job reads what the service answered.
	plain, err := batch.Resume(ctx, s.provider(f), job.ID())
	require.NoError(t, err)
	for r, err := range plain.Results(ctx) {
		require.NoError(t, err)
		if r.Index != 0 {
			continue
		}
		if s.FormatTool {
			require.Len(t, r.Response.ToolCalls, 1)
			assert.Equal(t, "book", r.Response.ToolCalls[0].Name)
			assert.JSONEq(t, extractAsks[0].Q, r.Response.ToolCalls[0].Arguments)
			assert.Empty(t, r.Response.Content)
		} else {
			assert.JSONEq(t, extractAsks[0].Q, r.Response.Content)
			assert.Empty(t, r.Response.ToolCalls)
		}
	}
}
