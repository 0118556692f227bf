package providers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mirascope-go/mirascope"
)

// ErrMissingAPIKey matches a [*MissingAPIKeyError].
var ErrMissingAPIKey = errors.New("missing API key")

// MissingAPIKeyError is returned, before any request, by a provider that
// needs a key and was given none.
type MissingAPIKeyError struct {
	Provider string
	// EnvVars are the variables the provider reads, in order.
	EnvVars []string
}

func (e *MissingAPIKeyError) Error() string {
	return fmt.Sprintf("mirascope: %s: missing API key: set %s or pass providers.WithAPIKey",
		e.Provider, strings.Join(e.EnvVars, " or "))
}

// Is matches [ErrMissingAPIKey] and [mirascope.ErrAuth].
func (e *MissingAPIKeyError) Is(target error) bool {
	return target == ErrMissingAPIKey || target == mirascope.ErrAuth
}

// RetryableStatus reports whether an HTTP status is worth retrying.
func RetryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusConflict ||
		code == http.StatusTooManyRequests || code >= 500
}

// RetryAfter parses a Retry-After or retry-after-ms header; 0 when absent.
func RetryAfter(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	if ms := h.Get("Retry-After-Ms"); ms != "" {
		if f, err := strconv.ParseFloat(ms, 64); err == nil && f > 0 {
			return time.Duration(f * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
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

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func isNetOp(err error) bool {
	var op *net.OpError
	return errors.As(err, &op)
}
