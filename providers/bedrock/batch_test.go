package bedrock_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

const (
	batchBucket = "mirascope-batch-test"
	batchPrefix = "s3://" + batchBucket + "/jobs"
	batchRole   = "arn:aws:iam::123456789012:role/BedrockBatchRole"
	secretKey   = "fake-secret-key-batch-0123456789"
	jobARNRoot  = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/"
)

// fakeBatchAWS is the part of AWS a Bedrock batch job touches, written from
// the API references: the Bedrock control plane (restJson1: POST
// /model-invocation-job, GET /model-invocation-job/{jobIdentifier}, POST
// /model-invocation-job/{jobIdentifier}/stop; errors with X-Amzn-ErrorType
// and {"message"}) and S3, path-style (PUT, GET and DELETE
// /{bucket}/{key}; errors as <Error><Code>…</Code></Error>). A job moves one
// status along its script per GetModelInvocationJob; reaching a status that
// writes output, it answers its input file the way the service does: one
// line {"recordId","modelInput","modelOutput"} per record, in reverse
// order, under {output}/{job id}/{input file}.out, a record whose prompt
// says "FAIL" with {"error":{"errorCode","errorMessage"}} instead.
type fakeBatchAWS struct {
	t       *testing.T
	mu      sync.Mutex
	objects map[string][]byte // "bucket/key"
	jobs    map[string]*fakeJob
	created []map[string]any
	script  []string // the statuses a new job goes through
	answer  int      // records a PartiallyCompleted job answers
	puts    int
	deletes int
	stops   int
	hits    int
	// createError, when set, is CreateModelInvocationJob's answer.
	createError string
	// create500 is how many CreateModelInvocationJob answers, after
	// making the job, are a 500 instead.
	create500 int
	// tokens are the jobs by clientRequestToken: as the API documents, a
	// create whose token matches a previous one makes nothing and answers
	// that job.
	tokens map[string]string
	// failure is the message of a job that reaches Failed.
	failure string
}

type fakeJob struct {
	arn, model, input, output string
	script                    []string
	status                    string
	total, ok, failed         int
}

func newFakeBatchAWS(t *testing.T, script ...string) (*fakeBatchAWS, *httptest.Server) {
	f := &fakeBatchAWS{t: t, objects: map[string][]byte{}, jobs: map[string]*fakeJob{}, script: script, tokens: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeBatchAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits++
	auth := r.Header.Get("Authorization")
	service := "bedrock"
	if !strings.HasPrefix(r.URL.Path, "/model-invocation-job") {
		service = "s3"
	}
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+accessKey+"/") || !strings.Contains(auth, "/us-east-1/"+service+"/aws4_request") {
		f.t.Errorf("%s %s: not signed for %s with the static credentials: %q", r.Method, r.URL.Path, service, auth)
	}
	if service == "s3" {
		f.s3(w, r)
		return
	}
	w.Header().Set("X-Amzn-Requestid", "cp-req-1")
	const root = "/model-invocation-job"
	switch {
	case r.Method == http.MethodPost && r.URL.Path == root:
		body, _ := io.ReadAll(r.Body)
		var in map[string]any
		require.NoError(f.t, json.Unmarshal(body, &in))
		f.created = append(f.created, in)
		if f.createError != "" {
			awsJSONError(w, http.StatusBadRequest, "ValidationException", f.createError)
			return
		}
		token, _ := in["clientRequestToken"].(string)
		if arn, ok := f.tokens[token]; ok && token != "" {
			writeJSON(w, http.StatusOK, map[string]any{"jobArn": arn})
			return
		}
		cfgIn := in["inputDataConfig"].(map[string]any)["s3InputDataConfig"].(map[string]any)
		cfgOut := in["outputDataConfig"].(map[string]any)["s3OutputDataConfig"].(map[string]any)
		j := &fakeJob{arn: fmt.Sprintf("%sjob%09d", jobARNRoot, len(f.jobs)+1), model: in["modelId"].(string),
			input: cfgIn["s3Uri"].(string), output: cfgOut["s3Uri"].(string), script: slices.Clone(f.script), status: "Submitted"}
		f.jobs[j.arn] = j
		f.tokens[token] = j.arn
		if f.create500 > 0 {
			f.create500--
			awsJSONError(w, http.StatusInternalServerError, "InternalServerException", "An internal server error occurred. Retry your request.")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"jobArn": j.arn})
	case strings.HasPrefix(r.URL.Path, root+"/"):
		id, stop := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, root+"/"), "/stop")
		j := f.jobs[id]
		if j == nil {
			awsJSONError(w, http.StatusNotFound, "ResourceNotFoundException", "The specified job was not found.")
			return
		}
		if stop {
			f.stops++
			j.script = []string{"Stopping", "Stopped"}
			writeJSON(w, http.StatusOK, map[string]any{})
			return
		}
		if len(j.script) > 0 {
			j.status, j.script = j.script[0], j.script[1:]
			f.run(j)
		}
		reply := map[string]any{
			"jobArn": j.arn, "jobName": "job", "modelId": "arn:aws:bedrock:us-east-1::foundation-model/" + j.model,
			"roleArn": batchRole, "status": j.status, "modelInvocationType": "Converse",
			"submitTime": "2026-12-07T05:00:00Z", "lastModifiedTime": "2026-12-07T05:10:00.123Z",
			"inputDataConfig":  map[string]any{"s3InputDataConfig": map[string]any{"s3Uri": j.input, "s3InputFormat": "JSONL"}},
			"outputDataConfig": map[string]any{"s3OutputDataConfig": map[string]any{"s3Uri": j.output}},
			"totalRecordCount": j.total, "processedRecordCount": j.ok + j.failed,
			"successRecordCount": j.ok, "errorRecordCount": j.failed,
			"timeoutDurationInHours": 24,
		}
		if j.status == "Failed" {
			reply["message"] = f.failure
		}
		writeJSON(w, http.StatusOK, reply)
	default:
		awsJSONError(w, http.StatusNotFound, "UnknownOperationException", "no such operation")
	}
}

// run writes a job's output once its status says it has one.
func (f *fakeBatchAWS) run(j *fakeJob) {
	limit := -1
	switch j.status {
	case "Completed":
	case "PartiallyCompleted":
		limit = f.answer
	case "Stopped":
		limit = f.answer
	default:
		return
	}
	if limit == 0 {
		return
	}
	in := f.objects[strings.TrimPrefix(j.input, "s3://")]
	lines := strings.Split(strings.TrimSpace(string(in)), "\n")
	j.total = len(lines)
	var out []string
	for i := len(lines) - 1; i >= 0; i-- { // the service's order is not ours
		if limit >= 0 && len(out) == limit {
			break
		}
		var rec struct {
			RecordID   string `json:"recordId"`
			ModelInput struct {
				Messages []struct {
					Content []struct {
						Text string `json:"text"`
					} `json:"content"`
				} `json:"messages"`
			} `json:"modelInput"`
		}
		require.NoError(f.t, json.Unmarshal([]byte(lines[i]), &rec))
		var raw struct {
			ModelInput json.RawMessage `json:"modelInput"`
		}
		require.NoError(f.t, json.Unmarshal([]byte(lines[i]), &raw))
		text := rec.ModelInput.Messages[0].Content[0].Text
		id, _ := json.Marshal(rec.RecordID)
		if strings.Contains(text, "FAIL") {
			j.failed++
			out = append(out, fmt.Sprintf(`{"recordId":%s,"modelInput":%s,"error":{"errorCode":400,"errorMessage":"Malformed input request: please reformat your input and try again."}}`, id, raw.ModelInput))
			continue
		}
		j.ok++
		answer, _ := json.Marshal("A book for: " + text)
		out = append(out, fmt.Sprintf(`{"recordId":%s,"modelInput":%s,"modelOutput":{"output":{"message":{"role":"assistant","content":[{"text":%s}]}},"stopReason":"end_turn","usage":{"inputTokens":12,"outputTokens":7,"totalTokens":19,"cacheReadInputTokens":2},"metrics":{"latencyMs":412}}}`, id, raw.ModelInput, answer))
	}
	outPrefix := strings.TrimSuffix(strings.TrimPrefix(j.output, "s3://"), "/")
	jobID := j.arn[strings.LastIndexByte(j.arn, '/')+1:]
	file := j.input[strings.LastIndexByte(j.input, '/')+1:]
	f.objects[outPrefix+"/"+jobID+"/"+file+".out"] = []byte(strings.Join(out, "\n") + "\n")
	f.objects[outPrefix+"/"+jobID+"/manifest.json.out"] = fmt.Appendf(nil,
		`{"totalRecordCount":%d,"processedRecordCount":%d,"successRecordCount":%d,"errorRecordCount":%d,"inputTokenCount":1440,"outputTokenCount":840}`,
		j.total, j.ok+j.failed, j.ok, j.failed)
}

func (f *fakeBatchAWS) s3(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amz-Request-Id", "s3-req-1")
	w.Header().Set("X-Amz-Id-2", "s3-host-id")
	key := strings.TrimPrefix(r.URL.Path, "/")
	if !strings.HasPrefix(key, batchBucket+"/") {
		s3Error(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	switch r.Method {
	case http.MethodPut:
		f.puts++
		body, err := io.ReadAll(r.Body)
		require.NoError(f.t, err)
		if r.Header.Get("Content-Encoding") == "aws-chunked" {
			f.t.Errorf("the upload is aws-chunked")
		}
		f.objects[key] = body
		w.Header().Set("ETag", `"9b2cf535f27731c974343645a3985328"`)
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		body, ok := f.objects[key]
		if !ok {
			s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		_, _ = w.Write(body)
	case http.MethodDelete:
		f.deletes++
		delete(f.objects, key)
		w.WriteHeader(http.StatusNoContent)
	default:
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func awsJSONError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Amzn-Errortype", code+":http://internal.amazon.com/coral/com.amazon.bedrock/")
	writeJSON(w, status, map[string]any{"message": msg})
}

func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><RequestId>s3-req-1</RequestId><HostId>s3-host-id</HostId></Error>`, code, msg)
}

// newBatchProvider is a provider whose control-plane and S3 clients reach
// srv through the SDK's own endpoint settings.
func newBatchProvider(t *testing.T, srv *httptest.Server, opts ...providers.Option) *bedrock.Provider {
	t.Helper()
	cleanAWSEnv(t)
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK", srv.URL)
	t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)
	return bedrock.New(modelID, append([]providers.Option{
		bedrock.WithRegion("us-east-1"),
		bedrock.WithCredentials(credentials.NewStaticCredentialsProvider(accessKey, secretKey, "")),
		providers.WithMaxRetries(0),
	}, opts...)...)
}

// coverPrompt asks about a cover given by URL, or about nothing in particular.
type coverPrompt struct{ URL string }

func (c coverPrompt) Messages() []prompt.Message {
	if c.URL == "" {
		return []prompt.Message{prompt.User("Recommend a book.")}
	}
	return []prompt.Message{prompt.UserParts(prompt.Text("What is this cover?"), prompt.ImageURL(c.URL))}
}

func genres(n int, fail ...int) []recommend {
	ps := make([]recommend, n)
	for i := range ps {
		ps[i] = recommend{Genre: fmt.Sprintf("genre%d", i)}
		if slices.Contains(fail, i) {
			ps[i].Genre = "FAIL"
		}
	}
	return ps
}

var fastPoll = batch.WithPollInterval(time.Millisecond, 2*time.Millisecond)

// results reads a job's results by index, failing on a stream error.
func results(t *testing.T, job *batch.Job) map[int]batch.Result {
	t.Helper()
	got := map[int]batch.Result{}
	for r, err := range job.Results(context.Background()) {
		require.NoError(t, err)
		_, dup := got[r.Index]
		require.False(t, dup, "index %d twice", r.Index)
		got[r.Index] = r
		if r.Err != nil {
			assert.NotContains(t, r.Err.Error(), secretKey)
		}
	}
	return got
}

func TestBatchSubmitWaitResults(t *testing.T) {
	f, srv := newFakeBatchAWS(t, "Validating", "Scheduled", "InProgress", "Completed")
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
	ctx := context.Background()
	const n = 120
	job, err := batch.Submit(ctx, p, genres(n, 7), mirascope.WithMaxTokens(256))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(job.ID(), jobARNRoot), job.ID())

	// The upload: one line per prompt, each the Converse body Call sends.
	require.Equal(t, 1, f.puts)
	require.Len(t, f.created, 1)
	c := f.created[0]
	assert.Equal(t, batchRole, c["roleArn"])
	assert.Equal(t, modelID, c["modelId"])
	assert.Equal(t, "Converse", c["modelInvocationType"])
	assert.NotEmpty(t, c["clientRequestToken"], "a retried create must not make two jobs")
	name := c["jobName"].(string)
	inURI := "s3://" + batchBucket + "/jobs/" + name + "/input.jsonl"
	assert.Equal(t, map[string]any{"s3InputDataConfig": map[string]any{"s3Uri": inURI, "s3InputFormat": "JSONL"}}, c["inputDataConfig"])
	assert.Equal(t, map[string]any{"s3OutputDataConfig": map[string]any{"s3Uri": "s3://" + batchBucket + "/jobs/" + name + "/output/"}}, c["outputDataConfig"])
	lines := strings.Split(strings.TrimSuffix(string(f.objects[strings.TrimPrefix(inURI, "s3://")]), "\n"), "\n")
	require.Len(t, lines, n)
	assert.Equal(t, `{"recordId":"mirascopeX2D0","modelInput":{"inferenceConfig":{"maxTokens":256},"messages":[{"content":[{"text":"Recommend a genre0 book."}],"role":"user"}]}}`, lines[0])
	assert.Equal(t, `{"recordId":"mirascopeX2D119","modelInput":{"inferenceConfig":{"maxTokens":256},"messages":[{"content":[{"text":"Recommend a genre119 book."}],"role":"user"}]}}`, lines[n-1])

	// The record's modelInput is the very body Call sends.
	var callBody []byte
	rt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		callBody, _ = io.ReadAll(r.Body)
		jsonReply(w, http.StatusOK, []byte(`{"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`))
	}))
	defer rt.Close()
	_, err = mirascope.Call(ctx, newBatchProvider(t, srv, providers.WithBaseURL(rt.URL)), recommend{Genre: "genre0"}, mirascope.WithMaxTokens(256))
	require.NoError(t, err)
	var line0 struct {
		ModelInput json.RawMessage `json:"modelInput"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &line0))
	assert.Equal(t, string(callBody), string(line0.ModelInput))

	st, err := p.BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	assert.Equal(t, providerkit.BatchStatus{State: providerkit.BatchRunning, Raw: "Validating"}, st)
	for _, err := range job.Results(ctx) { // Scheduled: nothing to read yet
		require.ErrorIs(t, err, batch.ErrNoResults)
	}
	require.NoError(t, job.Wait(ctx, fastPoll))

	check := func(got map[int]batch.Result) {
		t.Helper()
		require.Len(t, got, n)
		for i := range n {
			r := got[i]
			if i == 7 {
				var pe *mirascope.ProviderError
				require.ErrorAs(t, r.Err, &pe)
				assert.Equal(t, http.StatusBadRequest, pe.StatusCode)
				assert.Contains(t, pe.Message, "Malformed input request")
				assert.False(t, pe.Retryable)
				assert.Nil(t, r.Response)
				continue
			}
			require.NoError(t, r.Err, i)
			assert.Equal(t, fmt.Sprintf("A book for: Recommend a genre%d book.", i), r.Response.Content)
			assert.Equal(t, modelID, r.Response.Model)
			assert.Equal(t, []string{"end_turn"}, r.Response.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 14, OutputTokens: 7, CacheReadTokens: 2, Batch: true}, r.Response.Usage)
		}
	}
	first := results(t, job)
	check(first)

	// A new process: a new provider value, only the job's ARN.
	fresh := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
	resumed, err := batch.Resume(ctx, fresh, job.ID())
	require.NoError(t, err)
	require.NoError(t, resumed.Wait(ctx, fastPoll))
	check(results(t, resumed))

	// Reading needs no storage option: the job names its own files.
	bare := newBatchProvider(t, srv)
	resumed, err = batch.Resume(ctx, bare, job.ID())
	require.NoError(t, err)
	check(results(t, resumed))
}

func TestBatchExpiredAndPartial(t *testing.T) {
	ctx := context.Background()
	t.Run("expired before it started", func(t *testing.T) {
		_, srv := newFakeBatchAWS(t, "Scheduled", "Expired")
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
		job, err := batch.Submit(ctx, p, genres(100))
		require.NoError(t, err)
		var je *batch.JobError
		require.ErrorAs(t, job.Wait(ctx, fastPoll), &je)
		assert.Equal(t, providerkit.BatchExpired, je.State)
		assert.Equal(t, "Expired", je.Raw)
		assert.Empty(t, results(t, job), "no output was written")
	})
	t.Run("partially completed", func(t *testing.T) {
		f, srv := newFakeBatchAWS(t, "InProgress", "PartiallyCompleted")
		f.answer = 30
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
		job, err := batch.Submit(ctx, p, genres(100, 99))
		require.NoError(t, err)
		var je *batch.JobError
		require.ErrorAs(t, job.Wait(ctx, fastPoll), &je)
		assert.Equal(t, &batch.JobError{ID: job.ID(), State: providerkit.BatchExpired, Raw: "PartiallyCompleted", Total: 100, Completed: 29, Failed: 1}, je)
		got := results(t, job)
		assert.Len(t, got, 30)
		require.Error(t, got[99].Err)
		assert.Equal(t, "A book for: Recommend a genre70 book.", got[70].Response.Content)
	})
}

func TestBatchStopAndFailure(t *testing.T) {
	ctx := context.Background()
	t.Run("stopped", func(t *testing.T) {
		f, srv := newFakeBatchAWS(t, "InProgress", "InProgress", "InProgress", "InProgress")
		f.answer = 10
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
		job, err := batch.Submit(ctx, p, genres(100))
		require.NoError(t, err)
		require.NoError(t, job.Cancel(ctx))
		assert.Equal(t, 1, f.stops)
		var je *batch.JobError
		require.ErrorAs(t, job.Wait(ctx, fastPoll), &je)
		assert.Equal(t, &batch.JobError{ID: job.ID(), State: providerkit.BatchCancelled, Raw: "Stopped", Total: 100, Completed: 10}, je)
		assert.Len(t, results(t, job), 10, "what was answered before the stop is read")
	})
	t.Run("failed", func(t *testing.T) {
		f, srv := newFakeBatchAWS(t, "Validating", "Failed")
		f.failure = "Unable to read the input file: access denied for " + secretKey + strings.Repeat(" and more", 100)
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
		job, err := batch.Submit(ctx, p, genres(100))
		require.NoError(t, err)
		var je *batch.JobError
		require.ErrorAs(t, job.Wait(ctx, fastPoll), &je)
		assert.Equal(t, providerkit.BatchFailed, je.State)
		// The service's message is the reason: masked, cut short.
		assert.True(t, strings.HasPrefix(je.Reason, "Unable to read the input file: access denied for "), je.Reason)
		assert.NotContains(t, je.Reason, secretKey)
		assert.Less(t, len(je.Reason), 320)
		assert.Contains(t, je.Error(), "Unable to read the input file")
		n := 0
		for _, err := range job.Results(ctx) {
			require.ErrorIs(t, err, batch.ErrNoResults)
			n++
		}
		assert.Equal(t, 1, n)
	})
	t.Run("create answers 500", func(t *testing.T) {
		// The job may exist (here it does): its input must stay.
		f, srv := newFakeBatchAWS(t, "Completed")
		f.create500 = 1
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
		_, err := batch.Submit(ctx, p, genres(100))
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, http.StatusInternalServerError, pe.StatusCode)
		assert.Zero(t, f.deletes, "the input a created job reads is kept")
		assert.Len(t, f.objects, 1)
	})
	t.Run("create refused", func(t *testing.T) {
		f, srv := newFakeBatchAWS(t)
		f.createError = "The provided role ARN " + batchRole + " cannot be assumed. " + secretKey
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
		_, err := batch.Submit(ctx, p, genres(100))
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, http.StatusBadRequest, pe.StatusCode)
		assert.Equal(t, "ValidationException", pe.Code)
		assert.NotContains(t, err.Error(), secretKey)
		assert.Equal(t, 1, f.deletes, "the uploaded input is removed")
		assert.Empty(t, f.objects)
	})
	t.Run("unknown job", func(t *testing.T) {
		_, srv := newFakeBatchAWS(t)
		p := newBatchProvider(t, srv)
		_, err := p.BatchStatus(ctx, jobARNRoot+"nope")
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, http.StatusNotFound, pe.StatusCode)
		assert.Equal(t, "ResourceNotFoundException", pe.Code)
	})
	t.Run("bucket refused", func(t *testing.T) {
		f, srv := newFakeBatchAWS(t)
		p := newBatchProvider(t, srv, bedrock.WithBatchStorage("s3://someone-elses-bucket/x", batchRole))
		_, err := batch.Submit(ctx, p, genres(100))
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, http.StatusNotFound, pe.StatusCode)
		assert.Equal(t, "NoSuchBucket", pe.Code)
		assert.Empty(t, f.created)
	})
}

func TestBatchRefusals(t *testing.T) {
	ctx := context.Background()
	f, srv := newFakeBatchAWS(t, "Completed")
	storage := bedrock.WithBatchStorage(batchPrefix, batchRole)
	refused := func(t *testing.T, err error, says string) {
		t.Helper()
		var ue *mirascope.UnsupportedError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, bedrock.Name, ue.Provider)
		assert.Equal(t, "batch", ue.Parameter)
		assert.Contains(t, ue.Reason, says)
	}
	t.Run("no storage option", func(t *testing.T) {
		_, err := batch.Submit(ctx, newBatchProvider(t, srv), genres(100))
		refused(t, err, "bedrock.WithBatchStorage")
	})
	t.Run("too few", func(t *testing.T) {
		_, err := batch.Submit(ctx, newBatchProvider(t, srv, storage), genres(bedrock.MinBatchRecords-1))
		refused(t, err, "at least 100")
	})
	t.Run("too many", func(t *testing.T) {
		req := &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}
		reqs := make([]providerkit.BatchRequest, bedrock.MaxBatchRecords+1)
		for i := range reqs {
			reqs[i] = providerkit.BatchRequest{CustomID: fmt.Sprint("mirascope-", i), Request: req}
		}
		_, err := newBatchProvider(t, srv, storage).SubmitBatch(ctx, reqs)
		refused(t, err, "at most 50000")
	})
	t.Run("file too large", func(t *testing.T) {
		defer bedrock.SetMaxBatchFileBytes(10_000)()
		_, err := batch.Submit(ctx, newBatchProvider(t, srv, storage), genres(200))
		refused(t, err, "split the prompts across jobs")
	})
	t.Run("tools", func(t *testing.T) {
		_, err := batch.Submit(ctx, newBatchProvider(t, srv, storage), genres(100), mirascope.WithTools(searchBooks))
		refused(t, err, "toolConfig")
		var pe *batch.PromptError
		require.ErrorAs(t, err, &pe, "the request refused is its prompt's error")
		assert.Equal(t, 0, pe.Index)
	})
	t.Run("S3 media", func(t *testing.T) {
		reqs := make([]providerkit.BatchRequest, 100)
		for i := range reqs {
			msg := prompt.User("hi")
			if i == 42 {
				msg = prompt.Message{Role: prompt.RoleUser}
				msg.Parts = []prompt.Part{{Text: "what is this?"}, {Media: &prompt.Media{Kind: prompt.MediaImage, URL: "s3://elsewhere/cat.png"}}}
			}
			reqs[i] = providerkit.BatchRequest{CustomID: fmt.Sprint("mirascope-", i), Request: &mirascope.Request{Messages: []prompt.Message{msg}}}
		}
		_, err := newBatchProvider(t, srv, storage).SubmitBatch(ctx, reqs)
		refused(t, err, "refers to media by an s3:// URI")
		var re *providerkit.BatchRequestError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "mirascope-42", re.CustomID)
	})
	t.Run("a request the provider refuses", func(t *testing.T) {
		// batch.Submit names the prompt whose request was refused.
		ps := make([]coverPrompt, 100)
		ps[57].URL = "s3://elsewhere/cat.png"
		_, err := batch.Submit(ctx, newBatchProvider(t, srv, storage), ps)
		var pe *batch.PromptError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 57, pe.Index)
		refused(t, err, "s3:// URI")
	})
	t.Run("two models", func(t *testing.T) {
		reqs := make([]providerkit.BatchRequest, 100)
		for i := range reqs {
			req := &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}
			if i == 50 {
				req.Model = "amazon.nova-lite-v1:0"
			}
			reqs[i] = providerkit.BatchRequest{CustomID: fmt.Sprint("mirascope-", i), Request: req}
		}
		_, err := newBatchProvider(t, srv, storage).SubmitBatch(ctx, reqs)
		refused(t, err, "request 50")
	})
	t.Run("malformed storage", func(t *testing.T) {
		for _, o := range []providers.Option{
			bedrock.WithBatchStorage("https://bucket/x", batchRole),
			bedrock.WithBatchStorage("s3://Bad_Bucket/x", batchRole),
			bedrock.WithBatchStorage(batchPrefix, "BedrockBatchRole"),
		} {
			_, err := batch.Submit(ctx, newBatchProvider(t, srv, o), genres(100))
			var ce *providers.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "bedrock.WithBatchStorage", ce.Setting)
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		cleanAWSEnv(t)
		t.Setenv("AWS_ENDPOINT_URL_BEDROCK", srv.URL)
		t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)
		p := bedrock.New(modelID, bedrock.WithRegion("us-east-1"), providers.WithAPIKey("bedrock-api-key"), storage)
		_, err := batch.Submit(ctx, p, genres(100))
		var me *providers.MissingAPIKeyError
		require.ErrorAs(t, err, &me, "a Bedrock API key does not reach S3")
		assert.NotContains(t, err.Error(), "bedrock-api-key")
		_, err = p.BatchStatus(ctx, jobARNRoot+"x")
		require.ErrorAs(t, err, &me)
	})
	assert.Zero(t, f.hits, "every refusal comes before any request")
}

// TestBatchHostileOutput feeds Results output lines no real job writes:
// record ids this provider did not make, invalid UTF-8, malformed JSON and
// a modelOutput that is not a Converse answer.
func TestBatchHostileOutput(t *testing.T) {
	ctx := context.Background()
	f, srv := newFakeBatchAWS(t, "Completed")
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
	job, err := batch.Submit(ctx, p, genres(100))
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	var key string
	for k := range f.objects {
		if strings.HasSuffix(k, "input.jsonl.out") {
			key = k
		}
	}
	require.NotEmpty(t, key)
	answer := `"modelOutput":{"output":{"message":{"role":"assistant","content":[{"text":"ok ` + "\xff\xfe" + `"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`
	f.mu.Lock()
	f.objects[key] = []byte(strings.Join([]string{
		`{"recordId":"mirascopeX2D3",` + answer + `}`,
		`{"recordId":"mirascope-4",` + answer + `}`,               // not encoded: passed on as it is
		`{"recordId":"../../X2","modelOutput":{}}`,                // not a record id
		`{"recordId":"mirascopeX2d5",` + answer + `}`,             // lower-case escape
		`{"recordId":"` + "\xff\xfe" + `",` + answer + `}`,        // invalid UTF-8
		`{"recordId":"mirascopeX2D6","modelOutput":{"output":7}}`, // not a Converse answer
		`{"recordId":"mirascopeX2D8","error":{"errorCode":"ThrottlingException","errorMessage":"slow down"}}`,
		`{"recordId":"mirascopeX2D9","modelOutput":{"output":{"message":{"role":"assistant","content":[` +
			`{"reasoningContent":{"reasoningText":{"text":"look it up","signature":"sig-1"}}},{"text":"Searching."},` +
			`{"toolUse":{"toolUseId":"tooluse_1","name":"search_books","input":{"genre":"fantasy","limit":3}}}]}},` +
			`"stopReason":"tool_use","usage":{"inputTokens":20,"outputTokens":9,"totalTokens":29,"cacheWriteInputTokens":4}}}`,
		`not json`,
		``,
	}, "\n"))
	f.mu.Unlock()
	var ok []int
	var failed []int
	streamErrs := 0
	for r, err := range job.Results(ctx) {
		if err != nil {
			streamErrs++
			continue
		}
		if r.Err != nil {
			failed = append(failed, r.Index)
			continue
		}
		ok = append(ok, r.Index)
		if r.Index == 9 { // a whole Converse answer maps as Call maps it
			assert.Equal(t, "Searching.", r.Response.Content)
			assert.Equal(t, "look it up", r.Response.Reasoning)
			assert.Equal(t, []prompt.ToolCall{{ID: "tooluse_1", Name: "search_books", Arguments: `{"genre":"fantasy","limit":3}`}}, r.Response.ToolCalls)
			assert.Equal(t, []prompt.Reasoning{{Text: "look it up", Signature: "sig-1"}}, r.Response.Message.Reasoning)
			assert.Equal(t, []string{"tool_use"}, r.Response.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 24, OutputTokens: 9, CacheWriteTokens: 4, Batch: true}, r.Response.Usage)
			continue
		}
		// Passed on as Call passes a Converse answer's bytes (otel makes
		// them valid UTF-8 on export).
		assert.Equal(t, "ok \xff\xfe", r.Response.Content)
	}
	assert.Equal(t, []int{3, 4, 9}, ok)
	assert.Equal(t, []int{6, 8}, failed)
	assert.Equal(t, 4, streamErrs, "three ids not ours and one malformed line")
}

// TestBatchConcurrent reads one job's status and results from several
// goroutines at once, on one provider value.
func TestBatchConcurrent(t *testing.T) {
	ctx := context.Background()
	_, srv := newFakeBatchAWS(t, "Completed")
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
	// Found through Unwrap: a traced provider batches too.
	job, err := batch.Submit(ctx, otel.Traced(p), genres(100, 5))
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			st, err := p.BatchStatus(ctx, job.ID())
			assert.NoError(t, err)
			assert.Equal(t, providerkit.BatchEnded, st.State)
			n := 0
			for r, err := range job.Results(ctx) {
				assert.NoError(t, err)
				if r.Index != 5 {
					assert.NoError(t, r.Err)
				}
				n++
			}
			assert.Equal(t, 100, n)
		})
	}
	wg.Wait()
}

// TestBatchNoSecretInErrors checks that an answer quoting the secret key is
// masked in the results.
func TestBatchNoSecretInErrors(t *testing.T) {
	ctx := context.Background()
	f, srv := newFakeBatchAWS(t, "Completed")
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
	job, err := batch.Submit(ctx, p, genres(100))
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	f.mu.Lock()
	for k := range f.objects {
		if strings.HasSuffix(k, "input.jsonl.out") {
			f.objects[k] = []byte(`{"recordId":"mirascopeX2D1","error":{"errorCode":403,"errorMessage":"signature for ` + secretKey + ` does not match"}}` + "\n" +
				`{"recordId":"mirascopeX2D2","modelOutput":{"output":{"message":{"role":"assistant","content":[{"text":"key ` + secretKey + `"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}}` + "\n")
		}
	}
	f.mu.Unlock()
	n := 0
	for r, err := range job.Results(ctx) {
		require.NoError(t, err)
		n++
		if r.Err != nil {
			assert.NotContains(t, r.Err.Error(), secretKey)
			var pe *mirascope.ProviderError
			require.True(t, errors.As(r.Err, &pe))
			assert.Equal(t, http.StatusForbidden, pe.StatusCode)
		} else {
			assert.NotContains(t, r.Response.Content, secretKey)
		}
	}
	assert.Equal(t, 2, n)
}

// BenchmarkBatchResults reads a job of 100,000 results through the S3 fake
// (every answer decoded as Call decodes one) and reports the heap's peak
// (live, above what was live before) while reading: the output file is
// never held whole.
func BenchmarkBatchResults(b *testing.B) {
	const n = 100_000
	t := &testing.T{}
	f, srv := newFakeBatchAWS(t, "Completed")
	cleanEnv := func(k, v string) { b.Setenv(k, v) }
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_REGION"} {
		cleanEnv(k, "")
	}
	cleanEnv("AWS_CONFIG_FILE", b.TempDir()+"/config")
	cleanEnv("AWS_SHARED_CREDENTIALS_FILE", b.TempDir()+"/credentials")
	cleanEnv("AWS_EC2_METADATA_DISABLED", "true")
	cleanEnv("AWS_ENDPOINT_URL_BEDROCK", srv.URL)
	cleanEnv("AWS_ENDPOINT_URL_S3", srv.URL)
	p := bedrock.New(modelID, bedrock.WithRegion("us-east-1"), providers.WithMaxRetries(0),
		bedrock.WithCredentials(credentials.NewStaticCredentialsProvider(accessKey, secretKey, "")),
		bedrock.WithBatchStorage(batchPrefix, batchRole))
	ctx := context.Background()
	job, err := batch.Submit(ctx, p, genres(100))
	if err != nil {
		b.Fatal(err)
	}
	if err := job.Wait(ctx, fastPoll); err != nil {
		b.Fatal(err)
	}
	var out strings.Builder
	for i := range n {
		fmt.Fprintf(&out, `{"recordId":"mirascopeX2D%d","modelInput":{"messages":[{"content":[{"text":"Recommend a genre%d book."}],"role":"user"}]},"modelOutput":{"output":{"message":{"role":"assistant","content":[{"text":"A book for genre %d: The Left Hand of Darkness."}]}},"stopReason":"end_turn","usage":{"inputTokens":12,"outputTokens":7,"totalTokens":19},"metrics":{"latencyMs":412}}}`+"\n", i, i, i)
	}
	f.mu.Lock()
	for k := range f.objects {
		if strings.HasSuffix(k, "input.jsonl.out") {
			f.objects[k] = []byte(out.String())
		}
	}
	f.mu.Unlock()
	size := out.Len()
	out = strings.Builder{}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	var peak uint64
	for b.Loop() {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		base := m.HeapAlloc
		got := 0
		for r, err := range job.Results(ctx) {
			if err != nil || r.Err != nil {
				b.Fatal(err, r.Err)
			}
			got++
			if got%10_000 == 0 { // the live heap, garbage collected
				runtime.GC()
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc-min(base, m.HeapAlloc))
			}
		}
		if got != n {
			b.Fatalf("%d results", got)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// TestBatchStructuredOutput: a Format goes out as outputConfig, which
// Converse-type jobs take (tools they refuse).
func TestBatchStructuredOutput(t *testing.T) {
	ctx := context.Background()
	f, srv := newFakeBatchAWS(t, "Completed")
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole))
	_, err := batch.Submit(ctx, p, genres(100), replaytest.WithFormat(*bookFormat))
	require.NoError(t, err)
	for k, v := range f.objects {
		if strings.HasSuffix(k, "input.jsonl") {
			first, _, _ := strings.Cut(string(v), "\n")
			var line struct {
				ModelInput struct {
					OutputConfig struct {
						TextFormat struct {
							Type      string `json:"type"`
							Structure struct {
								JSONSchema struct {
									Name string `json:"name"`
								} `json:"jsonSchema"`
							} `json:"structure"`
						} `json:"textFormat"`
					} `json:"outputConfig"`
				} `json:"modelInput"`
			}
			require.NoError(t, json.Unmarshal([]byte(first), &line))
			assert.Equal(t, "json_schema", line.ModelInput.OutputConfig.TextFormat.Type)
			assert.Equal(t, bookFormat.Name, line.ModelInput.OutputConfig.TextFormat.Structure.JSONSchema.Name)
			return
		}
	}
	t.Fatal("no input uploaded")
}

// TestBatchCreateRetriedOnce: a create that made its job but answered 500
// is retried with the same clientRequestToken, which the service answers
// with that job: one job, not two, each billed.
func TestBatchCreateRetriedOnce(t *testing.T) {
	ctx := context.Background()
	f, srv := newFakeBatchAWS(t, "Completed")
	f.create500 = 1
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole), providers.WithMaxRetries(2))
	job, err := batch.Submit(ctx, p, genres(100))
	require.NoError(t, err)
	require.Len(t, f.created, 2, "the 500 is retried")
	token := f.created[0]["clientRequestToken"].(string)
	assert.Regexp(t, `^[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}$`, token, "the documented pattern")
	assert.LessOrEqual(t, len(token), 256)
	assert.Equal(t, token, f.created[1]["clientRequestToken"])
	assert.Len(t, f.jobs, 1)
	assert.Equal(t, jobARNRoot+"job000000001", job.ID())
	assert.Zero(t, f.deletes)
	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Len(t, results(t, job), 100)

	// Another submission is another job: its token is fresh.
	_, err = batch.Submit(ctx, p, genres(100))
	require.NoError(t, err)
	require.Len(t, f.created, 3)
	assert.NotEqual(t, token, f.created[2]["clientRequestToken"])
	assert.Len(t, f.jobs, 2)
}

// TestBatchNotRateLimited: a job's uploads, creation, polls and downloads
// are no model calls: a limiter that allows one request a minute neither
// delays nor refuses them, and keeps its turn for the next Call.
func TestBatchNotRateLimited(t *testing.T) {
	_, srv := newFakeBatchAWS(t, "InProgress", "Completed")
	l := providers.NewRateLimiter(1, 1)
	p := newBatchProvider(t, srv, bedrock.WithBatchStorage(batchPrefix, batchRole), providers.WithRateLimiter(l))
	// A metered request would wait about a minute: under this deadline it
	// would fail at once, unsent.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	job, err := batch.Submit(ctx, p, genres(100))
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Len(t, results(t, job), 100)
	_, err = p.BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	require.NoError(t, p.CancelBatch(ctx, job.ID()))
	// The limiter's one turn is still there.
	w, err := l.Wait(ctx, 0)
	require.NoError(t, err)
	assert.Zero(t, w)
}
