package google_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
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
		code, typ string
		message   string
		retryable bool
		after     time.Duration
		sentinel  error
	}{
		{400, nil, "INVALID_ARGUMENT", "API_KEY_INVALID", "API key not valid. Please pass a valid API key.", false, 0, nil},
		{403, nil, "PERMISSION_DENIED", "", "The caller does not have permission", false, 0, mirascope.ErrAuth},
		{404, nil, "NOT_FOUND", "", "models/gemini-0.0-nope is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", false, 0, nil},
		{429, nil, "RESOURCE_EXHAUSTED", "", "You exceeded your current quota, please check your plan and billing details.", true, 17 * time.Second, mirascope.ErrRateLimited},
		{429, map[string]string{"Retry-After": "3"}, "RESOURCE_EXHAUSTED", "", "You exceeded your current quota, please check your plan and billing details.", true, 3 * time.Second, mirascope.ErrRateLimited},
		{500, nil, "INTERNAL", "", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", true, 0, nil},
		{503, nil, "UNAVAILABLE", "", "The model is overloaded. Please try again later.", true, 0, nil},
		{504, nil, "DEADLINE_EXCEEDED", "", "The request timed out. Please try again.", true, 0, nil},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status)+"/"+tt.code, func(t *testing.T) {
			h := map[string]string{"X-Request-Id": "goog-req-1"}
			for k, v := range tt.headers {
				h[k] = v
			}
			s := replaytest.NewServer(t, replay.JSON(tt.status, fixture(t, "error_"+strconv.Itoa(tt.status)+".json"), h))
			_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"})
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "gcp.gemini", pe.Provider)
			assert.Equal(t, tt.status, pe.StatusCode)
			assert.Equal(t, tt.code, pe.Code)
			assert.Equal(t, tt.typ, pe.Type)
			assert.Equal(t, tt.message, pe.Message)
			assert.Equal(t, "goog-req-1", pe.RequestID)
			assert.Equal(t, tt.retryable, pe.Retryable)
			assert.Equal(t, tt.after, pe.RetryAfter)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			assert.NotContains(t, err.Error(), testKey)
			assert.Len(t, s.Requests(), 1)
		})
	}
}

// The SDK takes the code from the body; the true HTTP status wins.
func TestErrorTrueStatus(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(502, []byte("<html>Bad Gateway</html>"), map[string]string{"Content-Type": "text/html"}))
	_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 502, pe.StatusCode)
	assert.Equal(t, "<html>Bad Gateway</html>", pe.Message)
	assert.True(t, pe.Retryable)

	s = replaytest.NewServer(t, replay.JSON(200, []byte(`{"candidates": [`), nil))
	_, err = mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 200, pe.StatusCode)
	assert.Equal(t, "malformed response body", pe.Message)
	assert.False(t, pe.Retryable)
}

// genai v1.77.0 panics converting a null candidate; the caller gets an error.
func TestNullCandidateIsAnError(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, []byte(`{"candidates":[null],"responseId":"r1"}`), nil))
	var err error
	require.NotPanics(t, func() { _, err = mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"}) })
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 200, pe.StatusCode)
	assert.Equal(t, "malformed response body", pe.Message)
	assert.Contains(t, pe.Err.Error(), "the SDK could not read the response")
}

func TestRetries(t *testing.T) {
	var n atomic.Int32
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			replay.JSON(503, fixture(t, "error_503.json"), map[string]string{"Retry-After-Ms": "1"})(w, r)
			return
		}
		replay.JSON(200, fixture(t, "call.json"), nil)(w, r)
	})
	resp, err := mirascope.Call(bg, newProvider(s, providers.WithMaxRetries(2)), recommend{Genre: "scifi"})
	require.NoError(t, err)
	assert.Equal(t, "STOP", resp.FinishReasons[0])
	assert.Equal(t, 3, resp.Attempts)
	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, reqs[0].JSON, reqs[2].JSON, "the body is sent again whole")

	// Too long a wait is not waited for.
	n.Store(0)
	s2 := replaytest.NewServer(t, replay.JSON(429, fixture(t, "error_429.json"), map[string]string{"Retry-After": "3600"}))
	_, err = mirascope.Call(bg, newProvider(s2, providers.WithMaxRetries(2)), recommend{Genre: "scifi"})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 429, pe.StatusCode)
	assert.Len(t, s2.Requests(), 1)
}

func TestTransportErrors(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})
		_, err := mirascope.Call(bg, newProvider(s, providers.WithTimeout(50*time.Millisecond)), recommend{Genre: "scifi"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.True(t, pe.Retryable)
	})
	t.Run("connection refused", func(t *testing.T) {
		p := newProvider(&replaytest.Server{Server: &httptest.Server{URL: replaytest.ClosedURL(t)}})
		_, err := mirascope.Call(bg, p, recommend{Genre: "scifi"})
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
		assert.NotContains(t, err.Error(), testKey)
	})
}
