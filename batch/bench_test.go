package batch_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// BenchmarkResults100k reads 100,000 results already in memory (no
// service, no parsing of its output), raw and through ExtractJob: the
// difference is the per-result price of judging each answer with
// mirascope.Extract itself.
func BenchmarkResults100k(b *testing.B) {
	const n = 100_000
	results := make([]providerkit.BatchResult, n)
	for i := range results {
		results[i] = providerkit.BatchResult{CustomID: "mirascope-" + strconv.Itoa(i),
			Response: &mirascope.Response{Content: `{"title":"The Name of the Wind","year":2007}`}}
	}
	f := &fakeBatcher{Provider: mock.New(), results: results}
	ctx := context.Background()
	b.Run("Job", func(b *testing.B) {
		job, err := batch.Resume(ctx, f, "fake")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			for r, err := range job.Results(ctx) {
				if err != nil || r.Err != nil {
					b.Fatal(err, r.Err)
				}
			}
		}
	})
	b.Run("ExtractJob", func(b *testing.B) {
		job, err := batch.ResumeExtract[bookInfo](ctx, f, "fake")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			for r, err := range job.Results(ctx) {
				if err != nil || r.Err != nil {
					b.Fatal(err, r.Err)
				}
			}
		}
	})
}
