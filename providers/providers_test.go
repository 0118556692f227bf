package providers_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

func TestConfigDefaultsAndOptions(t *testing.T) {
	c := providerkit.NewConfig()
	assert.Equal(t, providers.DefaultMaxRetries, c.Retries())
	assert.Equal(t, providers.DefaultTimeout, c.CallTimeout())

	hc := &http.Client{}
	c = providerkit.NewConfig(nil, providers.WithAPIKey("k"), providers.WithBaseURL("http://x"),
		providers.WithHTTPClient(hc), providers.WithHTTPClient(nil), providers.WithHeader("X-A", "1"), providers.WithHeader("X-A", "2"),
		providers.WithMaxRetries(0), providers.WithTimeout(-1))
	assert.Equal(t, "k", c.APIKey)
	assert.Equal(t, "http://x", c.BaseURL)
	assert.Same(t, hc, c.HTTPClient)
	assert.Equal(t, []string{"1", "2"}, c.Headers.Values("X-A"))
	assert.Equal(t, 0, c.Retries())
	assert.Equal(t, time.Duration(0), c.CallTimeout())

	// Zero means no bound, as http.Client.Timeout reads it; it used to mean
	// the 10-minute default.
	assert.Equal(t, time.Duration(0), providerkit.NewConfig(providers.WithTimeout(0)).CallTimeout())
	assert.Equal(t, time.Second, providerkit.NewConfig(providers.WithTimeout(time.Second)).CallTimeout())
}

func TestEnvFallback(t *testing.T) {
	t.Setenv("MIRASCOPE_TEST_KEY_A", "")
	t.Setenv("MIRASCOPE_TEST_KEY_B", "from-b")
	c := providerkit.NewConfig()
	c.APIKeyFromEnv("MIRASCOPE_TEST_KEY_A", "MIRASCOPE_TEST_KEY_B")
	assert.Equal(t, "from-b", c.APIKey)

	c = providerkit.NewConfig(providers.WithAPIKey("explicit"))
	c.APIKeyFromEnv("MIRASCOPE_TEST_KEY_B")
	assert.Equal(t, "explicit", c.APIKey, "an option wins over the environment")

	c = providerkit.NewConfig()
	c.BaseURLFromEnv("http://default", "MIRASCOPE_TEST_KEY_A")
	assert.Equal(t, "http://default", c.BaseURL)
}

func TestMissingAPIKeyError(t *testing.T) {
	err := error(&providers.MissingAPIKeyError{Provider: "openai", EnvVars: []string{"OPENAI_API_KEY"}})
	assert.EqualError(t, err, "mirascope: openai: missing API key: set OPENAI_API_KEY or pass providers.WithAPIKey")
	assert.ErrorIs(t, err, providers.ErrMissingAPIKey)
	assert.ErrorIs(t, err, mirascope.ErrAuth)
	// A configuration failure like every other.
	assert.ErrorIs(t, err, providers.ErrInvalidConfig)
	var ce *providers.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "openai", ce.Provider)
	assert.Equal(t, "API key", ce.Setting)
}

func TestClientAddsHeadersAndReportsAttempts(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Clone())
	}))
	defer srv.Close()
	c := providerkit.NewConfig(providers.WithHeader("X-Team", "search"))
	cl := c.Client()

	ctx, cancel := providerkit.StartCall(context.Background(), 0)
	defer cancel()
	for range 2 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		req.Header.Set("X-Team", "overridden")
		resp, err := cl.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Equal(t, 2, providerkit.Attempts(ctx), "the requests of one call are counted")
	assert.Equal(t, "search", got.Load().(http.Header).Get("X-Team"))
}

func TestTransportErrorClassification(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	_, err = http.Get("http://" + addr)
	require.Error(t, err)
	pe := providerkit.TransportError("openai", err)
	assert.True(t, pe.Retryable, "connection refused is transient")
	assert.Equal(t, 0, pe.StatusCode)

	pe = providerkit.TransportError("openai", context.Canceled)
	assert.False(t, pe.Retryable)
	assert.ErrorIs(t, pe, context.Canceled)
	assert.ErrorIs(t, providerkit.TransportError("x", context.DeadlineExceeded), context.DeadlineExceeded)
	assert.False(t, providerkit.TransportError("x", errors.New("bad json")).Retryable)
}

func TestRetryAfter(t *testing.T) {
	h := http.Header{}
	assert.Equal(t, time.Duration(0), providerkit.RetryAfter(h))
	h.Set("Retry-After", "2")
	assert.Equal(t, 2*time.Second, providerkit.RetryAfter(h))
	h.Set("Retry-After-Ms", "150")
	assert.Equal(t, 150*time.Millisecond, providerkit.RetryAfter(h))
	h = http.Header{}
	h.Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	assert.InDelta(t, time.Hour.Seconds(), providerkit.RetryAfter(h).Seconds(), 5)
	for _, code := range []int{408, 409, 429, 500, 503} {
		assert.True(t, providerkit.RetryableStatus(code), code)
	}
	for _, code := range []int{400, 401, 403, 404, 422} {
		assert.False(t, providerkit.RetryableStatus(code), code)
	}
}
