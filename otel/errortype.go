package otel

import (
	"context"
	"errors"
	"net"
	"strconv"

	"github.com/mirascope-go/mirascope"
)

// errorType classifies err into the low-cardinality error.type value, from a
// small documented set and never a Go type name:
//
//   - "canceled": the context was cancelled;
//   - "timeout": the context's deadline passed, or a network timeout;
//   - the service's own error code (e.g. "rate_limit_exceeded"), when a
//     [mirascope.ProviderError] carries a short identifier-like one;
//   - the HTTP status as a string ("429", "503"), when the service answered;
//   - "_OTHER" for everything else.
func errorType(ctx context.Context, err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return errorTypeCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return errorTypeTimeout
	}
	if ctx != nil {
		switch ctx.Err() {
		case context.Canceled:
			return errorTypeCanceled
		case context.DeadlineExceeded:
			return errorTypeTimeout
		}
	}
	var pe *mirascope.ProviderError
	if errors.As(err, &pe) {
		if isIdentifier(pe.Code) {
			return pe.Code
		}
		if pe.StatusCode >= 100 && pe.StatusCode <= 599 {
			return strconv.Itoa(pe.StatusCode)
		}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errorTypeTimeout
	}
	return errorTypeOther
}

// isIdentifier accepts a service error code as error.type only when it looks
// like one (short, [A-Za-z0-9_.-]), so a free-text code cannot blow up the
// metric's cardinality or carry user data.
func isIdentifier(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}
