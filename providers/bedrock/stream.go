package bedrock

import (
	"context"
	"encoding/base64"
	"iter"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Stream sends req to ConverseStream (POST /model/{modelId}/converse-stream)
// and yields its events as chunks: the request id and model on the first
// (messageStart), text from contentBlockDelta, tool-call pieces by content
// block index (the id and name from contentBlockStart, input fragments from
// contentBlockDelta), the stop reason from messageStop, and usage from the
// final metadata event. A stream that ends
// before its metadata event is an error.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.redactor.Stream(ctx, func(ctx context.Context, yield func(*mirascope.Chunk, error) bool) {
		if err := p.ready(ctx, req); err != nil {
			yield(nil, err)
			return
		}
		in, err := p.input(req)
		if err != nil {
			yield(nil, inputError(err))
			return
		}
		ctx, cancel := providerkit.StartCall(ctx, p.timeout)
		defer cancel()
		out, err := p.client.ConverseStream(ctx, in.converseStream())
		if err != nil {
			yield(nil, p.providerError(ctx, err))
			return
		}
		rid, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		es := out.GetStream()
		defer es.Close()
		// An exception event carries no status or request id: take the id
		// from the response that opened the stream.
		fail := func(pe *mirascope.ProviderError) {
			if pe.RequestID == "" {
				pe.RequestID = rid
			}
			yield(nil, pe)
		}

		events := es.Events()
		done := false
		// toolBlocks are the open toolUse blocks, by index, and whether
		// any of their input arrived: one without input is sent "{}", as
		// Converse returns it whole.
		toolBlocks := map[int32]bool{}
		for {
			var ev types.ConverseStreamOutput
			var ok bool
			select {
			case ev, ok = <-events:
			case <-ctx.Done():
				fail(p.transportError(ctx, ctx.Err()))
				return
			}
			if !ok {
				switch err := es.Err(); {
				case err != nil:
					fail(p.providerError(ctx, err))
				case ctx.Err() != nil:
					fail(p.transportError(ctx, ctx.Err()))
				case !done:
					// The SDK treats a body cut inside a frame as a clean end.
					fail(lower.CutShort(name, ""))
				}
				return
			}
			c := &mirascope.Chunk{Raw: ev}
			switch v := ev.(type) {
			case *types.ConverseStreamOutputMemberMessageStart:
				c.ID, c.Model = rid, in.model
			case *types.ConverseStreamOutputMemberContentBlockStart:
				tu, ok := v.Value.Start.(*types.ContentBlockStartMemberToolUse)
				if !ok || v.Value.ContentBlockIndex == nil {
					continue
				}
				i := *v.Value.ContentBlockIndex
				toolBlocks[i] = false
				c.ToolCalls = []mirascope.ToolCallChunk{{Index: int(i), ID: deref(tu.Value.ToolUseId), Name: deref(tu.Value.Name)}}
			case *types.ConverseStreamOutputMemberContentBlockDelta:
				switch d := v.Value.Delta.(type) {
				case *types.ContentBlockDeltaMemberText:
					c.Content = d.Value
				case *types.ContentBlockDeltaMemberReasoningContent:
					if v.Value.ContentBlockIndex == nil {
						continue
					}
					i := int(*v.Value.ContentBlockIndex)
					switch rd := d.Value.(type) {
					case *types.ReasoningContentBlockDeltaMemberText:
						c.Reasoning = rd.Value
						c.ReasoningBlocks = []mirascope.ReasoningChunk{{Index: i, Text: rd.Value}}
					case *types.ReasoningContentBlockDeltaMemberSignature:
						c.ReasoningBlocks = []mirascope.ReasoningChunk{{Index: i, Signature: rd.Value}}
					case *types.ReasoningContentBlockDeltaMemberRedactedContent:
						// Sent whole, in one delta.
						c.ReasoningBlocks = []mirascope.ReasoningChunk{{Index: i, Redacted: base64.StdEncoding.EncodeToString(rd.Value)}}
					default:
						continue
					}
				case *types.ContentBlockDeltaMemberToolUse:
					if v.Value.ContentBlockIndex == nil || d.Value.Input == nil {
						continue
					}
					i := *v.Value.ContentBlockIndex
					toolBlocks[i] = true
					c.ToolCalls = []mirascope.ToolCallChunk{{Index: int(i), Arguments: *d.Value.Input}}
				default:
					continue
				}
			case *types.ConverseStreamOutputMemberContentBlockStop:
				if v.Value.ContentBlockIndex == nil {
					continue
				}
				i := *v.Value.ContentBlockIndex
				got, ok := toolBlocks[i]
				delete(toolBlocks, i)
				if !ok || got {
					continue
				}
				c.ToolCalls = []mirascope.ToolCallChunk{{Index: int(i), Arguments: "{}"}}
			case *types.ConverseStreamOutputMemberMessageStop:
				c.FinishReason = string(v.Value.StopReason)
			case *types.ConverseStreamOutputMemberMetadata:
				done = true
				c.Usage = usage(v.Value.Usage)
			default:
				continue
			}
			if !yield(c, nil) {
				return
			}
		}
	})
}
