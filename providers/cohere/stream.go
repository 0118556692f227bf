package cohere

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"

	cohere "github.com/cohere-ai/cohere-go/v2"

	"github.com/mirascope-go/mirascope"
)

// Stream sends req with "stream": true and yields Cohere's v2 events as
// chunks: the id on the first (message-start), text from content-delta, and
// the finish reason and usage on the last (message-end). The stream ends at
// "data: [DONE]"; a body that ends before message-end is an error.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		if err := p.missingKey(); err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := p.withTimeout(ctx)
		defer cancel()
		model, body, err := p.body(req, true)
		if err != nil {
			yield(nil, &mirascope.ProviderError{Provider: name, Err: err})
			return
		}
		resp, err := p.send(ctx, body, true)
		if err != nil {
			yield(nil, err)
			return
		}
		defer resp.Body.Close()
		rid := requestID(resp.Header, "")
		fail := func(err error) {
			pe := transportError(ctx, err)
			pe.RequestID = rid
			yield(nil, pe)
		}

		sr := newSSEReader(resp.Body)
		var ended, sentModel bool
		for {
			_, data, err := sr.next()
			if err != nil {
				if err == io.EOF {
					if ended {
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
				if d == nil || d.Message == nil || d.Message.Content == nil || d.Message.Content.Text == nil {
					continue
				}
				c.Content = *d.Message.Content.Text
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
					yield(nil, &mirascope.ProviderError{Provider: name, RequestID: rid,
						Code: c.FinishReason, Message: *d.Error, Err: errors.New("cohere: " + *d.Error)})
					return
				}
			default:
				// content-start/end, tool and citation events, debug: no text.
				continue
			}
			if !sentModel {
				c.Model, sentModel = model, true
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}
