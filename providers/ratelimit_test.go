package providers_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers"
)

// soon is a context whose deadline no rate-limit wait here fits in.
func soon(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	t.Cleanup(cancel)
	return ctx
}

func TestRateLimiterTokens(t *testing.T) {
	ctx := context.Background()
	l := providers.NewRateLimiter(0, 600) // 10 a second, a burst of 10
	w, err := l.Wait(ctx, 10)
	require.NoError(t, err)
	assert.Zero(t, w)
	_, err = l.Wait(soon(t), 10)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the bucket is empty: not started")

	// The answer used 2 of the 10 charged: the next 8 are paid already.
	l.Report(10, 2)
	w, err = l.Wait(soon(t), 8)
	require.NoError(t, err)
	assert.Zero(t, w)

	// An answer that used 15 more than charged leaves a debt.
	l = providers.NewRateLimiter(0, 600)
	l.Report(0, 15)
	_, err = l.Wait(soon(t), 1)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRateLimiterHostile(t *testing.T) {
	ctx := context.Background()
	var none *providers.RateLimiter
	for _, l := range []*providers.RateLimiter{none, providers.NewRateLimiter(0, 0), providers.NewRateLimiter(-1, math.MinInt)} {
		w, err := l.Wait(ctx, math.MaxInt)
		require.NoError(t, err)
		assert.Zero(t, w)
		l.Report(-1, math.MaxInt)
	}
	big := providers.NewRateLimiter(math.MaxInt, math.MaxInt)
	for range 3 {
		w, err := big.Wait(soon(t), 1<<40)
		require.NoError(t, err)
		assert.Zero(t, w)
	}
	// A request dearer than the bucket waits (here: past the deadline)
	// rather than being refused outright or looping 2⁶³ times.
	small := providers.NewRateLimiter(0, 60)
	_, err := small.Wait(soon(t), math.MaxInt)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	small.Report(0, math.MaxInt)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = providers.NewRateLimiter(1, 0).Wait(cancelled, 1)
	assert.ErrorIs(t, err, context.Canceled)
}
