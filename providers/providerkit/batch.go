package providerkit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/mirascope-go/mirascope"
)

// Batcher is the optional capability of a [mirascope.Provider] whose
// service runs batch jobs: a file of requests answered within a day, at
// about half the price. Package batch finds it by type assertion, along
// Unwrap() mirascope.Provider, so a decorated provider (otel.Traced)
// batches too. Implementations must be safe for concurrent use.
type Batcher interface {
	// SubmitBatch uploads reqs as one job and returns the service's job id.
	// Each request carries its CustomID into the service's own per-request
	// id, and BatchResults returns it unchanged: that is how a result finds
	// its prompt, even in another process. The requests are built and
	// checked already; a request this provider cannot send is an error
	// before anything is uploaded.
	SubmitBatch(ctx context.Context, reqs []BatchRequest) (id string, err error)
	// BatchStatus reports where the job stands.
	BatchStatus(ctx context.Context, id string) (BatchStatus, error)
	// BatchResults streams the job's results, in the service's order,
	// without holding the whole output in memory. One request's failure is
	// its BatchResult.Err; the iterator's error is for the stream itself
	// (a download that fails, a job that is not done).
	BatchResults(ctx context.Context, id string) iter.Seq2[BatchResult, error]
	// CancelBatch asks the service to stop the job.
	CancelBatch(ctx context.Context, id string) error
}

// ErrBatchNoResults is matched (errors.Is) by BatchResults' error for a
// job with nothing to read: one still running, or one that failed.
// Package batch exports it as batch.ErrNoResults.
var ErrBatchNoResults = errors.New("no results to read")

// BatchRequestError is SubmitBatch's error for one request the provider
// cannot send (a setting or a part the service refuses), before anything
// is uploaded. Package batch reports it as that prompt's *batch.PromptError,
// found by its CustomID.
type BatchRequestError struct {
	CustomID string
	Err      error
}

func (e *BatchRequestError) Error() string {
	return e.Err.Error() + " (batch request " + e.CustomID + ")"
}

func (e *BatchRequestError) Unwrap() error { return e.Err }

// BatchRequest is one request of a batch and the id it travels under.
type BatchRequest struct {
	CustomID string
	Request  *mirascope.Request
}

// BatchResult is one answer of a batch: a response or that request's error.
type BatchResult struct {
	CustomID string
	Response *mirascope.Response
	Err      error
}

// BatchState is where a job stands.
type BatchState string

const (
	BatchRunning   BatchState = "running"   // validating, queued or in progress
	BatchEnded     BatchState = "ended"     // every request answered; results ready
	BatchFailed    BatchState = "failed"    // the service rejected the job
	BatchExpired   BatchState = "expired"   // its window passed; answered requests may still have results
	BatchCancelled BatchState = "cancelled" // cancelled; answered requests may still have results
)

// BatchStatus is a job's state and the service's counts of its requests.
type BatchStatus struct {
	State BatchState
	// Raw is the service's own name for the state, e.g. "in_progress".
	Raw                      string
	Total, Completed, Failed int
	// Reason is the service's own account of why a job failed (its first
	// few errors, masked, each cut short; see [BatchReason]), "" when it
	// gives none: a failed job has no results that could say it.
	Reason string
}

// BatchReason joins a failed job's error messages for BatchStatus.Reason:
// at most three, each cut to 300 bytes, the count of the rest after them.
func BatchReason(msgs []string) string {
	const most, long = 3, 300
	var b strings.Builder
	for i, m := range msgs {
		if i == most {
			fmt.Fprintf(&b, "; and %d more", len(msgs)-most)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		if len(m) > long {
			m = strings.ToValidUTF8(m[:long], "") + "…"
		}
		b.WriteString(m)
	}
	return b.String()
}

// BatchObserver is the optional capability of a provider decorator that
// observes batches (otel.Traced records a span for the submission and one
// chat span per result). Package batch finds it as it finds the
// [Batcher], along Unwrap, so neither package imports the decorator's.
// Implementations must be safe for concurrent use.
type BatchObserver interface {
	// StartBatch is called before n requests built from prompts of type
	// promptType are uploaded; end is called once with the job id, or the
	// error the submission failed with. The returned context is the
	// upload's; package batch keeps it, without its cancellation, for
	// BatchResult's submitted.
	StartBatch(ctx context.Context, promptType string, n int) (_ context.Context, end func(id string, err error))
	// BatchResult reports one result of job id as it is read: resp, or
	// that request's err. submitted is the context StartBatch returned,
	// or nil when the job was resumed and its submission is unknown.
	BatchResult(ctx, submitted context.Context, id string, resp *mirascope.Response, err error)
}
