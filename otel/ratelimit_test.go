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
	"github.com/mirascope-go/mirascope/providers/mock"
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

// TestRateLimitWaitStreamed: a stream's wait comes on its first chunk.
func TestRateLimitWaitStreamed(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Chunks(&mirascope.Chunk{Content: "o", RateLimitWait: 250 * time.Millisecond}, &mirascope.Chunk{Content: "k"})))
	s, err := mirascope.Stream(context.Background(), p, Shorthand{Genre: "x"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	assert.Equal(t, 250*time.Millisecond, s.Response().RateLimitWait)
	assert.Equal(t, attribute.Float64Value(0.25), attrs(h.only(t).Attributes)[string(otel.KeyRateLimitWait)])
}
