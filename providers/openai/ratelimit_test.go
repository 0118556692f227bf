package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/openai"
)

// limitedServer answers Chat Completions, enforcing 10 requests per second
// (a bucket of 10 filling at 10/s) with 429s, as a service's rate limit does.
func limitedServer(t *testing.T) (url string, ok, refused *atomic.Int64) {
	answer, err := os.ReadFile("../../testdata/openai/call.json")
	require.NoError(t, err)
	lim := rate.NewLimiter(10, 10)
	ok, refused = new(atomic.Int64), new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !lim.Allow() {
			refused.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`))
			return
		}
		ok.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, ok, refused
}

// callMany makes n calls from g goroutines and returns their errors.
func callMany(p mirascope.Provider, n, g int) []error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	next := make(chan struct{}, n)
	for range n {
		next <- struct{}{}
	}
	close(next)
	for range g {
		wg.Go(func() {
			for range next {
				_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"})
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errs
}

// 30 calls from 15 goroutines, paced at 300 a minute (5 a second, a burst
// of 5), never meet the service's 10-per-second limit; unpaced, they do.
func TestRateLimitAvoids429s(t *testing.T) {
	t.Parallel()
	url, ok, refused := limitedServer(t)
	p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"),
		providers.WithMaxRetries(0), providers.WithRateLimit(300, 0))
	assert.Empty(t, callMany(p, 30, 15))
	assert.Zero(t, refused.Load(), "no 429")
	assert.EqualValues(t, 30, ok.Load())

	// 60 calls from 30 goroutines: only a run slower than 5 seconds would
	// keep to the fake's limit.
	url, _, refused = limitedServer(t)
	unpaced := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), providers.WithMaxRetries(0))
	assert.NotEmpty(t, callMany(unpaced, 60, 30))
	assert.Positive(t, refused.Load(), "the fake does enforce its limit")
}

// headerServer answers with the rate-limit headers first(n) returns for the
// n-th request (from 1), recording when each came.
func headerServer(t *testing.T, first func(n int) http.Header) (string, func() []time.Time) {
	answer, err := os.ReadFile("../../testdata/openai/call.json")
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, time.Now())
		n := len(seen)
		mu.Unlock()
		for k, vs := range first(n) {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []time.Time {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), seen...)
	}
}

func spentFor(reset string) func(int) http.Header {
	return func(n int) http.Header {
		if n > 1 {
			return nil
		}
		return http.Header{"X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {reset},
			"X-Ratelimit-Remaining-Tokens": {"149984"}, "X-Ratelimit-Reset-Tokens": {"6m0s"}}
	}
}

// An answer saying no request is left until a reset a second away holds
// the next call back until then, and the wait is on its Response.
func TestRateLimitHeaderHoldsNextCall(t *testing.T) {
	t.Parallel()
	url, seen := headerServer(t, spentFor("1s"))
	p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"))
	ctx := context.Background()
	first, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	assert.Zero(t, first.RateLimitWait)
	second, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	at := seen()
	require.Len(t, at, 2)
	// The first request arrived before its answer started the hold: this
	// bound holds however slow the machine.
	assert.GreaterOrEqual(t, at[1].Sub(at[0]), time.Second, "held until the reset")
	// What was left of the hold when the call began: positive unless a
	// second passed between two statements.
	assert.Positive(t, second.RateLimitWait)
	assert.LessOrEqual(t, second.RateLimitWait, time.Second)
}

// A deadline shorter than the wait fails at once, with no request sent:
// for the service's reset, and for the configured limit.
func TestRateLimitDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]providers.Option{
		"header":  nil,
		"limiter": providers.WithRateLimit(1, 0), // the next request in a minute
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url, seen := headerServer(t, spentFor("30s"))
			if opt != nil {
				url, seen = headerServer(t, func(int) http.Header { return nil })
			}
			p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), opt)
			_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			_, err = mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			// Refused before waiting (a wait cut by the deadline would end
			// in the context's own error, which says nothing of this).
			assert.ErrorContains(t, err, "rate limit: ", "failed at once, not at the deadline")
			var pe *mirascope.ProviderError
			assert.True(t, errors.As(err, &pe), "typed: %T %v", err, err)
			assert.Len(t, seen(), 1, "no request sent")
		})
	}
}

// One RateLimiter shared by two provider values paces both: the second
// value's first call waits for the first value's.
func TestRateLimiterShared(t *testing.T) {
	t.Parallel()
	url, seen := headerServer(t, func(int) http.Header { return nil })
	l := providers.NewRateLimiter(1, 0)
	a := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), providers.WithRateLimiter(l))
	b := openai.New("gpt-4o", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), providers.WithRateLimiter(l))
	_, err := mirascope.Call(context.Background(), a, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = mirascope.Call(ctx, b, RecommendBook{Genre: "fantasy"})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, seen(), 1)
}

// A stream held back by the service's headers carries the wait on its first
// chunk, and so on its accumulated Response.
func TestRateLimitHeaderHoldsStream(t *testing.T) {
	t.Parallel()
	events, err := os.ReadFile("../../testdata/openai/stream.sse")
	require.NoError(t, err)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("X-Ratelimit-Remaining-Tokens", "0")
			w.Header().Set("X-Ratelimit-Reset-Tokens", "1s") // long enough to outlast reading the stream
		}
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write(events)
	}))
	t.Cleanup(srv.Close)
	p := openai.New("gpt-4o-mini", providers.WithBaseURL(srv.URL), providers.WithAPIKey("sk-test"), providers.WithRateLimit(0, 100_000))
	var waits []time.Duration
	for range 2 {
		s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: "fantasy"})
		require.NoError(t, err)
		for _, err := range s.Chunks() {
			require.NoError(t, err)
		}
		waits = append(waits, s.Response().RateLimitWait)
	}
	assert.Zero(t, waits[0])
	assert.Positive(t, waits[1])
}

// A call held by the service's reset and then waiting its turn at the
// limiter checks the sum of both waits against its deadline before
// starting either: here 10s of hold fit in the 15s deadline, but 10s of
// hold then 10s more at the limiter do not, so the call fails at once,
// unsent. When the sum fits, both waits are made and the call goes.
func TestRateLimitHoldPlusLimiterDeadline(t *testing.T) {
	t.Parallel()
	t.Run("sum past the deadline", func(t *testing.T) {
		t.Parallel()
		url, seen := headerServer(t, spentFor("10s"))
		p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"),
			providers.WithRateLimit(3, 0)) // a turn every 20s
		_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		_, err = mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		// Refused before the hold began: only that check names both waits.
		assert.ErrorContains(t, err, "then the rate limiter")
		assert.Len(t, seen(), 1, "no request sent")
	})
	t.Run("sum fits", func(t *testing.T) {
		t.Parallel()
		url, seen := headerServer(t, spentFor("300ms"))
		start := time.Now() // before the limiter's first turn
		p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"),
			providers.WithRateLimit(60, 0)) // a turn every second
		_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
		require.NoError(t, err)
		at := seen()
		require.Len(t, at, 2)
		assert.GreaterOrEqual(t, at[1].Sub(start), time.Second, "the limiter's turn, a second after the first")
		assert.GreaterOrEqual(t, at[1].Sub(at[0]), 300*time.Millisecond, "and after the hold")
		// The hold's wait is what is left of it when the call starts, and
		// the limiter's may be nothing on a machine slow enough that the
		// first call took its second: only that the call waited is sure.
		assert.Positive(t, resp.RateLimitWait)
	})
}

// tokenServer answers Chat Completions, enforcing a budget of tokens per
// rolling second with 429s. A request costs what its answer reports: its
// input at a token per two bytes of body (twice the limiter's estimate)
// plus its max_completion_tokens, all used.
func tokenServer(t *testing.T, perSecond int) (url string, ok, refused *atomic.Int64) {
	type charge struct {
		at   time.Time
		cost int
	}
	var mu sync.Mutex
	var window []charge
	ok, refused = new(atomic.Int64), new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			MaxCompletionTokens int `json:"max_completion_tokens"`
		}
		require.NoError(t, json.Unmarshal(body, &req))
		in, out := len(body)/2, req.MaxCompletionTokens
		now := time.Now()
		mu.Lock()
		spent := 0
		window = slices.DeleteFunc(window, func(c charge) bool { return now.Sub(c.at) >= time.Second })
		for _, c := range window {
			spent += c.cost
		}
		admit := spent+in+out <= perSecond
		if admit {
			window = append(window, charge{now, in + out})
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !admit {
			refused.Add(1)
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"message":"Rate limit reached for tokens per min","type":"tokens","code":"rate_limit_exceeded"}}`))
			return
		}
		ok.Add(1)
		fmt.Fprintf(w, `{"id":"chatcmpl-t","object":"chat.completion","created":1749312345,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null},"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}`, in, out, in+out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, ok, refused
}

// 24 calls from 12 goroutines, paced at 60,000 tokens a minute (1,000 a
// second, a burst of 1,000), never meet a service allowing 2,500 tokens per
// rolling second (a bucket's burst plus a second's refill, and room for the
// calls already waiting when an answer corrects the estimate), though each
// costs twice its estimated input: the limiter charges the difference once
// the answer reports it, and later calls wait for it. Unpaced, the same
// calls are refused.
func TestRateLimitTokensPerMinute(t *testing.T) {
	t.Parallel()
	const perSecond = 2500
	run := func(p mirascope.Provider) []error {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		next := make(chan struct{}, 24)
		for range cap(next) {
			next <- struct{}{}
		}
		close(next)
		for range 12 {
			wg.Go(func() {
				for range next {
					resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"}, mirascope.WithMaxTokens(60))
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					} else if resp.Usage.InputTokens < 50 {
						errs = append(errs, fmt.Errorf("usage %+v: the fake's cost is not what this test means", resp.Usage))
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return errs
	}
	url, ok, refused := tokenServer(t, perSecond)
	p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"),
		providers.WithMaxRetries(0), providers.WithRateLimit(0, 60_000))
	assert.Empty(t, run(p))
	assert.Zero(t, refused.Load(), "no 429")
	assert.EqualValues(t, 24, ok.Load())

	url, _, refused = tokenServer(t, perSecond)
	unpaced := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), providers.WithMaxRetries(0))
	assert.NotEmpty(t, run(unpaced))
	assert.Positive(t, refused.Load(), "the fake does enforce its budget")
}

// Hostile reset headers never panic, never hold a call longer than
// providerkit.MaxRetryWait (a minute) nor a negative time: a huge reset
// holds for the cap (a 20s deadline fails at once, naming the minute), an
// unreadable or negative one holds for nothing, a short one for itself:
// the next request leaves no sooner than the reset after the answer that
// set it, and the call's recorded wait is never more than the reset. (The
// exact hold each value makes is providerkit's TestRateLimitHold, on a
// fixed clock: here a loaded machine may spend a short hold before the
// next call begins.)
func TestRateLimitHostileResetHeaders(t *testing.T) {
	t.Parallel()
	for reset, want := range map[string]time.Duration{
		"6m0s": time.Minute, "99999999999h": time.Minute, "1e308": time.Minute, "9223372036854775808ns": time.Minute,
		"1.5s": 1500 * time.Millisecond, "20ms": 20 * time.Millisecond,
		"-1s": 0, "-99999999999h": 0, "NaN": 0, "soon": 0, "": 0, "\xff": 0, "-Inf": 0,
	} {
		t.Run(reset, func(t *testing.T) {
			t.Parallel()
			url, seen := headerServer(t, func(n int) http.Header {
				if n > 1 {
					return nil
				}
				return http.Header{"X-Ratelimit-Remaining-Tokens": {"0"}, "X-Ratelimit-Reset-Tokens": {reset}}
			})
			sent := &sendTimes{base: http.DefaultTransport}
			p := openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"),
				providers.WithHTTPClient(&http.Client{Transport: sent}))
			_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"})
			require.NoError(t, err)
			// Past any short hold and the call after it however slow the
			// machine, short of the cap.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
			if want == time.Minute {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				require.Error(t, err)
				m := regexp.MustCompile(`wait ([0-9a-z.]+),`).FindStringSubmatch(err.Error())
				require.Len(t, m, 2, err.Error())
				held, perr := time.ParseDuration(m[1])
				require.NoError(t, perr)
				assert.LessOrEqual(t, held, time.Minute, "held for the cap, no longer")
				assert.Greater(t, held, time.Minute/2, "the cap, less the time the test took")
				assert.Len(t, seen(), 1)
				return
			}
			require.NoError(t, err)
			assert.GreaterOrEqual(t, resp.RateLimitWait, time.Duration(0))
			assert.LessOrEqual(t, resp.RateLimitWait, want)
			sends, answers := sent.times()
			require.Len(t, sends, 2)
			// The hold starts when the first answer is read, after the
			// transport below returned it: the order cannot be broken by a
			// slow machine, only by a hold shorter than the reset.
			assert.GreaterOrEqual(t, sends[1].Sub(answers[0]), want, "held until the reset")
		})
	}
}

// sendTimes is the transport beneath the provider's: it records when each
// request left and when its answer's headers came back.
type sendTimes struct {
	base           http.RoundTripper
	mu             sync.Mutex
	sends, answers []time.Time
}

func (s *sendTimes) RoundTrip(r *http.Request) (*http.Response, error) {
	sent := time.Now()
	resp, err := s.base.RoundTrip(r)
	s.mu.Lock()
	s.sends, s.answers = append(s.sends, sent), append(s.answers, time.Now())
	s.mu.Unlock()
	return resp, err
}

func (s *sendTimes) times() (sends, answers []time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sends), slices.Clone(s.answers)
}

// 50 goroutines calling through two provider values that share one
// limiter (run under -race): every call goes, and together they keep to
// the limiter's pace, 20 a second after a burst of 20, with each call's
// wait on its Response.
func TestRateLimiterSharedConcurrent(t *testing.T) {
	t.Parallel()
	url, seen := headerServer(t, func(int) http.Header { return nil })
	start := time.Now() // before the limiter's first turn
	l := providers.NewRateLimiter(1200, 600_000)
	ps := []mirascope.Provider{
		openai.New("gpt-4o-mini", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), providers.WithRateLimiter(l)),
		openai.New("gpt-4o", providers.WithBaseURL(url), providers.WithAPIKey("sk-test"), providers.WithRateLimiter(l)),
	}
	var wg sync.WaitGroup
	var waited atomic.Int64
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			resp, err := mirascope.Call(context.Background(), ps[i%2], RecommendBook{Genre: "fantasy"})
			if err != nil {
				errs <- err
				return
			}
			waited.Add(int64(resp.RateLimitWait))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	at := seen()
	require.Len(t, at, 50)
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	assert.GreaterOrEqual(t, at[49].Sub(start), 1500*time.Millisecond, "30 past the burst at 20 a second")
	assert.Positive(t, waited.Load())
}

// A retry whose Retry-After fits the deadline alone, but not with the
// limiter's turn after it, is not started: the service's 429 comes back at
// once, typed, rather than after a wait that could only end in an error.
func TestRateLimitRetryPlusLimiterDeadline(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`))
	}))
	t.Cleanup(srv.Close)
	p := openai.New("gpt-4o-mini", providers.WithBaseURL(srv.URL), providers.WithAPIKey("sk-test"),
		providers.WithMaxRetries(2), providers.WithRateLimit(3, 0)) // a turn every 20s
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
	// Waiting the Retry-After would take two seconds at least.
	assert.Less(t, time.Since(start), 2*time.Second, "returned at once, not after the Retry-After")
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusTooManyRequests, pe.StatusCode)
	assert.EqualValues(t, 1, n.Load(), "no retry sent")
}
