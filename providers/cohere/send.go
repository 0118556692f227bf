package cohere

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	cohere "github.com/cohere-ai/cohere-go/v2"
	"github.com/cohere-ai/cohere-go/v2/core"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// send posts body to /v2/chat and returns the 2xx response. The SDK's own
// caller is not used: its retrier sleeps without watching the context and
// ignores Retry-After (it sleeps even with one attempt allowed), and its
// errors carry no headers. The shared transport of p.client retries.
func (p *Provider) send(ctx context.Context, body []byte, stream bool) (*http.Response, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, p.redactor.ProviderError(&mirascope.ProviderError{Provider: name, Err: err})
	}
	hreq.Header = p.header.Clone()
	hreq.Header.Set("Content-Type", "application/json")
	if stream {
		hreq.Header.Set("Accept", "text/event-stream")
	} else {
		hreq.Header.Set("Accept", "application/json")
	}
	resp, err := p.client.Do(hreq)
	switch {
	case err != nil:
		return nil, p.transportError(ctx, err)
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp, nil
	default:
		return nil, p.redactor.ProviderError(statusError(resp))
	}
}

// transportError classifies a failure without an HTTP answer, with the
// credentials masked. When the context ended it, the last error answer
// of the call, if any, is reported, matching the context's error too.
func (p *Provider) transportError(ctx context.Context, err error) *mirascope.ProviderError {
	if ctx.Err() != nil {
		return p.redactor.ProviderError(providerkit.ContextError(ctx, name, err, statusError))
	}
	return p.redactor.ProviderError(providerkit.TransportError(name, err))
}

// errorBody is Cohere's error JSON.
type errorBody struct {
	ID      string `json:"id"`
	Message string `json:"message"`
}

// statusError reads and closes a non-2xx response. Err is the SDK's own
// typed error for the status (e.g. *cohere.TooManyRequestsError), built as
// the SDK's error decoder builds it.
func statusError(resp *http.Response) *mirascope.ProviderError {
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var eb errorBody
	msg := ""
	if json.Unmarshal(raw, &eb) == nil {
		msg = eb.Message
	} else {
		msg = strings.TrimSpace(string(raw))
		if len(msg) > 512 {
			msg = msg[:512]
		}
	}
	return &mirascope.ProviderError{
		Provider:   name,
		StatusCode: resp.StatusCode,
		Retryable:  providerkit.RetryableAnswer(resp.StatusCode, resp.Header, providerkit.ErrorBody{}),
		RequestID:  requestID(resp.Header, eb.ID),
		Message:    msg,
		RetryAfter: providerkit.RetryAfter(resp.Header),
		Err:        sdkError(resp.StatusCode, raw),
	}
}

// requestID is the x-request-id header, else Cohere's trace id header, else
// the id in the error body.
func requestID(h http.Header, bodyID string) string {
	for _, k := range []string{"X-Request-Id", "X-Debug-Trace-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return bodyID
}

func sdkError(status int, raw []byte) error {
	api := core.NewAPIError(status, errors.New(string(raw)))
	var typed error
	switch status {
	case 400:
		typed = &cohere.BadRequestError{APIError: api}
	case 401:
		typed = &cohere.UnauthorizedError{APIError: api}
	case 403:
		typed = &cohere.ForbiddenError{APIError: api}
	case 404:
		typed = &cohere.NotFoundError{APIError: api}
	case 422:
		typed = &cohere.UnprocessableEntityError{APIError: api}
	case 429:
		typed = &cohere.TooManyRequestsError{APIError: api}
	case 498:
		typed = &cohere.InvalidTokenError{APIError: api}
	case 499:
		typed = &cohere.ClientClosedRequestError{APIError: api}
	case 500:
		typed = &cohere.InternalServerError{APIError: api}
	case 501:
		typed = &cohere.NotImplementedError{APIError: api}
	case 503:
		typed = &cohere.ServiceUnavailableError{APIError: api}
	case 504:
		typed = &cohere.GatewayTimeoutError{APIError: api}
	default:
		return api
	}
	if json.Unmarshal(raw, typed) != nil {
		return api
	}
	return typed
}
