package anthropic

import (
	"context"
	"iter"
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Stream sends req with "stream": true when ranging starts and yields one
// chunk per text delta, plus the chunks that carry the id and model
// (message_start) and the stop reason (message_delta). A tool_use block
// streams as tool-call pieces indexed by its content block index: its id and
// name first, then each input_json_delta fragment of its arguments. Each Usage is the
// running total: input counts from message_start, updated by the cumulative
// counts of message_delta. A thinking block streams as reasoning (its
// thinking_delta text in Chunk.Reasoning, and as a piece of the block with
// its signature_delta), a redacted_thinking block as one piece, each
// indexed by its content block index. An error event ends the sequence with a
// *mirascope.ProviderError, and so does a stream that ends before
// message_stop.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.redactor.Stream(ctx, func(ctx context.Context, yield func(*mirascope.Chunk, error) bool) {
		if err := p.gate.Ready(req); err != nil {
			yield(nil, err)
			return
		}
		params, err := p.params(req)
		if err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := providerkit.StartCall(ctx, p.timeout)
		defer cancel()
		var raw *http.Response
		s := p.client.Messages.NewStreaming(ctx, params, option.WithResponseInto(&raw))
		defer s.Close()

		var u usageTotal
		calls := map[int64]bool{} // tool_use blocks by index: whether arguments came
		stopped := false
		thought := false // a thinking block's text has been yielded: the next one is separated
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
				u.set(m.Usage.OutputTokensDetails.JSON.ThinkingTokens.Valid(), m.Usage.OutputTokensDetails.ThinkingTokens, &u.thinking)
				c = &mirascope.Chunk{ID: m.ID, Model: string(m.Model), Usage: u.usage()}
			case "content_block_start":
				switch b := ev.ContentBlock; b.Type {
				case "text":
					if b.Text != "" {
						c = &mirascope.Chunk{Content: b.Text}
					}
				case "thinking":
					c = &mirascope.Chunk{ReasoningBlocks: []mirascope.ReasoningChunk{{Index: int(ev.Index), Text: b.Thinking, Signature: b.Signature}}}
					if thought {
						c.Reasoning = thoughtSeparator
					}
					if b.Thinking != "" {
						c.Reasoning += b.Thinking
						thought = true
					}
				case "redacted_thinking":
					c = &mirascope.Chunk{ReasoningBlocks: []mirascope.ReasoningChunk{{Index: int(ev.Index), Redacted: b.Data}}}
				case "tool_use":
					// The block's input is always {} here; the arguments
					// follow as input_json_delta fragments.
					calls[ev.Index] = false
					c = &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: int(ev.Index), ID: b.ID, Name: b.Name}}}
				}
			case "content_block_delta":
				switch d := ev.Delta; d.Type {
				case "text_delta":
					if d.Text != "" {
						c = &mirascope.Chunk{Content: d.Text}
					}
				case "thinking_delta":
					if d.Thinking != "" {
						c = &mirascope.Chunk{Reasoning: d.Thinking, ReasoningBlocks: []mirascope.ReasoningChunk{{Index: int(ev.Index), Text: d.Thinking}}}
						thought = true
					}
				case "signature_delta":
					c = &mirascope.Chunk{ReasoningBlocks: []mirascope.ReasoningChunk{{Index: int(ev.Index), Signature: d.Signature}}}
				case "input_json_delta":
					if _, ok := calls[ev.Index]; ok && d.PartialJSON != "" {
						calls[ev.Index] = true
						c = &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: int(ev.Index), Arguments: d.PartialJSON}}}
					}
				}
			case "content_block_stop":
				// A call whose input streamed no fragment takes no arguments.
				if sent, ok := calls[ev.Index]; ok && !sent {
					calls[ev.Index] = true
					c = &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: int(ev.Index), Arguments: "{}"}}}
				}
			case "message_delta":
				d := ev.Usage
				u.set(d.JSON.InputTokens.Valid(), d.InputTokens, &u.input)
				u.set(d.JSON.OutputTokens.Valid(), d.OutputTokens, &u.output)
				u.set(d.JSON.CacheReadInputTokens.Valid(), d.CacheReadInputTokens, &u.cacheRead)
				u.set(d.JSON.CacheCreationInputTokens.Valid(), d.CacheCreationInputTokens, &u.cacheWrite)
				u.set(d.OutputTokensDetails.JSON.ThinkingTokens.Valid(), d.OutputTokensDetails.ThinkingTokens, &u.thinking)
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
				yield(nil, p.wrapErr(ctx, ctx.Err(), raw))
				return
			}
			var rid string
			if raw != nil {
				rid = raw.Header.Get("request-id")
			}
			yield(nil, lower.CutShort(Name, rid))
		}
	})
}

// usageTotal merges the usage reports of a stream.
type usageTotal struct{ input, output, cacheRead, cacheWrite, thinking int64 }

func (u *usageTotal) set(present bool, v int64, dst *int64) {
	if present {
		*dst = v
	}
}

func (u *usageTotal) usage() *mirascope.Usage {
	v := usage(u.input, u.output, u.cacheRead, u.cacheWrite, u.thinking)
	return &v
}
