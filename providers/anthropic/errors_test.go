package anthropic_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		status    int
		headers   map[string]string
		typ       string
		message   string
		retryable bool
		after     time.Duration
		sentinel  error
	}{
		{400, nil, "invalid_request_error", "max_tokens: Field required", false, 0, nil},
		{401, nil, "authentication_error", "invalid x-api-key", false, 0, mirascope.ErrAuth},
		{403, nil, "permission_error", "Your API key does not have permission to use the specified resource.", false, 0, mirascope.ErrAuth},
		{404, nil, "not_found_error", "model: claude-3-5-sonnet-2024062", false, 0, nil},
		{413, nil, "request_too_large", "Request exceeds the maximum allowed number of bytes.", false, 0, nil},
		{429, map[string]string{"retry-after": "30", "anthropic-ratelimit-output-tokens-remaining": "0"}, "rate_limit_error",
			"This request would exceed the rate limit for your organization of 50 output tokens per minute.", true, 30 * time.Second, mirascope.ErrRateLimited},
		{500, nil, "api_error", "Internal server error", true, 0, nil},
		{504, nil, "timeout_error", "Request timed out", true, 0, nil},
		{529, map[string]string{"x-should-retry": "true"}, "overloaded_error", "Overloaded", true, 0, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status)+"/"+tt.typ, func(t *testing.T) {
			h := map[string]string{"request-id": "req_011CHeader"}
			for k, v := range tt.headers {
				h[k] = v
			}
			s := replaytest.NewServer(t, replay.JSON(tt.status, fixture(t, "error_"+itoa(tt.status)+".json"), h))
			p := newProvider(s)
			_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"})
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "anthropic", pe.Provider)
			assert.Equal(t, tt.status, pe.StatusCode)
			assert.Equal(t, tt.typ, pe.Type)
			assert.Equal(t, tt.message, pe.Message)
			assert.Equal(t, "req_011CHeader", pe.RequestID)
			assert.Equal(t, tt.retryable, pe.Retryable)
			assert.Equal(t, tt.after, pe.RetryAfter)
			assert.NotNil(t, pe.Unwrap())
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			assert.NotContains(t, err.Error(), testKey)
			assert.Len(t, s.Requests(), 1)
		})
	}
}

func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		ctype   string
		want    mirascope.ProviderError
		decoded bool
	}{
		{"request id only in body", 429, `{"type":"error","error":{"type":"rate_limit_error","message":"slow down"},"request_id":"req_body"}`, "application/json",
			mirascope.ProviderError{Provider: "anthropic", StatusCode: 429, Type: "rate_limit_error", Message: "slow down", RequestID: "req_body", Retryable: true}, true},
		{"html from a proxy", 502, "<html><body>Bad Gateway</body></html>", "text/html",
			mirascope.ProviderError{Provider: "anthropic", StatusCode: 502, Message: "<html><body>Bad Gateway</body></html>", Retryable: true}, true},
		{"invalid JSON in a 200", 200, `{"id": "msg_1", "content": [`, "application/json",
			mirascope.ProviderError{Provider: "anthropic", StatusCode: 200, Message: "malformed response body"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(tt.status, []byte(tt.body), map[string]string{"Content-Type": tt.ctype}))
			_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "fantasy"})
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			got := *pe
			got.Err = nil
			assert.Equal(t, 1, got.Attempts, "one request was sent")
			got.Attempts = 0
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestRetries(t *testing.T) {
	var n atomic.Int32
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			replay.JSON(529, fixture(t, "error_529.json"), map[string]string{"retry-after-ms": "1"})(w, r)
			return
		}
		replay.JSON(200, fixture(t, "call.json"), nil)(w, r)
	})
	p := newProvider(s, providers.WithMaxRetries(2))
	resp, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"})
	require.NoError(t, err)
	assert.Equal(t, "end_turn", resp.FinishReasons[0])
	assert.Equal(t, 3, resp.Attempts)
	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "2", reqs[2].Header.Get("X-Stainless-Retry-Count"))

	// No retries when told so.
	n.Store(0)
	_, err = mirascope.Call(bg, newProvider(s, providers.WithMaxRetries(0)), recommend{Genre: "fantasy"})
	require.ErrorIs(t, err, err)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 529, pe.StatusCode)
}

func TestTransportErrors(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})
		p := newProvider(s, providers.WithTimeout(50*time.Millisecond))
		_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
	})
	t.Run("connection refused", func(t *testing.T) {
		p := newProvider(&replaytest.Server{Server: &httptest.Server{URL: replaytest.ClosedURL(t)}})
		_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"})
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
		assert.NotContains(t, err.Error(), testKey)
	})
	t.Run("cancelled", func(t *testing.T) {
		s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
		ctx, cancel := context.WithCancel(bg)
		cancel()
		_, err := newProvider(s).Call(ctx, &mirascope.Request{Messages: nil})
		require.ErrorIs(t, err, context.Canceled)
	})
}

func itoa(n int) string {
	return map[int]string{400: "400", 401: "401", 403: "403", 404: "404", 413: "413", 429: "429", 500: "500", 504: "504", 529: "529"}[n]
}

// The SDK would wait an hour; the provider returns the error at once.
func TestRetryAfterTooLong(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(429, fixture(t, "error_429.json"), map[string]string{"retry-after": "3600", "request-id": "req_1"}))
	_, err := mirascope.Call(bg, newProvider(s, providers.WithMaxRetries(2)), recommend{Genre: "fantasy"})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 429, pe.StatusCode)
	assert.True(t, pe.Retryable)
	assert.Equal(t, time.Hour, pe.RetryAfter)
	assert.Len(t, s.Requests(), 1)
}
