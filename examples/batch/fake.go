package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// fake serves the part of OpenAI's Files and Batch API a job uses, as its
// API reference describes it: POST /files (multipart, purpose "batch"),
// POST /batches, GET /batches/{id}, POST /batches/{id}/cancel and
// GET /files/{id}/content. A job is validating, then in_progress, then
// completed, one step per status request. The output file lists the answers
// in reverse order; a prompt containing "FAIL" gets a 400 line in the
// error file instead.
type fake struct {
	mu    sync.Mutex
	files map[string][]byte
	jobs  map[string]*fakeJob
}

type fakeJob struct {
	ID            string  `json:"id"`
	Object        string  `json:"object"`
	Endpoint      string  `json:"endpoint"`
	InputFileID   string  `json:"input_file_id"`
	Window        string  `json:"completion_window"`
	Status        string  `json:"status"`
	OutputFileID  *string `json:"output_file_id"`
	ErrorFileID   *string `json:"error_file_id"`
	CreatedAt     int64   `json:"created_at"`
	RequestCounts struct {
		Total     int `json:"total"`
		Completed int `json:"completed"`
		Failed    int `json:"failed"`
	} `json:"request_counts"`
}

func newFake() *fake { return &fake{files: map[string][]byte{}, jobs: map[string]*fakeJob{}} }

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && p == "/files":
		file, _, err := r.FormFile("file")
		if err != nil || r.FormValue("purpose") != "batch" {
			f.fail(w, http.StatusBadRequest, "a batch input file is required")
			return
		}
		data, _ := io.ReadAll(file)
		id := fmt.Sprintf("file-%d", len(f.files)+1)
		f.files[id] = data
		fmt.Fprintf(w, `{"id":%q,"object":"file","bytes":%d,"created_at":1733550000,"filename":"batch.jsonl","purpose":"batch"}`, id, len(data))
	case r.Method == http.MethodPost && p == "/batches":
		var body struct {
			InputFileID string `json:"input_file_id"`
		}
		if json.NewDecoder(r.Body).Decode(&body) != nil || f.files[body.InputFileID] == nil {
			f.fail(w, http.StatusBadRequest, "no such input file")
			return
		}
		j := &fakeJob{ID: fmt.Sprintf("batch_%d", len(f.jobs)+1), Object: "batch", Endpoint: "/v1/chat/completions",
			InputFileID: body.InputFileID, Window: "24h", Status: "validating", CreatedAt: 1733550000}
		f.jobs[j.ID] = j
		_ = json.NewEncoder(w).Encode(j)
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/cancel"):
		j := f.jobs[strings.TrimSuffix(strings.TrimPrefix(p, "/batches/"), "/cancel")]
		if j == nil {
			f.fail(w, http.StatusNotFound, "no such batch")
			return
		}
		j.Status = "cancelled"
		_ = json.NewEncoder(w).Encode(j)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/batches/"):
		j := f.jobs[strings.TrimPrefix(p, "/batches/")]
		if j == nil {
			f.fail(w, http.StatusNotFound, "no such batch")
			return
		}
		switch j.Status {
		case "validating":
			j.Status = "in_progress"
		case "in_progress":
			f.complete(j)
		}
		_ = json.NewEncoder(w).Encode(j)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/files/") && strings.HasSuffix(p, "/content"):
		data, ok := f.files[strings.TrimSuffix(strings.TrimPrefix(p, "/files/"), "/content")]
		if !ok {
			f.fail(w, http.StatusNotFound, "no such file")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(data)
	default:
		f.fail(w, http.StatusNotFound, "unknown endpoint "+p)
	}
}

func (f *fake) fail(w http.ResponseWriter, status int, msg string) {
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":%q,"type":"invalid_request_error","param":null,"code":null}}`, msg)
}

// complete answers every line of j's input file, last first.
func (f *fake) complete(j *fakeJob) {
	var lines [][]byte
	for sc := bufio.NewScanner(bytes.NewReader(f.files[j.InputFileID])); sc.Scan(); {
		lines = append(lines, bytes.Clone(sc.Bytes()))
	}
	var out, errs bytes.Buffer
	for i := len(lines) - 1; i >= 0; i-- {
		var in struct {
			CustomID string `json:"custom_id"`
			Body     struct {
				Model    string `json:"model"`
				Messages []struct {
					Content string `json:"content"`
				} `json:"messages"`
			} `json:"body"`
		}
		if json.Unmarshal(lines[i], &in) != nil || len(in.Body.Messages) == 0 {
			continue
		}
		text := in.Body.Messages[len(in.Body.Messages)-1].Content
		if strings.Contains(text, "FAIL") {
			j.RequestCounts.Failed++
			fmt.Fprintf(&errs, `{"id":"batch_req_%d","custom_id":%q,"response":{"status_code":400,"request_id":"req_%d","body":{"error":{"message":"That is not a book.","type":"invalid_request_error","param":"messages","code":null}}},"error":null}`+"\n", i, in.CustomID, i)
			continue
		}
		j.RequestCounts.Completed++
		fmt.Fprintf(&out, `{"id":"batch_req_%d","custom_id":%q,"response":{"status_code":200,"request_id":"req_%d","body":{"id":"chatcmpl-%d","object":"chat.completion","created":1733550100,"model":"%s-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":%q,"refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":1,"total_tokens":21}}},"error":null}`+"\n", i, in.CustomID, i, i, in.Body.Model, genre(text))
	}
	j.RequestCounts.Total = len(lines)
	j.Status = "completed"
	for _, file := range []struct {
		data *bytes.Buffer
		id   **string
		name string
	}{{&out, &j.OutputFileID, "file-out-" + j.ID}, {&errs, &j.ErrorFileID, "file-err-" + j.ID}} {
		if file.data.Len() > 0 {
			name := file.name
			f.files[name] = file.data.Bytes()
			*file.id = &name
		}
	}
}

// genre is the fake's whole knowledge of books.
func genre(prompt string) string {
	for title, g := range map[string]string{"Name of the Wind": "fantasy", "Dune": "science fiction", "Gone Girl": "thriller"} {
		if strings.Contains(prompt, title) {
			return g
		}
	}
	return "unknown"
}
