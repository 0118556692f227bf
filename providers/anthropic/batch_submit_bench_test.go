package anthropic_test

import (
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

	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
)

// BenchmarkBatchSubmit50k creates a Message Batch of 50,000 prompts at a
// fake that reads the body without keeping it, and reports the body's size
// and the peak heap in use while submitting, over the heap before (sampled
// every millisecond, and as the body arrives).
func BenchmarkBatchSubmit50k(b *testing.B) {
	const n = 50_000
	var bodyBytes atomic.Int64
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
		sample()
		k, _ := io.Copy(io.Discard, r.Body)
		sample()
		bodyBytes.Store(k)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"msgbatch_01","type":"message_batch","processing_status":"in_progress","request_counts":{"processing":50000,"succeeded":0,"errored":0,"canceled":0,"expired":0},"ended_at":null,"created_at":"2024-09-24T18:37:24.100435Z","expires_at":"2024-09-25T18:37:24.100435Z","cancel_initiated_at":null,"results_url":null}`)
	}))
	defer srv.Close()
	prompts := make([]ask, n)
	for i := range prompts {
		prompts[i] = ask{fmt.Sprintf("%d: %s", i, strings.Repeat("Recommend a fantasy book for a long train journey. ", 10))}
	}
	p := anthropic.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL), providers.WithMaxRetries(0))
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
		if _, err := batch.Submit(ctx, p, prompts); err != nil {
			b.Fatal(err)
		}
		close(done)
		mu.Lock()
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-over-base-MB")
		mu.Unlock()
	}
	b.ReportMetric(float64(bodyBytes.Load())/(1<<20), "body-MB")
}
