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
		{"huge reset saturates", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "99999999999999999h"), math.MaxInt64},
		{"huge hours saturate", 200, h("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "99999999999h"), math.MaxInt64},
		{"huge compound saturates", 200, h("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "+2562048h1m"), math.MaxInt64},
		{"huge negative", 200, h("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "-99999999999h"), 0},
		{"fractional seconds", 200, h("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "1.5s"), 1500 * time.Millisecond},
		{"minus one second", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "-1s"), 0},
		{"bad unit", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "5d"), 0},
		{"two dots", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.5.5s"), 0},
		{"Inf", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "Inf"), math.MaxInt64},
		{"-Inf", 200, h("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "-Inf"), 0},
		{"remaining overflows", 200, h("x-ratelimit-remaining-requests", "99999999999999999999999", "x-ratelimit-reset-requests", "1s"), 0},
		{"remaining -0", 200, h("x-ratelimit-remaining-requests", "-0", "x-ratelimit-reset-requests", "1s"), time.Second},
		{"anthropic nanoseconds", 200, h("anthropic-ratelimit-input-tokens-remaining", "0", "anthropic-ratelimit-input-tokens-reset", "2026-12-07T05:00:01.123456789Z"), 1123456789},
		{"anthropic year 1", 200, h("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "0001-01-01T00:00:00Z"), 0},
		{"anthropic bad offset", 200, h("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-12-07T05:00:07+99:00"), 0},
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

// Whatever the headers say, a hold is never negative nor longer than
// MaxRetryWait, and reading them never panics.
func TestHoldHostileHeaders(t *testing.T) {
	now := time.Now()
	values := []string{"6m0s", "1.5s", "20ms", "99999999999h", "9223372036854775807ns", "9223372036854775808ns",
		"-1s", "-99999999999h", "NaN", "Inf", "+Inf", "1e308", "-1e308", "0x10", "", " ", "s", "h1", "1..s", "\xff\xfe",
		strings.Repeat("9", 10000) + "h", strings.Repeat("1h", 5000),
		now.Add(1000 * time.Hour).UTC().Format(time.RFC3339), now.Add(-1000 * time.Hour).UTC().Format(time.RFC3339),
		"9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z"}
	for _, v := range values {
		for _, status := range []int{200, 429, 503} {
			var h hold
			h.observe(&http.Response{StatusCode: status, Header: http.Header{
				"X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {v},
				"X-Ratelimit-Remaining-Tokens": {"0"}, "X-Ratelimit-Reset-Tokens": {v},
				"Anthropic-Ratelimit-Requests-Remaining": {"0"}, "Anthropic-Ratelimit-Requests-Reset": {v},
				"Anthropic-Ratelimit-Output-Tokens-Remaining": {"0"}, "Anthropic-Ratelimit-Output-Tokens-Reset": {v},
				"Retry-After": {v},
			}}, now)
			w := h.wait()
			assert.GreaterOrEqual(t, w, time.Duration(0), "%d %q", status, v)
			assert.LessOrEqual(t, w, MaxRetryWait, "%d %q", status, v)
		}
	}
}
