package google

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

// wrapErr turns any failure of the SDK into a *mirascope.ProviderError. The
// SDK's genai.APIError is a value type whose code comes from the JSON body,
// with no headers: the true status and the request id come from rec.
func (p *Provider) wrapErr(ctx context.Context, err error, rec *record) error {
	status, header := rec.get()
	var ae genai.APIError
	if errors.As(err, &ae) {
		pe := &mirascope.ProviderError{
			Provider:   p.info.Name,
			StatusCode: status,
			RequestID:  requestID(header),
			Code:       ae.Status,
			Type:       reason(ae.Details),
			Message:    redact(ae.Message, p.apiKey),
			Err:        redactErr{err, p.apiKey},
		}
		// An error inside a 200 stream, or a body whose code differs: the
		// body's code is the one that describes the failure.
		if pe.StatusCode < 400 && ae.Code >= 400 {
			pe.StatusCode = ae.Code
		}
		pe.Retryable = providers.RetryableStatus(pe.StatusCode)
		pe.RetryAfter = providers.RetryAfter(header)
		if pe.RetryAfter == 0 {
			if b, err := json.Marshal(map[string]any{"error": ae}); err == nil {
				pe.RetryAfter = retryDelay(b)
			}
		}
		return pe
	}
	if ctx.Err() != nil || status == 0 || !isDecodeErr(err) {
		pe := providers.TransportError(p.info.Name, redactErr{err, p.apiKey})
		if errors.Is(err, io.ErrUnexpectedEOF) && ctx.Err() == nil {
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
		Err:        redactErr{err, p.apiKey},
	}
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

// redactErr masks the API key in an error's text, whatever the SDK put there.
type redactErr struct {
	err error
	key string
}

func (e redactErr) Error() string { return redact(e.err.Error(), e.key) }
func (e redactErr) Unwrap() error { return e.err }
