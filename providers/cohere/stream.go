package cohere

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"

	cohere "github.com/cohere-ai/cohere-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// errStreamError is the cause of a stream that message-end reports failed;
// the service's text is the ProviderError's Message.
var errStreamError = errors.New("the stream ended in an error")

// Stream sends req with "stream": true and yields Cohere's v2 events as
// chunks: the id on the first (message-start), text from content-delta and
// tool-plan-delta, tool-call pieces from tool-call-start (id, name) and
// tool-call-delta (arguments) by Cohere's index, and the finish reason and
// usage on the last (message-end). The Format tool's arguments are content.
// The stream ends at "data: [DONE]"; a body that ends before message-end is
// an error.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.redactor.Stream(ctx, func(ctx context.Context, yield func(*mirascope.Chunk, error) bool) {
		if err := p.gate.Ready(req); err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := providerkit.StartCall(ctx, p.timeout)
		defer cancel()
		w, err := p.build(req, true)
		if err != nil {
			yield(nil, requestError(err))
			return
		}
		resp, err := p.send(ctx, w.body, true)
		if err != nil {
			yield(nil, err)
			return
		}
		defer resp.Body.Close()
		rid := requestID(resp.Header, "")
		fail := func(err error) {
			pe := p.transportError(ctx, err)
			pe.RequestID = rid
			yield(nil, pe)
		}

		sr := newSSEReader(resp.Body)
		var ended, sentModel bool
		answer := w.plan.Stream()
		for {
			_, data, err := sr.next()
			if err != nil {
				if err == io.EOF {
					if ended {
						return
					}
					if ctx.Err() == nil {
						yield(nil, lower.CutShort(name, rid))
						return
					}
					err = io.ErrUnexpectedEOF
				}
				fail(err)
				return
			}
			if string(data) == "[DONE]" {
				return
			}
			var ev cohere.V2ChatStreamResponse
			if err := json.Unmarshal(data, &ev); err != nil {
				yield(nil, &mirascope.ProviderError{Provider: name, RequestID: rid,
					Message: "invalid stream event", Err: err})
				return
			}
			c := &mirascope.Chunk{Raw: &ev}
			switch {
			case ev.MessageStart != nil:
				c.ID = deref(ev.MessageStart.Id)
			case ev.ContentDelta != nil:
				d := ev.ContentDelta.Delta
				if d == nil || d.Message == nil || d.Message.Content == nil {
					continue
				}
				switch mc := d.Message.Content; {
				case mc.Text != nil:
					c.Content = *mc.Text
				case mc.Thinking != nil:
					c.Reasoning = *mc.Thinking
				default:
					continue
				}
			case ev.ToolPlanDelta != nil:
				d := ev.ToolPlanDelta.Delta
				if w.plan.FormatTool() != "" || d == nil || d.Message == nil || d.Message.ToolPlan == nil {
					continue
				}
				c.Content = *d.Message.ToolPlan
			case ev.ToolCallStart != nil:
				e := ev.ToolCallStart
				if e.Index == nil || e.Delta == nil || e.Delta.Message == nil || e.Delta.Message.ToolCalls == nil {
					continue
				}
				tc := e.Delta.Message.ToolCalls
				piece := mirascope.ToolCallChunk{Index: *e.Index, ID: deref(tc.Id)}
				if tc.Function != nil {
					piece.Name, piece.Arguments = deref(tc.Function.Name), deref(tc.Function.Arguments)
				}
				c.ToolCalls = []mirascope.ToolCallChunk{piece}
			case ev.ToolCallDelta != nil:
				e := ev.ToolCallDelta
				if e.Index == nil || e.Delta == nil || e.Delta.Message == nil || e.Delta.Message.ToolCalls == nil ||
					e.Delta.Message.ToolCalls.Function == nil || e.Delta.Message.ToolCalls.Function.Arguments == nil {
					continue
				}
				args := *e.Delta.Message.ToolCalls.Function.Arguments
				c.ToolCalls = []mirascope.ToolCallChunk{{Index: *e.Index, Arguments: args}}
			case ev.MessageEnd != nil:
				ended = true
				d := ev.MessageEnd.Delta
				if d == nil {
					continue
				}
				if d.FinishReason != nil {
					c.FinishReason = string(*d.FinishReason)
				}
				c.Usage = usage(d.Usage)
				if d.Error != nil && *d.Error != "" {
					if !yield(c, nil) {
						return
					}
					yield(nil, p.redactor.ProviderError(&mirascope.ProviderError{Provider: name, RequestID: rid,
						Code: c.FinishReason, Message: *d.Error, Err: errStreamError}))
					return
				}
			default:
				// content-start/end, tool-call-end, citations, debug.
				continue
			}
			if !sentModel {
				c.Model, sentModel = w.model, true
			}
			answer.Chunk(c)
			if !yield(c, nil) {
				return
			}
		}
	})
}
