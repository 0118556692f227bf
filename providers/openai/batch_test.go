package openai_test

import (
	"bufio"
	"bytes"
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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/openai"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// fakeBatches is the Files and Batch APIs as OpenAI's API reference
// describes them: POST /files (multipart, purpose "batch"), POST /batches,
// GET /batches/{id}, POST /batches/{id}/cancel, GET /files/{id}/content.
// Each status poll moves a job one step: validating, in_progress, then
// final (completed unless set otherwise). The output file lists the answers
// in reverse order; a request whose prompt says "FAIL" gets a 400 line in
// the error file instead.
type fakeBatches struct {
	t       *testing.T
	mu      sync.Mutex
	files   map[string][]byte
	jobs    map[string]*fakeJob
	final   string // the status a job ends in: "completed", "expired"
	noJobs  bool   // refuse to create jobs
	busy    int    // uploads still to answer 503
	lost    int    // jobs still to create and then answer 502, as a proxy that lost the answer
	busyJob int    // job creations still to refuse with 429
	polls   int
	cancels int
}

type fakeJob struct {
	id, input, status string
	lines             []map[string]json.RawMessage
	output, errors    string
	completed, failed int
}

func newFakeBatches(t *testing.T) (*fakeBatches, *httptest.Server) {
	f := &fakeBatches{t: t, files: map[string][]byte{}, jobs: map[string]*fakeJob{}, final: "completed"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeBatches) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+oaitest.TestKey {
		http.Error(w, `{"error":{"message":"bad key","type":"invalid_request_error"}}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost && path == "/files" && f.busy > 0:
		f.busy--
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<10)) // the first bytes only
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":{"message":"Service unavailable","type":"server_error"}}`)
	case r.Method == http.MethodPost && path == "/files":
		assert.Positive(f.t, r.ContentLength, "the upload declares its length")
		require.NoError(f.t, r.ParseMultipartForm(32<<20))
		assert.Equal(f.t, "batch", r.FormValue("purpose"))
		file, hdr, err := r.FormFile("file")
		require.NoError(f.t, err)
		data, _ := io.ReadAll(file)
		id := fmt.Sprintf("file-in%d", len(f.files)+1)
		f.files[id] = data
		fmt.Fprintf(w, `{"id":%q,"object":"file","bytes":%d,"created_at":1733550000,"filename":%q,"purpose":"batch","status":"processed"}`, id, len(data), hdr.Filename)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/files/"):
		id := strings.TrimPrefix(path, "/files/")
		delete(f.files, id)
		fmt.Fprintf(w, `{"id":%q,"object":"file","deleted":true}`, id)
	case r.Method == http.MethodPost && path == "/batches" && f.busyJob > 0:
		f.busyJob--
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`)
	case r.Method == http.MethodPost && path == "/batches" && f.noJobs:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":{"message":"Enqueued token limit reached for gpt-4o-mini.","type":"invalid_request_error","param":null,"code":"token_limit_exceeded"}}`)
	case r.Method == http.MethodPost && path == "/batches":
		var body struct {
			InputFileID      string `json:"input_file_id"`
			Endpoint         string `json:"endpoint"`
			CompletionWindow string `json:"completion_window"`
		}
		require.NoError(f.t, json.NewDecoder(r.Body).Decode(&body))
		assert.Equal(f.t, "/v1/chat/completions", body.Endpoint)
		assert.Equal(f.t, "24h", body.CompletionWindow)
		data, ok := f.files[body.InputFileID]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"message":"No such File object","type":"invalid_request_error"}}`)
			return
		}
		j := &fakeJob{id: fmt.Sprintf("batch_%d", len(f.jobs)+1), input: body.InputFileID, status: "validating"}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var l map[string]json.RawMessage
			require.NoError(f.t, json.Unmarshal(sc.Bytes(), &l))
			j.lines = append(j.lines, l)
		}
		require.NoError(f.t, sc.Err())
		f.jobs[j.id] = j
		if f.lost > 0 {
			f.lost--
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, `{"error":{"message":"Bad gateway","type":"server_error"}}`)
			return
		}
		f.writeJob(w, j)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/batches/"):
		j := f.jobs[strings.TrimPrefix(path, "/batches/")]
		if j == nil {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"message":"No batch found","type":"invalid_request_error"}}`)
			return
		}
		f.polls++
		f.advance(j)
		f.writeJob(w, j)
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/cancel"):
		j := f.jobs[strings.TrimSuffix(strings.TrimPrefix(path, "/batches/"), "/cancel")]
		f.cancels++
		j.status = "cancelling"
		f.writeJob(w, j)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/files/") && strings.HasSuffix(path, "/content"):
		data, ok := f.files[strings.TrimSuffix(strings.TrimPrefix(path, "/files/"), "/content")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(data)
	default:
		f.t.Errorf("unexpected %s %s", r.Method, path)
		w.WriteHeader(http.StatusNotFound)
	}
}

// advance moves j one step; at its end it writes the output and error files.
func (f *fakeBatches) advance(j *fakeJob) {
	switch j.status {
	case "validating":
		j.status = "in_progress"
		return
	case "in_progress":
		j.status = f.final
	case "cancelling":
		j.status = "cancelled"
	default:
		return
	}
	var out, errs bytes.Buffer
	lines := j.lines
	if j.status != "completed" { // expired or cancelled: the first request only was answered
		lines = lines[:1]
	}
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		var id string
		_ = json.Unmarshal(l["custom_id"], &id)
		var body struct {
			Model    string `json:"model"`
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		_ = json.Unmarshal(l["body"], &body)
		text := body.Messages[len(body.Messages)-1].Content
		if strings.Contains(text, "FAIL") {
			j.failed++
			fmt.Fprintf(&errs, `{"id":"batch_req_e%d","custom_id":%q,"response":{"status_code":400,"request_id":"req_e%d","body":{"error":{"message":"Invalid 'messages': refused.","type":"invalid_request_error","param":"messages","code":"invalid_value"}}},"error":null}`+"\n", i, id, i)
			continue
		}
		j.completed++
		fmt.Fprintf(&out, `{"id":"batch_req_%d","custom_id":%q,"response":{"status_code":200,"request_id":"req_%d","body":{"id":"chatcmpl-%d","object":"chat.completion","created":1733550100,"model":"%s-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"answer to: %s","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}},"error":null}`+"\n", i, id, i, i, body.Model, text)
	}
	if out.Len() > 0 {
		j.output = "file-out-" + j.id
		f.files[j.output] = out.Bytes()
	}
	if errs.Len() > 0 {
		j.errors = "file-err-" + j.id
		f.files[j.errors] = errs.Bytes()
	}
}

func (f *fakeBatches) writeJob(w io.Writer, j *fakeJob) {
	nullable := func(s string) string {
		if s == "" {
			return "null"
		}
		return fmt.Sprintf("%q", s)
	}
	fmt.Fprintf(w, `{"id":%q,"object":"batch","endpoint":"/v1/chat/completions","errors":null,"input_file_id":%q,"completion_window":"24h","status":%q,"output_file_id":%s,"error_file_id":%s,"created_at":1733550000,"in_progress_at":null,"expires_at":1733636400,"completed_at":null,"request_counts":{"total":%d,"completed":%d,"failed":%d},"metadata":null}`,
		j.id, j.input, j.status, nullable(j.output), nullable(j.errors), len(j.lines), j.completed, j.failed)
}

type ask struct {
	Q string `prompt:"q" validate:"required"`
}

func (ask) Template() string { return "{q}" }

func newOpenAI(url string) mirascope.Provider {
	return openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(url))
}

var fastPoll = batch.WithPollInterval(time.Millisecond, 5*time.Millisecond)

func TestBatchWire(t *testing.T) {
	f, srv := newFakeBatches(t)
	ctx := context.Background()
	prompts := []ask{{"one"}, {"FAIL two"}, {"three"}}
	job, err := batch.Submit(ctx, otel.Traced(newOpenAI(srv.URL)), prompts, mirascope.WithMaxTokens(32))
	require.NoError(t, err)
	assert.Equal(t, "batch_1", job.ID())

	// The uploaded file: one line per prompt, built as Call builds it.
	var lines []map[string]any
	for sc := bufio.NewScanner(bytes.NewReader(f.files["file-in1"])); sc.Scan(); {
		var l map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		lines = append(lines, l)
	}
	require.Len(t, lines, 3)
	assert.Equal(t, "mirascope-1", lines[1]["custom_id"])
	assert.Equal(t, "POST", lines[1]["method"])
	assert.Equal(t, "/v1/chat/completions", lines[1]["url"])
	body := lines[1]["body"].(map[string]any)
	assert.Equal(t, "gpt-4o-mini", body["model"])
	assert.EqualValues(t, 32, body["max_completion_tokens"])

	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Equal(t, 2, f.polls, "validating, in_progress, completed: polled until done")
	first := map[int]string{}
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		first[r.Index] = summary(r)
	}

	// Resume from a new provider value, with the id alone: the same
	// results under the same indexes.
	again, err := batch.Resume(ctx, newOpenAI(srv.URL), job.ID())
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
	assert.Equal(t, []int{2, 0, 1}, order, "output file in reverse, then the error file")
	assert.Equal(t, "answer to: one", got[0].Response.Content)
	assert.Equal(t, "chatcmpl-0", got[0].Response.ID)
	assert.Equal(t, mirascope.Usage{InputTokens: 12, OutputTokens: 5, Batch: true}, got[0].Response.Usage)
	assert.Equal(t, "answer to: three", got[2].Response.Content)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, 400, pe.StatusCode)
	assert.Equal(t, "invalid_value", pe.Code)
	assert.Contains(t, pe.Message, "refused")
	assert.Nil(t, got[1].Response)
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
	for final, state := range map[string]providerkit.BatchState{"expired": providerkit.BatchExpired, "cancelled": providerkit.BatchCancelled} {
		f, srv := newFakeBatches(t)
		if final == "expired" {
			f.final = final
		} // else the job would complete: only the cancel request cancels it
		job, err := batch.Submit(ctx, newOpenAI(srv.URL), prompts)
		require.NoError(t, err)
		if final == "cancelled" {
			require.NoError(t, job.Cancel(ctx))
			assert.Equal(t, 1, f.cancels, "the cancel request was sent")
		}
		err = job.Wait(ctx, fastPoll)
		var je *batch.JobError
		require.ErrorAs(t, err, &je, final)
		assert.Equal(t, final, je.Raw)
		assert.Equal(t, state, je.State)
		assert.Equal(t, job.ID(), je.ID)
		assert.Equal(t, []int{3, 1, 0}, []int{je.Total, je.Completed, je.Failed})

		// What was answered in time is still readable.
		var idx []int
		for r, err := range job.Results(ctx) {
			require.NoError(t, err)
			idx = append(idx, r.Index)
		}
		assert.Equal(t, []int{0}, idx)
	}
}

func TestBatchWireRunningHasNoResults(t *testing.T) {
	_, srv := newFakeBatches(t)
	ctx := context.Background()
	job, err := batch.Submit(ctx, newOpenAI(srv.URL), []ask{{"one"}})
	require.NoError(t, err)
	n := 0
	for _, err := range job.Results(ctx) {
		assert.ErrorContains(t, err, "no results")
		assert.ErrorIs(t, err, batch.ErrNoResults)
		n++
	}
	assert.Equal(t, 1, n)
}

func TestBatchWireNothingUploadedOnBadPrompt(t *testing.T) {
	f, srv := newFakeBatches(t)
	_, err := batch.Submit(context.Background(), newOpenAI(srv.URL), []ask{{"one"}, {""}})
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Index)
	assert.Empty(t, f.files)

	// A configuration error comes before any upload too.
	t.Setenv("OPENAI_API_KEY", "")
	_, err = batch.Submit(context.Background(), openai.New("gpt-4o-mini", providers.WithBaseURL(srv.URL)), []ask{{"one"}})
	var ce *providers.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Empty(t, f.files)
}

func TestBatchWireManyLines(t *testing.T) {
	_, srv := newFakeBatches(t)
	ctx := context.Background()
	prompts := make([]ask, 500)
	for i := range prompts {
		prompts[i] = ask{strings.Repeat("x", i+1)}
	}
	job, err := batch.Submit(ctx, newOpenAI(srv.URL), prompts)
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
	for i := range idx {
		require.Equal(t, i, idx[i])
	}
	require.Len(t, idx, 500)
}

// A line longer than the reader's buffer is read whole.
func TestBatchWireLongLine(t *testing.T) {
	_, srv := newFakeBatches(t)
	ctx := context.Background()
	long := strings.Repeat("y", 300_000)
	job, err := batch.Submit(ctx, newOpenAI(srv.URL), []ask{{"short"}, {long}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	n := 0
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		assert.Equal(t, "answer to: "+[]string{"short", long}[r.Index], r.Response.Content)
		n++
	}
	assert.Equal(t, 2, n)
}

// A job the service refuses to create leaves no uploaded file behind.
func TestBatchWireRefusedJobDeletesFile(t *testing.T) {
	f, srv := newFakeBatches(t)
	f.noJobs = true
	_, err := batch.Submit(context.Background(), newOpenAI(srv.URL), []ask{{"one"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "token_limit_exceeded", pe.Code)
	assert.Empty(t, f.files)
}

// An upload the service answers 503 is sent again whole: the input file,
// kept in pieces, is read afresh from its first byte, and its length is
// declared.
func TestBatchWireUploadRetriedWhole(t *testing.T) {
	f, srv := newFakeBatches(t)
	f.busy = 1
	ctx := context.Background()
	prompts := []ask{{strings.Repeat("a", 700_000)}, {strings.Repeat("b", 700_000)}, {"c"}}
	job, err := batch.Submit(ctx, newOpenAI(srv.URL), prompts)
	require.NoError(t, err)
	assert.Equal(t, 0, f.busy)
	require.NoError(t, job.Wait(ctx, fastPoll))
	got := map[int]string{}
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		got[r.Index] = r.Response.Content
	}
	require.Len(t, got, 3)
	for i, p := range prompts {
		assert.Equal(t, "answer to: "+p.Q, got[i])
	}
}

// A batch's requests are none of the model's calls: a provider paced to one
// call a minute and 60,000 tokens submits a 1.4 MB job (350,000 tokens by
// the limiter's estimate), waits for it and reads it well within a
// 20-second deadline, and the limiter's next call is not held by them.
func TestBatchSkipsRateLimiter(t *testing.T) {
	_, srv := newFakeBatches(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL),
		providers.WithRateLimit(1, 60_000))
	prompts := []ask{{strings.Repeat("a", 700_000)}, {strings.Repeat("b", 700_000)}}
	job, err := batch.Submit(ctx, p, prompts)
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	n := 0
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		n++
	}
	assert.Equal(t, 2, n)
	require.NoError(t, job.Cancel(ctx))
}

// One job and one provider, waited for and read by many goroutines at
// once (run with -race), through otel.Traced and a rate limiter: each
// reader gets every result.
func TestBatchConcurrentJob(t *testing.T) {
	_, srv := newFakeBatches(t)
	ctx := context.Background()
	p := otel.Traced(openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL),
		providers.WithRateLimit(6000, 0)))
	job, err := batch.Submit(ctx, p, []ask{{"one"}, {"two"}, {"three"}})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resumed, err := batch.Resume(ctx, p, job.ID())
			assert.NoError(t, err)
			assert.NoError(t, resumed.Wait(ctx, fastPoll))
			n := 0
			for r, err := range job.Results(ctx) {
				assert.NoError(t, err)
				assert.NoError(t, r.Err)
				n++
			}
			assert.Equal(t, 3, n)
		})
	}
	wg.Wait()
}

// OpenAI's input file holds requests for one model: a job mixing models is
// refused before anything is uploaded, rather than failed by the service.
func TestBatchWireOneModelPerJob(t *testing.T) {
	f, srv := newFakeBatches(t)
	p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
	req := func(model string) *mirascope.Request {
		r, err := mirascope.NewRequest(ask{"one"}, mirascope.WithModel(model))
		require.NoError(t, err)
		return r
	}
	_, err := p.SubmitBatch(context.Background(), []providerkit.BatchRequest{
		{CustomID: "mirascope-0", Request: req("gpt-4o-mini")},
		{CustomID: "mirascope-1", Request: req("gpt-4o")},
	})
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "batch", ue.Parameter)
	assert.Contains(t, ue.Reason, `request 1 is for model "gpt-4o"`)
	assert.Empty(t, f.files, "nothing uploaded")
}

// A job is created once: after a 502 the job may exist (here it does), so
// the creation is not sent again, which would run and bill every request
// twice; after a 429 nothing was done, and it is.
func TestBatchWireJobCreatedOnce(t *testing.T) {
	f, srv := newFakeBatches(t)
	f.lost = 1
	p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL)) // the default retries
	_, err := batch.Submit(context.Background(), p, []ask{{"one"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusBadGateway, pe.StatusCode)
	assert.Len(t, f.jobs, 1, "one job, not two")

	f.busyJob = 1
	job, err := batch.Submit(context.Background(), p, []ask{{"two"}})
	require.NoError(t, err)
	assert.Equal(t, "batch_2", job.ID())
	assert.Len(t, f.jobs, 2)
}

// A job id is one path segment, whatever it holds: a URL, a path that
// climbs, a query. Each reaches the fake as an unknown batch, never
// another endpoint or host, and the 404 is the service's.
func TestBatchWireHostileJobID(t *testing.T) {
	var paths []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"message":"No batch found","type":"invalid_request_error"}}`)
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, id := range []string{"https://evil.example/x", "../files/file-in1/content", "..", "a?b=c#d", "a/b"} {
		job, err := batch.Resume(ctx, newOpenAI(srv.URL), id)
		require.NoError(t, err)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, job.Wait(ctx, fastPoll), &pe, id)
		assert.Equal(t, http.StatusNotFound, pe.StatusCode)
		require.ErrorAs(t, job.Cancel(ctx), &pe, id)
		for r, err := range job.Results(ctx) {
			require.ErrorAs(t, err, &pe, id)
			assert.Equal(t, -1, r.Index)
		}
	}
	for _, p := range paths {
		assert.Regexp(t, `^/batches/[^/?#]+(/cancel)?\?$`, p)
	}
}
