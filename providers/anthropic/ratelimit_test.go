package anthropic_test

import (
	"context"
	"net/http"
	"net/http/httptest"
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
