package oaicompat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/ssestream"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// maxErrorBody bounds how much of an error body is read.
const maxErrorBody = 1 << 20

// fail turns whatever the SDK returned into a *mirascope.ProviderError,
// with the credentials masked. hr is the last HTTP response the SDK saw, if
// any: openai-go only builds an *openai.Error when the body has an "error"
// object, so an answer shaped otherwise (xAI's "error" string, Mistral's
// top-level "message") is read from hr.
func (c *Core) fail(ctx context.Context, err error, hr *http.Response) error {
	return c.redactor.ProviderError(c.mapErr(ctx, err, hr))
}

func (c *Core) mapErr(ctx context.Context, err error, hr *http.Response) *mirascope.ProviderError {
	var ae *openai.Error
	if errors.As(err, &ae) && ae.Response != nil {
		hr = ae.Response
	}
	if ctx.Err() != nil {
		return providerkit.ContextError(ctx, c.spec.Name, err, func(r *http.Response) *mirascope.ProviderError {
			return c.httpError(nil, r, nil)
		})
	}
	if hr != nil && hr.StatusCode >= 400 {
		return c.httpError(err, hr, ae)
	}
	var se *ssestream.StreamError
	if errors.As(err, &se) {
		pe := &mirascope.ProviderError{Provider: c.spec.Name, Err: err}
		eb := providerkit.ParseErrorBody(se.Event.Data)
		pe.Code, pe.Type, pe.Message = eb.Code, eb.Type, eb.Message
		if hr != nil {
			pe.RequestID = c.requestID(hr.Header)
		}
		// A service reports overload and server faults this way mid-stream.
		pe.Retryable = strings.Contains(pe.Type, "server_error") || strings.Contains(pe.Type, "overloaded")
		return pe
	}
	pe := providerkit.TransportError(c.spec.Name, err)
	if hr != nil {
		pe.RequestID = c.requestID(hr.Header)
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syn) || errors.As(err, &typ) {
			pe.Message = "the service answered with a malformed body"
		}
	}
	return pe
}

// truncated reports a stream that ended without a finish reason: the
// connection closed cleanly in the middle of the answer. Like a cut
// connection, it is transient: the same request may well complete.
func (c *Core) truncated(ctx context.Context, hr *http.Response) error {
	var rid string
	if hr != nil {
		rid = c.requestID(hr.Header)
	}
	if ctx.Err() != nil {
		pe := c.mapErr(ctx, io.ErrUnexpectedEOF, nil)
		pe.Message, pe.RequestID = lower.CutShortMessage, rid
		return c.redactor.ProviderError(pe)
	}
	return c.redactor.ProviderError(lower.CutShort(c.spec.Name, rid))
}

// httpError maps an error answer; ae, when the SDK built one, fills what
// the body's shape left out.
func (c *Core) httpError(err error, hr *http.Response, ae *openai.Error) *mirascope.ProviderError {
	var body []byte
	if hr.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(hr.Body, maxErrorBody))
		// Leave the body readable for whoever inspects the SDK's error next.
		hr.Body = io.NopCloser(bytes.NewReader(body))
	}
	r := *hr
	r.Body = io.NopCloser(bytes.NewReader(body))
	pe := providerkit.AnswerError(c.spec.Name, &r, err, c.spec.RequestIDHeaders...)
	if ae != nil {
		if pe.Message == http.StatusText(hr.StatusCode) && ae.Message != "" {
			pe.Message = ae.Message
		}
		if pe.Type == "" {
			pe.Type = ae.Type
		}
		if pe.Code == "" {
			pe.Code = ae.Code
		}
		pe.Retryable = providerkit.RetryableAnswer(hr.StatusCode, hr.Header, providerkit.ErrorBody{Code: pe.Code, Type: pe.Type})
	}
	return pe
}

func (c *Core) requestID(h http.Header) string {
	return providerkit.RequestID(h, c.spec.RequestIDHeaders...)
}
