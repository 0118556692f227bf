package otelsetup

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// stepExporter answers each export request with the next error the test
// sends on results, or at once with success once results is closed.
type stepExporter struct {
	results chan error
	calls   atomic.Int64
}

func (e *stepExporter) ExportSpans(ctx context.Context, _ []sdktrace.ReadOnlySpan) error {
	e.calls.Add(1)
	select {
	case err := <-e.results:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (*stepExporter) Shutdown(context.Context) error { return nil }

// testPipeline builds a pipeline over exp with a tracer whose spans end in
// it, and shuts both down after the test, letting every export succeed.
func testPipeline(t *testing.T, exp *stepExporter, queue int, maxBytes int64) (*pipeline, trace.Tracer) {
	p := newPipeline(exp, queue, maxBytes, false)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(p))
	var once sync.Once
	t.Cleanup(func() {
		once.Do(func() { close(exp.results) })
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, tp.Shutdown(ctx))
	})
	return p, tp.Tracer("test")
}

// end starts and ends one span and returns how long ending it took.
func end(tr trace.Tracer, attrs ...attribute.KeyValue) time.Duration {
	_, s := tr.Start(context.Background(), "span", trace.WithAttributes(attrs...))
	start := time.Now()
	s.End()
	return time.Since(start)
}

// eventually waits up to 10 seconds for cond.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// returns runs f and reports whether it returned within 10 seconds.
func returns(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	return done
}

// TestWaitIsBounded: a span that finds the queue full while an export is
// stuck waits MaxEnqueueWait for room, then is dropped and counted.
func TestWaitIsBounded(t *testing.T) {
	exp := &stepExporter{results: make(chan error)}
	p, tr := testPipeline(t, exp, 2, 1<<20)
	p.stallAfter = time.Hour
	end(tr)
	end(tr) // a full batch: its export is stuck
	eventually(t, func() bool { return exp.calls.Load() == 1 }, "the first export")
	d := end(tr)
	assert.GreaterOrEqual(t, d, MaxEnqueueWait, "it waited for room")
	assert.Less(t, d, 5*time.Second)
	assert.Equal(t, int64(1), p.dropped.Load())
	assert.Equal(t, int64(2), p.accepted.Load())
}

// TestFailingExportsSkipWait: after an export fails, a span that finds the
// queue full is dropped without waiting; once an export succeeds again, such
// a span waits for room and gets in.
func TestFailingExportsSkipWait(t *testing.T) {
	exp := &stepExporter{results: make(chan error)}
	p, tr := testPipeline(t, exp, 2, 1<<20)
	p.maxWait, p.stallAfter = time.Hour, time.Hour // only the breaker can stop a wait

	end(tr)
	end(tr)
	exp.results <- errors.New("refused") // the first export fails
	eventually(t, func() bool { return p.failed.Load() == 2 }, "the failure")
	end(tr)
	end(tr) // the second export is stuck
	select {
	case <-returns(func() { end(tr) }):
	case <-time.After(10 * time.Second):
		t.Fatal("a span waited for room while exports were failing")
	}
	assert.Equal(t, int64(1), p.dropped.Load())

	exp.results <- nil // the second export succeeds
	eventually(t, func() bool { return p.exported.Load() == 2 }, "the success")
	end(tr)
	end(tr) // the third export is stuck
	waiter := returns(func() { end(tr) })
	select {
	case <-waiter:
		t.Fatal("a span was dropped at once while exports succeed")
	case <-time.After(100 * time.Millisecond):
	}
	exp.results <- nil // the third export makes room
	select {
	case <-waiter:
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting span did not get the room")
	}
	assert.Equal(t, int64(1), p.dropped.Load())
	assert.Equal(t, int64(7), p.accepted.Load())
}

// TestStalledExportSkipsWait: once an export has run for longer than
// stallAfter, a span that finds the queue full is dropped without waiting.
func TestStalledExportSkipsWait(t *testing.T) {
	exp := &stepExporter{results: make(chan error)}
	p, tr := testPipeline(t, exp, 2, 1<<20)
	p.maxWait, p.stallAfter = time.Hour, 50*time.Millisecond
	end(tr)
	end(tr)
	eventually(t, p.stalled, "the stall")
	select {
	case <-returns(func() { end(tr) }):
	case <-time.After(10 * time.Second):
		t.Fatal("a span waited for room behind a stalled export")
	}
	assert.Equal(t, int64(1), p.dropped.Load())
}

// TestWaitFlushesPartialBatch: when the byte bound is reached long before a
// batch is full, a waiting span has the partial batch sent at once, rather
// than when the batch timer fires (here never).
func TestWaitFlushesPartialBatch(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "3600000")
	exp := &stepExporter{results: make(chan error)}
	close(exp.results) // every export succeeds at once
	pad := attribute.String("pad", strings.Repeat("x", 1000))
	probe := sdktrace.NewTracerProvider()
	_, s := probe.Tracer("probe").Start(context.Background(), "span", trace.WithAttributes(pad))
	s.End()
	w := int64(spanSize(s.(sdktrace.ReadOnlySpan)))

	p := newPipeline(exp, 512, 2*w, false) // two spans fill the bytes
	p.maxWait = time.Hour                  // only a flush can make room
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(p))
	tr := tp.Tracer("test")
	const n = 10
	select {
	case <-returns(func() {
		for range n {
			end(tr, pad)
		}
	}):
	case <-time.After(30 * time.Second):
		t.Fatal("spans waited for a batch nobody sent")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, tp.Shutdown(ctx))
	assert.Equal(t, int64(n), p.exported.Load())
	assert.Zero(t, p.dropped.Load())
	assert.GreaterOrEqual(t, exp.calls.Load(), int64(n/2), "batches of at most two")
}
