package otel_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
)

// TestRateLimitWait: the wait a provider reports on its answer
// (Response.RateLimitWait), not through a side channel, is the chat span's
// mirascope.rate_limit.wait, in seconds; absent when it did not wait.
func TestRateLimitWait(t *testing.T) {
	for _, wait := range []time.Duration{0, 1500 * time.Millisecond} {
		h := newHarness(t)
		p := h.traced(&textCall{info: mirascope.ProviderInfo{Name: "x"}, fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) {
			return &mirascope.Response{Content: "ok", RateLimitWait: wait}, nil
		}})
		_, err := p.Call(context.Background(), &mirascope.Request{})
		require.NoError(t, err)
		v, ok := attrs(h.only(t).Attributes)[string(otel.KeyRateLimitWait)]
		if wait == 0 {
			assert.False(t, ok)
		} else {
			assert.Equal(t, attribute.Float64Value(1.5), v)
		}
	}
}
