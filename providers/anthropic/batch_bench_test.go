package anthropic_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/mirascope-go/mirascope/batch"
)

// BenchmarkBatchResults100k reads a batch of 100,000 results, each line
// written by the fake as it is read, and reports the peak heap in use while
// reading (sampled every 1,000 results): the results are never held whole.
func BenchmarkBatchResults100k(b *testing.B) {
	const n = 100_000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != testKey && r.Header.Get("Authorization") != "Bearer "+testKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/v1/messages/batches/msgbatch_big":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"msgbatch_big","type":"message_batch","processing_status":"ended","request_counts":{"processing":0,"succeeded":%d,"errored":0,"canceled":0,"expired":0},"ended_at":"2024-09-24T19:00:00Z","created_at":"2024-09-24T18:37:24.100435Z","expires_at":"2024-09-25T18:37:24.100435Z","archived_at":null,"cancel_initiated_at":null,"results_url":"https://api.anthropic.com/v1/messages/batches/msgbatch_big/results"}`, n)
		case "/v1/messages/batches/msgbatch_big/results":
			w.Header().Set("Content-Type", "application/binary")
			bw := bufio.NewWriter(w)
			for i := range n {
				fmt.Fprintf(bw, `{"custom_id":"mirascope-%d","result":{"type":"succeeded","message":{"id":"msg_%d","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Try The Name of the Wind by Patrick Rothfuss, a lyrical fantasy."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":15,"service_tier":"batch"}}}}`+"\n", n-1-i, i)
			}
			_ = bw.Flush()
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	job, err := batch.Resume(ctx, newBatcher(srv.URL), "msgbatch_big")
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
