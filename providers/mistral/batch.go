package mistral

import (
	"context"
	"iter"

	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The Batch API's limits per job (Mistral's batch guide: at most one
// million pending requests per workspace, so no job above it; the Files
// API: 512 MB a file, read as 512×10⁶ bytes, the lower reading). A job over
// either is refused before anything is uploaded; the caller splits the
// prompts across jobs.
const (
	MaxBatchRequests = 1_000_000
	MaxBatchBytes    = 512_000_000
)

// The limits in force, lowered by tests.
var maxBatchRequests, maxBatchBytes = MaxBatchRequests, MaxBatchBytes

var _ providerkit.Batcher = (*Provider)(nil)

// SubmitBatch implements [providerkit.Batcher] (use package batch): the
// requests go up as one JSONL file, each line {"custom_id", "body"} with the
// body Call would send, and become a job on /v1/chat/completions for the
// requests' one model. More than [MaxBatchRequests] requests or
// [MaxBatchBytes] bytes, or requests for different models, are refused
// with a *mirascope.UnsupportedError before any upload.
func (p *Provider) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	return p.batch.SubmitBatch(ctx, reqs)
}

// BatchStatus implements [providerkit.Batcher]: SUCCESS is ended,
// TIMEOUT_EXCEEDED expired, CANCELLED cancelled, FAILED failed; QUEUED,
// RUNNING and CANCELLATION_REQUESTED are running.
func (p *Provider) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	return p.batch.BatchStatus(ctx, id)
}

// BatchResults implements [providerkit.Batcher]: the output file, then the
// error file, streamed line by line; Response.Raw is the *openai.ChatCompletion.
func (p *Provider) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return p.batch.BatchResults(ctx, id)
}

// CancelBatch implements [providerkit.Batcher].
func (p *Provider) CancelBatch(ctx context.Context, id string) error {
	return p.batch.CancelBatch(ctx, id)
}
