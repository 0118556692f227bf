package mirascope

import (
	"context"
	"sync/atomic"
)

type attemptKey struct{}

type attemptHook struct {
	n  atomic.Int64
	fn func(attempt int)
}

// WithAttemptHook returns a context under which providers report every HTTP
// attempt they make for one call: fn receives 1 for the first request and
// 2, 3, … for retries. Decorators use it to record retries
// (http.request.resend_count); fn must be safe for concurrent use.
func WithAttemptHook(ctx context.Context, fn func(attempt int)) context.Context {
	return context.WithValue(ctx, attemptKey{}, &attemptHook{fn: fn})
}

// ReportAttempt is called by a provider's HTTP transport for each request it
// sends under ctx. It does nothing when no hook is installed.
func ReportAttempt(ctx context.Context) {
	if h, ok := ctx.Value(attemptKey{}).(*attemptHook); ok {
		h.fn(int(h.n.Add(1)))
	}
}
