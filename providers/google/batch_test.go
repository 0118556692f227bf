package google_test

import (
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
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// fakeGeminiBatches is the Gemini API's batch mode as its API reference and
// Batch API guide describe it:
//
//   - POST /v1beta/models/{model}:batchGenerateContent with {"batch":
//     {"displayName", "inputConfig": {"requests": {"requests": [{"request",
//     "metadata": {"key"}}]}} or {"fileName"}}}, answered with the batch as
//     a long-running operation {"name": "batches/…", "metadata":
//     GenerateContentBatch};
//   - GET /v1beta/batches/{id}: the operation; once done, metadata.output
//     and response hold {"inlinedResponses": {"inlinedResponses": [{"response"
//     | "error", "metadata"}]}} or {"responsesFile": "files/…"}. Its
//     inputConfig is {"fileName"} for a file; for inlined requests it is
//     left out, as a live answer of December 2025 shows (listInput lists
//     them, with their metadata, should the service ever do so);
//   - POST /v1beta/batches/{id}:cancel;
//   - the Files API's resumable upload (POST /upload/v1beta/files, start
//     then "upload, finalize" on the X-Goog-Upload-URL) and GET
//     /download/v1beta/files/{id}:download?alt=media (JSONL, {"key",
//     "response" | "error"} a line).
//
// The first poll finds a batch running, the second ends it: every request
// answered (final ""), or only the first with the rest expired (final
// "expired"); a cancelled batch ends with only its first request answered.
// A request whose last text says "FAIL" fails with INVALID_ARGUMENT. The
// model's answer is "answer to: " and the text, but for a request asking
// for a structured answer, to which the text is the answer: as JSON text
// (generationConfig.responseMimeType application/json), or, when its
// toolConfig forces a function call (mode ANY), as a functionCall part of
// the function it allows, else of the last it declares (where a format
// goes as a function), the text its args.
//
// Inlined responses come as a user reported the live service answering
// them (discuss.ai.google.dev, "Gemini Batch API doesn't return the user
// metadata back"): without metadata, in the requests' order, as the API
// reference promises ("The responses will be in the same order as the
// input requests"). With keyed they carry metadata.key, as the reference's
// InlinedResponse has it, and come in reverse order. Lines of a responses
// file carry their key and come in reverse order; with keylessFile they
// carry none and come in the requests' order.
type fakeGeminiBatches struct {
	t       *testing.T
	url     string
	mu      sync.Mutex
	jobs    map[string]*fakeGeminiBatch
	files   map[string][]byte
	uploads map[string]string // upload id → mime type
	final   string
	hold    bool
	polls   int
	sent    int // requests of any kind
	queries []string
	// echoKey answers 404s with a message quoting the key, as a hostile or
	// careless proxy might.
	echoKey                       bool
	keyed, keylessFile, listInput bool
	// refuseFileJobs answers a job on an input file 400; deleted lists the
	// files DELETE /v1beta/files/{id} removed.
	refuseFileJobs bool
	deleted        []string
	// lost creations are made, then answered 503 (a gateway that lost the
	// answer); busy ones are refused with a 429 before anything is done.
	lost, busy int
}

type fakeGeminiBatch struct {
	name, model, display, state, input string
	cancelled                          bool
	keys                               []string
	requests                           []json.RawMessage
	answers                            []string // inlined responses or file lines
	succeeded, failed                  int
}

func newFakeGeminiBatches(t *testing.T) (*fakeGeminiBatches, *httptest.Server) {
	f := &fakeGeminiBatches{t: t, jobs: map[string]*fakeGeminiBatch{}, files: map[string][]byte{}, uploads: map[string]string{}}
	srv := httptest.NewServer(f)
	f.url = srv.URL
	t.Cleanup(srv.Close)
	return f, srv
}

func googleError(w http.ResponseWriter, code int, status, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	b, _ := json.Marshal(msg)
	fmt.Fprintf(w, `{"error":{"code":%d,"message":%s,"status":%q}}`, code, b, status)
}

func (f *fakeGeminiBatches) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent++
	f.queries = append(f.queries, r.URL.RawQuery)
	if r.Header.Get("X-Goog-Api-Key") != testKey {
		googleError(w, 401, "UNAUTHENTICATED", "API key not valid. Please pass a valid API key.")
		return
	}
	w.Header().Set("X-Goog-Request-Id", "goog-req-batch")
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/v1beta/models/") && strings.HasSuffix(path, ":batchGenerateContent"):
		if f.busy > 0 {
			f.busy--
			w.Header().Set("Retry-After", "0")
			googleError(w, 429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).")
			return
		}
		f.create(w, r, strings.TrimSuffix(strings.TrimPrefix(path, "/v1beta/"), ":batchGenerateContent"))
	case r.Method == http.MethodPost && strings.HasSuffix(path, ":cancel"):
		j := f.jobs[strings.TrimSuffix(strings.TrimPrefix(path, "/v1beta/"), ":cancel")]
		if j == nil {
			googleError(w, 404, "NOT_FOUND", "Requested entity was not found.")
			return
		}
		j.cancelled = true
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		fmt.Fprint(w, `{}`)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v1beta/batches/"):
		j := f.jobs[strings.TrimPrefix(path, "/v1beta/")]
		if j == nil {
			msg := "Requested entity was not found."
			if f.echoKey {
				msg += " key=" + r.Header.Get("X-Goog-Api-Key")
			}
			googleError(w, 404, "NOT_FOUND", msg)
			return
		}
		f.polls++
		f.advance(j)
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		f.writeBatch(w, j)
	case r.Method == http.MethodPost && path == "/upload/v1beta/files":
		f.upload(w, r)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/v1beta/files/"):
		name := strings.TrimPrefix(path, "/v1beta/")
		if _, ok := f.files[name]; !ok {
			googleError(w, 404, "NOT_FOUND", "File not found.")
			return
		}
		delete(f.files, name)
		f.deleted = append(f.deleted, name)
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		fmt.Fprint(w, `{}`)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/download/v1beta/files/") && strings.HasSuffix(path, ":download"):
		require.Equal(f.t, "media", r.URL.Query().Get("alt"))
		b, ok := f.files[strings.TrimSuffix(strings.TrimPrefix(path, "/download/v1beta/"), ":download")]
		if !ok {
			googleError(w, 404, "NOT_FOUND", "File not found.")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(b)
	default:
		f.t.Errorf("unexpected %s %s", r.Method, path)
		googleError(w, 404, "NOT_FOUND", "no such method")
	}
}

func (f *fakeGeminiBatches) create(w http.ResponseWriter, r *http.Request, model string) {
	var body struct {
		Batch struct {
			DisplayName string `json:"displayName"`
			InputConfig struct {
				FileName string `json:"fileName"`
				Requests *struct {
					Requests []struct {
						Request  json.RawMessage   `json:"request"`
						Metadata map[string]string `json:"metadata"`
					} `json:"requests"`
				} `json:"requests"`
			} `json:"inputConfig"`
		} `json:"batch"`
	}
	require.NoError(f.t, json.NewDecoder(r.Body).Decode(&body))
	in := body.Batch.InputConfig
	j := &fakeGeminiBatch{name: fmt.Sprintf("batches/gb%02dq7x", len(f.jobs)+1), model: model, display: body.Batch.DisplayName, state: "BATCH_STATE_PENDING"}
	switch {
	case in.Requests != nil:
		require.Empty(f.t, in.FileName)
		for _, q := range in.Requests.Requests {
			j.keys = append(j.keys, q.Metadata["key"])
			j.requests = append(j.requests, q.Request)
		}
	case in.FileName != "" && f.refuseFileJobs:
		googleError(w, 429, "RESOURCE_EXHAUSTED", "You have reached the limit of concurrent batch jobs.")
		return
	case in.FileName != "":
		data, ok := f.files[in.FileName]
		require.True(f.t, ok, "the input file was uploaded")
		j.input = in.FileName
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			var l struct {
				Key     string          `json:"key"`
				Request json.RawMessage `json:"request"`
			}
			require.NoError(f.t, json.Unmarshal(line, &l))
			j.keys = append(j.keys, l.Key)
			j.requests = append(j.requests, l.Request)
		}
	default:
		googleError(w, 400, "INVALID_ARGUMENT", "* BatchGenerateContentRequest.batch.input_config: one of requests or file_name is required")
		return
	}
	f.jobs[j.name] = j
	if f.lost > 0 {
		f.lost--
		googleError(w, 503, "UNAVAILABLE", "The service is currently unavailable.")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	f.writeBatch(w, j)
}

// upload is the Files API's resumable upload: the start request answers
// with the upload URL; the bytes, sent there, finalize the file.
func (f *fakeGeminiBatches) upload(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if r.Header.Get("X-Goog-Upload-Command") == "start" {
		require.Equal(f.t, "resumable", r.Header.Get("X-Goog-Upload-Protocol"))
		var meta struct {
			File struct {
				DisplayName string `json:"displayName"`
				MIMEType    string `json:"mimeType"`
			} `json:"file"`
		}
		require.NoError(f.t, json.NewDecoder(r.Body).Decode(&meta))
		id := fmt.Sprintf("up%d", len(f.uploads)+1)
		f.uploads[id] = r.Header.Get("X-Goog-Upload-Header-Content-Type")
		w.Header().Set("X-Goog-Upload-Url", f.url+"/upload/v1beta/files?upload_id="+id+"&upload_protocol=resumable")
		w.Header().Set("X-Goog-Upload-Status", "active")
		return
	}
	id := r.URL.Query().Get("upload_id")
	mime, ok := f.uploads[id]
	require.True(f.t, ok)
	require.Equal(f.t, "upload, finalize", r.Header.Get("X-Goog-Upload-Command"))
	require.Equal(f.t, "0", r.Header.Get("X-Goog-Upload-Offset"))
	data, _ := io.ReadAll(r.Body)
	name := "files/in" + id
	f.files[name] = data
	w.Header().Set("X-Goog-Upload-Status", "final")
	fmt.Fprintf(w, `{"file":{"name":%q,"displayName":"mirascope-batch","mimeType":%q,"sizeBytes":"%d","createTime":"2025-07-10T10:00:00.000000Z","updateTime":"2025-07-10T10:00:00.000000Z","expirationTime":"2025-07-12T10:00:00.000000Z","sha256Hash":"ZmFrZQ==","uri":"%s/v1beta/%s","state":"ACTIVE","source":"UPLOADED"}}`,
		name, mime, len(data), f.url, name)
}

// advance moves a batch one step: pending to running, running to its end.
func (f *fakeGeminiBatches) advance(j *fakeGeminiBatch) {
	switch {
	case f.hold || strings.HasSuffix(j.state, "SUCCEEDED") || strings.HasSuffix(j.state, "EXPIRED") || strings.HasSuffix(j.state, "CANCELLED"):
		return
	case j.state == "BATCH_STATE_PENDING" && !j.cancelled:
		j.state = "BATCH_STATE_RUNNING"
		return
	}
	answered := len(j.requests)
	j.state = "BATCH_STATE_SUCCEEDED"
	switch {
	case j.cancelled:
		j.state, answered = "BATCH_STATE_CANCELLED", 1
	case f.final == "expired":
		j.state, answered = "BATCH_STATE_EXPIRED", 1
	}
	keyed := j.input == "" && f.keyed || j.input != "" && !f.keylessFile
	for n := range answered {
		i := n // the requests' order without keys, else the reverse
		if keyed {
			i = answered - 1 - n
		}
		var req struct {
			Contents []struct {
				Parts []struct {
					Text string `json:"text"`
				} `json:"parts"`
			} `json:"contents"`
			Tools []struct {
				FunctionDeclarations []struct {
					Name string `json:"name"`
				} `json:"functionDeclarations"`
			} `json:"tools"`
			ToolConfig struct {
				FunctionCallingConfig struct {
					Mode    string   `json:"mode"`
					Allowed []string `json:"allowedFunctionNames"`
				} `json:"functionCallingConfig"`
			} `json:"toolConfig"`
			GenerationConfig struct {
				ResponseMIMEType string `json:"responseMimeType"`
			} `json:"generationConfig"`
		}
		require.NoError(f.t, json.Unmarshal(j.requests[i], &req))
		parts := req.Contents[len(req.Contents)-1].Parts
		text := parts[len(parts)-1].Text
		key, _ := json.Marshal(j.keys[i])
		var answer string
		if strings.Contains(text, "FAIL") {
			j.failed++
			answer = `"error":{"code":3,"message":"Request contains an invalid argument."}`
		} else {
			j.succeeded++
			t, _ := json.Marshal("answer to: " + text)
			part := fmt.Sprintf(`{"text":%s}`, t)
			switch fc := req.ToolConfig.FunctionCallingConfig; {
			case fc.Mode == "ANY":
				name := ""
				if len(fc.Allowed) > 0 {
					name = fc.Allowed[0]
				} else if n := len(req.Tools); n > 0 {
					decls := req.Tools[n-1].FunctionDeclarations
					name = decls[len(decls)-1].Name
				}
				require.True(f.t, json.Valid([]byte(text)), "a forced call's args: %s", text)
				part = fmt.Sprintf(`{"functionCall":{"name":%q,"args":%s}}`, name, text)
			case req.GenerationConfig.ResponseMIMEType == "application/json":
				t, _ = json.Marshal(text)
				part = fmt.Sprintf(`{"text":%s}`, t)
			}
			answer = fmt.Sprintf(`"response":{"candidates":[{"content":{"parts":[%s],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":6,"totalTokenCount":17,"promptTokensDetails":[{"modality":"TEXT","tokenCount":11}]},"modelVersion":"gemini-2.0-flash-001","responseId":"resp-%d"}`, part, i)
		}
		switch {
		case !keyed:
			j.answers = append(j.answers, "{"+answer+"}")
		case j.input != "":
			j.answers = append(j.answers, fmt.Sprintf(`{"key":%s,%s}`, key, answer))
		default:
			j.answers = append(j.answers, fmt.Sprintf(`{%s,"metadata":{"key":%s}}`, answer, key))
		}
	}
	if j.input != "" {
		f.files["files/batch-out-"+strings.TrimPrefix(j.name, "batches/")] = []byte(strings.Join(j.answers, "\n") + "\n")
	}
}

func (f *fakeGeminiBatches) writeBatch(w io.Writer, j *fakeGeminiBatch) {
	n := len(j.requests)
	done := strings.HasSuffix(j.state, "SUCCEEDED") || strings.HasSuffix(j.state, "EXPIRED") || strings.HasSuffix(j.state, "CANCELLED")
	output, response, end := "", "", ""
	if done {
		end = `,"endTime":"2025-07-10T10:20:00.000000Z"`
		var out string
		if j.input != "" {
			out = fmt.Sprintf(`{"responsesFile":"files/batch-out-%s"}`, strings.TrimPrefix(j.name, "batches/"))
		} else {
			out = `{"inlinedResponses":{"inlinedResponses":[` + strings.Join(j.answers, ",") + `]}}`
		}
		output = `,"output":` + out
		response = `,"response":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput",` + strings.TrimPrefix(out, "{")
	}
	input := fmt.Sprintf(`,"inputConfig":{"fileName":%q}`, j.input)
	if j.input == "" {
		input = ""
		if f.listInput {
			items := make([]string, len(j.requests))
			for i, r := range j.requests {
				key, _ := json.Marshal(j.keys[i])
				items[i] = fmt.Sprintf(`{"request":%s,"metadata":{"key":%s}}`, r, key)
			}
			input = `,"inputConfig":{"requests":{"requests":[` + strings.Join(items, ",") + `]}}`
		}
	}
	fmt.Fprintf(w, `{"name":%q,"metadata":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch","model":%q,"displayName":%q%s%s,"createTime":"2025-07-10T10:00:00.000000Z"%s,"updateTime":"2025-07-10T10:00:01.000000Z","batchStats":{"requestCount":"%d","successfulRequestCount":"%d","failedRequestCount":"%d","pendingRequestCount":"%d"},"state":%q,"name":%q},"done":%t%s}`,
		j.name, j.model, j.display, input, output, end, n, j.succeeded, j.failed, n-j.succeeded-j.failed, j.state, j.name, done, response)
}

type ask struct {
	Q string `validate:"required"`
}

func (a ask) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You answer briefly."), prompt.User(a.Q)}
}

func newBatcher(url string, opts ...providers.Option) *google.Provider {
	base := []providers.Option{providers.WithAPIKey(testKey), providers.WithBaseURL(url), providers.WithMaxRetries(0)}
	return google.New(testModel, append(base, opts...)...)
}

var fastPoll = batch.WithPollInterval(time.Millisecond, 5*time.Millisecond)

// callBody is the generateContent body Call sends for p.
func callBody(t *testing.T, p any, opts ...mirascope.CallOption) []byte {
	t.Helper()
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":"STOP"}],"responseId":"r"}`)
	}))
	defer srv.Close()
	_, err := mirascope.Call(context.Background(), newBatcher(srv.URL), p, opts...)
	require.NoError(t, err)
	return body
}

// Inlined responses without their keys (as the service was reported to
// answer) in the requests' order, and with them in another order: either
// way a job resumed from a new provider value with its id alone gives every
// result its prompt's Index.
func TestBatchWireInline(t *testing.T) {
	for _, keyed := range []bool{false, true} {
		t.Run(fmt.Sprint("keyed=", keyed), func(t *testing.T) { testBatchWireInline(t, keyed) })
	}
}

func testBatchWireInline(t *testing.T, keyed bool) {
	f, srv := newFakeGeminiBatches(t)
	f.keyed = keyed
	ctx := context.Background()
	prompts := []ask{{"one"}, {"FAIL two"}, {"three"}}
	opts := []mirascope.CallOption{mirascope.WithMaxTokens(32), mirascope.WithTemperature(0.5),
		google.WithExtraBody(map[string]any{"safetySettings": []any{map[string]any{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}}})}
	job, err := batch.Submit(ctx, otel.Traced(newBatcher(srv.URL)), prompts, opts...)
	require.NoError(t, err)
	assert.Equal(t, "batches/gb01q7x", job.ID())

	j := f.jobs[job.ID()]
	assert.Equal(t, "models/"+testModel, j.model)
	// The display name carries the keys' rule: the one thing the batch
	// resource returns that says which key the i-th request has.
	assert.Equal(t, "mirascope-batch keys=mirascope-{i}", j.display)
	assert.Empty(t, j.input, "inlined, not a file")
	assert.Empty(t, f.files)
	require.Len(t, j.requests, 3)
	for i, p := range prompts {
		assert.Equal(t, fmt.Sprintf("mirascope-%d", i), j.keys[i])
		// Each request is the very body Call sends for the prompt.
		assert.JSONEq(t, string(callBody(t, p, opts...)), string(j.requests[i]))
	}
	var first map[string]any
	require.NoError(t, json.Unmarshal(j.requests[0], &first))
	assert.Equal(t, map[string]any{"role": "user", "parts": []any{map[string]any{"text": "You answer briefly."}}}, first["systemInstruction"])
	assert.Equal(t, map[string]any{"maxOutputTokens": float64(32), "temperature": 0.5}, first["generationConfig"])
	assert.Contains(t, first, "safetySettings")

	require.NoError(t, job.Wait(ctx, fastPoll))
	assert.Equal(t, 2, f.polls, "running, then succeeded")

	// Resume from a new provider value, with the id alone.
	again, err := batch.Resume(ctx, newBatcher(srv.URL), job.ID())
	require.NoError(t, err)
	order, got := readAll(t, again)
	if keyed {
		assert.Equal(t, []int{2, 1, 0}, order, "the service's order, not the submission's")
	} else {
		// Without keys the answers can only come in the requests' order
		// (an answer out of it would be unknowable): each still gets the
		// Index of its own prompt, as its content below shows.
		assert.Equal(t, []int{0, 1, 2}, order, "by position")
	}
	assert.Equal(t, "answer to: one", got[0].Response.Content)
	assert.Equal(t, "resp-0", got[0].Response.ID)
	assert.Equal(t, testModel, got[0].Response.Model)
	assert.Equal(t, []string{"STOP"}, got[0].Response.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 11, OutputTokens: 6, Batch: true}, got[0].Response.Usage)
	assert.Equal(t, "answer to: three", got[2].Response.Content)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, google.Name, pe.Provider)
	assert.Equal(t, 400, pe.StatusCode)
	assert.Equal(t, "INVALID_ARGUMENT", pe.Code)
	assert.Contains(t, pe.Message, "invalid argument")
	assert.False(t, pe.Retryable)
	assert.Nil(t, got[1].Response)

	st, err := newBatcher(srv.URL).BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	assert.Equal(t, providerkit.BatchStatus{State: providerkit.BatchEnded, Raw: "BATCH_STATE_SUCCEEDED", Total: 3, Completed: 2, Failed: 1}, st)
	for _, q := range f.queries {
		assert.NotContains(t, q, testKey, "the key travels in a header, never the URL")
	}
}

func readAll(t *testing.T, job *batch.Job) ([]int, map[int]batch.Result) {
	t.Helper()
	var order []int
	got := map[int]batch.Result{}
	for r, err := range job.Results(context.Background()) {
		require.NoError(t, err)
		order = append(order, r.Index)
		got[r.Index] = r
	}
	return order, got
}

// A responses file's lines carry their keys (the Batch API guide's output
// lines are {"key", "response"}); lines without them, which the service is
// not known to write, are read by position, as the API reference promises
// the file "in the same order as the input requests".
func TestBatchWireFile(t *testing.T) {
	for _, keyless := range []bool{false, true} {
		t.Run(fmt.Sprint("keyless=", keyless), func(t *testing.T) { testBatchWireFile(t, keyless) })
	}
}

func testBatchWireFile(t *testing.T, keyless bool) {
	f, srv := newFakeGeminiBatches(t)
	f.keylessFile = keyless
	defer google.SetBatchLimits(600, 0, 0)()
	ctx := context.Background()
	prompts := []ask{{"one"}, {"FAIL two"}, {"three"}, {"four"}}
	opts := []mirascope.CallOption{mirascope.WithSeed(7)}
	job, err := batch.Submit(ctx, newBatcher(srv.URL), prompts, opts...)
	require.NoError(t, err)

	j := f.jobs[job.ID()]
	require.NotEmpty(t, j.input, "past the inline limit the requests go as a file")
	assert.Equal(t, "application/jsonl", f.uploads["up1"])
	lines := bytes.Split(bytes.TrimSpace(f.files[j.input]), []byte("\n"))
	require.Len(t, lines, 4)
	for i, p := range prompts {
		var l map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(lines[i], &l))
		assert.Len(t, l, 2, "a line is {key, request}")
		assert.JSONEq(t, fmt.Sprintf("%q", fmt.Sprintf("mirascope-%d", i)), string(l["key"]))
		assert.JSONEq(t, string(callBody(t, p, opts...)), string(l["request"]))
	}

	require.NoError(t, job.Wait(ctx, fastPoll))
	order, got := readAll(t, mustResume(t, srv.URL, job.ID()))
	if keyless {
		assert.Equal(t, []int{0, 1, 2, 3}, order, "by position")
	} else {
		assert.Equal(t, []int{3, 2, 1, 0}, order)
	}
	assert.Equal(t, "answer to: four", got[3].Response.Content)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, got[1].Err, &pe)
	assert.Equal(t, "INVALID_ARGUMENT", pe.Code)
}

func mustResume(t *testing.T, url, id string) *batch.Job {
	job, err := batch.Resume(context.Background(), newBatcher(url), id)
	require.NoError(t, err)
	return job
}

func TestBatchWireExpiredAndCancelled(t *testing.T) {
	ctx := context.Background()
	prompts := []ask{{"one"}, {"two"}, {"three"}}
	for _, final := range []string{"expired", "cancelled"} {
		for _, file := range []bool{false, true} {
			for _, keyed := range []bool{true, false} {
				f, srv := newFakeGeminiBatches(t)
				f.final = final
				f.keyed, f.keylessFile = keyed, !keyed
				restore := func() {}
				if file {
					restore = google.SetBatchLimits(100, 0, 0)
				}
				job, err := batch.Submit(ctx, newBatcher(srv.URL), prompts)
				restore()
				require.NoError(t, err)
				assert.Equal(t, file, f.jobs[job.ID()].input != "")
				if final == "cancelled" {
					require.NoError(t, job.Cancel(ctx))
				}
				err = job.Wait(ctx, fastPoll)
				var je *batch.JobError
				require.ErrorAs(t, err, &je, final)
				want := map[string]providerkit.BatchState{"expired": providerkit.BatchExpired, "cancelled": providerkit.BatchCancelled}[final]
				assert.Equal(t, want, je.State)
				assert.Equal(t, "BATCH_STATE_"+strings.ToUpper(final), je.Raw)
				assert.Equal(t, []int{3, 1, 0}, []int{je.Total, je.Completed, je.Failed})

				if keyed {
					// What was answered in time is still readable.
					order, got := readAll(t, mustResume(t, srv.URL, job.ID()))
					assert.Equal(t, []int{0}, order)
					assert.Equal(t, "answer to: one", got[0].Response.Content)
					continue
				}
				// Without its key, an answer of a job answered part-way
				// has no position to trust: an error says so, and no
				// prompt gets another's answer.
				n := 0
				for r, err := range mustResume(t, srv.URL, job.ID()).Results(ctx) {
					assert.Equal(t, -1, r.Index)
					var pe *mirascope.ProviderError
					require.ErrorAs(t, err, &pe)
					assert.Contains(t, pe.Message, "answer 0 carries no key")
					assert.Contains(t, pe.Message, map[bool]string{false: "the job has 3 requests and lists 1 answers", true: "the job answered 1 of its 3 requests"}[file])
					n++
				}
				assert.Equal(t, 1, n)
			}
		}
	}
}

func TestBatchWireRunningAndUnknown(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	f.hold = true
	ctx := context.Background()
	p := newBatcher(srv.URL)
	job, err := batch.Submit(ctx, p, []ask{{"one"}})
	require.NoError(t, err)
	st, err := p.BatchStatus(ctx, job.ID())
	require.NoError(t, err)
	assert.Equal(t, providerkit.BatchStatus{State: providerkit.BatchRunning, Raw: "BATCH_STATE_PENDING", Total: 1}, st)
	n := 0
	for _, err := range job.Results(ctx) {
		assert.ErrorContains(t, err, "no results")
		assert.ErrorIs(t, err, batch.ErrNoResults)
		n++
	}
	assert.Equal(t, 1, n)

	// An unknown id is the service's 404, the key masked even when the
	// answer quotes it.
	f.echoKey = true
	n = 0
	for _, err := range p.BatchResults(ctx, "batches/missing") {
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 404, pe.StatusCode)
		assert.Equal(t, "NOT_FOUND", pe.Code)
		assert.Equal(t, "goog-req-batch", pe.RequestID)
		assert.NotContains(t, err.Error(), testKey)
		assert.NotContains(t, pe.Message, testKey)
		n++
	}
	assert.Equal(t, 1, n)
	require.Error(t, p.CancelBatch(ctx, "batches/missing"))

	// An id that is not a batch's is refused before any request.
	sent := f.sent
	for _, id := range []string{"", "batches/", "files/abc", "batches/a/b", "batches/x?alt=media", "batches/..", "batches/a%2Fb", "batches/a b"} {
		_, err := p.BatchStatus(ctx, id)
		var ue *mirascope.UnsupportedError
		require.ErrorAs(t, err, &ue, id)
		require.ErrorAs(t, p.CancelBatch(ctx, id), &ue, id)
	}
	assert.Equal(t, sent, f.sent)
}

func TestBatchRefusals(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	ctx := context.Background()
	p := newBatcher(srv.URL)
	var ue *mirascope.UnsupportedError

	// Past the file limit: refused, nothing sent.
	restore := google.SetBatchLimits(100, 1000, 0)
	prompts := make([]ask, 20)
	for i := range prompts {
		prompts[i] = ask{strings.Repeat("x", 100)}
	}
	_, err := batch.Submit(ctx, p, prompts)
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "batch", ue.Parameter)
	assert.Contains(t, ue.Reason, "1000 bytes")
	assert.Contains(t, ue.Reason, "split the prompts")
	restore()

	// One job, one model.
	_, err = p.SubmitBatch(ctx, []providerkit.BatchRequest{
		{CustomID: "a", Request: &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}},
		{CustomID: "b", Request: &mirascope.Request{Model: "gemini-2.5-pro", Messages: []prompt.Message{prompt.User("hi")}}},
	})
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, ue.Reason, "one model")

	// Keys must tell the results apart.
	_, err = p.SubmitBatch(ctx, []providerkit.BatchRequest{
		{CustomID: "a", Request: &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}},
		{CustomID: "a", Request: &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}},
	})
	require.ErrorAs(t, err, &ue)
	_, err = p.SubmitBatch(ctx, nil)
	require.ErrorAs(t, err, &ue)

	// A bad prompt, and a missing key: nothing sent.
	_, err = batch.Submit(ctx, p, []ask{{"one"}, {""}})
	var pe *batch.PromptError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Index)
	t.Setenv("GEMINI_API_KEY", "")
	t.Setenv("GOOGLE_API_KEY", "")
	_, err = batch.Submit(ctx, google.New(testModel, providers.WithBaseURL(srv.URL)), []ask{{"one"}})
	var ce *providers.ConfigError
	require.ErrorAs(t, err, &ce)

	// Vertex AI batches need Cloud Storage or BigQuery: refused.
	v := google.New(testModel, google.WithVertex("proj", "us-central1"), providers.WithAPIKey("vertex-key"), providers.WithBaseURL(srv.URL))
	_, err = batch.Submit(ctx, v, []ask{{"one"}})
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, google.VertexName, ue.Provider)
	assert.Contains(t, ue.Reason, "Cloud Storage")
	_, err = v.BatchStatus(ctx, "batches/x")
	require.ErrorAs(t, err, &ue)
	require.ErrorAs(t, v.CancelBatch(ctx, "batches/x"), &ue)
	for _, err := range v.BatchResults(ctx, "batches/x") {
		require.ErrorAs(t, err, &ue)
	}
	assert.Zero(t, f.sent)
}

// Keys travel as the caller gave them, however hostile, and results whose
// keys the batch package did not send are errors of the stream, not
// misattributed answers. Such keys follow no rule a display name could
// carry: answers without them are found by the batch's own list of its
// requests when it has one, and are otherwise errors.
func TestBatchWireHostileKeys(t *testing.T) {
	keys := []string{"a\"b\nc", "</script>", "\u2028x", strings.Repeat("k", 4000)}
	reqs := make([]providerkit.BatchRequest, len(keys))
	for i, k := range keys {
		reqs[i] = providerkit.BatchRequest{CustomID: k, Request: &mirascope.Request{Messages: []prompt.Message{prompt.User(fmt.Sprint("q", i))}}}
	}
	ctx := context.Background()
	for _, mode := range []string{"keyed", "listed", "keyless"} {
		f, srv := newFakeGeminiBatches(t)
		f.keyed, f.listInput = mode == "keyed", mode == "listed"
		p := newBatcher(srv.URL)
		id, err := p.SubmitBatch(ctx, reqs)
		require.NoError(t, err)
		assert.Equal(t, keys, f.jobs[id].keys)
		assert.Equal(t, "mirascope-batch", f.jobs[id].display, "no rule")
		st, err := p.BatchStatus(ctx, id)
		require.NoError(t, err)
		require.Equal(t, providerkit.BatchRunning, st.State)
		_, err = p.BatchStatus(ctx, id)
		require.NoError(t, err)
		var gotKeys []string
		for r, err := range newBatcher(srv.URL).BatchResults(ctx, id) {
			if mode == "keyless" {
				var pe *mirascope.ProviderError
				require.ErrorAs(t, err, &pe)
				assert.Contains(t, pe.Message, "lists neither its requests' keys nor a rule for them")
				assert.Empty(t, r.CustomID)
				gotKeys = append(gotKeys, "")
				continue
			}
			require.NoError(t, err)
			require.NoError(t, r.Err)
			gotKeys = append(gotKeys, r.CustomID)
		}
		switch mode {
		case "keyed":
			slices.Reverse(gotKeys)
			assert.Equal(t, keys, gotKeys)
		case "listed":
			assert.Equal(t, keys, gotKeys, "the i-th listed request's key")
		default:
			assert.Len(t, gotKeys, 4)
			continue
		}

		// Through package batch, such keys are not results of its prompts.
		n := 0
		for r, err := range mustResume(t, srv.URL, id).Results(ctx) {
			assert.Equal(t, -1, r.Index)
			assert.ErrorContains(t, err, "unknown custom id")
			n++
		}
		assert.Equal(t, 4, n)
	}
}

// Whether a display name carries the keys' rule: only for keys that are a
// short, plain prefix and then their positions.
func TestBatchDisplayNameRule(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	p := newBatcher(srv.URL)
	for _, c := range []struct {
		keys []string
		want string
	}{
		{[]string{"0", "1", "2"}, "mirascope-batch keys={i}"},
		{[]string{"job.7_0", "job.7_1"}, "mirascope-batch keys=job.7_{i}"},
		{[]string{"a0", "a2"}, "mirascope-batch"},
		{[]string{"a1", "a0"}, "mirascope-batch"},
		{[]string{"a 0", "a 1"}, "mirascope-batch"},
		{[]string{"a{i}0"}, "mirascope-batch"},
		{[]string{"a00", "a01"}, "mirascope-batch keys=a0{i}"},
		{[]string{strings.Repeat("p", 64) + "0"}, "mirascope-batch keys=" + strings.Repeat("p", 64) + "{i}"},
		{[]string{strings.Repeat("p", 65) + "0"}, "mirascope-batch"},
	} {
		reqs := make([]providerkit.BatchRequest, len(c.keys))
		for i, k := range c.keys {
			reqs[i] = providerkit.BatchRequest{CustomID: k, Request: &mirascope.Request{Messages: []prompt.Message{prompt.User("q")}}}
		}
		id, err := p.SubmitBatch(context.Background(), reqs)
		require.NoError(t, err)
		assert.Equal(t, c.want, f.jobs[id].display, c.keys)
	}
}

// A results file's lines: one over the bound ends the stream after the
// lines before it; invalid UTF-8 is replaced, not fatal; a line that is
// not JSON is that result's error.
func TestBatchWireResultLines(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	ctx := context.Background()
	defer google.SetBatchLimits(100, 0, 0)()
	job, err := batch.Submit(ctx, newBatcher(srv.URL), []ask{{"one"}, {"two"}, {"three"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))
	out := "files/batch-out-" + strings.TrimPrefix(job.ID(), "batches/")
	f.mu.Lock()
	f.files[out] = []byte(`{"key":"mirascope-0","response":{"candidates":[{"content":{"parts":[{"text":"bad ` + "\xff\xfe" + ` bytes"}],"role":"model"},"finishReason":"STOP"}]}}` + "\n" +
		`{"key":"mirascope-1","response":` + "\n" +
		`{"key":"mirascope-2","response":{"candidates":[{"content":{"parts":[{"text":"` + strings.Repeat("y", 5000) + `"}]}}]}}` + "\n")
	f.mu.Unlock()
	defer google.SetBatchLimits(0, 0, 1000)()
	var idx []int
	var errs []error
	for r, err := range job.Results(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		idx = append(idx, r.Index)
		if r.Index == 0 {
			require.NoError(t, r.Err)
			assert.Equal(t, "bad \ufffd\ufffd bytes", r.Response.Content)
		}
	}
	assert.Equal(t, []int{0}, idx)
	require.Len(t, errs, 2)
	assert.ErrorContains(t, errs[0], "unknown custom id", "a line that is not JSON has no key")
	assert.ErrorContains(t, errs[1], "passes 1000 bytes")
}

// A format beside tools goes as Call sends it: before Gemini 3 as a
// function the model must call (see TestBatchFormatAsFunction for its
// answers), from Gemini 3 on as responseJsonSchema.
func TestBatchFormats(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	ctx := context.Background()
	p := newBatcher(srv.URL)
	opts := []mirascope.CallOption{mirascope.WithTools(replaytest.GetAuthor), replaytest.WithFormat(replaytest.BookFormat)}
	old := append(opts, mirascope.WithModel("gemini-2.5-flash"))
	job, err := batch.Submit(ctx, p, []ask{{"one"}}, old...)
	require.NoError(t, err)
	j := f.jobs[job.ID()]
	assert.JSONEq(t, string(callBody(t, ask{"one"}, old...)), string(j.requests[0]))
	assert.NotContains(t, string(j.requests[0]), `"responseJsonSchema"`)
	assert.Contains(t, string(j.requests[0]), `"name":"Book"`)

	opts = append(opts, mirascope.WithModel("gemini-3-pro-preview"))
	job, err = batch.Submit(ctx, p, []ask{{"one"}}, opts...)
	require.NoError(t, err)
	j = f.jobs[job.ID()]
	assert.Equal(t, "models/gemini-3-pro-preview", j.model)
	assert.JSONEq(t, string(callBody(t, ask{"one"}, opts...)), string(j.requests[0]))
	assert.Contains(t, string(j.requests[0]), `"responseJsonSchema"`)
	assert.Contains(t, string(j.requests[0]), `"functionDeclarations"`)
}

// A failed upload is the service's error, with its status, though the SDK
// reports it as text.
func TestBatchWireUploadRefused(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	defer google.SetBatchLimits(100, 0, 0)()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/upload/") {
			googleError(w, 403, "PERMISSION_DENIED", "The caller does not have permission")
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer refuse.Close()
	_, err := batch.Submit(context.Background(), newBatcher(refuse.URL), []ask{{"one"}, {"two"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 403, pe.StatusCode)
	assert.Equal(t, "PERMISSION_DENIED", pe.Code)
	assert.Contains(t, pe.Message, "permission")
	assert.Empty(t, f.jobs)
	_ = srv
}

func TestBatchWireConcurrent(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	p := newBatcher(srv.URL)
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job, err := batch.Submit(context.Background(), p, []ask{{fmt.Sprint("g", g)}, {"x"}})
			if !assert.NoError(t, err) {
				return
			}
			assert.NoError(t, job.Wait(context.Background(), fastPoll))
			n := 0
			for r, err := range job.Results(context.Background()) {
				assert.NoError(t, err)
				assert.NoError(t, r.Err)
				n++
			}
			assert.Equal(t, 2, n)
		}()
	}
	wg.Wait()
	assert.Len(t, f.jobs, 6)
}

// staticBatch serves one succeeded batch, batches/x, named display, whose
// inlined responses are answers.
func staticBatch(t *testing.T, display, stats string, answers ...string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/v1beta/batches/x", r.URL.Path)
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		out := `{"inlinedResponses":{"inlinedResponses":[` + strings.Join(answers, ",") + `]}}`
		fmt.Fprintf(w, `{"name":"batches/x","metadata":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch","model":"models/gemini-2.0-flash","displayName":%q,"output":%s,"batchStats":%s,"state":"BATCH_STATE_SUCCEEDED","name":"batches/x"},"done":true,"response":%s}`,
			display, out, stats, out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func answer(text, key string) string {
	meta := ""
	if key != "" {
		meta = fmt.Sprintf(`,"metadata":{"key":%q}`, key)
	}
	return fmt.Sprintf(`{"response":{"candidates":[{"content":{"parts":[{"text":%q}],"role":"model"},"finishReason":"STOP"}]}%s}`, text, meta)
}

// An answer whose key stands where another request's does shows the
// answers out of the requests' order (as has been reported of the live
// service, against its reference): then no answer without a key is given a
// prompt by position, wherever in the list the telling key stands.
func TestBatchResultsOrderBroken(t *testing.T) {
	const rule, stats = "mirascope-batch keys=mirascope-{i}", `{"requestCount":"3","successfulRequestCount":"3"}`
	for name, answers := range map[string][]string{
		"key first": {answer("b", "mirascope-1"), answer("a", ""), answer("c", "")},
		"key last":  {answer("a", ""), answer("c", ""), answer("b", "mirascope-0")},
	} {
		job := mustResume(t, staticBatch(t, rule, stats, answers...), "batches/x")
		var idx []int
		errs := 0
		for r, err := range job.Results(context.Background()) {
			if err != nil {
				assert.Equal(t, -1, r.Index)
				assert.ErrorContains(t, err, "not in the requests' order", name)
				errs++
				continue
			}
			idx = append(idx, r.Index)
			assert.Equal(t, "b", r.Response.Content, name)
		}
		assert.Equal(t, 2, errs, name)
		assert.Len(t, idx, 1, name)
	}

	// Keys in their places, some left out: the keyless go by position.
	job := mustResume(t, staticBatch(t, rule, stats, answer("a", ""), answer("b", "mirascope-1"), answer("c", "")), "batches/x")
	order, got := readAll(t, job)
	assert.Equal(t, []int{0, 1, 2}, order)
	assert.Equal(t, "c", got[2].Response.Content)

	// No count of requests, or more answers than requests: no position.
	for _, stats := range []string{`{}`, `{"requestCount":"2","successfulRequestCount":"2"}`} {
		job := mustResume(t, staticBatch(t, rule, stats, answer("a", ""), answer("b", ""), answer("c", "")), "batches/x")
		for r, err := range job.Results(context.Background()) {
			assert.Equal(t, -1, r.Index)
			assert.ErrorContains(t, err, "carries no key", stats)
		}
	}
}

// A job the service refuses to create on an uploaded input file leaves no
// file behind: it is deleted, as OpenAI's and Mistral's are.
func TestBatchWireRefusedJobDeletesFile(t *testing.T) {
	defer google.SetBatchLimits(100, 0, 0)()
	f, srv := newFakeGeminiBatches(t)
	f.refuseFileJobs = true
	p := google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL), providers.WithMaxRetries(0))
	_, err := batch.Submit(context.Background(), p, []ask{{"one"}, {"two"}})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 429, pe.StatusCode)
	assert.Equal(t, []string{"files/inup1"}, f.deleted)
	assert.Empty(t, f.files)
}

// More than 1,000 requests go as a file even when they would fit inline:
// inlined answers come back whole inside the job, where short prompts with
// long answers would pass what can be read; a responses file streams.
func TestBatchWireManyRequestsGoAsFile(t *testing.T) {
	f, srv := newFakeGeminiBatches(t)
	prompts := make([]ask, 1001)
	for i := range prompts {
		prompts[i] = ask{"q"}
	}
	job, err := batch.Submit(context.Background(), newBatcher(srv.URL), prompts)
	require.NoError(t, err)
	f.mu.Lock()
	defer f.mu.Unlock()
	j := f.jobs[job.ID()]
	require.NotNil(t, j)
	assert.NotEmpty(t, j.input, "created on an uploaded file")
	assert.Len(t, j.keys, 1001)
}

// A job is created once, inlined or on a file: after a 503 it may exist
// (here it does), and a second creation would run and bill every request
// again; after a 429 nothing was done, and it is sent again.
func TestBatchWireCreatedOnce(t *testing.T) {
	for _, file := range []bool{false, true} {
		t.Run(map[bool]string{false: "inline", true: "file"}[file], func(t *testing.T) {
			if file {
				defer google.SetBatchLimits(100, 0, 0)()
			}
			f, srv := newFakeGeminiBatches(t)
			p := google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL)) // the default retries
			f.lost = 1
			_, err := batch.Submit(context.Background(), p, []ask{{"one"}, {"two"}})
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, 503, pe.StatusCode)
			f.mu.Lock()
			assert.Len(t, f.jobs, 1, "one job, not two")
			f.busy = 1
			f.mu.Unlock()
			job, err := batch.Submit(context.Background(), p, []ask{{"three"}, {"four"}})
			require.NoError(t, err)
			f.mu.Lock()
			assert.Len(t, f.jobs, 2)
			assert.Zero(t, f.busy)
			assert.Equal(t, file, f.jobs[job.ID()].input != "")
			f.mu.Unlock()
		})
	}
}

// A batch's requests are none of the model's calls: paced to one call a
// minute and 60,000 tokens, 1.4 MB of requests (350,000 tokens by the
// limiter's estimate) are uploaded as a file, the job created, polled,
// read and cancelled well within the deadline, and an inlined job too.
func TestBatchSkipsRateLimiter(t *testing.T) {
	for _, file := range []bool{false, true} {
		t.Run(map[bool]string{false: "inline", true: "file"}[file], func(t *testing.T) {
			if file {
				defer google.SetBatchLimits(100, 0, 0)()
			}
			f, srv := newFakeGeminiBatches(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			p := google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL), providers.WithRateLimit(1, 60_000))
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
			require.NoError(t, job.Cancel(ctx))
			f.mu.Lock()
			assert.Equal(t, file, f.jobs[job.ID()].input != "")
			f.mu.Unlock()
		})
	}
}
