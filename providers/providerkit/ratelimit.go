package providerkit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultMaxTokens is the output a request that names no max_tokens is
// assumed to cost on a [providers.RateLimiter]'s token axis.
const defaultMaxTokens = 1024

// hold is what a provider value's transport learnt from the service's
// rate-limit headers: no request is sent before until.
type hold struct {
	mu    sync.Mutex
	until time.Time
}

// observe holds further requests back when resp says a quota is spent.
func (h *hold) observe(resp *http.Response, now time.Time) {
	d := min(rateLimitHold(resp.StatusCode, resp.Header, now), MaxRetryWait)
	if d <= 0 {
		return
	}
	until := now.Add(d)
	h.mu.Lock()
	if until.After(h.until) {
		h.until = until
	}
	h.mu.Unlock()
}

// wait is how long a request must still wait.
func (h *hold) wait() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(time.Until(h.until), 0)
}

// rateLimitHold is how long, from now, a service's answer asks further
// requests to wait: until the reset of a quota its headers say is spent
// (x-ratelimit-remaining-requests/-tokens: 0 with x-ratelimit-reset-* as a
// Go-style duration such as "6m0s" or "20ms"; anthropic-ratelimit-*-remaining:
// 0 with anthropic-ratelimit-*-reset as an RFC 3339 time), or Retry-After on
// a 429 or 503. Unreadable, negative or past values ask for nothing; a huge
// one (a Go duration past 2⁶³ ns included) saturates. It is never negative;
// [hold] caps what it keeps at [MaxRetryWait].
func rateLimitHold(status int, h http.Header, now time.Time) time.Duration {
	var d time.Duration
	for _, axis := range [...]string{"requests", "tokens"} {
		if spent(h.Get("X-Ratelimit-Remaining-" + axis)) {
			d = max(d, resetDuration(h.Get("X-Ratelimit-Reset-"+axis)))
		}
	}
	for _, axis := range [...]string{"requests", "tokens", "input-tokens", "output-tokens"} {
		if spent(h.Get("Anthropic-Ratelimit-" + axis + "-Remaining")) {
			v := strings.TrimSpace(h.Get("Anthropic-Ratelimit-" + axis + "-Reset"))
			if t, err := time.Parse(time.RFC3339, v); err == nil && t.After(now) {
				d = max(d, t.Sub(now)) // Sub saturates
			}
		}
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		d = max(d, RetryAfter(h))
	}
	return max(d, 0)
}

// spent reports whether a remaining-quota header says none is left.
func spent(v string) bool {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return err == nil && n == 0
}

// resetDuration reads an OpenAI-style reset: a Go duration ("1s", "6m0s",
// "20ms") or bare seconds; 0 when unreadable or not positive, saturated
// when too long for a Duration.
func resetDuration(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if d, err := time.ParseDuration(v); err == nil {
		return max(d, 0)
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return seconds(f)
	}
	if goDuration.MatchString(v) { // well-formed, so too long for a Duration
		return math.MaxInt64
	}
	return 0
}

// goDuration is the syntax of a positive Go duration, of any size.
var goDuration = regexp.MustCompile(`^\+?(([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

// pace makes one request wait for the service's last word on its quotas,
// then for its turn at the configured limiter, recording the wait on the
// call's record. A wait the deadline would cut short, alone or with the
// other, is not started.
func (t *transport) pace(ctx context.Context, r *http.Request, rec *record) error {
	var waited time.Duration
	tokens, limiter := 0, t.limiter
	if limiter != nil {
		tokens = estimateTokens(r)
	}
	if w := t.hold.wait(); w > 0 {
		if !fits(ctx, w) {
			return fmt.Errorf("rate limit: the service asks to wait %v, past the deadline: %w", w.Round(time.Millisecond), context.DeadlineExceeded)
		}
		// The limiter's turn comes after the hold: the two waits add up,
		// and neither starts when their sum would pass the deadline.
		if d := limiter.Delay(time.Now().Add(w), tokens); d > 0 && !fits(ctx, w+d) {
			return fmt.Errorf("rate limit: the service asks to wait %v, then the rate limiter %v, past the deadline: %w",
				w.Round(time.Millisecond), d.Round(time.Millisecond), context.DeadlineExceeded)
		}
		timer := time.NewTimer(w)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		waited += w
	}
	if limiter != nil {
		w, err := limiter.Wait(ctx, tokens)
		if err != nil {
			return err
		}
		waited += w
	}
	rec.paced(waited, limiter, tokens)
	return nil
}

// paceAfter is how long pace would make r wait once a wait of after is
// over: the rest of the service's hold, then the limiter's turn. A retry
// adds it to its own wait before starting that.
func (t *transport) paceAfter(r *http.Request, after time.Duration) time.Duration {
	h := max(t.hold.wait()-after, 0)
	limiter := t.limiter
	if limiter == nil {
		return h
	}
	return h + limiter.Delay(time.Now().Add(after+h), estimateTokens(r))
}

// estimateTokens is a request's cost on a token axis: a quarter of its
// body's bytes for the input, plus its max_tokens (under any of the
// services' spellings) or defaultMaxTokens.
func estimateTokens(r *http.Request) int {
	// A body that cannot be read twice is estimated by its length alone.
	guess := int(min(max(r.ContentLength, 0), 1<<40)/4) + defaultMaxTokens
	if r.Body == nil || r.Body == http.NoBody || r.GetBody == nil {
		return guess
	}
	rc, err := r.GetBody()
	if err != nil {
		return guess
	}
	b, _ := io.ReadAll(rc)
	_ = rc.Close()
	out := maxTokensIn(b)
	if out <= 0 {
		out = defaultMaxTokens
	}
	return len(b)/4 + out
}

var maxTokenKeys = [][]byte{
	[]byte(`"max_tokens"`), []byte(`"max_completion_tokens"`), []byte(`"max_output_tokens"`),
	[]byte(`"maxOutputTokens"`), []byte(`"maxTokens"`),
}

// maxTokensIn finds a max_tokens field's value in a JSON body by a scan, not
// a parse: a key inside a string is escaped (\"), so skipped. 0 when none.
func maxTokensIn(b []byte) int {
	for _, key := range maxTokenKeys {
		for off := 0; ; {
			i := bytes.Index(b[off:], key)
			if i < 0 {
				break
			}
			i += off
			off = i + len(key)
			if i > 0 && b[i-1] == '\\' {
				continue
			}
			rest := bytes.TrimLeft(b[off:], " \t\r\n")
			if len(rest) == 0 || rest[0] != ':' {
				continue
			}
			rest = bytes.TrimLeft(rest[1:], " \t\r\n")
			n, digits := 0, 0
			for _, c := range rest {
				if c < '0' || c > '9' || digits == 9 { // 9 digits never overflow
					break
				}
				n, digits = n*10+int(c-'0'), digits+1
			}
			if digits > 0 {
				return n
			}
		}
	}
	return 0
}
