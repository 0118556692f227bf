package cohere_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	cohere "github.com/cohere-ai/cohere-go/v2"
	"github.com/cohere-ai/cohere-go/v2/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

var hi = &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		status    int
		fixture   string
		retryable bool
		message   string
		sdkErr    any
		is        error
	}{
		{400, "error_400.json", false, "invalid request: message must be at least 1 token long or tool results must be specified.", &cohere.BadRequestError{}, nil},
		{401, "error_401.json", false, "invalid api token", &cohere.UnauthorizedError{}, mirascope.ErrAuth},
		{403, "error_401.json", false, "invalid api token", &cohere.ForbiddenError{}, mirascope.ErrAuth},
		{404, "error_404.json", false, "model 'command-x' not found, make sure the correct model ID was used and that you have access to the model.", &cohere.NotFoundError{}, nil},
		{408, "error_500.json", true, "internal server error, this has been reported to our developers.", nil, nil},
		{409, "error_500.json", true, "internal server error, this has been reported to our developers.", nil, nil},
		{422, "error_422.json", false, "too many tokens: total number of tokens in the prompt cannot exceed 256000 - received 301245. Try using a shorter prompt or enabling prompt truncating.", &cohere.UnprocessableEntityError{}, nil},
		{429, "error_429.json", true, "You are past the per minute request limit, please wait and try again later.", &cohere.TooManyRequestsError{}, mirascope.ErrRateLimited},
		{500, "error_500.json", true, "internal server error, this has been reported to our developers.", &cohere.InternalServerError{}, nil},
		{503, "error_503.json", true, "service unavailable, please try again later.", &cohere.ServiceUnavailableError{}, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			for _, stream := range []bool{false, true} {
				s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
					respHeaders(w, "application/json")
					w.Header().Set("Retry-After", "7")
					w.WriteHeader(tt.status)
					_, _ = w.Write(fixture(t, tt.fixture))
				})
				p := newProvider(s)
				var err error
				if stream {
					for _, e := range p.Stream(context.Background(), hi) {
						err = e
					}
				} else {
					_, err = p.Call(context.Background(), hi)
				}
				var pe *mirascope.ProviderError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "cohere", pe.Provider)
				assert.Equal(t, tt.status, pe.StatusCode)
				assert.Equal(t, tt.retryable, pe.Retryable)
				assert.Equal(t, tt.message, pe.Message)
				assert.Equal(t, "7f3c2a91b5e04d6a8c1e2f3a4b5c6d7e", pe.RequestID)
				assert.Equal(t, 7*time.Second, pe.RetryAfter)
				var api *core.APIError
				require.ErrorAs(t, err, &api)
				assert.Equal(t, tt.status, api.StatusCode)
				if tt.sdkErr != nil {
					assert.IsType(t, tt.sdkErr, pe.Err)
				}
				if tt.is != nil {
					assert.ErrorIs(t, err, tt.is)
				}
				assert.NotContains(t, err.Error(), testKey)
				assert.Len(t, s.Requests(), 1, "WithMaxRetries(0) sends once")
			}
		})
	}
}

func TestErrorRequestIDHeaderAndBody(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req_123")
		w.WriteHeader(400)
		_, _ = w.Write(fixture(t, "error_400.json"))
	})
	_, err := newProvider(s).Call(context.Background(), hi)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "req_123", pe.RequestID)

	s = replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		_, _ = w.Write(fixture(t, "error_400.json"))
	})
	_, err = newProvider(s).Call(context.Background(), hi)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "d1f0c6a2-7b0e-4d55-8a3a-5f2e9c1b7a41", pe.RequestID)
	assert.Equal(t, "mirascope: cohere: HTTP 400: invalid request: message must be at least 1 token long or tool results must be specified. (request id d1f0c6a2-7b0e-4d55-8a3a-5f2e9c1b7a41)", err.Error())
}

func TestRetriesHonourRetryAfter(t *testing.T) {
	n := 0
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n < 3 {
			w.Header().Set("Retry-After-Ms", "10")
			w.WriteHeader(429)
			_, _ = w.Write(fixture(t, "error_429.json"))
			return
		}
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call.json"))
	})
	resp, err := newProvider(s, providers.WithMaxRetries(2)).Call(context.Background(), hi)
	require.NoError(t, err)
	assert.Equal(t, "5a50480a-cf52-46f0-af01-53d18539bd31", resp.ID)
	assert.Len(t, s.Requests(), 3)
	assert.Equal(t, 3, resp.Attempts)
	for _, r := range s.Requests() {
		assert.JSONEq(t, string(s.Requests()[0].Body), string(r.Body), "every attempt sends the whole body")
	}
}

func TestRetryWaitWatchesContext(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(503)
		_, _ = w.Write(fixture(t, "error_503.json"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := newProvider(s, providers.WithMaxRetries(2)).Call(ctx, hi)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second, "the wait must end with the context")
	assert.Len(t, s.Requests(), 1)
}

// A wait the deadline would cut short is not started: the caller gets the
// service's answer at once, not a bare deadline error after waiting.
func TestRetryAfterPastDeadline(t *testing.T) {
	tests := []struct {
		status  int
		fixture string
		is      error
	}{
		{429, "error_429.json", mirascope.ErrRateLimited},
		{503, "error_503.json", nil},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(tt.status)
				_, _ = w.Write(fixture(t, tt.fixture))
			})
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			_, err := newProvider(s, providers.WithMaxRetries(2)).Call(ctx, hi)
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.status, pe.StatusCode)
			assert.True(t, pe.Retryable)
			assert.Equal(t, 30*time.Second, pe.RetryAfter)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), time.Second, "no wait that cannot finish")
			assert.Len(t, s.Requests(), 1)
		})
	}
}

func TestTransportErrors(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		p := cohereNew(replaytest.ClosedURL(t))
		_, err := p.Call(context.Background(), hi)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
	})
	t.Run("timeout", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		_, err := newProvider(s, providers.WithTimeout(50*time.Millisecond)).Call(context.Background(), hi)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.True(t, pe.Retryable)
	})
	t.Run("cancelled", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := newProvider(s).Call(ctx, hi)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("invalid JSON body", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
			respHeaders(w, "application/json")
			_, _ = w.Write([]byte(`{"id": "x", "message": {`))
		})
		_, err := newProvider(s).Call(context.Background(), hi)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "invalid JSON in the response body", pe.Message)
		assert.Equal(t, "7f3c2a91b5e04d6a8c1e2f3a4b5c6d7e", pe.RequestID)
		var se interface{ Error() string }
		assert.True(t, errors.As(err, &se))
	})
	t.Run("non-JSON error body", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>Bad Gateway</html>"))
		})
		_, err := newProvider(s).Call(context.Background(), hi)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 502, pe.StatusCode)
		assert.True(t, pe.Retryable)
		assert.True(t, strings.Contains(pe.Message, "Bad Gateway"))
	})
}
