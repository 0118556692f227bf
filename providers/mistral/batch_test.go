package mistral_test

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
	"github.com/mirascope-go/mirascope/providers/mistral"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// fakeBatch is Mistral's Files and Batch APIs as its API reference and
// batch guide describe them, under /v1: POST /files (multipart: file,
// purpose "batch"), DELETE /files/{id}, GET /files/{id}/content,
// POST /batch/jobs {input_files, model, endpoint}, GET /batch/jobs/{id},
// POST /batch/jobs/{id}/cancel. Ids are UUIDs; a job object carries
// status, total/completed/succeeded/failed_requests, output_file and
// error_file (null until written). Each poll moves a job one step: QUEUED,
// RUNNING, then final (SUCCESS unless set otherwise); a job whose
// cancellation was requested ends CANCELLED. A timed-out or cancelled job
// answered its first request only. The output file lists the answers in
// reverse order; a prompt saying "FAIL" gets a 400 line (Mistral's error
// body) and one saying "ERR" a line with a top-level error, both in the
// error file.
type fakeBatch struct {
	t        *testing.T
	mu       sync.Mutex
	files    map[string][]byte
	jobs     map[string]*fakeJob
	final    string
	hold     bool // jobs do not move
	noJobs   bool // refuse to create jobs
	oneByte  bool // serve file content one flushed byte at a time
	uploads  int
	polls    int
	jobBody  map[string]any
	paths    []string                    // escaped paths of the job requests
	mangle   func(out []byte) []byte     // rewrites an output file as written
	errors   []string                    // a failed job's reasons
	stream   func(w http.ResponseWriter) // serves every file's content instead
	lastAuth string
	// lost job creations are made, then answered 502; busy ones are
	// refused with a 429 before anything is done.
	lost, busy int
}

type fakeJob struct {
	id, input, model, status string
	lines                    []map[string]json.RawMessage
	output, errFile          string
	succeeded, failed        int
	errors                   []string
}

func newFakeBatch(t *testing.T) (*fakeBatch, *httptest.Server) {
	f := &fakeBatch{t: t, files: map[string][]byte{}, jobs: map[string]*fakeJob{}, final: "SUCCESS"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func uuid(prefix, n int) string {
	return fmt.Sprintf("%08x-5e1b-4d3f-9a8c-%012x", prefix, n)
}

func mistralError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"object":"error","message":%q,"type":%q,"param":null,"code":null}`, msg, typ)
}

func (f *fakeBatch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastAuth = r.Header.Get("Authorization")
	if f.lastAuth != "Bearer "+oaitest.TestKey {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Unauthorized","request_id":"5a1f9c3e7b2d4e6f8a0c1b3d5e7f9a2c"}`)
		return
	}
	path := r.URL.Path
	if strings.HasPrefix(path, "/v1/batch/jobs") {
		f.paths = append(f.paths, r.URL.EscapedPath())
	}
	switch {
	case r.Method == http.MethodPost && path == "/v1/files":
		require.NoError(f.t, r.ParseMultipartForm(32<<20))
		assert.Equal(f.t, "batch", r.FormValue("purpose"))
		file, hdr, err := r.FormFile("file")
		require.NoError(f.t, err)
		data, _ := io.ReadAll(file)
		f.uploads++
		id := uuid(0xf11e, len(f.files)+1)
		f.files[id] = data
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"object":"file","size_bytes":%d,"created_at":1733550000,"filename":%q,"purpose":"batch","sample_type":"batch_request","num_lines":%d,"mimetype":"application/jsonl","source":"upload","signature":null}`,
			id, len(data), hdr.Filename, bytes.Count(data, []byte("\n")))
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/v1/files/"):
		id := strings.TrimPrefix(path, "/v1/files/")
		delete(f.files, id)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"object":"file","deleted":true}`, id)
	case r.Method == http.MethodPost && path == "/v1/batch/jobs" && f.noJobs:
		mistralError(w, http.StatusBadRequest, "invalid_request_error", "Model mistral-small-latest is not available for batch inference.")
	case r.Method == http.MethodPost && path == "/v1/batch/jobs" && f.busy > 0:
		f.busy--
		w.Header().Set("Retry-After", "0")
		mistralError(w, http.StatusTooManyRequests, "rate_limited", "Requests rate limit exceeded")
	case r.Method == http.MethodPost && path == "/v1/batch/jobs":
		require.NoError(f.t, json.NewDecoder(r.Body).Decode(&f.jobBody))
		var body struct {
			InputFiles []string `json:"input_files"`
			Model      string   `json:"model"`
		}
		raw, _ := json.Marshal(f.jobBody)
		require.NoError(f.t, json.Unmarshal(raw, &body))
		require.Len(f.t, body.InputFiles, 1)
		data, ok := f.files[body.InputFiles[0]]
		if !ok {
			mistralError(w, http.StatusNotFound, "invalid_request_error", "File not found")
			return
		}
		j := &fakeJob{id: uuid(0xb47c, len(f.jobs)+1), input: body.InputFiles[0], model: body.Model, status: "QUEUED", errors: f.errors}
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
			mistralError(w, http.StatusBadGateway, "server_error", "Bad gateway")
			return
		}
		f.writeJob(w, j)
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/v1/batch/jobs/") && strings.HasSuffix(path, "/cancel"):
		j := f.jobs[strings.TrimSuffix(strings.TrimPrefix(path, "/v1/batch/jobs/"), "/cancel")]
		if j == nil {
			mistralError(w, http.StatusNotFound, "invalid_request_error", "Batch job not found")
			return
		}
		j.status = "CANCELLATION_REQUESTED"
		f.writeJob(w, j)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v1/batch/jobs/"):
		j := f.jobs[strings.TrimPrefix(path, "/v1/batch/jobs/")]
		if j == nil {
			mistralError(w, http.StatusNotFound, "invalid_request_error", "Batch job not found")
			return
		}
		f.polls++
		if !f.hold {
			f.advance(j)
		}
		f.writeJob(w, j)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v1/files/") && strings.HasSuffix(path, "/content"):
		data, ok := f.files[strings.TrimSuffix(strings.TrimPrefix(path, "/v1/files/"), "/content")]
		if !ok {
			mistralError(w, http.StatusNotFound, "invalid_request_error", "File not found")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		switch {
		case f.stream != nil:
			f.stream(w)
		case f.oneByte:
			fl := w.(http.Flusher)
			for i := range data {
				_, _ = w.Write(data[i : i+1])
				fl.Flush()
			}
		default:
			_, _ = w.Write(data)
		}
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.EscapedPath())
		w.WriteHeader(http.StatusNotFound)
	}
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// advance moves j one step; when it ends it writes the output and error files.
func (f *fakeBatch) advance(j *fakeJob) {
	switch j.status {
	case "QUEUED":
		j.status = "RUNNING"
		return
	case "RUNNING":
		j.status = f.final
	case "CANCELLATION_REQUESTED":
		j.status = "CANCELLED"
	default:
		return
	}
	if j.status == "FAILED" {
		return
	}
	lines := j.lines
	if j.status != "SUCCESS" {
		lines = lines[:1]
	}
	var out, errs bytes.Buffer
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		var id string
		_ = json.Unmarshal(l["custom_id"], &id)
		var body struct {
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		_ = json.Unmarshal(l["body"], &body)
		text := body.Messages[len(body.Messages)-1].Content
		switch {
		case strings.Contains(text, "FAIL"):
			j.failed++
			fmt.Fprintf(&errs, `{"id":"batch-%s-%d","custom_id":%s,"response":{"status_code":400,"body":{"object":"error","message":"Prompt refused: %s","type":"invalid_request_message_error","param":null,"code":"3051"}},"error":null}`+"\n", j.id, i, jsonText(id), strings.Trim(jsonText(text), `"`))
		case strings.Contains(text, "ERR"):
			j.failed++
			fmt.Fprintf(&errs, `{"id":"batch-%s-%d","custom_id":%s,"response":null,"error":{"message":"Request timed out","code":3000}}`+"\n", j.id, i, jsonText(id))
		default:
			j.succeeded++
			fmt.Fprintf(&out, `{"id":"batch-%s-%d","custom_id":%s,"response":{"status_code":200,"body":{"id":"cmpl-%d","object":"chat.completion","created":1733550100,"model":%q,"choices":[{"index":0,"message":{"role":"assistant","tool_calls":null,"content":%s},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"total_tokens":17,"completion_tokens":5}}},"error":null}`+"\n",
				j.id, i, jsonText(id), i, j.model, jsonText("answer to: "+text))
		}
	}
	data := out.Bytes()
	if f.mangle != nil {
		data = f.mangle(data)
	}
	if len(data) > 0 {
		j.output = uuid(0x0a7, len(f.files)+1)
		f.files[j.output] = data
	}
	if errs.Len() > 0 {
		j.errFile = uuid(0xe77, len(f.files)+1)
		f.files[j.errFile] = errs.Bytes()
	}
}

func (f *fakeBatch) writeJob(w http.ResponseWriter, j *fakeJob) {
	nullable := func(s string) string {
		if s == "" {
			return "null"
		}
		return jsonText(s)
	}
	errs := make([]string, len(j.errors))
	for i, e := range j.errors {
		errs[i] = fmt.Sprintf(`{"message":%s,"count":1}`, jsonText(e))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q,"object":"batch","input_files":[%q],"metadata":null,"endpoint":"/v1/chat/completions","model":%q,"agent_id":null,"output_file":%s,"error_file":%s,"errors":[%s],"outputs":null,"status":%q,"created_at":1733550000,"total_requests":%d,"completed_requests":%d,"succeeded_requests":%d,"failed_requests":%d,"started_at":null,"completed_at":null}`,
		j.id, j.input, j.model, nullable(j.output), nullable(j.errFile), strings.Join(errs, ","), j.status, len(j.lines), j.succeeded+j.failed, j.succeeded, j.failed)
}

type ask struct {
	Q string `prompt:"q" validate:"required"`
}

func (ask) Template() string { return "{q}" }

const batchModel = "mistral-small-latest"

func newBatchProvider(url string) *mistral.Provider {
	return mistral.New(batchModel, providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(url+"/v1"))
}

var fastPoll = batch.WithPollInterval(time.Millisecond, 5*time.Millisecond)

// noKey fails if err's text, or any result's, shows the API key.
func noKey(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			assert.NotContains(t, err.Error(), oaitest.TestKey)
		}
	}
}

func TestBatchWire(t *testing.T) {
	f, srv := newFakeBatch(t)
	ctx := context.Background()
	prompts := []ask{{"one"}, {"FAIL two"}, {"three"}, {"ERR four"}}
	job, err := batch.Submit(ctx, otel.Traced(newBatchProvider(srv.URL)), prompts, mirascope.WithMaxTokens(32), mirascope.WithSeed(7))
	require.NoError(t, err)
	assert.Equal(t, uuid(0xb47c, 1), job.ID())

	// The uploaded file: one {"custom_id", "body"} line per prompt, the body
	// built as Call builds it, the seed under Mistral's name.
	var lines []map[string]any
	for sc := bufio.NewScanner(bytes.NewReader(f.files[uuid(0xf11e, 1)])); sc.Scan(); {
		var l map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		lines = append(lines, l)
	}
	require.Len(t, lines, 4)
	assert.Len(t, lines[1], 2, "custom_id and body only")
	assert.Equal(t, "mirascope-1", lines[1]["custom_id"])
	body := lines[1]["body"].(map[string]any)
	assert.Equal(t, batchModel, body["model"])
	assert.EqualValues(t, 32, body["max_tokens"])
	assert.EqualValues(t, 7, body["random_seed"])
	assert.NotContains(t, body, "seed")
	assert.NotContains(t, body, "stream_options")
	assert.Equal(t, map[string]any{"input_files": []any{uuid(0xf11e, 1)}, "model": batchModel, "endpoint": "/v1/chat/completions"}, f.jobBody)

	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Equal(t, 2, f.polls, "QUEUED, RUNNING, SUCCESS: polled until done")

	// Resume from a new provider value, with the id alone; two readers at once.
	again, err := batch.Resume(ctx, newBatchProvider(srv.URL), job.ID())
	require.NoError(t, err)
	read := func() ([]int, map[int]batch.Result, error) {
		var order []int
		got := map[int]batch.Result{}
		for r, err := range again.Results(ctx) {
			if err != nil {
				return nil, nil, err
			}
			order = append(order, r.Index)
			got[r.Index] = r
		}
		return order, got, nil
	}
	var wg sync.WaitGroup
	var order2 []int
	var err2 error
	wg.Add(1)
	go func() { defer wg.Done(); order2, _, err2 = read() }()
	order, got, err := read()
	require.NoError(t, err)
	wg.Wait()
	require.NoError(t, err2)
	assert.Equal(t, order, order2)
	assert.Equal(t, []int{2, 0, 3, 1}, order, "output file in reverse, then the error file")
	assert.Equal(t, "answer to: one", got[0].Response.Content)
	assert.Equal(t, "cmpl-0", got[0].Response.ID)
	assert.Equal(t, batchModel, got[0].Response.Model)
	assert.Equal(t, []string{"stop"}, got[0].Response.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 12, OutputTokens: 5, Batch: true}, got[0].Response.Usage)
	assert.Equal(t, "answer to: three", got[2].Response.Content)

	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Nil(t, got[1].Response)
	assert.Equal(t, mistral.Name, pe.Provider)
	assert.Equal(t, 400, pe.StatusCode)
	assert.Equal(t, "3051", pe.Code)
	assert.Equal(t, "invalid_request_message_error", pe.Type)
	assert.Equal(t, "Prompt refused: FAIL two", pe.Message)

	require.ErrorAs(t, got[3].Err, &pe)
	assert.Equal(t, "3000", pe.Code, "a numeric code is read as its text")
	assert.Equal(t, "Request timed out", pe.Message)
	noKey(t, got[1].Err, got[3].Err)
}

func TestBatchWireExpiredAndCancelled(t *testing.T) {
	ctx := context.Background()
	prompts := []ask{{"one"}, {"two"}, {"three"}}
	for _, tc := range []struct{ final, raw string }{
		{"TIMEOUT_EXCEEDED", "TIMEOUT_EXCEEDED"},
		{"", "CANCELLED"},
	} {
		f, srv := newFakeBatch(t)
		f.final = tc.final
		job, err := batch.Submit(ctx, newBatchProvider(srv.URL), prompts)
		require.NoError(t, err)
		want := providerkit.BatchExpired
		if tc.final == "" {
			want = providerkit.BatchCancelled
			require.NoError(t, job.Cancel(ctx))
			assert.Equal(t, fmt.Sprintf("/v1/batch/jobs/%s/cancel", job.ID()), f.paths[len(f.paths)-1])
		}
		err = job.Wait(ctx, fastPoll)
		var je *batch.JobError
		require.ErrorAs(t, err, &je, tc.raw)
		assert.Equal(t, tc.raw, je.Raw)
		assert.Equal(t, want, je.State)
		assert.Equal(t, []int{3, 1, 0}, []int{je.Total, je.Completed, je.Failed})

		// What was answered in time is still readable.
		var idx []int
		for r, err := range job.Results(ctx) {
			require.NoError(t, err)
			require.NoError(t, r.Err)
			idx = append(idx, r.Index)
		}
		assert.Equal(t, []int{0}, idx)
	}
}

// Each of the service's states, as Wait and Results see it.
func TestBatchStates(t *testing.T) {
	f, srv := newFakeBatch(t)
	f.hold = true
	ctx := context.Background()
	p := newBatchProvider(srv.URL)
	want := map[string]providerkit.BatchState{
		"QUEUED": providerkit.BatchRunning, "RUNNING": providerkit.BatchRunning,
		"CANCELLATION_REQUESTED": providerkit.BatchRunning, "SUCCESS": providerkit.BatchEnded,
		"FAILED": providerkit.BatchFailed, "TIMEOUT_EXCEEDED": providerkit.BatchExpired,
		"CANCELLED": providerkit.BatchCancelled, "PAUSED": providerkit.BatchRunning,
	}
	for raw, state := range want {
		f.mu.Lock()
		f.jobs["j-"+raw] = &fakeJob{id: "j-" + raw, status: raw, model: batchModel, lines: make([]map[string]json.RawMessage, 4), succeeded: 2, failed: 1}
		f.mu.Unlock()
		st, err := p.BatchStatus(ctx, "j-"+raw)
		require.NoError(t, err)
		assert.Equal(t, providerkit.BatchStatus{State: state, Raw: raw, Total: 4, Completed: 2, Failed: 1}, st, raw)
	}

	// A running job has no results yet.
	job, err := batch.Resume(ctx, p, "j-CANCELLATION_REQUESTED")
	require.NoError(t, err)
	n := 0
	for _, err := range job.Results(ctx) {
		assert.ErrorContains(t, err, "CANCELLATION_REQUESTED: no results")
		assert.ErrorIs(t, err, batch.ErrNoResults)
		n++
	}
	assert.Equal(t, 1, n)

	// An unknown id is the service's 404.
	for _, err := range p.BatchResults(ctx, "missing") {
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 404, pe.StatusCode)
		assert.Equal(t, "Batch job not found", pe.Message)
	}
}

// A job the service failed: Wait's JobError, and Results' error carries
// the service's reasons, with the key masked.
func TestBatchWireFailed(t *testing.T) {
	f, srv := newFakeBatch(t)
	f.final = "FAILED"
	f.errors = []string{"Invalid input file: line 1", "echo: Bearer " + oaitest.TestKey}
	ctx := context.Background()
	job, err := batch.Submit(ctx, newBatchProvider(srv.URL), []ask{{"one"}})
	require.NoError(t, err)
	err = job.Wait(ctx, fastPoll)
	var je *batch.JobError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, providerkit.BatchFailed, je.State)
	assert.Equal(t, "FAILED", je.Raw)
	// Wait says why, as the service does, with the key masked.
	assert.Contains(t, err.Error(), ": Invalid input file: line 1; echo: Bearer ")
	noKey(t, err)
	n := 0
	for _, err := range job.Results(ctx) {
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Message, "Invalid input file: line 1")
		noKey(t, err)
		n++
	}
	assert.Equal(t, 1, n)
}

// Job ids are path segments, escaped: none names another endpoint.
func TestBatchWireHostileJobID(t *testing.T) {
	f, srv := newFakeBatch(t)
	ctx := context.Background()
	p := newBatchProvider(srv.URL)
	for _, id := range []string{"../files/x", "..", ".", "a?b#c", "a/cancel"} {
		_, err := p.BatchStatus(ctx, id)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe, id)
		assert.Equal(t, 404, pe.StatusCode, id)
	}
	assert.Equal(t, []string{"/v1/batch/jobs/..%2Ffiles%2Fx", "/v1/batch/jobs/%2E%2E", "/v1/batch/jobs/%2E",
		"/v1/batch/jobs/a%3Fb%23c", "/v1/batch/jobs/a%2Fcancel"}, f.paths)
}

func TestBatchWireNothingUploaded(t *testing.T) {
	f, srv := newFakeBatch(t)
	ctx := context.Background()
	p := newBatchProvider(srv.URL)
	_, err := batch.Submit(ctx, p, []ask{{"one"}, {""}})
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Index)

	// The service's limits, lowered here, are refused before any upload.
	restore := mistral.SetBatchLimits(2, 400)
	p = newBatchProvider(srv.URL)
	restore()
	var ue *mirascope.UnsupportedError
	_, err = batch.Submit(ctx, p, []ask{{"one"}, {"two"}, {"three"}})
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, mistral.Name, ue.Provider)
	assert.Equal(t, "batch", ue.Parameter)
	assert.Contains(t, ue.Reason, "at most 2")
	_, err = batch.Submit(ctx, p, []ask{{"one"}, {strings.Repeat("x", 400)}})
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, ue.Reason, "passes 400 bytes at request 1")

	// The real bound on requests, before any request is even looked at.
	_, err = newBatchProvider(srv.URL).SubmitBatch(ctx, make([]providerkit.BatchRequest, mistral.MaxBatchRequests+1))
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, ue.Reason, "1000000")

	// One model per job.
	a, b := oaitest.SimpleRequest(), oaitest.SimpleRequest()
	b.Model = "mistral-large-latest"
	_, err = newBatchProvider(srv.URL).SubmitBatch(ctx, []providerkit.BatchRequest{{CustomID: "mirascope-0", Request: a}, {CustomID: "mirascope-1", Request: b}})
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, ue.Reason, "one model")

	// A configuration error comes before any upload too.
	t.Setenv("MISTRAL_API_KEY", "")
	_, err = batch.Submit(ctx, mistral.New(batchModel, providers.WithBaseURL(srv.URL+"/v1")), []ask{{"one"}})
	var ce *providers.ConfigError
	require.ErrorAs(t, err, &ce)

	assert.Zero(t, f.uploads)
	assert.Empty(t, f.jobs)
}

// A job the service refuses to create leaves no uploaded file behind.
func TestBatchWireRefusedJobDeletesFile(t *testing.T) {
	f, srv := newFakeBatch(t)
	f.noJobs = true
	_, err := batch.Submit(context.Background(), newBatchProvider(srv.URL), []ask{{"one"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 400, pe.StatusCode)
	assert.Contains(t, pe.Message, "not available for batch")
	assert.Equal(t, 1, f.uploads)
	assert.Empty(t, f.files)
}

// The output file one flushed byte at a time, with hostile lines among the
// answers: ids this package never sent, invalid UTF-8, a malformed line,
// blank and CRLF-ended lines. Each real answer arrives; each bad line is a
// stream error that does not end the stream.
func TestBatchWireHostileOutput(t *testing.T) {
	f, srv := newFakeBatch(t)
	f.oneByte = true
	f.mangle = func(out []byte) []byte {
		var b bytes.Buffer
		b.WriteString("\r\n\n")
		for _, id := range []string{"mirascope-01", "../../etc/passwd", "mirascope-99999999999999999999", "mirascope--1", "\u202emirascope-0"} {
			fmt.Fprintf(&b, `{"custom_id":%s,"response":{"status_code":200,"body":{"id":"x","choices":[]}},"error":null}`+"\r\n", jsonText(id))
		}
		b.WriteString(`{"custom_id":"mirascope-1","response":{"status_code":200,"body":{"id":"u","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"bad ` + "\xff\xfe" + ` bytes"},"finish_reason":"stop"}]}},"error":null}` + "\n")
		b.WriteString(`{"custom_id":"mirascope-0","response":` + "\n")
		b.Write(out)
		return b.Bytes()
	}
	ctx := context.Background()
	job, err := batch.Submit(ctx, otel.Traced(newBatchProvider(srv.URL)), []ask{{"one"}, {"two"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	var idx []int
	var streamErrs []error
	var bad string
	for r, err := range job.Results(ctx) {
		if err != nil {
			streamErrs = append(streamErrs, err)
			continue
		}
		require.NoError(t, r.Err)
		if r.Response.ID == "u" {
			bad = r.Response.Content
			continue
		}
		idx = append(idx, r.Index)
	}
	assert.Equal(t, "bad \xff\xfe bytes", bad, "invalid UTF-8 arrives as Call would return it (otel repairs it in spans)")
	assert.Equal(t, []int{1, 0}, idx)
	assert.Len(t, streamErrs, 6, "five foreign ids and a malformed line")
	noKey(t, streamErrs...)
}

// A line over the bound is a stream error; nothing holds more than it.
func TestBatchWireLineOverBound(t *testing.T) {
	f, srv := newFakeBatch(t)
	ctx := context.Background()
	job, err := batch.Submit(ctx, newBatchProvider(srv.URL), []ask{{"one"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	f.mu.Lock()
	f.stream = func(w http.ResponseWriter) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		_, _ = w.Write([]byte(`{"custom_id":"mirascope-0","pad":"`))
		for range 65 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	f.mu.Unlock()
	var errs []error
	for _, err := range job.Results(ctx) {
		require.Error(t, err)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "a line passes")
}

// No error shows the key, even where the service echoes it.
func TestBatchWireKeyMasked(t *testing.T) {
	f, srv := newFakeBatch(t)
	ctx := context.Background()
	f.mangle = func(out []byte) []byte {
		out = append(out, fmt.Appendf(nil, `{"custom_id":"mirascope-1","response":{"status_code":401,"body":{"message":"bad key %s"}},"error":null}`+"\n", oaitest.TestKey)...)
		// The error as a bare string, a shape the reference does not rule out.
		return append(out, fmt.Appendf(nil, `{"custom_id":"mirascope-0","response":null,"error":"upstream saw %s"}`+"\n", oaitest.TestKey)...)
	}
	job, err := batch.Submit(ctx, newBatchProvider(srv.URL), []ask{{"one"}, {"two"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	var errs []error
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		errs = append(errs, r.Err)
	}
	require.Len(t, errs, 4)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, errs[2], &pe)
	assert.Equal(t, 401, pe.StatusCode)
	require.ErrorAs(t, errs[3], &pe)
	assert.True(t, strings.HasPrefix(pe.Message, "upstream saw "), pe.Message)
	noKey(t, errs...)

	// A wrong key is the service's 401, without the key.
	_, err = mistral.New(batchModel, providers.WithAPIKey("sk-wrong-"+strings.Repeat("k", 24)), providers.WithBaseURL(srv.URL+"/v1")).BatchStatus(ctx, job.ID())
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 401, pe.StatusCode)
	assert.NotContains(t, err.Error(), "sk-wrong-")
}

func TestBatchWireManyLines(t *testing.T) {
	_, srv := newFakeBatch(t)
	ctx := context.Background()
	prompts := make([]ask, 500)
	for i := range prompts {
		prompts[i] = ask{strings.Repeat("x", i+1)}
	}
	job, err := batch.Submit(ctx, newBatchProvider(srv.URL), prompts)
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
	require.Len(t, idx, 500)
	for i := range idx {
		require.Equal(t, i, idx[i])
	}
}

// A custom id of any text stays one line of the input file, read back whole.
func TestBatchWireHostileCustomIDIn(t *testing.T) {
	f, srv := newFakeBatch(t)
	id := "a\"b\n\r\u2028c\\d</script>\xff"
	_, err := newBatchProvider(srv.URL).SubmitBatch(context.Background(), []providerkit.BatchRequest{{CustomID: id, Request: oaitest.SimpleRequest()}})
	require.NoError(t, err)
	data := f.files[uuid(0xf11e, 1)]
	assert.Equal(t, 1, bytes.Count(data, []byte("\n")))
	var l struct {
		CustomID string `json:"custom_id"`
	}
	require.NoError(t, json.Unmarshal(data, &l))
	assert.Equal(t, strings.ToValidUTF8(id, "\ufffd"), l.CustomID)
}

// A job is created once: after a 502 it may exist (here it does), and a
// second creation would run and bill every request again; after a 429
// nothing was done, and it is sent again. None of a batch's requests waits
// at the rate limiter (one call a minute here).
func TestBatchWireCreatedOnce(t *testing.T) {
	f, srv := newFakeBatch(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := mistral.New(batchModel, providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL+"/v1"),
		providers.WithRateLimit(1, 60_000)) // the default retries
	f.mu.Lock()
	f.lost = 1
	f.mu.Unlock()
	_, err := batch.Submit(ctx, p, []ask{{"one"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusBadGateway, pe.StatusCode)
	f.mu.Lock()
	assert.Len(t, f.jobs, 1, "one job, not two")
	f.busy = 1
	f.mu.Unlock()
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
	f.mu.Lock()
	assert.Len(t, f.jobs, 2)
	assert.Zero(t, f.busy)
	f.mu.Unlock()
}
