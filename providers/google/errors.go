package google

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// wrapErr turns any failure of the SDK into a *mirascope.ProviderError, with
// the credentials masked. The SDK's genai.APIError is a value type whose
// code comes from the JSON body, with no headers: the true status and the
// request id come from the transport's record of the call.
func (p *Provider) wrapErr(ctx context.Context, err error) error {
	return p.redactor.ProviderError(p.mapErr(ctx, err))
}

func (p *Provider) mapErr(ctx context.Context, err error) *mirascope.ProviderError {
	var status int
	var header http.Header
	if last := providerkit.LastAnswer(ctx); last != nil {
		status, header = last.StatusCode, last.Header
	}
	var ae genai.APIError
	if errors.As(err, &ae) {
		pe := &mirascope.ProviderError{
			Provider:   p.info.Name,
			StatusCode: status,
			RequestID:  requestID(header),
			Code:       ae.Status,
			Type:       reason(ae.Details),
			Message:    ae.Message,
			Err:        err,
		}
		// An error inside a 200 stream, or a body whose code differs: the
		// body's code is the one that describes the failure.
		if pe.StatusCode < 400 && ae.Code >= 400 {
			pe.StatusCode = ae.Code
		}
		pe.Retryable = providerkit.RetryableAnswer(pe.StatusCode, header, providerkit.ErrorBody{Code: pe.Code, Type: pe.Type})
		pe.RetryAfter = providerkit.RetryAfter(header)
		if pe.RetryAfter == 0 {
			if b, err := json.Marshal(map[string]any{"error": ae}); err == nil {
				pe.RetryAfter = providerkit.RetryInfo(b)
			}
		}
		return pe
	}
	if ctx.Err() != nil {
		return providerkit.ContextError(ctx, p.info.Name, err, p.answerError)
	}
	if status == 0 || !isDecodeErr(err) {
		pe := providerkit.TransportError(p.info.Name, err)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			pe.Retryable = true // the body was cut short
		}
		pe.RequestID = requestID(header)
		return pe
	}
	return &mirascope.ProviderError{
		Provider:   p.info.Name,
		StatusCode: status,
		RequestID:  requestID(header),
		Message:    "malformed response body",
		Err:        err,
	}
}

// answerError maps an error answer the SDK did not get to see as one (the
// deadline ended the call after it).
func (p *Provider) answerError(resp *http.Response) *mirascope.ProviderError {
	return providerkit.AnswerError(p.info.Name, resp, nil, googRequestIDHeaders...)
}

// googRequestIDHeaders carry the id Google's front end gives a request.
var googRequestIDHeaders = []string{"X-Request-Id", "X-Goog-Request-Id"}

func requestID(h http.Header) string {
	if h == nil {
		return ""
	}
	return providerkit.RequestID(h, googRequestIDHeaders...)
}

// errMalformed marks a response the SDK could not turn into its types.
var errMalformed = errors.New("malformed response")

func isDecodeErr(err error) bool {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	return errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, errMalformed)
}

// reason is google.rpc.ErrorInfo's reason (e.g. "API_KEY_INVALID"), when the
// error details carry one.
func reason(details []map[string]any) string {
	for _, d := range details {
		if t, _ := d["@type"].(string); strings.HasSuffix(t, "google.rpc.ErrorInfo") {
			r, _ := d["reason"].(string)
			return r
		}
	}
	return ""
}
