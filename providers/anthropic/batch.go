package anthropic

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The Message Batches API's limits per batch (Anthropic's batch processing
// guide: "100,000 Message requests or 256 MB in size, whichever is reached
// first"). A batch over either is refused before anything is sent; the
// caller splits the prompts across jobs.
const (
	MaxBatchRequests = 100_000
	MaxBatchBytes    = 256 << 20
)

// maxBatchBytes is MaxBatchBytes, lowered by tests.
var maxBatchBytes = MaxBatchBytes

var _ providerkit.Batcher = (*Provider)(nil)

// batchRefusal is the refusal of a batch the service cannot take.
func batchRefusal(reason string) error {
	return &mirascope.UnsupportedError{Provider: Name, Parameter: "batch", Reason: reason}
}

// SubmitBatch implements [providerkit.Batcher] (use package batch): one
// Message Batch whose requests carry, each under its custom_id, the very
// body Call would send. A batch over [MaxBatchRequests] requests or
// [MaxBatchBytes] bytes of request body is refused before anything is sent.
func (p *Provider) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	if len(reqs) == 0 {
		return "", batchRefusal("a batch needs at least one request")
	}
	if len(reqs) > MaxBatchRequests {
		return "", batchRefusal(fmt.Sprintf("%d requests; a batch takes at most %d: split the prompts across jobs", len(reqs), MaxBatchRequests))
	}
	// The body is written once, as the API takes it ({"requests": [{"custom_id",
	// "params"}]}), in pieces: never copied whole, and replayable.
	var body providerkit.Chunks
	_, _ = body.Write([]byte(`{"requests":[`))
	for i, r := range reqs {
		if err := p.gate.Ready(r.Request); err != nil {
			return "", err
		}
		params, err := p.params(r.Request)
		if err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		// The bytes Call sends (the SDK serializes params with MarshalJSON),
		// extra body fields included.
		b, err := params.MarshalJSON()
		if err != nil {
			return "", &providerkit.BatchRequestError{CustomID: r.CustomID, Err: err}
		}
		id, _ := json.Marshal(r.CustomID)
		sep := ","
		if i == 0 {
			sep = ""
		}
		for _, part := range [][]byte{[]byte(sep + `{"custom_id":`), id, []byte(`,"params":`), b, []byte("}")} {
			_, _ = body.Write(part)
		}
		if body.Len()+len("]}") > maxBatchBytes {
			return "", batchRefusal(fmt.Sprintf("the batch passes %d bytes at request %d: split the prompts across jobs", maxBatchBytes, i))
		}
	}
	_, _ = body.Write([]byte("]}"))
	setBody := option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		body.SetBody(r, "application/json")
		return next(r)
	})
	var raw *http.Response
	// A batch is created once: a retry after an unknown outcome could run it
	// twice (p.creates sends it again only when nothing was done).
	b, err := p.creates.New(ctx, sdk.MessageBatchNewParams{}, setBody, option.WithResponseInto(&raw))
	if err != nil {
		return "", p.wrapErr(ctx, err, raw)
	}
	return b.ID, nil
}

func (p *Provider) getBatch(ctx context.Context, id string) (*sdk.MessageBatch, error) {
	var raw *http.Response
	b, err := p.batches.Get(ctx, id, sdk.MessageBatchGetParams{}, option.WithResponseInto(&raw))
	if err != nil {
		return nil, p.wrapErr(ctx, err, raw)
	}
	return b, nil
}

// BatchStatus implements [providerkit.Batcher]. The API has one final
// status, ended; the request counts tell how it ended: with canceled
// requests it is cancelled, else with expired requests it is expired, else
// ended. Completed counts succeeded requests, Failed errored ones.
func (p *Provider) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	b, err := p.getBatch(ctx, id)
	if err != nil {
		return providerkit.BatchStatus{}, err
	}
	return batchStatus(b), nil
}

func batchStatus(b *sdk.MessageBatch) providerkit.BatchStatus {
	c := b.RequestCounts
	st := providerkit.BatchStatus{Raw: string(b.ProcessingStatus),
		Total:     int(c.Processing + c.Succeeded + c.Errored + c.Canceled + c.Expired),
		Completed: int(c.Succeeded), Failed: int(c.Errored)}
	switch {
	case b.ProcessingStatus != sdk.MessageBatchProcessingStatusEnded: // in_progress, canceling
		st.State = providerkit.BatchRunning
	case c.Canceled > 0:
		st.State = providerkit.BatchCancelled
	case c.Expired > 0:
		st.State = providerkit.BatchExpired
	default:
		st.State = providerkit.BatchEnded
	}
	return st
}

// CancelBatch implements [providerkit.Batcher].
func (p *Provider) CancelBatch(ctx context.Context, id string) error {
	var raw *http.Response
	if _, err := p.batches.Cancel(ctx, id, sdk.MessageBatchCancelParams{}, option.WithResponseInto(&raw)); err != nil {
		return p.wrapErr(ctx, err, raw)
	}
	return nil
}

// BatchResults implements [providerkit.Batcher]: the results file of an
// ended batch, decoded line by line as it downloads. An errored, canceled
// or expired request is that result's *mirascope.ProviderError, with Type
// the error's type, or "canceled" or "expired".
func (p *Provider) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return func(yield func(providerkit.BatchResult, error) bool) {
		b, err := p.getBatch(ctx, id)
		if err != nil {
			yield(providerkit.BatchResult{}, err)
			return
		}
		if b.ProcessingStatus != sdk.MessageBatchProcessingStatusEnded {
			yield(providerkit.BatchResult{}, fmt.Errorf("mirascope: %s: batch %s is %s: %w", Name, id, b.ProcessingStatus, providerkit.ErrBatchNoResults))
			return
		}
		var raw *http.Response
		s := p.batches.ResultsStreaming(ctx, id, sdk.MessageBatchResultsParams{}, option.WithResponseInto(&raw))
		defer s.Close()
		if err := s.Err(); err != nil {
			yield(providerkit.BatchResult{}, p.resultsErr(ctx, err, raw))
			return
		}
		// The SDK's stream has sent the request and not yet read the body.
		// Its lines are read here instead, as the stream reads them (one
		// JSON value a line, within the same bound; blank lines skipped),
		// but each is decoded once, in place, into the value its result
		// keeps as Raw: the stream's Next would decode into a value it then
		// copies.
		for line, err := range providerkit.Lines(raw.Body, maxResultsLine) {
			if errors.Is(err, providerkit.ErrLineTooLong) {
				err = bufio.ErrTooLong // as the SDK's stream says it
			}
			if err != nil {
				yield(providerkit.BatchResult{}, p.resultsErr(ctx, err, raw))
				return
			}
			l, err := decodeResultLine(line)
			if err != nil {
				// An error of the stream, which goes on: the lines after
				// it are other requests' answers.
				if !yield(providerkit.BatchResult{}, p.resultsErr(ctx, err, raw)) {
					return
				}
				continue
			}
			if !yield(p.batchResult(l), nil) {
				return
			}
		}
	}
}

// maxResultsLine bounds one line of the results, as the SDK's stream does.
const maxResultsLine = bufio.MaxScanTokenSize << 9

// decodeResultLine decodes a line of the results with the SDK's decoder,
// as json.Unmarshal does but scanning the line once instead of twice
// before the decoder reads it.
func decodeResultLine(line []byte) (*sdk.MessageBatchIndividualResponse, error) {
	l := new(sdk.MessageBatchIndividualResponse)
	if !json.Valid(line) {
		return nil, json.Unmarshal(line, l) // its syntax error
	}
	if err := l.UnmarshalJSON(line); err != nil {
		return nil, err
	}
	return l, nil
}

// resultsErr maps a failure of the results download: an answer the SDK
// refused, or a line it could not decode.
func (p *Provider) resultsErr(ctx context.Context, err error, raw *http.Response) error {
	if raw != nil && raw.StatusCode == http.StatusOK && ctx.Err() == nil {
		return p.redactor.ProviderError(&mirascope.ProviderError{Provider: Name, StatusCode: raw.StatusCode,
			RequestID: raw.Header.Get("request-id"), Message: "malformed batch results", Err: err})
	}
	return p.wrapErr(ctx, err, raw)
}

// batchResult maps one line of the results: a message, or that request's
// error.
func (p *Provider) batchResult(l *sdk.MessageBatchIndividualResponse) providerkit.BatchResult {
	out := providerkit.BatchResult{CustomID: l.CustomID}
	if l.Result.Type == "succeeded" {
		// The union holds the message decoded already; AsSucceeded would
		// decode it again from its JSON, the larger part of a result's cost.
		out.Response = p.redactor.Response(response(&l.Result.Message))
		return out
	}
	pe := &mirascope.ProviderError{Provider: Name, Type: l.Result.Type}
	switch l.Result.Type {
	case "errored":
		e := l.Result.Error
		pe.Type, pe.Message, pe.RequestID = e.Error.Type, e.Error.Message, e.RequestID
		pe.StatusCode = streamStatus[pe.Type]
		pe.Retryable = providerkit.RetryableAnswer(pe.StatusCode, nil, providerkit.ErrorBody{Type: pe.Type})
	case "canceled":
		pe.Message = "the batch was cancelled before this request was processed"
	case "expired":
		pe.Message = "the batch expired before this request was processed"
		pe.Retryable = true
	default:
		pe.Message = fmt.Sprintf("the batch result has an unknown type %q", l.Result.Type)
	}
	out.Err = p.redactor.ProviderError(pe)
	return out
}
