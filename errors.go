package mirascope

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

var (
	// ErrNilProvider is returned by Call and Stream when given no provider.
	ErrNilProvider = errors.New("mirascope: nil provider")
	// ErrStreamConsumed is yielded when a ResponseStream is ranged twice.
	ErrStreamConsumed = errors.New("mirascope: stream already consumed")

	// ErrRateLimited matches a *ProviderError for HTTP 429.
	ErrRateLimited = errors.New("mirascope: rate limited")
	// ErrAuth matches a *ProviderError for HTTP 401 or 403, and a missing API key.
	ErrAuth = errors.New("mirascope: authentication failed")
	// ErrUnsupportedParameter is matched by the error a provider returns,
	// before any request, for a portable parameter its service does not
	// accept (e.g. temperature on Anthropic's current API, seed on Bedrock's
	// Converse): a setting is never dropped silently.
	ErrUnsupportedParameter = errors.New("mirascope: parameter not supported by this provider")
	// ErrContextLength matches a *ProviderError that says the input is too long
	// for the model's context window.
	ErrContextLength = errors.New("mirascope: context length exceeded")
)

// ProviderError is a failure reported by, or on the way to, a model service.
// It is reachable with errors.As through any wrapping, and unwraps to the
// SDK's own error.
type ProviderError struct {
	// Provider is the gen_ai.provider.name of the service, e.g. "openai".
	Provider string
	// StatusCode is the HTTP status; 0 when no HTTP answer came.
	StatusCode int
	// Retryable says a later attempt may succeed: a rate limit, a 5xx, a
	// timeout or a failed connection.
	Retryable bool
	// RequestID is the service's id for the failed request, for support tickets.
	RequestID string
	// Code and Type are the service's own error code and type, when given.
	Code string
	Type string
	// Message is the service's own explanation.
	Message string
	// RetryAfter is how long the service asked to wait, when it said.
	RetryAfter time.Duration
	// Attempts counts the HTTP requests sent for the call, retries
	// included; 0 when none was sent or the provider does not count them.
	Attempts int
	// Err is the underlying error (the SDK's, or the transport's).
	Err error
}

func (e *ProviderError) Error() string {
	var b strings.Builder
	b.WriteString("mirascope: ")
	if e.Provider != "" {
		b.WriteString(e.Provider)
		b.WriteString(": ")
	}
	switch {
	case e.StatusCode != 0:
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("request failed")
	}
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ProviderError) Unwrap() error { return e.Err }

// Is matches the sentinels [ErrRateLimited], [ErrAuth] and [ErrContextLength].
func (e *ProviderError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.StatusCode == 429
	case ErrAuth:
		return e.StatusCode == 401 || e.StatusCode == 403
	case ErrContextLength:
		return isContextLength(e)
	}
	return false
}

func isContextLength(e *ProviderError) bool {
	switch e.Code {
	case "context_length_exceeded", "string_above_max_length":
		return true
	}
	if e.StatusCode != 400 && e.StatusCode != 413 && e.StatusCode != 0 {
		return false
	}
	m := strings.ToLower(e.Message)
	for _, s := range []string{"context length", "context window", "prompt is too long", "input is too long", "too many tokens", "maximum context"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// UnsupportedError is the one error every provider returns, before any
// request, for a setting its service (or this provider) cannot honour: a
// portable parameter the API lacks, a tool choice it cannot express, or
// another provider's own option. Call, Stream, Run, Extract and
// StreamExtract return it too, for an option that would do nothing there.
// It matches [ErrUnsupportedParameter].
type UnsupportedError struct {
	// Provider is the gen_ai.provider.name of the provider that refused,
	// or the function (e.g. "Call") that has no use for the option.
	Provider string
	// Parameter names the setting, as the user wrote it (e.g. "WithSeed").
	Parameter string
	// Reason says why, and what to do instead, when there is more to say.
	Reason string
}

func (e *UnsupportedError) Error() string {
	s := "mirascope: " + e.Provider + ": " + e.Parameter + " is not supported"
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Is matches [ErrUnsupportedParameter].
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupportedParameter }
