package otelsetup_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// receiver is an OTLP/HTTP trace receiver counting the spans it is sent.
type receiver struct {
	*httptest.Server
	spans    atomic.Int64
	requests atomic.Int64
	maxBody  atomic.Int64
	gate     chan struct{} // when non-nil, each request waits until it is closed

	mu    sync.Mutex
	names map[string]int // span name → count
}

func newReceiver(t testing.TB, gated bool) *receiver {
	r := &receiver{names: map[string]int{}}
	if gated {
		r.gate = make(chan struct{})
	}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.gate != nil {
			<-r.gate
		}
		body, err := io.ReadAll(req.Body)
		if err != nil || req.URL.Path != "/v1/traces" {
			w.WriteHeader(http.StatusOK) // metrics, if any, are not counted
			return
		}
		var msg coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &msg); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.requests.Add(1)
		for {
			m := r.maxBody.Load()
			if int64(len(body)) <= m || r.maxBody.CompareAndSwap(m, int64(len(body))) {
				break
			}
		}
		r.mu.Lock()
		for _, rs := range msg.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				r.spans.Add(int64(len(ss.Spans)))
				for _, s := range ss.Spans {
					r.names[s.Name]++
				}
			}
		}
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(func() {
		r.open()
		r.Close()
	})
	return r
}

// open lets gated requests through.
func (r *receiver) open() {
	if r.gate != nil {
		select {
		case <-r.gate:
		default:
			close(r.gate)
		}
	}
}

// otlpEnv points the standard environment at endpoint (OTLP/HTTP, traces
// only).
func otlpEnv(t testing.TB, endpoint string) {
	cleanEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
}

// answer is a provider that answers every call alike and, unlike mock,
// keeps no record of requests, so a burst's memory is the pipeline's.
type answer struct{}

func (answer) Info() mirascope.ProviderInfo {
	return mirascope.ProviderInfo{Name: "answer", Model: "answer-1", ServerAddress: "answer.invalid", ServerPort: 443}
}

func (answer) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return &mirascope.Response{Content: "Read Dune.", Model: "answer-1", FinishReasons: []string{"stop"},
		Usage: mirascope.Usage{InputTokens: 11, OutputTokens: 3}}, nil
}

// burst makes n traced calls from g goroutines and returns how long each
// took.
func burst(t testing.TB, n, g int) []time.Duration {
	t.Helper()
	return burstOf(t, n, g, "")
}

// burstOf is burst with pad appended to each prompt's field value.
func burstOf(t testing.TB, n, g int, pad string) []time.Duration {
	t.Helper()
	p := otel.Traced(answer{})
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, g)
	for range g {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				start := time.Now()
				_, err := mirascope.Call(context.Background(), p, Shorthand{Genre: fmt.Sprint(i) + pad})
				lat[i] = time.Since(start)
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return lat
}

// TestBurstDelivered: a burst several times the SDK's default queue reaches
// the collector whole, from 50 goroutines and from 1,000, and shutdown
// reports nothing lost.
func TestBurstDelivered(t *testing.T) {
	for _, g := range []int{50, 1000} {
		t.Run(fmt.Sprintf("goroutines=%d", g), func(t *testing.T) {
			r := newReceiver(t, false)
			otlpEnv(t, r.URL)
			shutdown, err := otelsetup.Configure()
			require.NoError(t, err)
			const n = 10_000
			burst(t, n, g)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			require.NoError(t, shutdown(ctx))
			assert.Equal(t, int64(n), r.spans.Load())
			assert.Equal(t, n, r.names["Shorthand"])
		})
	}
}

// TestBurstSmallQueue: with a queue far smaller than the burst, callers wait
// for room a bounded time; every span is delivered or counted dropped, and
// exports keep to the queue's size.
func TestBurstSmallQueue(t *testing.T) {
	r := newReceiver(t, false)
	otlpEnv(t, r.URL)
	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "16")
	shutdown, err := otelsetup.Configure()
	require.NoError(t, err)
	const n = 2000
	burst(t, n, 50)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = shutdown(ctx)
	var dropped int64
	if err != nil {
		var lost *otelsetup.LostSpansError
		require.ErrorAs(t, err, &lost)
		assert.Equal(t, otelsetup.LostSpansError{Ended: n, Dropped: lost.Dropped}, *lost, "only drops, no failures")
		dropped = lost.Dropped
	}
	assert.Equal(t, n-dropped, r.spans.Load(), "what was not dropped was delivered")
	assert.GreaterOrEqual(t, r.requests.Load(), r.spans.Load()/16, "batches no larger than the queue")
	t.Logf("%d of %d delivered through a 16-span queue, %d dropped after waiting", r.spans.Load(), n, dropped)
}

// TestDropOnFullQueue: a user who opts into dropping gets every drop counted,
// in shutdown's error and in the processor metric, and what was not dropped
// is delivered.
func TestDropOnFullQueue(t *testing.T) {
	r := newReceiver(t, true) // the collector answers nothing until opened
	otlpEnv(t, r.URL)
	reader := sdkmetric.NewManualReader()
	shutdown, err := otelsetup.Configure(otelsetup.WithMaxQueueSize(64), otelsetup.WithDropOnFullQueue(), otelsetup.WithMetricReaders(reader))
	require.NoError(t, err)

	const n = 1000
	start := time.Now()
	burst(t, n, 10)
	assert.Less(t, time.Since(start), 10*time.Second, "callers never wait on the stuck collector")

	processed := func() (full int64) {
		var rm metricdata.ResourceMetrics
		require.NoError(t, reader.Collect(context.Background(), &rm))
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				if m.Name != "otel.sdk.processor.span.processed" {
					continue
				}
				assert.Equal(t, "github.com/mirascope-go/mirascope/otel/otelsetup", sm.Scope.Name)
				for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
					if v, has := dp.Attributes.Value("error.type"); has {
						assert.Equal(t, "queue_full", v.AsString())
						full = dp.Value
					}
				}
			}
		}
		return full
	}
	full := processed()
	require.GreaterOrEqual(t, full, int64(n-64), "at most the queue's 64 spans were kept")

	r.open()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = shutdown(ctx)
	var lost *otelsetup.LostSpansError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, otelsetup.LostSpansError{Ended: n, Dropped: full}, *lost)
	assert.Equal(t, fmt.Sprintf("mirascope/otelsetup: %d of 1000 spans lost: %d dropped from a full queue", full, full), err.Error())
	assert.Equal(t, n-full, r.spans.Load(), "every span kept was delivered")
}

// TestExportBodiesBounded: spans carrying large prompts are sent in several
// requests, each under the bound, instead of one body a collector refuses.
func TestExportBodiesBounded(t *testing.T) {
	r := newReceiver(t, false)
	otlpEnv(t, r.URL)
	shutdown, err := otelsetup.Configure()
	require.NoError(t, err)
	p := otel.Traced(mock.New(mock.Text("ok")))
	big := strings.Repeat("é", 30<<10) // 60 KiB: a field value and the input message each
	const n = 200
	for i := range n {
		_, err := mirascope.Call(context.Background(), p, Shorthand{Genre: fmt.Sprint(i, big)})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, shutdown(ctx))
	assert.Equal(t, int64(n), r.spans.Load())
	assert.Greater(t, r.requests.Load(), int64(1))
	assert.LessOrEqual(t, r.maxBody.Load(), int64(otelsetup.DefaultMaxExportBytes))
	t.Logf("%d spans of ~120 KiB in %d requests, the largest %d bytes", n, r.requests.Load(), r.maxBody.Load())
}

// TestQueueBytesBounded: the spans waiting never exceed the byte bound, nor
// does a request; a span that finds no room in time is counted dropped.
// (That a full queue's partial batch is sent at once is
// TestWaitFlushesPartialBatch's.)
func TestQueueBytesBounded(t *testing.T) {
	r := newReceiver(t, false)
	otlpEnv(t, r.URL)
	shutdown, err := otelsetup.Configure(otelsetup.WithMaxQueueBytes(1 << 20))
	require.NoError(t, err)
	const n = 100
	burstOf(t, n, 10, strings.Repeat("x", 64<<10))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = shutdown(ctx)
	var dropped int64
	if err != nil {
		var lost *otelsetup.LostSpansError
		require.ErrorAs(t, err, &lost)
		assert.Equal(t, otelsetup.LostSpansError{Ended: n, Dropped: lost.Dropped}, *lost)
		dropped = lost.Dropped
	}
	assert.Equal(t, n-dropped, r.spans.Load())
	assert.LessOrEqual(t, r.maxBody.Load(), int64(1<<20), "a request holds no more than the queue may")
}

// TestRefusedSpansReported: spans the collector refuses are counted in
// shutdown's error, not only logged.
func TestRefusedSpansReported(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusBadRequest) // not retried
	}))
	defer srv.Close()
	otlpEnv(t, srv.URL)
	shutdown, err := otelsetup.Configure()
	require.NoError(t, err)
	burst(t, 30, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = shutdown(ctx)
	assert.EqualError(t, err, "mirascope/otelsetup: 30 of 30 spans lost: 30 failed to export")
	var lost *otelsetup.LostSpansError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, otelsetup.LostSpansError{Ended: 30, Failed: 30}, *lost)
}

// silentCollector accepts connections and never answers.
func silentCollector(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

// TestShutdownHonoursContext: against a collector that never answers,
// shutdown returns when its context ends, saying so and how many spans did
// not make it, for traces and metrics, over HTTP and gRPC.
func TestShutdownHonoursContext(t *testing.T) {
	for _, proto := range []string{"http/protobuf", "grpc"} {
		t.Run(proto, func(t *testing.T) {
			addr := silentCollector(t)
			cleanEnv(t)
			t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", proto)
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+addr)
			t.Setenv("OTEL_EXPORTER_OTLP_INSECURE", "true")
			t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
			t.Setenv("OTEL_METRICS_EXPORTER", "otlp")
			shutdown, err := otelsetup.Configure()
			require.NoError(t, err)
			burst(t, 100, 4)

			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			err = shutdown(ctx)
			elapsed := time.Since(start)
			assert.Less(t, elapsed, 2*time.Second, "shutdown waited %v past a 500ms deadline", elapsed)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			var lost *otelsetup.LostSpansError
			require.True(t, errors.As(err, &lost), "%v", err)
			assert.Equal(t, int64(100), lost.Ended)
			assert.Equal(t, int64(100), lost.Pending+lost.Failed)
			assert.Zero(t, lost.Dropped)
			assert.Same(t, err, shutdown(context.Background()), "later calls return the first result")
		})
	}
}

// TestShutdownConcurrent: a shutdown called while another is under way
// returns when its own context ends, not when the other's does, saying so
// and what is still queued; the work goes on and delivers every span once
// the collector answers, and the first call returns its outcome.
func TestShutdownConcurrent(t *testing.T) {
	r := newReceiver(t, true) // answers nothing until opened
	otlpEnv(t, r.URL)
	shutdown, err := otelsetup.Configure()
	require.NoError(t, err)
	burst(t, 100, 4)

	long, cancelLong := context.WithTimeout(context.Background(), time.Minute)
	defer cancelLong()
	first := make(chan error, 1)
	go func() { first <- shutdown(long) }()
	time.Sleep(100 * time.Millisecond) // let the first call start the work

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = shutdown(ctx)
	elapsed := time.Since(start)
	assert.Less(t, elapsed, 5*time.Second, "the second shutdown waited %v past its 300ms deadline", elapsed)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "mirascope/otelsetup: shutdown unfinished when its context ended")
	var lost *otelsetup.LostSpansError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, otelsetup.LostSpansError{Ended: 100, Pending: 100}, *lost, "still queued when it returned")

	canceled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	require.ErrorIs(t, shutdown(canceled), context.Canceled, "a third, already canceled, returns at once")

	r.open()
	select {
	case err := <-first:
		require.NoError(t, err, "the first shutdown delivered everything")
		assert.NoError(t, shutdown(context.Background()), "later calls return the outcome")
	case <-time.After(30 * time.Second):
		t.Fatal("the first shutdown did not return once the collector answered")
	}
	assert.Equal(t, int64(100), r.spans.Load())
}

// deadCollector points the standard environment, traces only, at a
// collector that accepts connections and never answers.
func deadCollector(t testing.TB, proto string) {
	addr := silentCollector(t)
	cleanEnv(t)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", proto)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+addr)
	t.Setenv("OTEL_EXPORTER_OTLP_INSECURE", "true")
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
}

// deadline makes n traced calls at once, each under its own context of d,
// and returns how long each took.
func deadline(t testing.TB, n int, d time.Duration) []time.Duration {
	t.Helper()
	p := otel.Traced(answer{})
	lat := make([]time.Duration, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			start := time.Now()
			_, errs[i] = mirascope.Call(ctx, p, Shorthand{Genre: fmt.Sprint("late-", i)})
			lat[i] = time.Since(start)
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	return lat
}

// TestDeadCollectorBounded: once a collector that never answers has filled
// the queue, traced calls with a 200ms deadline still return at once, not
// after an export's timeout (30s over HTTP, 10s over gRPC); the spans that
// found no room are dropped and counted, and shutdown honours its context.
func TestDeadCollectorBounded(t *testing.T) {
	for _, proto := range []string{"http/protobuf", "grpc"} {
		t.Run(proto, func(t *testing.T) {
			deadCollector(t, proto)
			const queue, fill, calls = 256, 3 * 256, 50
			shutdown, err := otelsetup.Configure(otelsetup.WithMaxQueueSize(queue))
			require.NoError(t, err)
			// Beyond the queue, and beyond the processor channel plus the batch it
			// holds, which is what bounded the queue before.
			fillLat := burst(t, fill, 10)
			lat := deadline(t, calls, 200*time.Millisecond)
			worst := slices.Max(lat)
			assert.Less(t, worst, 5*time.Second, "a traced call waited %v on a dead collector", worst)

			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			err = shutdown(ctx)
			elapsed := time.Since(start)
			assert.Less(t, elapsed, 5*time.Second, "shutdown waited %v past a 500ms deadline", elapsed)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			var lost *otelsetup.LostSpansError
			require.ErrorAs(t, err, &lost)
			assert.Equal(t, int64(fill+calls), lost.Ended)
			assert.Equal(t, lost.Ended, lost.Dropped+lost.Failed+lost.Pending, "every span lost")
			// Only a failed export frees room, so at most queue+Failed got in.
			assert.GreaterOrEqual(t, lost.Dropped, lost.Ended-queue-lost.Failed)
			t.Logf("worst wait: filling %v, the %d calls of 200ms %v; shutdown after %v: %v",
				slices.Max(fillLat), calls, worst, elapsed, lost)
		})
	}
}
