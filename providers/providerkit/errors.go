package providerkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/mirascope-go/mirascope"
)

// RetryableStatus reports whether an HTTP status is worth retrying.
func RetryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusConflict ||
		code == http.StatusTooManyRequests || code >= 500
}

// RetryableAnswer is the one decision whether an error answer is worth
// another attempt, made alike by the transport (to retry) and by every
// provider (for ProviderError.Retryable): the service's X-Should-Retry
// header when it says true or false; else the status (see
// [RetryableStatus]), unless the service's error code or type says the
// quota is exhausted, which waiting will not mend.
func RetryableAnswer(status int, h http.Header, eb ErrorBody) bool {
	switch h.Get("X-Should-Retry") {
	case "true":
		return true
	case "false":
		return false
	}
	if !RetryableStatus(status) {
		return false
	}
	return eb.Code != "insufficient_quota" && eb.Type != "insufficient_quota"
}

// RetryAfter parses a Retry-After or retry-after-ms header; 0 when absent
// or unreadable. It is never negative: a wait too long for a Duration (1e30,
// +Inf) reads as the longest one, which no retry starts (see
// [MaxRetryWait]).
func RetryAfter(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	if ms := h.Get("Retry-After-Ms"); ms != "" {
		if f, err := strconv.ParseFloat(strings.TrimSpace(ms), 64); err == nil && f > 0 {
			return seconds(f / 1e3)
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		return seconds(s)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// seconds converts s seconds to a Duration, saturating instead of
// overflowing; NaN, zero and negative waits are 0.
func seconds(s float64) time.Duration {
	if !(s > 0) {
		return 0
	}
	ns := s * float64(time.Second)
	if ns >= math.MaxInt64 { // float64(math.MaxInt64) is 2⁶³, which overflows
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// TransportError wraps a failure that got no HTTP answer (a timeout, a
// refused connection, a cancelled context, a body cut short) as a
// *mirascope.ProviderError. A cancelled or expired context stays matchable
// with errors.Is.
func TransportError(provider string, err error) *mirascope.ProviderError {
	pe := &mirascope.ProviderError{Provider: provider, Err: err}
	switch {
	case errors.Is(err, context.Canceled):
	case errors.Is(err, context.DeadlineExceeded):
		pe.Retryable = true
	case isTimeout(err), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, net.ErrClosed), isNetOp(err):
		pe.Retryable = true
	}
	return pe
}

// retryableTransport reports whether a failure without an HTTP answer is
// worth another attempt: a timeout, a refused, reset or closed connection,
// a body cut short.
func retryableTransport(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var nr interface{ NonRetriable() }
	if errors.As(err, &nr) {
		return false
	}
	return isTimeout(err) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, net.ErrClosed) || isNetOp(err) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// requestIDHeaders are the response headers services put their request id
// in, in order of preference.
var requestIDHeaders = []string{
	"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "Apim-Request-Id", "X-Ms-Request-Id",
	"X-Goog-Request-Id", "Mistral-Correlation-Id", "X-Litellm-Call-Id", "X-Debug-Trace-Id",
}

// RequestID returns the service's request id from an answer's headers: the
// first of names that is set, else the first of the headers services
// commonly use.
func RequestID(h http.Header, names ...string) string {
	for _, list := range [][]string{names, requestIDHeaders} {
		for _, k := range list {
			if v := h.Get(k); v != "" {
				return v
			}
		}
	}
	return ""
}

// AnswerError maps an HTTP error answer (status 400 or more) to a
// *mirascope.ProviderError: status, retryability, request id (from
// requestIDHeaders, else the usual headers, else the body's request_id),
// Retry-After, and the service's message, code and type from the error
// shapes services send. It reads and closes the body. err, when not nil,
// is the SDK's own error for the answer.
func AnswerError(provider string, resp *http.Response, err error, requestIDHeaders ...string) *mirascope.ProviderError {
	pe := &mirascope.ProviderError{
		Provider:   provider,
		StatusCode: resp.StatusCode,
		RequestID:  RequestID(resp.Header, requestIDHeaders...),
		RetryAfter: RetryAfter(resp.Header),
		Err:        err,
	}
	var body []byte
	if resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
	}
	eb := ParseErrorBody(body)
	pe.Code, pe.Type, pe.Message = eb.Code, eb.Type, eb.Message
	if pe.RequestID == "" {
		pe.RequestID = eb.RequestID
	}
	if pe.RetryAfter == 0 {
		pe.RetryAfter = retryInfo(body)
	}
	if pe.Message == "" {
		pe.Message = http.StatusText(resp.StatusCode)
	}
	if pe.Err == nil {
		pe.Err = errors.New(resp.Status)
		if resp.Status == "" {
			pe.Err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
	}
	pe.Retryable = RetryableAnswer(resp.StatusCode, resp.Header, eb)
	return pe
}

// ContextError is the error of a call whose context ended, err being what
// the SDK returned. When the transport recorded an error answer earlier in
// the call (see [StartCall]), the result is that answer's error, mapped by
// answer (nil: [AnswerError]), that also matches the context's error with
// errors.Is: the status, request id and message are not lost to a retry
// the deadline cut short. Otherwise it is [TransportError].
func ContextError(ctx context.Context, provider string, err error, answer func(*http.Response) *mirascope.ProviderError) *mirascope.ProviderError {
	cerr := context.Cause(ctx)
	if cerr == nil {
		cerr = ctx.Err()
	}
	if cerr != nil && (err == nil || !errors.Is(err, cerr)) {
		if err == nil {
			err = cerr
		} else {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
	}
	resp := LastAnswer(ctx)
	if resp == nil || resp.StatusCode < 400 {
		return TransportError(provider, err)
	}
	var pe *mirascope.ProviderError
	if answer != nil {
		pe = answer(resp)
	} else {
		pe = AnswerError(provider, resp, nil)
	}
	if pe.Err == nil {
		pe.Err = err
	} else {
		pe.Err = errors.Join(pe.Err, err)
	}
	return pe
}

// ErrorBody is what an error answer's JSON says, whatever its shape.
type ErrorBody struct {
	Message, Type, Code, RequestID string
}

func (e *ErrorBody) fill(message, typ, code string) {
	if e.Message == "" {
		e.Message = message
	}
	if e.Type == "" {
		e.Type = typ
	}
	if e.Code == "" {
		e.Code = code
	}
}

// ParseErrorBody reads the error shapes model services send:
//
//	{"error": {"message", "type", "code", "status"}}          OpenAI, Azure, Groq, LiteLLM, Google
//	{"type": "error", "error": {"type", "message"}, "request_id"}   Anthropic
//	{"code": "...", "error": "..."}                          xAI
//	{"object": "error", "message": string|object, "type", "code"}   Mistral
//	{"message": "...", "id"|"request_id": "..."}             Mistral (gateway), Cohere, Bedrock
//	{"detail": ...}                                          FastAPI servers
//
// A body that is not JSON becomes the message, cut to 512 bytes on a rune
// boundary.
func ParseErrorBody(b []byte) ErrorBody {
	var eb ErrorBody
	var top struct {
		Error     json.RawMessage `json:"error"`
		Message   json.RawMessage `json:"message"`
		Message2  json.RawMessage `json:"Message"`
		Type      json.RawMessage `json:"type"`
		Code      json.RawMessage `json:"code"`
		Detail    json.RawMessage `json:"detail"`
		RequestID json.RawMessage `json:"request_id"`
	}
	b = bytes.TrimSpace(b)
	if json.Unmarshal(b, &top) != nil {
		eb.Message = truncateUTF8(string(b), 512)
		return eb
	}
	eb.RequestID = jsonText(top.RequestID)
	if len(top.Error) > 0 && top.Error[0] == '{' {
		var inner struct {
			Message json.RawMessage `json:"message"`
			Type    json.RawMessage `json:"type"`
			Code    json.RawMessage `json:"code"`
			Status  json.RawMessage `json:"status"`
		}
		if json.Unmarshal(top.Error, &inner) == nil {
			code := jsonText(inner.Code)
			if s := jsonText(inner.Status); s != "" {
				// Google: a numeric code repeats the HTTP status; the
				// status names the error.
				code = s
			}
			eb.fill(jsonText(inner.Message), jsonText(inner.Type), code)
		}
	} else {
		eb.fill(jsonText(top.Error), "", "")
	}
	typ := jsonText(top.Type)
	if typ == "error" {
		typ = "" // Anthropic's envelope
	}
	eb.fill(jsonText(top.Message), typ, jsonText(top.Code))
	eb.fill(jsonText(top.Message2), "", "")
	eb.fill(jsonText(top.Detail), "", "")
	return eb
}

// jsonText renders a JSON value as a message: a string unquoted, null as
// "", and anything else (a number, an object of validation details)
// compacted.
func jsonText(raw json.RawMessage) string {
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

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func isNetOp(err error) bool {
	var op *net.OpError
	return errors.As(err, &op)
}
