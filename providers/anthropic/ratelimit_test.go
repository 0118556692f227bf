package anthropic_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
)

// Anthropic's anthropic-ratelimit-requests-remaining: 0 with an RFC 3339
// reset holds the next call until then.
func TestRateLimitHeaderHoldsNextCall(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "call.json")
	var mu sync.Mutex
	var seen []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, time.Now())
		first := len(seen) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Anthropic-Ratelimit-Requests-Limit", "50")
			w.Header().Set("Anthropic-Ratelimit-Requests-Remaining", "0")
			w.Header().Set("Anthropic-Ratelimit-Requests-Reset", time.Now().Add(400*time.Millisecond).UTC().Format(time.RFC3339Nano))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	p := anthropic.New(testModel, providers.WithBaseURL(srv.URL), providers.WithAPIKey(testKey))
	for range 2 {
		_, err := mirascope.Call(context.Background(), p, recommend{Genre: "fantasy"})
		require.NoError(t, err)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 2)
	// The reset was stamped after the first request arrived.
	assert.GreaterOrEqual(t, seen[1].Sub(seen[0]), 400*time.Millisecond)
}

// Hostile anthropic-ratelimit-*-reset values never panic nor hold a call
// longer than a minute (providerkit.MaxRetryWait) or a negative time: a far
// future reset holds for the cap, so a 20s deadline fails at once, unsent;
// a past, unreadable or offset-less one holds for nothing.
func TestRateLimitHostileResetHeaders(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "call.json")
	for reset, capped := range map[string]bool{
		"9999-12-31T23:59:59Z": true, "2999-01-01T00:00:00+14:00": true,
		"2000-01-01T00:00:00Z": false, "0001-01-01T00:00:00Z": false, "2026-12-07T05:00:00": false,
		"tomorrow": false, "": false, "\xff\xfe": false, "9999-99-99T99:99:99Z": false, "-1s": false,
	} {
		t.Run(reset, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			n := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				first := n == 1
				mu.Unlock()
				if first {
					for _, axis := range []string{"requests", "tokens", "input-tokens", "output-tokens"} {
						w.Header().Set("Anthropic-Ratelimit-"+axis+"-Remaining", "0")
						w.Header().Set("Anthropic-Ratelimit-"+axis+"-Reset", reset)
					}
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(answer)
			}))
			t.Cleanup(srv.Close)
			p := anthropic.New(testModel, providers.WithBaseURL(srv.URL), providers.WithAPIKey(testKey))
			_, err := mirascope.Call(context.Background(), p, recommend{Genre: "fantasy"})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			resp, err := mirascope.Call(ctx, p, recommend{Genre: "fantasy"})
			mu.Lock()
			defer mu.Unlock()
			if capped {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				require.Error(t, err)
				m := regexp.MustCompile(`wait ([0-9a-z.]+),`).FindStringSubmatch(err.Error())
				require.Len(t, m, 2, err.Error())
				held, perr := time.ParseDuration(m[1])
				require.NoError(t, perr)
				assert.LessOrEqual(t, held, time.Minute, "held for the cap, no longer")
				assert.Greater(t, held, time.Minute/2, "the cap, less the time the test took")
				assert.Equal(t, 1, n, "no request sent")
				return
			}
			require.NoError(t, err)
			assert.Zero(t, resp.RateLimitWait)
			assert.Equal(t, 2, n)
		})
	}
}
