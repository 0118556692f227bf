package anthropic_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// fakeMessageBatches is the Message Batches API as Anthropic's API
// reference describes it: POST /v1/messages/batches with
// {"requests":[{custom_id, params}]}, GET /v1/messages/batches/{id},
// POST /v1/messages/batches/{id}/cancel and GET
// /v1/messages/batches/{id}/results (JSONL). Each poll of an in-progress
// batch ends it (final: "" completes every request, "expired" answers the
// first request only and expires the rest); a canceling batch ends with its
// unanswered requests canceled. Results come in reverse order; a request
// whose prompt says "FAIL" is errored.
type fakeMessageBatches struct {
	t     *testing.T
	mu    sync.Mutex
	jobs  map[string]*fakeMessageBatch
	final string
	hold  bool // keep batches running
	// content, when set, is a succeeded message's content blocks (JSON)
	// for the prompt's text.
	content func(text string) string
	polls   int
	posts   int
	cancels int
	lost    int // batches still to create and then answer 500
}

type fakeMessageBatch struct {
	id, status, cancelAt string
	requests             []struct {
		CustomID string          `json:"custom_id"`
		Params   json.RawMessage `json:"params"`
	}
	results                               []string
	succeeded, errored, canceled, expired int
}

func newFakeMessageBatches(t *testing.T) (*fakeMessageBatches, *httptest.Server) {
	f := &fakeMessageBatches{t: t, jobs: map[string]*fakeMessageBatch{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeMessageBatches) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+testKey || r.Header.Get("anthropic-version") != anthropic.APIVersion {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"type":"error","error":{"type":"authentication_error","message":"invalid key"},"request_id":"req_auth"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req_011Batch")
	const root = "/v1/messages/batches"
	path := r.URL.Path
	id := strings.TrimPrefix(path, root+"/")
	switch {
	case r.Method == http.MethodPost && path == root:
		f.posts++
		j := &fakeMessageBatch{id: fmt.Sprintf("msgbatch_%02d", len(f.jobs)+1), status: "in_progress"}
		var body struct {
			Requests *[]struct {
				CustomID string          `json:"custom_id"`
				Params   json.RawMessage `json:"params"`
			} `json:"requests"`
		}
		require.NoError(f.t, json.NewDecoder(r.Body).Decode(&body))
		require.NotNil(f.t, body.Requests)
		for _, q := range *body.Requests {
			j.requests = append(j.requests, struct {
				CustomID string          `json:"custom_id"`
				Params   json.RawMessage `json:"params"`
			}(q))
		}
		f.jobs[j.id] = j
		if f.lost > 0 { // created, and the answer lost on the way
			f.lost--
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_500"}`)
			return
		}
		f.writeBatch(w, j)
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/cancel"):
		j := f.jobs[strings.TrimSuffix(id, "/cancel")]
		f.cancels++
		if j.status == "in_progress" {
			j.status, j.cancelAt = "canceling", `"2024-09-24T18:40:00Z"`
		}
		f.writeBatch(w, j)
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/results"):
		j := f.jobs[strings.TrimSuffix(id, "/results")]
		if j == nil || j.status != "ended" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"type":"error","error":{"type":"not_found_error","message":"No results"},"request_id":"req_nf"}`)
			return
		}
		w.Header().Set("Content-Type", "application/binary")
		for _, l := range j.results {
			_, _ = io.WriteString(w, l+"\n")
		}
	case r.Method == http.MethodGet && strings.HasPrefix(path, root+"/"):
		j := f.jobs[id]
		if j == nil {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"type":"error","error":{"type":"not_found_error","message":"message_batch %s not found"},"request_id":"req_nf"}`, id)
			return
		}
		f.polls++
		f.advance(j)
		f.writeBatch(w, j)
	default:
		f.t.Errorf("unexpected %s %s", r.Method, path)
		w.WriteHeader(http.StatusNotFound)
	}
}

// advance ends a running batch and writes its results.
func (f *fakeMessageBatches) advance(j *fakeMessageBatch) {
	if j.status == "ended" || f.hold {
		return
	}
	unanswered := ""
	switch {
	case j.status == "canceling":
		unanswered = "canceled"
	case f.final == "expired":
		unanswered = "expired"
	}
	j.status = "ended"
	for i := len(j.requests) - 1; i >= 0; i-- {
		q := j.requests[i]
		if unanswered != "" && i > 0 {
			if unanswered == "canceled" {
				j.canceled++
			} else {
				j.expired++
			}
			j.results = append(j.results, fmt.Sprintf(`{"custom_id":%q,"result":{"type":%q}}`, q.CustomID, unanswered))
			continue
		}
		var params struct {
			Model    string `json:"model"`
			Messages []struct {
				Content []struct {
					Text string `json:"text"`
				} `json:"content"`
			} `json:"messages"`
		}
		require.NoError(f.t, json.Unmarshal(q.Params, &params))
		c := params.Messages[len(params.Messages)-1].Content
		text := c[len(c)-1].Text
		if strings.Contains(text, "FAIL") {
			j.errored++
			j.results = append(j.results, fmt.Sprintf(`{"custom_id":%q,"result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content: refused"},"request_id":"req_e%d"}}}`, q.CustomID, i))
			continue
		}
		j.succeeded++
		answer, _ := json.Marshal("answer to: " + text)
		content := `[{"type":"text","text":` + string(answer) + `}]`
		if f.content != nil {
			content = f.content(text)
		}
		j.results = append(j.results, fmt.Sprintf(`{"custom_id":%q,"result":{"type":"succeeded","message":{"id":"msg_%d","type":"message","role":"assistant","model":%q,"content":%s,"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":6,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}}`, q.CustomID, i, params.Model, content))
	}
}

func (f *fakeMessageBatches) writeBatch(w io.Writer, j *fakeMessageBatch) {
	processing, ended, results, cancelAt := len(j.requests), "null", "null", "null"
	if j.status == "ended" {
		processing, ended = 0, `"2024-09-24T19:00:00Z"`
		results = fmt.Sprintf(`"https://api.anthropic.com/v1/messages/batches/%s/results"`, j.id)
	}
	if j.cancelAt != "" {
		cancelAt = j.cancelAt
	}
	fmt.Fprintf(w, `{"id":%q,"type":"message_batch","processing_status":%q,"request_counts":{"processing":%d,"succeeded":%d,"errored":%d,"canceled":%d,"expired":%d},"ended_at":%s,"created_at":"2024-09-24T18:37:24.100435Z","expires_at":"2024-09-25T18:37:24.100435Z","archived_at":null,"cancel_initiated_at":%s,"results_url":%s}`,
		j.id, j.status, processing, j.succeeded, j.errored, j.canceled, j.expired, ended, cancelAt, results)
}

type ask struct {
	Q string `prompt:"q" validate:"required"`
}

func (ask) Template() string { return "{q}" }

func newBatcher(url string) *anthropic.Provider {
	return anthropic.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(url), providers.WithMaxRetries(0))
}

var fastPoll = batch.WithPollInterval(time.Millisecond, 5*time.Millisecond)

func TestBatchWire(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	ctx := context.Background()
	prompts := []ask{{"one"}, {"FAIL two"}, {"three"}}
	opts := []mirascope.CallOption{mirascope.WithMaxTokens(32), anthropic.WithExtraBody(map[string]any{"metadata": map[string]any{"user_id": "u1"}})}
	job, err := batch.Submit(ctx, otel.Traced(newBatcher(srv.URL)), prompts, opts...)
	require.NoError(t, err)
	assert.Equal(t, "msgbatch_01", job.ID())

	// Each request's params are the body Call sends for the same prompt.
	j := f.jobs["msgbatch_01"]
	require.Len(t, j.requests, 3)
	var called []byte
	callSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}`)
	}))
	defer callSrv.Close()
	for i, p := range prompts {
		_, err := mirascope.Call(ctx, newBatcher(callSrv.URL), p, opts...)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("mirascope-%d", i), j.requests[i].CustomID)
		assert.JSONEq(t, string(called), string(j.requests[i].Params))
	}
	assert.Contains(t, string(j.requests[0].Params), `"user_id":"u1"`)
	assert.Contains(t, string(j.requests[0].Params), `"max_tokens":32`)

	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Equal(t, 1, f.polls)
	first := map[int]string{}
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		first[r.Index] = summary(r)
	}

	// Resume from a new provider value, with the id alone: the same
	// results under the same indexes.
	again, err := batch.Resume(ctx, newBatcher(srv.URL), job.ID())
	require.NoError(t, err)
	var order []int
	got := map[int]batch.Result{}
	for r, err := range again.Results(ctx) {
		require.NoError(t, err)
		order = append(order, r.Index)
		got[r.Index] = r
		assert.Equal(t, first[r.Index], summary(r), "result %d", r.Index)
	}
	assert.Len(t, first, 3)
	assert.Equal(t, []int{2, 1, 0}, order, "the service's order, not the submission's")
	assert.Equal(t, "answer to: one", got[0].Response.Content)
	assert.Equal(t, "msg_0", got[0].Response.ID)
	assert.Equal(t, []string{"end_turn"}, got[0].Response.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 11, OutputTokens: 6, Batch: true}, got[0].Response.Usage)
	assert.Equal(t, "answer to: three", got[2].Response.Content)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, 400, pe.StatusCode)
	assert.Equal(t, "invalid_request_error", pe.Type)
	assert.Equal(t, "req_e1", pe.RequestID)
	assert.Contains(t, pe.Message, "refused")
	assert.False(t, pe.Retryable)
	assert.Nil(t, got[1].Response)

	st, err := newBatcher(srv.URL).BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	assert.Equal(t, providerkit.BatchStatus{State: providerkit.BatchEnded, Raw: "ended", Total: 3, Completed: 2, Failed: 1}, st)
}

// summary is what a test compares of a result.
func summary(r batch.Result) string {
	if r.Err != nil {
		return "error: " + r.Err.Error()
	}
	return r.Response.ID + ": " + r.Response.Content
}

func TestBatchWireExpiredAndCancelled(t *testing.T) {
	ctx := context.Background()
	prompts := []ask{{"one"}, {"two"}, {"three"}}
	for _, final := range []string{"expired", "canceled"} {
		f, srv := newFakeMessageBatches(t)
		if final == "expired" {
			f.final = final
		} // else the batch would end with every request answered: only the cancel request cancels it
		job, err := batch.Submit(ctx, newBatcher(srv.URL), prompts)
		require.NoError(t, err)
		if final == "canceled" {
			require.NoError(t, job.Cancel(ctx))
			assert.Equal(t, 1, f.cancels, "the cancel request was sent")
		}
		err = job.Wait(ctx, fastPoll)
		var je *batch.JobError
		require.ErrorAs(t, err, &je, final)
		assert.Equal(t, "ended", je.Raw)
		want := map[string]providerkit.BatchState{"expired": providerkit.BatchExpired, "canceled": providerkit.BatchCancelled}[final]
		assert.Equal(t, want, je.State)
		assert.Equal(t, []int{3, 1, 0}, []int{je.Total, je.Completed, je.Failed})

		// What was answered in time is still readable; the rest are errors.
		var idx []int
		for r, err := range job.Results(ctx) {
			require.NoError(t, err)
			idx = append(idx, r.Index)
			if r.Index == 0 {
				require.NoError(t, r.Err)
				assert.Equal(t, "answer to: one", r.Response.Content)
				continue
			}
			var pe *mirascope.ProviderError
			require.ErrorAs(t, r.Err, &pe)
			assert.Equal(t, final, pe.Type)
			assert.Equal(t, final == "expired", pe.Retryable)
		}
		assert.Equal(t, []int{2, 1, 0}, idx)
	}
}

func TestBatchWireRunningHasNoResults(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	f.hold = true
	ctx := context.Background()
	p := newBatcher(srv.URL)
	job, err := batch.Submit(ctx, p, []ask{{"one"}})
	require.NoError(t, err)
	st, err := p.BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	assert.Equal(t, providerkit.BatchStatus{State: providerkit.BatchRunning, Raw: "in_progress", Total: 1}, st)
	n := 0
	for _, err := range job.Results(ctx) {
		assert.ErrorContains(t, err, "no results")
		assert.ErrorIs(t, err, batch.ErrNoResults)
		n++
	}
	assert.Equal(t, 1, n)

	require.NoError(t, job.Cancel(ctx))
	st, err = p.BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	assert.Equal(t, providerkit.BatchRunning, st.State)
	assert.Equal(t, "canceling", st.Raw)

	// An unknown id is the service's 404.
	n = 0
	for _, err := range p.BatchResults(ctx, "msgbatch_missing") {
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 404, pe.StatusCode)
		assert.Equal(t, "not_found_error", pe.Type)
		n++
	}
	assert.Equal(t, 1, n)
}

// A line the SDK cannot decode ends the stream with a typed error, after
// the lines before it.
func TestBatchWireMalformedLine(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	ctx := context.Background()
	job, err := batch.Submit(ctx, newBatcher(srv.URL), []ask{{"one"}, {"two"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	f.mu.Lock()
	j := f.jobs[job.ID()]
	j.results = []string{j.results[0], `{"custom_id":"mirascope-0","result":`}
	f.mu.Unlock()
	var idx []int
	var last error
	for r, err := range job.Results(ctx) {
		if err != nil {
			last = err
			continue
		}
		idx = append(idx, r.Index)
	}
	assert.Equal(t, []int{1}, idx)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, last, &pe)
	assert.Contains(t, pe.Message, "malformed")
}

// Blank lines are no results and CRLF endings are line endings: neither
// is an error of the stream.
func TestBatchWireBlankLinesAndCRLF(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	ctx := context.Background()
	job, err := batch.Submit(ctx, newBatcher(srv.URL), []ask{{"one"}, {"two"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	f.mu.Lock()
	j := f.jobs[job.ID()]
	j.results = []string{"", j.results[1] + "\r", " \t", j.results[0], "\r"}
	f.mu.Unlock()
	var idx []int
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		idx = append(idx, r.Index)
	}
	assert.ElementsMatch(t, []int{0, 1}, idx)
}

func TestBatchWireNothingSentOnBadPrompt(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	_, err := batch.Submit(context.Background(), newBatcher(srv.URL), []ask{{"one"}, {""}})
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Index)
	assert.Zero(t, f.posts)

	t.Setenv("ANTHROPIC_API_KEY", "")
	_, err = batch.Submit(context.Background(), anthropic.New(testModel, providers.WithBaseURL(srv.URL)), []ask{{"one"}})
	var ce *providers.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Zero(t, f.posts)
}

func TestBatchLimits(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	p := newBatcher(srv.URL)
	_, err := p.SubmitBatch(context.Background(), make([]providerkit.BatchRequest, anthropic.MaxBatchRequests+1))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, ue.Reason, "100000")

	defer anthropic.SetMaxBatchBytes(2000)()
	prompts := make([]ask, 40)
	for i := range prompts {
		prompts[i] = ask{strings.Repeat("x", 100)}
	}
	_, err = batch.Submit(context.Background(), p, prompts)
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, ue.Reason, "2000 bytes")
	assert.Zero(t, f.posts)
	_, err = batch.Submit(context.Background(), p, prompts[:5])
	require.NoError(t, err)
	assert.Equal(t, 1, f.posts)
}

func TestBatchWireManyLines(t *testing.T) {
	_, srv := newFakeMessageBatches(t)
	ctx := context.Background()
	prompts := make([]ask, 300)
	for i := range prompts {
		prompts[i] = ask{strings.Repeat("x", i+1)}
	}
	job, err := batch.Submit(ctx, newBatcher(srv.URL), prompts)
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	var idx []int
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		require.Equal(t, "answer to: "+prompts[r.Index].Q, r.Response.Content)
		idx = append(idx, r.Index)
	}
	slices.Sort(idx)
	require.Len(t, idx, 300)
	for i := range idx {
		require.Equal(t, i, idx[i])
	}
}

// A Message Batch's requests are none of the model's calls: paced to one
// call a minute and 60,000 tokens, a 1.4 MB batch (its body names
// max_tokens too) is created, waited for and read within the deadline.
func TestBatchSkipsRateLimiter(t *testing.T) {
	_, srv := newFakeMessageBatches(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := anthropic.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL), providers.WithRateLimit(1, 60_000))
	job, err := batch.Submit(ctx, p, []ask{{strings.Repeat("a", 700_000)}, {strings.Repeat("b", 700_000)}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	n := 0
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		n++
	}
	assert.Equal(t, 2, n)
}

// A succeeded result's Raw is the message the SDK's union gives for it
// (AsSucceeded), thinking, text and tool use alike, as Call's Raw is the
// SDK's message; it owns its bytes: results kept while later lines are
// read (through a reused buffer, past its first 64 KiB) do not change.
func TestBatchWireRawAsSDK(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	ctx := context.Background()
	prompts := make([]ask, 400)
	for i := range prompts {
		prompts[i] = ask{fmt.Sprintf("question %d %s", i, strings.Repeat("é", i%70))}
	}
	job, err := batch.Submit(ctx, newBatcher(srv.URL), prompts)
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	f.mu.Lock()
	j := f.jobs[job.ID()]
	j.results[0] = `{"custom_id":"mirascope-399","result":{"type":"succeeded","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"thinking","thinking":"Fantasy, then.","signature":"c2ln"},{"type":"text","text":"Try this:","citations":null},{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"title":"The Name of the Wind"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":3,"output_tokens":15,"service_tier":"batch"},"extra_member":1}}}`
	lines := slices.Clone(j.results)
	f.mu.Unlock()
	require.Greater(t, len(strings.Join(lines, "\n")), 64<<10)
	want := map[string]sdk.Message{}
	for _, l := range lines {
		var r sdk.MessageBatchIndividualResponse
		require.NoError(t, json.Unmarshal([]byte(l), &r))
		want[r.CustomID] = r.Result.AsSucceeded().Message
	}
	var got []batch.Result
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		got = append(got, r)
	}
	require.Len(t, got, len(prompts))
	for _, r := range got {
		w := want[fmt.Sprintf("mirascope-%d", r.Index)]
		assert.Equal(t, &w, r.Response.Raw)
		if r.Index != 399 {
			assert.Equal(t, "answer to: "+prompts[r.Index].Q, r.Response.Content)
		}
	}
}

// A line that is not JSON, amid good ones, is an error of the stream, and
// the lines after it are still read; a line of an unknown shape fails its
// own request.
func TestBatchWireMalformedLineAmidResults(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	ctx := context.Background()
	job, err := batch.Submit(ctx, newBatcher(srv.URL), []ask{{"one"}, {"two"}, {"three"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	f.mu.Lock()
	j := f.jobs[job.ID()]
	var good []string
	for _, l := range j.results {
		if !strings.Contains(l, `"mirascope-1"`) {
			good = append(good, l)
		}
	}
	require.Len(t, good, 2)
	j.results = []string{good[0], `{"custom_id":"mirascope-9","result":`, `{"custom_id":"mirascope-1","result":5}`, good[1]}
	f.mu.Unlock()
	var ok []int
	var failed []int
	streamErrs := 0
	for r, err := range job.Results(ctx) {
		switch {
		case err != nil:
			var pe *mirascope.ProviderError
			assert.ErrorAs(t, err, &pe)
			streamErrs++
		case r.Err != nil:
			var pe *mirascope.ProviderError
			assert.ErrorAs(t, r.Err, &pe)
			failed = append(failed, r.Index)
		default:
			ok = append(ok, r.Index)
		}
	}
	slices.Sort(ok)
	assert.Equal(t, []int{0, 2}, ok, "the lines after the bad ones are read")
	assert.Equal(t, []int{1}, failed)
	assert.Equal(t, 1, streamErrs)
}

// A Message Batch is created once: after a 500 it may exist (here it
// does), and a second creation would run and bill every request again.
func TestBatchWireCreatedOnce(t *testing.T) {
	f, srv := newFakeMessageBatches(t)
	f.lost = 1
	p := anthropic.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL)) // the default retries
	_, err := batch.Submit(context.Background(), p, []ask{{"one"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusInternalServerError, pe.StatusCode)
	assert.Equal(t, 1, f.posts)
}
