package anthropic

import (
	"context"
	"io"
	"iter"
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

// Stream sends req with "stream": true when ranging starts and yields one
// chunk per text delta, plus the chunks that carry the id and model
// (message_start) and the stop reason (message_delta). Each Usage is the
// running total: input counts from message_start, updated by the cumulative
// counts of message_delta. An error event ends the sequence with a
// *mirascope.ProviderError, and so does a stream that ends before
// message_stop.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		if err := p.missingKey(); err != nil {
			yield(nil, err)
			return
		}
		params, err := p.params(req)
		if err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := p.withTimeout(ctx)
		defer cancel()
		var raw *http.Response
		s := p.client.Messages.NewStreaming(ctx, params, option.WithResponseInto(&raw))
		defer s.Close()

		var u usageTotal
		stopped := false
		for s.Next() {
			ev := s.Current()
			var c *mirascope.Chunk
			switch ev.Type {
			case "message_start":
				m := ev.Message
				u.set(m.Usage.JSON.InputTokens.Valid(), m.Usage.InputTokens, &u.input)
				u.set(m.Usage.JSON.OutputTokens.Valid(), m.Usage.OutputTokens, &u.output)
				u.set(m.Usage.JSON.CacheReadInputTokens.Valid(), m.Usage.CacheReadInputTokens, &u.cacheRead)
				u.set(m.Usage.JSON.CacheCreationInputTokens.Valid(), m.Usage.CacheCreationInputTokens, &u.cacheWrite)
				c = &mirascope.Chunk{ID: m.ID, Model: string(m.Model), Usage: u.usage()}
			case "content_block_start":
				if ev.ContentBlock.Type == "text" && ev.ContentBlock.Text != "" {
					c = &mirascope.Chunk{Content: ev.ContentBlock.Text}
				}
			case "content_block_delta":
				if ev.Delta.Type == "text_delta" && ev.Delta.Text != "" {
					c = &mirascope.Chunk{Content: ev.Delta.Text}
				}
			case "message_delta":
				d := ev.Usage
				u.set(d.JSON.InputTokens.Valid(), d.InputTokens, &u.input)
				u.set(d.JSON.OutputTokens.Valid(), d.OutputTokens, &u.output)
				u.set(d.JSON.CacheReadInputTokens.Valid(), d.CacheReadInputTokens, &u.cacheRead)
				u.set(d.JSON.CacheCreationInputTokens.Valid(), d.CacheCreationInputTokens, &u.cacheWrite)
				c = &mirascope.Chunk{FinishReason: string(ev.Delta.StopReason), Usage: u.usage()}
			case "message_stop":
				stopped = true
			}
			if c == nil {
				continue
			}
			c.Raw = ev
			if !yield(c, nil) {
				return
			}
		}
		if err := s.Err(); err != nil {
			yield(nil, p.wrapErr(ctx, err, raw))
			return
		}
		if !stopped {
			if ctx.Err() != nil {
				yield(nil, providers.TransportError(Name, ctx.Err()))
				return
			}
			yield(nil, &mirascope.ProviderError{
				Provider:  Name,
				Retryable: true,
				Message:   "stream ended before message_stop",
				Err:       io.ErrUnexpectedEOF,
			})
		}
	}
}

// usageTotal merges the usage reports of a stream.
type usageTotal struct{ input, output, cacheRead, cacheWrite int64 }

func (u *usageTotal) set(present bool, v int64, dst *int64) {
	if present {
		*dst = v
	}
}

func (u *usageTotal) usage() *mirascope.Usage {
	v := usage(u.input, u.output, u.cacheRead, u.cacheWrite)
	return &v
}
