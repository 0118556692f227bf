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

// Delay forecasts Wait's wait at a time to come, taking nothing.
func TestRateLimiterDelay(t *testing.T) {
	now := time.Now()
	var none *providers.RateLimiter
	assert.Zero(t, none.Delay(now, math.MaxInt))
	assert.Zero(t, providers.NewRateLimiter(0, 0).Delay(now, 1))

	l := providers.NewRateLimiter(60, 0) // a turn a second, a burst of one
	assert.Zero(t, l.Delay(now, 1), "the burst is there")
	assert.Zero(t, l.Delay(now, 1), "a forecast takes nothing")
	before := time.Now()
	_, err := l.Wait(context.Background(), 1)
	require.NoError(t, err)
	after := time.Now()
	// The turn was taken between before and after: the next is a second
	// later. No bound here depends on how fast this test runs.
	assert.Equal(t, time.Second, l.Delay(before, 1))
	d := l.Delay(after, 1)
	assert.GreaterOrEqual(t, d, time.Second-after.Sub(before))
	assert.LessOrEqual(t, d, time.Second)
	assert.Zero(t, l.Delay(time.Now().Add(2*time.Second), 1), "the turn has come by then")
	assert.Less(t, l.Delay(time.Now().Add(600*time.Millisecond), 1), 500*time.Millisecond)

	tok := providers.NewRateLimiter(0, 600) // 10 a second, a burst of 10
	assert.Zero(t, tok.Delay(now, 10))
	assert.InDelta(t, float64(time.Second), float64(tok.Delay(now, 20)), float64(50*time.Millisecond), "past the burst: the missing 10 at 10/s")
	assert.LessOrEqual(t, tok.Delay(now, math.MaxInt), time.Minute+time.Second, "capped at a minute's worth")
	assert.Zero(t, tok.Delay(now, math.MinInt), "a negative cost costs one token")
	before = time.Now()
	_, err = tok.Wait(context.Background(), 10)
	require.NoError(t, err)
	assert.Equal(t, 500*time.Millisecond, tok.Delay(before, 5), "the burst is spent")
	tok.Report(10, 2) // 8 paid already
	assert.Zero(t, tok.Delay(time.Now(), 5), "credit counts")
}

// A turn not taken (its wait would pass the deadline) gives back the
// credit earlier answers left, as it gives back its reservations: the
// next request spends it.
func TestRateLimiterCreditKeptOnRefusedWait(t *testing.T) {
	l := providers.NewRateLimiter(0, 600) // 10 tokens a second, a burst of 10
	l.Report(50, 1)                       // 49 tokens of credit
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := l.Wait(ctx, 200) // 151 past the credit: 15s, past the deadline
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, l.Delay(time.Now(), 49), "the credit is still there")
}

// A turn not taken gives its tokens back whole, however many pieces of the
// burst it had reserved: the bucket is as it was, and the next request
// does not wait for tokens nobody spent.
func TestRateLimiterRefusedWaitTakesNothing(t *testing.T) {
	l := providers.NewRateLimiter(0, 600) // 10 tokens a second, a burst of 10
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := l.Wait(ctx, 200) // 20 pieces of 10: 19s, past the deadline
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, l.Delay(time.Now(), 10), "the burst is whole again")
}
