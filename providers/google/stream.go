package google

import (
	"context"
	"errors"
	"iter"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Stream sends req to streamGenerateContent?alt=sse when ranging starts and
// yields one chunk per streamed GenerateContentResponse. A function call
// arrives whole in one response and is one tool-call piece, indexed by its
// order in the stream. Every response
// carries the cumulative usageMetadata, so each chunk's Usage is the running
// total. A stream that ends without a finish reason (and without a blocked
// prompt) ends with a *mirascope.ProviderError.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.redactor.Stream(ctx, func(ctx context.Context, yield func(*mirascope.Chunk, error) bool) {
		pr, err := p.prepare(req)
		if err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := providerkit.StartCall(ctx, p.timeout)
		defer cancel()

		answer := pr.plan.Stream()
		var id, model string
		ncalls := 0 // function calls so far: each arrives whole, as one piece
		finished := false
		for r, err := range pr.client.Models.GenerateContentStream(ctx, pr.model, pr.conv, pr.cfg) {
			if err != nil {
				err = p.wrapErr(ctx, err)
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
				var calls []prompt.ToolCall
				c.Content, c.Reasoning, calls = p.parts(cand.Content, id, ncalls)
				for _, tc := range calls {
					c.ToolCalls = append(c.ToolCalls, mirascope.ToolCallChunk{Index: ncalls, ID: tc.ID, Name: tc.Name, Arguments: tc.Arguments, Signature: tc.Signature})
					ncalls++
				}
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
			answer.Chunk(c)
			if !yield(c, nil) {
				return
			}
		}
		if !finished {
			if err := ctx.Err(); err != nil {
				yield(nil, p.wrapErr(ctx, err))
				return
			}
			yield(nil, lower.CutShort(p.info.Name, ""))
		}
	})
}
