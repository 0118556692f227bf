package providers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A RateLimiter paces the calls of one account so that they wait their turn
// instead of meeting a 429: requests and tokens per minute, each a token
// bucket (golang.org/x/time/rate) holding at most one second's worth. It is
// safe for concurrent use. Create one per account and pass it with
// [WithRateLimiter] to every provider value that spends that account's
// quota; [WithRateLimit] makes one for a single provider value.
//
// A request costs one request and, on the token axis, its estimated input
// (a quarter of its body's bytes) plus its max_tokens (1024 when it names
// none). The answer corrects the estimate from the usage it reports (a
// stream's, at its end): tokens over it are owed by later calls, tokens
// under it are spent first by them. A batch job's requests (package batch:
// uploads, polls, downloads) are none of the model's calls and skip it.
type RateLimiter struct {
	req, tok *rate.Limiter // nil: no bound on that axis
	tpm      int
	mu       sync.Mutex
	credit   int // tokens charged beyond what answers reported
}

// NewRateLimiter returns a limiter of requestsPerMinute and tokensPerMinute;
// 0 or less leaves that axis unbounded.
func NewRateLimiter(requestsPerMinute, tokensPerMinute int) *RateLimiter {
	l := &RateLimiter{}
	if requestsPerMinute > 0 {
		l.req = rate.NewLimiter(rate.Limit(float64(requestsPerMinute)/60), max(1, requestsPerMinute/60))
	}
	if tokensPerMinute > 0 {
		l.tpm = tokensPerMinute
		l.tok = rate.NewLimiter(rate.Limit(float64(tokensPerMinute)/60), max(1, tokensPerMinute/60))
	}
	return l
}

// WithRateLimit paces the provider's calls to requestsPerMinute and
// tokensPerMinute (0: no bound on that axis); see [RateLimiter].
func WithRateLimit(requestsPerMinute, tokensPerMinute int) Option {
	return WithRateLimiter(NewRateLimiter(requestsPerMinute, tokensPerMinute))
}

// WithRateLimiter paces the provider's calls with l, which several provider
// values of one account share.
func WithRateLimiter(l *RateLimiter) Option { return func(c *Config) { c.RateLimiter = l } }

// Wait takes one request costing tokens, waiting its turn, and returns how
// long it waited. A wait that would pass ctx's deadline is not started: the
// error, matching context.DeadlineExceeded, comes at once and nothing is
// taken.
func (l *RateLimiter) Wait(ctx context.Context, tokens int) (time.Duration, error) {
	if l == nil || (l.req == nil && l.tok == nil) {
		return 0, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	now := time.Now()
	var taken []*rate.Reservation
	var delay time.Duration
	take := func(lim *rate.Limiter, n int) {
		r := lim.ReserveN(now, n) // n ≤ burst: always ok
		taken = append(taken, r)
		delay = max(delay, r.DelayFrom(now))
	}
	if l.req != nil {
		take(l.req, 1)
	}
	credit := 0 // taken from the answers' credit, given back with the turn
	if l.tok != nil {
		// A request dearer than a minute's worth would be refused by the
		// service anyway; the cap bounds the reservations to 60.
		want := max(tokens, 1)
		n := l.spendCredit(want)
		credit = want - n
		n = min(n, l.tpm)
		for b := l.tok.Burst(); n > 0; n -= b {
			take(l.tok, min(n, b))
		}
	}
	if delay <= 0 {
		return 0, nil
	}
	giveBack := func() {
		// Last first: a reservation gives back only the tokens no later
		// one holds (x/time/rate's CancelAt), so in order the first would
		// give back nothing while the rest stand.
		for i := len(taken) - 1; i >= 0; i-- {
			taken[i].CancelAt(now)
		}
		if credit > 0 {
			l.mu.Lock()
			l.credit = min(l.credit+credit, l.tpm)
			l.mu.Unlock()
		}
	}
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= delay {
		giveBack()
		return 0, fmt.Errorf("rate limit: a wait of %v would pass the deadline: %w", delay, context.DeadlineExceeded)
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		giveBack()
		return 0, ctx.Err()
	case <-timer.C:
		return delay, nil
	}
}

// Delay is how long a request costing tokens would wait here if it asked
// at time at, taking nothing. A caller that must first wait elsewhere (the
// service's own rate-limit hold) checks the sum of both waits against its
// deadline before starting either. Other callers may take turns meanwhile,
// so it is a forecast: Wait still checks its own wait.
func (l *RateLimiter) Delay(at time.Time, tokens int) time.Duration {
	if l == nil || (l.req == nil && l.tok == nil) {
		return 0
	}
	var d time.Duration
	if l.req != nil {
		d = shortfall(l.req, at, 1)
	}
	if l.tok != nil {
		l.mu.Lock()
		credit := l.credit
		l.mu.Unlock()
		n := min(max(max(tokens, 1)-credit, 0), l.tpm)
		d = max(d, shortfall(l.tok, at, n))
	}
	return d
}

// shortfall is how long lim takes, from at, to hold n tokens: the wait of
// n reserved at at, the burst's pieces one after another included.
func shortfall(lim *rate.Limiter, at time.Time, n int) time.Duration {
	missing := float64(n) - lim.TokensAt(at)
	if missing <= 0 || n <= 0 {
		return 0
	}
	// n ≤ tpm = 60 × the rate: at most a minute and a little, no overflow.
	return time.Duration(missing / float64(lim.Limit()) * float64(time.Second))
}

// spendCredit returns n less the credit left by answers that used fewer
// tokens than estimated.
func (l *RateLimiter) spendCredit(n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := min(l.credit, n)
	l.credit -= c
	return n - c
}

// Report corrects the token axis once an answer says how many tokens a
// request charged at estimated actually used.
func (l *RateLimiter) Report(estimated, used int) {
	if l == nil || l.tok == nil || used <= 0 || estimated < 0 {
		return
	}
	if used < estimated {
		l.mu.Lock()
		l.credit = min(l.credit+estimated-used, l.tpm)
		l.mu.Unlock()
		return
	}
	now := time.Now()
	n := min(used-estimated, l.tpm)
	for b := l.tok.Burst(); n > 0; n -= b {
		l.tok.ReserveN(now, min(n, b)) // owed: later calls wait for it
	}
}
