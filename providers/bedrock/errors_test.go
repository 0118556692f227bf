package bedrock_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		status    int
		code      string
		fixture   string
		retryable bool
		is        error
	}{
		{400, "ValidationException", "error_400.json", false, nil},
		{403, "AccessDeniedException", "error_403.json", false, mirascope.ErrAuth},
		{404, "ResourceNotFoundException", "error_404.json", false, nil},
		{408, "ModelTimeoutException", "error_408.json", true, nil},
		{424, "ModelErrorException", "error_424.json", false, nil},
		{429, "ThrottlingException", "error_429.json", true, mirascope.ErrRateLimited},
		{500, "InternalServerException", "error_500.json", true, nil},
		{503, "ServiceUnavailableException", "error_503.json", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			for _, stream := range []bool{false, true} {
				s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("X-Amzn-Errortype", tt.code+":http://internal.amazon.com/coral/com.amazon.bedrock/")
					jsonReply(w, tt.status, fixture(t, tt.fixture))
				})
				p := newProvider(t, s)
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
				assert.Equal(t, "aws.bedrock", pe.Provider)
				assert.Equal(t, tt.status, pe.StatusCode)
				assert.Equal(t, tt.code, pe.Code)
				assert.Equal(t, tt.retryable, pe.Retryable)
				assert.Equal(t, requestID, pe.RequestID)
				var msg struct{ Message string }
				require.NoError(t, jsonUnmarshal(fixture(t, tt.fixture), &msg))
				assert.Equal(t, msg.Message, pe.Message)
				var re *awshttp.ResponseError
				assert.ErrorAs(t, err, &re)
				if tt.is != nil {
					assert.ErrorIs(t, err, tt.is)
				}
				assert.NotContains(t, err.Error(), "fake-secret-key")
				assert.Len(t, s.Requests(), 1, "WithMaxRetries(0) sends once")
			}
		})
	}
}

func TestRetries(t *testing.T) {
	n := 0
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.Header().Set("X-Amzn-Errortype", "ServiceUnavailableException")
			jsonReply(w, 503, fixture(t, "error_503.json"))
			return
		}
		jsonReply(w, 200, fixture(t, "converse.json"))
	})
	resp, err := newProvider(t, s, providers.WithMaxRetries(1)).Call(context.Background(), hi)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	reqs := s.Requests()
	require.Len(t, reqs, 2)
	// The shared transport resends the request the SDK signed: the SDK's
	// attempt header is signed too, so it stays as the SDK wrote it.
	assert.Equal(t, reqs[0].Header.Get("Authorization"), reqs[1].Header.Get("Authorization"))
	assert.Equal(t, "attempt=1; max=1", reqs[1].Header.Get("Amz-Sdk-Request"))
}

func TestTransportErrors(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		cleanAWSEnv(t)
		p := bedrock.New(modelID, providers.WithBaseURL(replaytest.ClosedURL(t)), bedrock.WithRegion("us-east-1"), providers.WithMaxRetries(0),
			bedrock.WithCredentials(credentials.NewStaticCredentialsProvider(accessKey, "fake-secret-key", "")))
		_, err := p.Call(context.Background(), hi)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.True(t, pe.Retryable)
	})
	t.Run("timeout", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		_, err := newProvider(t, s, providers.WithTimeout(50*time.Millisecond)).Call(context.Background(), hi)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.True(t, pe.Retryable)
	})
	t.Run("cancelled", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := newProvider(t, s).Call(ctx, hi)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("invalid JSON body", func(t *testing.T) {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, []byte(`{"output": {"message": `)) })
		_, err := newProvider(t, s).Call(context.Background(), hi)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 0, pe.StatusCode)
		assert.Equal(t, "invalid response body", pe.Message)
		assert.Equal(t, requestID, pe.RequestID)
	})
}
