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
	"github.com/mirascope-go/mirascope/providers"
)

// defaultRequestIDHeaders are tried after a Spec's own.
var defaultRequestIDHeaders = []string{"X-Request-Id", "Request-Id"}

// maxErrorBody bounds how much of an error body is read.
const maxErrorBody = 1 << 20

// fail turns whatever the SDK returned into a *mirascope.ProviderError. hr is
// the last HTTP response the SDK saw, if any: openai-go only builds an
// *openai.Error when the body has an "error" object, so an answer shaped
// otherwise (xAI's "error" string, Mistral's top-level "message") is read
// from hr.
func (c *Core) fail(ctx context.Context, err error, hr *http.Response) error {
	var ae *openai.Error
	if errors.As(err, &ae) && ae.Response != nil {
		hr = ae.Response
	}
	if ctx.Err() != nil {
		pe := providers.TransportError(c.spec.Name, err)
		if !errors.Is(pe, ctx.Err()) {
			pe.Err = errors.Join(err, ctx.Err())
		}
		return pe
	}
	if hr != nil && hr.StatusCode >= 400 {
		return c.httpError(err, hr, ae)
	}
	var se *ssestream.StreamError
	if errors.As(err, &se) {
		pe := &mirascope.ProviderError{Provider: c.spec.Name, Err: err}
		eb := parseErrorBody(se.Event.Data)
		pe.Code, pe.Type, pe.Message = eb.code, eb.typ, eb.message
		if hr != nil {
			pe.RequestID = c.requestID(hr.Header)
		}
		// A service reports overload and server faults this way mid-stream.
		pe.Retryable = strings.Contains(pe.Type, "server_error") || strings.Contains(pe.Type, "overloaded")
		return pe
	}
	pe := providers.TransportError(c.spec.Name, err)
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
	pe := c.fail(ctx, io.ErrUnexpectedEOF, nil).(*mirascope.ProviderError)
	pe.Message = "the stream ended before the response was complete"
	pe.Retryable = ctx.Err() == nil
	if hr != nil {
		pe.RequestID = c.requestID(hr.Header)
	}
	return pe
}

func (c *Core) httpError(err error, hr *http.Response, ae *openai.Error) *mirascope.ProviderError {
	pe := &mirascope.ProviderError{
		Provider:   c.spec.Name,
		StatusCode: hr.StatusCode,
		Retryable:  providers.RetryableStatus(hr.StatusCode),
		RequestID:  c.requestID(hr.Header),
		RetryAfter: providers.RetryAfter(hr.Header),
		Err:        err,
	}
	var body []byte
	if hr.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(hr.Body, maxErrorBody))
		// Leave the body readable for whoever inspects the SDK's error next.
		hr.Body = io.NopCloser(bytes.NewReader(body))
	}
	eb := parseErrorBody(body)
	if ae != nil {
		eb.fill(ae.Message, ae.Type, ae.Code)
	}
	pe.Code, pe.Type, pe.Message = eb.code, eb.typ, eb.message
	if pe.RequestID == "" {
		pe.RequestID = eb.requestID
	}
	if pe.Message == "" {
		pe.Message = strings.TrimSpace(http.StatusText(hr.StatusCode))
	}
	// OpenAI answers an exhausted quota with 429 too; waiting will not help.
	if pe.Code == "insufficient_quota" || pe.Type == "insufficient_quota" {
		pe.Retryable = false
	}
	return pe
}

func (c *Core) requestID(h http.Header) string {
	for _, k := range c.spec.RequestIDHeaders {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	for _, k := range defaultRequestIDHeaders {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

type errorBody struct {
	message, typ, code, requestID string
}

func (e *errorBody) fill(message, typ, code string) {
	if e.message == "" {
		e.message = message
	}
	if e.typ == "" {
		e.typ = typ
	}
	if e.code == "" {
		e.code = code
	}
}

// parseErrorBody reads the error shapes OpenAI-compatible services send:
//
//	{"error": {"message", "type", "code", "param"}}          OpenAI, Azure, Groq, LiteLLM
//	{"code": "...", "error": "..."}                          xAI
//	{"object": "error", "message": string|object, "type", "code"}   Mistral
//	{"message": "...", "request_id": "..."}                  Mistral (gateway)
//	{"detail": ...}                                          FastAPI servers
func parseErrorBody(b []byte) errorBody {
	var eb errorBody
	var top struct {
		Error     json.RawMessage `json:"error"`
		Message   json.RawMessage `json:"message"`
		Type      json.RawMessage `json:"type"`
		Code      json.RawMessage `json:"code"`
		Detail    json.RawMessage `json:"detail"`
		RequestID json.RawMessage `json:"request_id"`
	}
	if json.Unmarshal(bytes.TrimSpace(b), &top) != nil {
		eb.message = strings.TrimSpace(string(b))
		if len(eb.message) > 512 {
			eb.message = eb.message[:512]
		}
		return eb
	}
	eb.requestID = text(top.RequestID)
	if len(top.Error) > 0 && top.Error[0] == '{' {
		var inner struct {
			Message json.RawMessage `json:"message"`
			Type    json.RawMessage `json:"type"`
			Code    json.RawMessage `json:"code"`
		}
		if json.Unmarshal(top.Error, &inner) == nil {
			eb.fill(text(inner.Message), text(inner.Type), text(inner.Code))
		}
	} else {
		eb.fill(text(top.Error), "", "")
	}
	eb.fill(text(top.Message), text(top.Type), text(top.Code))
	eb.fill(text(top.Detail), "", "")
	return eb
}

// text renders a JSON value as a message: a string unquoted, null as "", and
// anything else (a number, an object of validation details) compacted.
func text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}
