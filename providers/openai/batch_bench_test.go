package openai_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

// BenchmarkBatchResults100k reads a job of 100,000 results, each line
// written by the fake as it is read, and reports the peak heap in use while
// reading (sampled every 1,000 results): the output file is never held
// whole.
func BenchmarkBatchResults100k(b *testing.B) {
	srv := bigBatch(`Try The Name of the Wind by Patrick Rothfuss, a lyrical fantasy.`)
	defer srv.Close()
	ctx := context.Background()
	job, err := batch.Resume(ctx, newOpenAI(srv.URL), "batch_big")
	if err != nil {
		b.Fatal(err)
	}
	var h heapPeak
	b.ReportAllocs()
	for b.Loop() {
		h.round()
		for r, err := range job.Results(ctx) {
			if err != nil || r.Err != nil {
				b.Fatal(err, r.Err)
			}
			h.tick()
		}
	}
	h.done(b)
}

// BenchmarkBatchExtractResults100k is BenchmarkBatchResults100k through
// batch.ExtractJob: each answer decoded and validated into a T.
func BenchmarkBatchExtractResults100k(b *testing.B) {
	type book struct {
		Title  string `json:"title" validate:"required"`
		Author string `json:"author" validate:"required"`
		Year   int    `json:"year" validate:"min=1000"`
	}
	srv := bigBatch(`{\"title\":\"The Name of the Wind\",\"author\":\"Patrick Rothfuss\",\"year\":2007}`)
	defer srv.Close()
	ctx := context.Background()
	job, err := batch.ResumeExtract[book](ctx, newOpenAI(srv.URL), "batch_big")
	if err != nil {
		b.Fatal(err)
	}
	var h heapPeak
	b.ReportAllocs()
	for b.Loop() {
		h.round()
		for r, err := range job.Results(ctx) {
			if err != nil || r.Err != nil || r.Value.Year != 2007 {
				b.Fatal(err, r.Err)
			}
			h.tick()
		}
	}
	h.done(b)
}

const bigN = 100_000

// bigBatch serves the ended job batch_big of bigN results answering
// content (as it appears inside a JSON string), in reverse order.
func bigBatch(content string) *httptest.Server {
	const n = bigN
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+oaitest.TestKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/batches/batch_big":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"batch_big","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"file-in","completion_window":"24h","status":"completed","output_file_id":"file-big","error_file_id":null,"created_at":1733550000,"request_counts":{"total":%d,"completed":%d,"failed":0}}`, n, n)
		case "/files/file-big/content":
			bw := bufio.NewWriter(w)
			for i := range n {
				fmt.Fprintf(bw, `{"id":"batch_req_%d","custom_id":"mirascope-%d","response":{"status_code":200,"request_id":"req_%d","body":{"id":"chatcmpl-%d","object":"chat.completion","created":1733550100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":15,"total_tokens":27}}},"error":null}`+"\n", i, n-1-i, i, i, content)
			}
			_ = bw.Flush()
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
}

// heapPeak samples the heap in use every 1,000 results.
type heapPeak struct {
	ms    runtime.MemStats
	peak  uint64
	count int
}

func (h *heapPeak) tick() {
	h.count++
	if h.count%1000 == 0 {
		runtime.ReadMemStats(&h.ms)
		h.peak = max(h.peak, h.ms.HeapInuse)
	}
}

// round starts a reading of the whole job.
func (h *heapPeak) round() { runtime.GC(); h.count = 0 }

func (h *heapPeak) done(b *testing.B) {
	if h.count != bigN {
		b.Fatalf("%d results", h.count)
	}
	b.ReportMetric(float64(h.peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkBatchSubmit50k submits 50,000 prompts (the Batch API's most per
// job) to a fake that reads the upload without keeping it, and reports the
// input file's size and the peak heap in use while submitting (sampled
// every millisecond, and as the upload arrives): a few times the file
// would mean the file is copied whole on its way out.
func BenchmarkBatchSubmit50k(b *testing.B) {
	const n = 50_000
	var fileBytes int64
	var mu sync.Mutex
	var peak uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/files":
			sample()
			n, _ := io.Copy(io.Discard, r.Body)
			sample()
			atomic.StoreInt64(&fileBytes, n)
			fmt.Fprint(w, `{"id":"file-in","object":"file","bytes":1,"created_at":1733550000,"filename":"batch.jsonl","purpose":"batch","status":"processed"}`)
		case "/batches":
			fmt.Fprint(w, `{"id":"batch_1","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"file-in","completion_window":"24h","status":"validating","created_at":1733550000,"request_counts":{"total":0,"completed":0,"failed":0}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	prompts := make([]ask, n)
	for i := range prompts {
		prompts[i] = ask{fmt.Sprintf("%d: %s", i, strings.Repeat("Recommend a fantasy book for a long train journey. ", 10))}
	}
	p := newOpenAI(srv.URL)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		base := ms.HeapInuse
		peak = base
		mu.Unlock()
		done := make(chan struct{})
		go func() {
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					sample()
				}
			}
		}()
		if _, err := batch.Submit(ctx, p, prompts, mirascope.WithMaxTokens(64)); err != nil {
			b.Fatal(err)
		}
		close(done)
		mu.Lock()
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-over-base-MB")
		mu.Unlock()
	}
	b.ReportMetric(float64(atomic.LoadInt64(&fileBytes))/(1<<20), "file-MB")
}
