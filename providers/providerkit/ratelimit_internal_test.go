package providerkit

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// rateLimitHold reads every service's headers, and hostile values (huge,
// negative, garbage) never overflow nor make a negative wait.
func TestRateLimitHold(t *testing.T) {
	now := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		want   time.Duration
	}{
		{"openai requests", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "6m0s"), 6 * time.Minute},
		{"openai tokens", 200, h("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "20ms"), 20 * time.Millisecond},
		{"the longer of both", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1s",
			"x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1m30.5s"), 90*time.Second + 500*time.Millisecond},
		{"bare seconds", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2.5"), 2500 * time.Millisecond},
		{"some left", 200, h("x-ratelimit-remaining-requests", "1", "x-ratelimit-reset-requests", "1s"), 0},
		{"no reset", 200, h("x-ratelimit-remaining-requests", "0"), 0},
		{"anthropic", 200, h("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-12-07T05:00:07Z"), 7 * time.Second},
		{"anthropic output tokens", 200, h("anthropic-ratelimit-output-tokens-remaining", "0", "anthropic-ratelimit-output-tokens-reset", "2026-12-07T06:00:00+01:00"), 0},
		{"anthropic fractional", 200, h("anthropic-ratelimit-tokens-remaining", "0", "anthropic-ratelimit-tokens-reset", "2026-12-07T05:00:00.25Z"), 250 * time.Millisecond},
		{"anthropic past", 200, h("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2020-01-01T00:00:00Z"), 0},
		{"anthropic far future saturates", 200, h("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "9999-12-31T23:59:59Z"), math.MaxInt64},
		{"retry-after on 429", 429, h("retry-after", "3"), 3 * time.Second},
		{"retry-after on 200 ignored", 200, h("retry-after", "3"), 0},
		{"huge retry-after", 429, h("retry-after", "1e300"), math.MaxInt64},
		{"negative reset", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "-5s"), 0},
		{"huge reset", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "99999999999999999h"), 0},
		{"huge bare reset", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1e308"), math.MaxInt64},
		{"garbage", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "soon",
			"anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "tomorrow"), 0},
		{"garbage remaining", 200, h("x-ratelimit-remaining-requests", "none", "x-ratelimit-reset-requests", "1s"), 0},
		{"NaN", 429, h("retry-after", "NaN", "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "NaN"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, rateLimitHold(tc.status, tc.header, now))
		})
	}
}

// A hold is bounded by MaxRetryWait, only grows, and ends.
func TestHoldBounded(t *testing.T) {
	var h hold
	now := time.Now()
	h.observe(&http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"1e30"}}}, now)
	assert.LessOrEqual(t, h.wait(), MaxRetryWait)
	assert.Greater(t, h.wait(), MaxRetryWait/2)
	h.observe(&http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"1"}}}, now)
	assert.Greater(t, h.wait(), time.Second, "a shorter hold does not cut a longer one")
	var past hold
	past.observe(&http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"1"}}}, now.Add(-time.Hour))
	assert.Zero(t, past.wait())
}

func TestMaxTokensIn(t *testing.T) {
	for body, want := range map[string]int{
		`{"model":"m","max_tokens":256}`:                               256,
		`{"max_completion_tokens" : 1024, "messages":[]}`:              1024,
		`{"generationConfig":{"maxOutputTokens":77}}`:                  77,
		`{"inferenceConfig":{"maxTokens":12}}`:                         12,
		`{"max_output_tokens":5}`:                                      5,
		`{"messages":[{"content":"say \"max_tokens\": 999"}]}`:         0,
		`{"messages":[{"content":"\"max_tokens\":9"}],"max_tokens":3}`: 3,
		`{"max_tokens":99999999999999999999999}`:                       999999999,
		`{"max_tokens":-4}`:                                            0,
		`{"max_tokens":`:                                               0,
		``:                                                             0,
	} {
		assert.Equal(t, want, maxTokensIn([]byte(body)), body)
	}
	// Linear: a megabyte of keys with no value scans once per key.
	assert.Zero(t, maxTokensIn([]byte(strings.Repeat(`"max_tokens" `, 1<<16))))
}

func TestEstimateTokens(t *testing.T) {
	body := `{"messages":[{"role":"user","content":"` + strings.Repeat("a", 400) + `"}],"max_tokens":256}`
	r, err := http.NewRequest("POST", "http://x", strings.NewReader(body))
	assert.NoError(t, err)
	assert.Equal(t, len(body)/4+256, estimateTokens(r))
	r.GetBody = nil // read once only: its length and the default
	assert.Equal(t, len(body)/4+defaultMaxTokens, estimateTokens(r))
	r, _ = http.NewRequest("GET", "http://x", nil)
	assert.Equal(t, defaultMaxTokens, estimateTokens(r))
}
