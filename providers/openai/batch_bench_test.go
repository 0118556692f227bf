package openai_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

// BenchmarkBatchResults100k reads a job of 100,000 results, each line
// written by the fake as it is read, and reports the peak heap in use while
// reading (sampled every 1,000 results): the output file is never held
// whole.
func BenchmarkBatchResults100k(b *testing.B) {
	const n = 100_000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
				fmt.Fprintf(bw, `{"id":"batch_req_%d","custom_id":"mirascope-%d","response":{"status_code":200,"request_id":"req_%d","body":{"id":"chatcmpl-%d","object":"chat.completion","created":1733550100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Try The Name of the Wind by Patrick Rothfuss, a lyrical fantasy.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":15,"total_tokens":27}}},"error":null}`+"\n", i, n-1-i, i, i)
			}
			_ = bw.Flush()
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	job, err := batch.Resume(ctx, newOpenAI(srv.URL), "batch_big")
	if err != nil {
		b.Fatal(err)
	}
	var peak uint64
	var ms runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		count := 0
		for r, err := range job.Results(ctx) {
			if err != nil || r.Err != nil {
				b.Fatal(err, r.Err)
			}
			count++
			if count%1000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		if count != n {
			b.Fatalf("%d results", count)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
