package google_test

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
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
)

// resultsFile generates a responses file of n lines as it is read, so the
// test holds none of it.
type resultsFile struct {
	n, i    int
	pad     string
	keyless bool // lines without their keys, in the requests' order
	buf     []byte
	off     int
}

func (r *resultsFile) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.i >= r.n {
			return 0, io.EOF
		}
		r.buf = append(r.buf[:0], '{')
		if !r.keyless {
			r.buf = fmt.Appendf(r.buf, `"key":"mirascope-%d",`, r.i)
		}
		r.buf = fmt.Appendf(r.buf, `"response":{"candidates":[{"content":{"parts":[{"text":"%s"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":6,"totalTokenCount":17},"modelVersion":"gemini-2.0-flash-001","responseId":"r%d"}}`+"\n", r.pad, r.i)
		r.off = 0
		r.i++
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// bigBatch answers GET batches/big as a succeeded job (named with the
// keys' rule, as this package names its jobs) whose responses file is a
// resultsFile of n lines, read through body.
type bigBatch struct {
	n       int
	pad     string
	keyless bool
	body    func(io.Reader) io.Reader
}

func (b bigBatch) RoundTrip(r *http.Request) (*http.Response, error) {
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r}
	switch r.URL.Path {
	case "/v1beta/batches/big":
		resp.Body = io.NopCloser(strings.NewReader(fmt.Sprintf(`{"name":"batches/big","metadata":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch","model":"models/gemini-2.0-flash-001","displayName":"mirascope-batch keys=mirascope-{i}","output":{"responsesFile":"files/big-out"},"batchStats":{"requestCount":"%d","successfulRequestCount":"%d"},"state":"BATCH_STATE_SUCCEEDED","name":"batches/big"},"done":true,"response":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput","responsesFile":"files/big-out"}}`, b.n, b.n)))
	case "/download/v1beta/files/big-out:download":
		resp.Body = io.NopCloser(b.body(&resultsFile{n: b.n, pad: b.pad, keyless: b.keyless}))
	default:
		resp.StatusCode = 404
		resp.Body = io.NopCloser(strings.NewReader(`{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}`))
	}
	return resp, nil
}

func bigProvider(b bigBatch) *google.Provider {
	return google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL("http://gemini.test"),
		providers.WithMaxRetries(0), providers.WithHTTPClient(&http.Client{Transport: b}))
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A 5 MB responses file arriving one byte per read is decoded line by
// line, its lines with their keys or without: the live heap stays flat, far
// below the file's size.
func TestBatchResultsOneByteChunksFlatMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 5 MB a byte at a time")
	}
	for _, keyless := range []bool{false, true} {
		t.Run(fmt.Sprint("keyless=", keyless), func(t *testing.T) { testOneByteChunksFlatMemory(t, keyless) })
	}
}

func testOneByteChunksFlatMemory(t *testing.T, keyless bool) {
	const n = 2500
	b := bigBatch{n: n, keyless: keyless, pad: strings.Repeat("p", 2000), body: iotest.OneByteReader}
	job, err := batch.Resume(context.Background(), bigProvider(b), "batches/big")
	require.NoError(t, err)
	base := liveHeap()
	var peak uint64
	count := 0
	for r, err := range job.Results(context.Background()) {
		require.NoError(t, err)
		require.NoError(t, r.Err)
		require.Equal(t, count, r.Index)
		count++
		if count%250 == 0 {
			peak = max(peak, liveHeap())
		}
	}
	require.Equal(t, n, count)
	grew := int64(peak) - int64(base)
	t.Logf("file %d MB, live heap grew at most %d KB", n*2200>>20, grew>>10)
	require.Less(t, grew, int64(1<<20), "the file is never held")
}

// BenchmarkBatchResults reads 100,000 results from a responses file; the
// peak-heap-MB metric is the largest heap seen while reading (sampled every
// 10,000 results, garbage included).
func BenchmarkBatchResults(b *testing.B) {
	for _, keyless := range []bool{false, true} {
		b.Run(fmt.Sprint("keyless=", keyless), func(b *testing.B) { benchmarkBatchResults(b, keyless) })
	}
}

func benchmarkBatchResults(b *testing.B, keyless bool) {
	const n = 100_000
	bb := bigBatch{n: n, keyless: keyless, pad: "An answer of a typical short length, some forty words of text in all.", body: func(r io.Reader) io.Reader { return r }}
	job, err := batch.Resume(context.Background(), bigProvider(bb), "batches/big")
	require.NoError(b, err)
	var peak uint64
	var m runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for r, err := range job.Results(context.Background()) {
			if err != nil || r.Err != nil {
				b.Fatal(err, r.Err)
			}
			count++
			if count%10_000 == 0 {
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
		if count != n {
			b.Fatal(count)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkBatchSubmitFile submits 20,000 prompts as an input file (the
// inline limit lowered) to a fake that reads the upload without keeping
// it, and reports the file's size and the peak heap in use while
// submitting, over the heap before (sampled every millisecond).
func BenchmarkBatchSubmitFile(b *testing.B) {
	defer google.SetBatchLimits(100, 0, 0)()
	const n = 20_000
	var fileBytes atomic.Int64
	var mu sync.Mutex
	var peak uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/upload/v1beta/files" && r.Header.Get("X-Goog-Upload-Command") == "start":
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("X-Goog-Upload-Url", srvURL+"/upload/v1beta/files?upload_id=u1")
			w.Header().Set("X-Goog-Upload-Status", "active")
		case r.URL.Path == "/upload/v1beta/files":
			sample()
			k, _ := io.Copy(io.Discard, r.Body)
			if r.Header.Get("X-Goog-Upload-Offset") == "0" {
				fileBytes.Store(0)
			}
			fileBytes.Add(k)
			status := "active"
			if strings.Contains(r.Header.Get("X-Goog-Upload-Command"), "finalize") {
				status = "final"
			}
			w.Header().Set("X-Goog-Upload-Status", status)
			fmt.Fprint(w, `{"file":{"name":"files/in1","mimeType":"application/jsonl","state":"ACTIVE"}}`)
		case strings.HasSuffix(r.URL.Path, ":batchGenerateContent"):
			_, _ = io.Copy(io.Discard, r.Body)
			fmt.Fprint(w, `{"name":"batches/b1","metadata":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch","name":"batches/b1","state":"BATCH_STATE_PENDING"}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	srvURL = srv.URL
	prompts := make([]ask, n)
	for i := range prompts {
		prompts[i] = ask{fmt.Sprintf("%d: %s", i, strings.Repeat("Recommend a fantasy book for a long train journey. ", 20))}
	}
	p := google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(srv.URL), providers.WithMaxRetries(0))
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
	b.ReportMetric(float64(fileBytes.Load())/(1<<20), "file-MB")
}
