package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// streamStatus is the HTTP status the Messages API documents for each error
// type, used for an error event that arrives inside a 200 stream.
var streamStatus = map[string]int{
	"invalid_request_error": 400,
	"authentication_error":  401,
	"permission_error":      403,
	"not_found_error":       404,
	"request_too_large":     413,
	"rate_limit_error":      429,
	"api_error":             500,
	"overloaded_error":      529,
}

// wrapErr turns any failure of the SDK into a *mirascope.ProviderError, with
// the credentials masked. raw is the last HTTP response the SDK saw, when it
// saw one.
func (p *Provider) wrapErr(ctx context.Context, err error, raw *http.Response) error {
	return p.redactor.ProviderError(mapErr(ctx, err, raw))
}

func mapErr(ctx context.Context, err error, raw *http.Response) *mirascope.ProviderError {
	var ae *sdk.Error
	if errors.As(err, &ae) {
		return apiError(ae, err)
	}
	if ctx.Err() != nil {
		return providerkit.ContextError(ctx, Name, err, answerError)
	}
	if raw == nil || !isDecodeErr(err) {
		pe := providerkit.TransportError(Name, err)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			pe.Retryable = true // the body was cut short
		}
		if raw != nil {
			pe.RequestID = raw.Header.Get("request-id")
		}
		return pe
	}
	// An answer came but its body could not be decoded.
	return &mirascope.ProviderError{
		Provider:   Name,
		StatusCode: raw.StatusCode,
		RequestID:  raw.Header.Get("request-id"),
		Message:    "malformed response body",
		Err:        err,
	}
}

// answerError maps an error answer the SDK did not get to see as one (the
// deadline ended the call after it).
func answerError(resp *http.Response) *mirascope.ProviderError {
	return providerkit.AnswerError(Name, resp, nil, "request-id")
}

func isDecodeErr(err error) bool {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	// The SDK reports a truncated JSON body as "error parsing response json:
	// unexpected EOF", which carries no json error type.
	return errors.As(err, &se) || errors.As(err, &te) ||
		strings.HasPrefix(err.Error(), "error parsing response json")
}

// apiError maps the SDK's error, with the service's body
// {"type":"error","error":{"type":…,"message":…},"request_id":…}.
func apiError(ae *sdk.Error, err error) *mirascope.ProviderError {
	pe := &mirascope.ProviderError{
		Provider:   Name,
		StatusCode: ae.StatusCode,
		RequestID:  ae.RequestID,
		Type:       string(ae.Type()),
		Code:       string(ae.ErrorCode()),
		Message:    ae.Message,
		Err:        err,
	}
	var body struct {
		RequestID string `json:"request_id"`
	}
	raw := ae.RawJSON()
	if json.Unmarshal([]byte(raw), &body) == nil {
		if pe.RequestID == "" {
			pe.RequestID = body.RequestID
		}
	} else if pe.Message == "" {
		pe.Message = truncate(strings.TrimSpace(raw), 200)
	}
	// An error event inside a stream arrives with the stream's 200: report
	// the status the API documents for its type instead.
	if pe.StatusCode < 400 {
		pe.StatusCode = streamStatus[pe.Type]
	}
	var h http.Header
	if ae.Response != nil {
		h = ae.Response.Header
	}
	pe.Retryable = providerkit.RetryableAnswer(pe.StatusCode, h, providerkit.ErrorBody{Code: pe.Code, Type: pe.Type})
	if ae.Response != nil && pe.StatusCode == ae.Response.StatusCode {
		pe.RetryAfter = providerkit.RetryAfter(ae.Response.Header)
	}
	return pe
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
