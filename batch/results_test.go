package batch_test

import (
	"context"
	"iter"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// streamBatcher makes n results as they are read, in reverse order, each
// with a fresh Response, ignoring its context as a careless Batcher might;
// ids, when set, are the custom ids of its results instead.
type streamBatcher struct {
	*mock.Provider
	n    int
	ids  []string
	read int // results made
}

func (s *streamBatcher) SubmitBatch(context.Context, []providerkit.BatchRequest) (string, error) {
	return "stream", nil
}
func (s *streamBatcher) BatchStatus(context.Context, string) (providerkit.BatchStatus, error) {
	return providerkit.BatchStatus{State: providerkit.BatchEnded}, nil
}
func (s *streamBatcher) CancelBatch(context.Context, string) error { return nil }
func (s *streamBatcher) BatchResults(context.Context, string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		if s.ids != nil {
			for _, id := range s.ids {
				s.read++
				if !yield(providerkit.BatchResult{CustomID: id, Response: &mirascope.Response{Content: id}}, nil) {
					return
				}
			}
			return
		}
		for i := s.n - 1; i >= 0; i-- {
			s.read++
			r := providerkit.BatchResult{CustomID: "mirascope-" + strconv.Itoa(i), Response: &mirascope.Response{Content: "ok"}}
			if !yield(r, nil) {
				return
			}
		}
	}
}

func resume(t testing.TB, b providerkit.Batcher) *batch.Job {
	job, err := batch.Resume(context.Background(), b.(mirascope.Provider), "stream")
	require.NoError(t, err)
	return job
}

// A million results stream through, each once, with its own index.
func TestResultsMillion(t *testing.T) {
	const n = 1_000_000
	s := &streamBatcher{Provider: mock.New(), n: n}
	seen := make([]bool, n)
	count := 0
	for r, err := range resume(t, s).Results(context.Background()) {
		if err != nil || r.Index < 0 || r.Index >= n || seen[r.Index] {
			t.Fatalf("result %d: %v, %v", count, r.Index, err)
		}
		seen[r.Index] = true
		count++
	}
	assert.Equal(t, n, count)
	assert.Equal(t, n, s.read)
}

// Breaking out of the range stops the Batcher: nothing more is read.
func TestResultsEarlyBreak(t *testing.T) {
	s := &streamBatcher{Provider: mock.New(), n: 1_000_000}
	count := 0
	for range resume(t, s).Results(context.Background()) {
		count++
		if count == 10 {
			break
		}
	}
	assert.Equal(t, 10, s.read)
}

// A context cancelled while the results are read ends the stream with its
// error at the next result, even from a Batcher that does not watch it.
func TestResultsContextCancelledMidRange(t *testing.T) {
	s := &streamBatcher{Provider: mock.New(), n: 1_000_000}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ok, errs := 0, 0
	for r, err := range resume(t, s).Results(ctx) {
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, -1, r.Index)
			errs++
			continue
		}
		ok++
		if ok == 5 {
			cancel()
		}
	}
	assert.Equal(t, 5, ok)
	assert.Equal(t, 1, errs, "one error, then the end")
	assert.LessOrEqual(t, s.read, 6)
}

// Custom ids this package did not make are stream errors naming them, the
// id quoted (invalid UTF-8 escaped) and cut short when huge; none panics
// nor becomes an index.
func TestResultsHostileCustomIDs(t *testing.T) {
	ids := []string{
		"mirascope-", "mirascope-01", "mirascope-+1", "mirascope--1", "mirascope-99999999999999999999",
		"mirascope-1\xff", "\xff\xfe", "mirascope-\xc0\x80", "mirascope-١", "mirascope-1 ", " mirascope-1",
		"mirascope-0x1", "mirascope-1e3", "mirascope-1_000", "MIRASCOPE-1", "", "mirascope-" + strings.Repeat("9", 1<<20),
		"mirascope-0", "mirascope-9223372036854775807",
	}
	s := &streamBatcher{Provider: mock.New(), ids: ids}
	var idx []int
	var errs []error
	for r, err := range resume(t, s).Results(context.Background()) {
		if err != nil {
			assert.Equal(t, -1, r.Index)
			assert.Nil(t, r.Response)
			errs = append(errs, err)
			continue
		}
		idx = append(idx, r.Index)
	}
	assert.Equal(t, []int{0, 9223372036854775807}, idx)
	require.Len(t, errs, len(ids)-2)
	for _, err := range errs {
		msg := err.Error()
		assert.Contains(t, msg, "unknown custom id")
		assert.Less(t, len(msg), 400, "a huge id is cut short")
		assert.True(t, utf8Valid(msg), "%q", msg)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "?") == s }

// BenchmarkResults reads 10,000 to a million results from a Batcher that
// makes them as they are read, and reports the peak heap in use while
// reading (sampled every 1,000 results): flat, as Results holds none.
func BenchmarkResults(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s := &streamBatcher{Provider: mock.New(), n: n}
			job := resume(b, s)
			ctx := context.Background()
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
		})
	}
}
