package oaitest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// BatchAPI is how one service speaks OpenAI's Files + Batch wire, written
// from its API reference: where the endpoints sit, what every request
// carries, and what its answers add to OpenAI's.
type BatchAPI struct {
	// Prefix is the path before /files and /batches as the server sees it:
	// "/openai" for Azure, "/openai/v1" for Groq.
	Prefix string
	// Query is the raw query every request must carry ("" for none).
	Query string
	// CheckAuth reports whether the request carries the test key as the
	// service expects it.
	CheckAuth func(h http.Header) bool
	// Endpoint is the job's endpoint and every input line's url; Window is
	// the completion window the create request names.
	Endpoint, Window string
	// Model, when set, is the model a completion reports (Azure names the
	// model version, not the deployment the line asked for).
	Model string
	// CompletionExtra and ChoiceExtra are JSON members the service adds to
	// a chat completion and to each choice (Azure's content filter
	// results, Groq's x_groq), without the leading comma.
	CompletionExtra, ChoiceExtra string
	// ErrorsArray writes a batch's errors as a bare array (Groq) rather
	// than OpenAI's {"object":"list","data":[…]}.
	ErrorsArray bool
}

// FakeBatches is the Files and Batch endpoints of one service: POST /files
// (multipart, purpose "batch"), DELETE /files/{id}, POST /batches, GET
// /batches/{id}, POST /batches/{id}/cancel, GET /files/{id}/content. Each
// status poll moves a job one step: validating, in_progress, then Final.
// The output file lists the answers in reverse order. A request whose last
// message says "FAIL" gets a 400 response line in the error file, "LEAK" an
// error line echoing the caller's credential, "BADUTF8" an answer with
// invalid UTF-8; when a job expires, every request but the first gets a
// batch_expired error line, and when it is cancelled, only the first was
// answered. The model's answer is "answer to: " and the last message, but
// for a request asking for a structured answer, to which that message is
// the answer: as content (response_format json_schema), or, when
// tool_choice forces a tool call, as a call of the tool it names, else
// ("required") of the last tool offered (where a Format goes as a tool),
// the message its arguments.
type FakeBatches struct {
	t   testing.TB
	api BatchAPI
	// URL is the server's root; Client, for a TLS fake, trusts it.
	URL    string
	Client *http.Client

	mu    sync.Mutex
	files map[string][]byte
	jobs  map[string]*fakeJob
	final string
	chunk int
	polls int
	seen  int
	lost  int // creations made but answered 502
	busy  int // creations refused with a 429
}

type fakeJob struct {
	id, input, status string
	lines             []map[string]json.RawMessage
	output, errors    string
	completed, failed int
}

// NewFakeBatches starts the fake, over plain HTTP on loopback; it stops
// with the test.
func NewFakeBatches(t testing.TB, api BatchAPI) *FakeBatches {
	return newFakeBatches(t, api, httptest.NewServer)
}

// NewFakeBatchesTLS starts the fake over HTTPS; Client trusts it.
func NewFakeBatchesTLS(t testing.TB, api BatchAPI) *FakeBatches {
	return newFakeBatches(t, api, httptest.NewTLSServer)
}

func newFakeBatches(t testing.TB, api BatchAPI, start func(http.Handler) *httptest.Server) *FakeBatches {
	f := &FakeBatches{t: t, api: api, files: map[string][]byte{}, jobs: map[string]*fakeJob{}, final: "completed"}
	srv := start(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	if srv.TLS != nil {
		f.Client = srv.Client()
	}
	return f
}

// SetFinal sets the status a job ends in: completed, failed, expired or
// cancelled.
func (f *FakeBatches) SetFinal(s string) { f.mu.Lock(); f.final = s; f.mu.Unlock() }

// SetChunk makes file contents go out n bytes per write, each flushed.
func (f *FakeBatches) SetChunk(n int) { f.mu.Lock(); f.chunk = n; f.mu.Unlock() }

// File is the content of a stored file.
func (f *FakeBatches) File(id string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.files[id]
}

// Files is the number of stored files.
func (f *FakeBatches) Files() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.files) }

// Polls is the number of status requests answered.
func (f *FakeBatches) Polls() int { f.mu.Lock(); defer f.mu.Unlock(); return f.polls }

// LoseCreates makes the next n job creations create their job and answer
// 502 (a gateway that lost the answer), and the n after refuse them with
// a 429 (nothing done).
func (f *FakeBatches) LoseCreates(lost, busy int) {
	f.mu.Lock()
	f.lost, f.busy = lost, busy
	f.mu.Unlock()
}

// Jobs is the number of jobs created.
func (f *FakeBatches) Jobs() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.jobs) }

// Requests is the number of requests received.
func (f *FakeBatches) Requests() int { f.mu.Lock(); defer f.mu.Unlock(); return f.seen }

// apiError writes the service's error object.
func apiError(w http.ResponseWriter, status int, typ, code, msg string) {
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
	_, _ = w.Write(b)
}

func (f *FakeBatches) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen++
	w.Header().Set("Content-Type", "application/json")
	if !f.api.CheckAuth(r.Header) {
		apiError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "bad key")
		return
	}
	if r.URL.RawQuery != f.api.Query {
		f.t.Errorf("%s %s: query %q, want %q", r.Method, r.URL.Path, r.URL.RawQuery, f.api.Query)
	}
	path, ok := strings.CutPrefix(r.URL.Path, f.api.Prefix)
	if !ok {
		f.t.Errorf("%s %s: not under %s", r.Method, r.URL.Path, f.api.Prefix)
	}
	switch {
	case r.Method == http.MethodPost && path == "/files":
		f.upload(w, r)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/files/"):
		id := strings.TrimPrefix(path, "/files/")
		delete(f.files, id)
		fmt.Fprintf(w, `{"id":%q,"object":"file","deleted":true}`, id)
	case r.Method == http.MethodPost && path == "/batches":
		if f.lost == 0 && f.busy > 0 {
			f.busy--
			w.Header().Set("Retry-After", "0")
			apiError(w, http.StatusTooManyRequests, "rate_limit_error", "", "busy")
			return
		}
		f.create(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/batches/"):
		j := f.jobs[strings.TrimPrefix(path, "/batches/")]
		if j == nil {
			// Hostile: the message echoes the id and the credential.
			apiError(w, http.StatusNotFound, "invalid_request_error", "not_found",
				fmt.Sprintf("No batch %q for key %s%s", strings.TrimPrefix(path, "/batches/"), r.Header.Get("Authorization"), r.Header.Get("Api-Key")))
			return
		}
		f.polls++
		f.advance(j)
		f.writeJob(w, j)
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/cancel"):
		j := f.jobs[strings.TrimSuffix(strings.TrimPrefix(path, "/batches/"), "/cancel")]
		if j == nil {
			apiError(w, http.StatusNotFound, "invalid_request_error", "not_found", "No such batch")
			return
		}
		j.status = "cancelling"
		f.writeJob(w, j)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/files/") && strings.HasSuffix(path, "/content"):
		data, ok := f.files[strings.TrimSuffix(strings.TrimPrefix(path, "/files/"), "/content")]
		if !ok {
			apiError(w, http.StatusNotFound, "invalid_request_error", "not_found", "No such File object")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		if f.chunk <= 0 {
			_, _ = w.Write(data)
			return
		}
		for len(data) > 0 {
			n := min(f.chunk, len(data))
			_, _ = w.Write(data[:n])
			w.(http.Flusher).Flush()
			data = data[n:]
		}
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *FakeBatches) upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "invalid_file", err.Error())
		return
	}
	assert.Equal(f.t, "batch", r.FormValue("purpose"))
	file, hdr, err := r.FormFile("file")
	if err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "invalid_file", err.Error())
		return
	}
	assert.True(f.t, strings.HasSuffix(hdr.Filename, ".jsonl"), hdr.Filename)
	data, _ := io.ReadAll(file)
	id := fmt.Sprintf("file-in%d", len(f.files)+1)
	f.files[id] = data
	fmt.Fprintf(w, `{"id":%q,"object":"file","bytes":%d,"created_at":1733550000,"filename":%q,"purpose":"batch","status":"processed"}`, id, len(data), hdr.Filename)
}

func (f *FakeBatches) create(w http.ResponseWriter, r *http.Request) {
	var body struct {
		InputFileID      string `json:"input_file_id"`
		Endpoint         string `json:"endpoint"`
		CompletionWindow string `json:"completion_window"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "invalid_json", err.Error())
		return
	}
	assert.Equal(f.t, f.api.Endpoint, body.Endpoint)
	assert.Equal(f.t, f.api.Window, body.CompletionWindow)
	data, ok := f.files[body.InputFileID]
	if !ok {
		apiError(w, http.StatusNotFound, "invalid_request_error", "not_found", "No such File object")
		return
	}
	j := &fakeJob{id: fmt.Sprintf("batch_%d", len(f.jobs)+1), input: body.InputFileID, status: "validating"}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var l map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			apiError(w, http.StatusBadRequest, "invalid_request_error", "invalid_jsonl", err.Error())
			return
		}
		j.lines = append(j.lines, l)
	}
	f.jobs[j.id] = j
	if f.lost > 0 {
		f.lost--
		apiError(w, http.StatusBadGateway, "server_error", "", "bad gateway")
		return
	}
	f.writeJob(w, j)
}

// advance moves j one step; at its end it writes the output and error files.
func (f *FakeBatches) advance(j *fakeJob) {
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
	if j.status == "failed" { // the input did not validate: no files
		return
	}
	var out, errs bytes.Buffer
	for i := len(j.lines) - 1; i >= 0; i-- {
		l := j.lines[i]
		var id string
		_ = json.Unmarshal(l["custom_id"], &id)
		if i > 0 && j.status == "cancelled" {
			continue
		}
		if i > 0 && j.status == "expired" {
			fmt.Fprintf(&errs, `{"id":"batch_req_x%d","custom_id":%q,"response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}`+"\n", i, id)
			continue
		}
		var body struct {
			Model    string `json:"model"`
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
			Tools []struct {
				Function struct {
					Name string `json:"name"`
				} `json:"function"`
			} `json:"tools"`
			ToolChoice     json.RawMessage `json:"tool_choice"`
			ResponseFormat *struct {
				Type string `json:"type"`
			} `json:"response_format"`
		}
		_ = json.Unmarshal(l["body"], &body)
		text := body.Messages[len(body.Messages)-1].Content
		switch {
		case strings.Contains(text, "FAIL"):
			j.failed++
			fmt.Fprintf(&errs, `{"id":"batch_req_e%d","custom_id":%q,"response":{"status_code":400,"request_id":"req_e%d","body":{"error":{"message":"Invalid 'messages': refused.","type":"invalid_request_error","param":"messages","code":"invalid_value"}}},"error":null}`+"\n", i, id, i)
			continue
		case strings.Contains(text, "LEAK"):
			j.failed++
			fmt.Fprintf(&errs, `{"id":"batch_req_l%d","custom_id":%q,"response":null,"error":{"code":"invalid_request","message":"request signed with %s was refused"}}`+"\n", i, id, TestKey)
			continue
		case strings.Contains(text, "BADUTF8"):
			text += "\xff\xfe"
		}
		model := f.api.Model
		if model == "" {
			model = body.Model
		}
		choiceExtra, extra := "", ""
		if f.api.ChoiceExtra != "" {
			choiceExtra = "," + f.api.ChoiceExtra
		}
		if f.api.CompletionExtra != "" {
			extra = "," + f.api.CompletionExtra
		}
		j.completed++
		content, _ := json.Marshal("answer to: " + text)
		if strings.Contains(text, "BADUTF8") { // json.Marshal would have repaired it
			content = []byte(`"answer to: ` + text + `"`)
		}
		message, finish := fmt.Sprintf(`{"role":"assistant","content":%s,"refusal":null}`, content), "stop"
		if tool := forcedTool(f.t, body.ToolChoice, len(body.Tools)); tool != "" {
			name := body.Tools[len(body.Tools)-1].Function.Name
			if tool != "required" {
				name = tool
			}
			args, _ := json.Marshal(text)
			message = fmt.Sprintf(`{"role":"assistant","content":null,"tool_calls":[{"id":"call_%d","type":"function","function":{"name":%q,"arguments":%s}}],"refusal":null}`, i, name, args)
			finish = "tool_calls"
		} else if body.ResponseFormat != nil && body.ResponseFormat.Type == "json_schema" {
			content, _ = json.Marshal(text)
			message = fmt.Sprintf(`{"role":"assistant","content":%s,"refusal":null}`, content)
		}
		fmt.Fprintf(&out, `{"id":"batch_req_%d","custom_id":%q,"response":{"status_code":200,"request_id":"req_%d","body":{"id":"chatcmpl-%d","object":"chat.completion","created":1733550100,"model":%q,"choices":[{"index":0,"message":%s,"logprobs":null,"finish_reason":%q%s}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}%s}},"error":null}`+"\n",
			i, id, i, i, model, message, finish, choiceExtra, extra)
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

// forcedTool is the tool a tool_choice forces: its name, "required" for
// any of the tools offered, "" when no call is forced.
func forcedTool(t testing.TB, choice json.RawMessage, tools int) string {
	if len(choice) == 0 || tools == 0 {
		return ""
	}
	var word string
	if json.Unmarshal(choice, &word) == nil {
		if word == "required" {
			return word
		}
		return ""
	}
	var named struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if err := json.Unmarshal(choice, &named); err != nil || named.Type != "function" || named.Function.Name == "" {
		t.Errorf("tool_choice %s: neither a word nor a named function", choice)
		return ""
	}
	return named.Function.Name
}

func (f *FakeBatches) writeJob(w io.Writer, j *fakeJob) {
	nullable := func(s string) string {
		if s == "" {
			return "null"
		}
		return fmt.Sprintf("%q", s)
	}
	errs := "null"
	if j.status == "failed" || (f.api.ErrorsArray && j.failed > 0) {
		e := `{"code":"invalid_json_line","message":"This line is not parseable as valid JSON.","param":null,"line":1}`
		if f.api.ErrorsArray {
			errs = "[" + e + "]"
		} else {
			errs = `{"object":"list","data":[` + e + `]}`
		}
	}
	fmt.Fprintf(w, `{"id":%q,"object":"batch","endpoint":%q,"errors":%s,"input_file_id":%q,"completion_window":%q,"status":%q,"output_file_id":%s,"error_file_id":%s,"created_at":1733550000,"in_progress_at":null,"expires_at":1733636400,"finalizing_at":null,"completed_at":null,"failed_at":null,"expired_at":null,"cancelling_at":null,"cancelled_at":null,"request_counts":{"total":%d,"completed":%d,"failed":%d},"metadata":null}`,
		j.id, f.api.Endpoint, errs, j.input, f.api.Window, j.status, nullable(j.output), nullable(j.errors), len(j.lines), j.completed, j.failed)
}
