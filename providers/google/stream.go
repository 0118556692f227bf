package google

import (
	"context"
	"errors"
	"io"
	"iter"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

// Stream sends req to streamGenerateContent?alt=sse when ranging starts and
// yields one chunk per streamed GenerateContentResponse. Every response
// carries the cumulative usageMetadata, so each chunk's Usage is the running
// total. A stream that ends without a finish reason (and without a blocked
// prompt) ends with a *mirascope.ProviderError.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		client, _, conv, cfg, err := p.prepare(req)
		if err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := p.withTimeout(ctx)
		defer cancel()
		ctx, rec := withRecord(ctx)

		var id, model string
		finished := false
		for r, err := range client.Models.GenerateContentStream(ctx, req.ModelOr(p.model), conv, cfg) {
			if err != nil {
				err = p.wrapErr(ctx, err, rec)
				var pe *mirascope.ProviderError
				if errors.As(err, &pe) && pe.Message == "malformed response body" {
					// A partial event at the end of the body: the stream was cut.
					pe.Message, pe.Retryable = "malformed or truncated stream event", true
				}
				yield(nil, err)
				return
			}
			if r == nil {
				continue
			}
			c := &mirascope.Chunk{Raw: r}
			if r.ResponseID != "" && r.ResponseID != id {
				id, c.ID = r.ResponseID, r.ResponseID
			}
			if r.ModelVersion != "" && r.ModelVersion != model {
				model, c.Model = r.ModelVersion, r.ModelVersion
			}
			if len(r.Candidates) > 0 && r.Candidates[0] != nil {
				cand := r.Candidates[0]
				c.Content, _ = parts(cand.Content)
				if cand.FinishReason != "" {
					c.FinishReason = string(cand.FinishReason)
					finished = true
				}
			}
			if r.PromptFeedback != nil && r.PromptFeedback.BlockReason != "" {
				finished = true
			}
			if r.UsageMetadata != nil {
				u := usage(r.UsageMetadata)
				c.Usage = &u
			}
			if !yield(c, nil) {
				return
			}
		}
		if !finished {
			if err := ctx.Err(); err != nil {
				yield(nil, providers.TransportError(p.info.Name, err))
				return
			}
			yield(nil, &mirascope.ProviderError{
				Provider:  p.info.Name,
				Retryable: true,
				Message:   "stream ended before a finish reason",
				Err:       io.ErrUnexpectedEOF,
			})
		}
	}
}
