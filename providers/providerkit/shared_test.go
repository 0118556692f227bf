package providerkit_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		name string
		body string
		want providerkit.ErrorBody
	}{
		{"openai", `{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
			providerkit.ErrorBody{Message: "bad", Type: "invalid_request_error", Code: "invalid_api_key"}},
		{"numeric code", `{"error":{"message":"bad","type":null,"code":400}}`, providerkit.ErrorBody{Message: "bad", Code: "400"}},
		{"google", `{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}`,
			providerkit.ErrorBody{Message: "overloaded", Code: "UNAVAILABLE"}},
		{"anthropic", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}`,
			providerkit.ErrorBody{Message: "Overloaded", Type: "overloaded_error", RequestID: "req_1"}},
		{"xai", `{"code":"Client specified an invalid argument","error":"Incorrect API key provided"}`,
			providerkit.ErrorBody{Message: "Incorrect API key provided", Code: "Client specified an invalid argument"}},
		{"mistral", `{"object":"error","message":"Invalid model","type":"invalid_model","param":null,"code":"1500"}`,
			providerkit.ErrorBody{Message: "Invalid model", Type: "invalid_model", Code: "1500"}},
		{"mistral gateway", `{"message":"Unauthorized","request_id":"abc"}`, providerkit.ErrorBody{Message: "Unauthorized", RequestID: "abc"}},
		{"bedrock", `{"Message":"Too many requests"}`, providerkit.ErrorBody{Message: "Too many requests"}},
		{"detail", `{"detail":"Not Found"}`, providerkit.ErrorBody{Message: "Not Found"}},
		{"not json", `<html>502 Bad Gateway</html>`, providerkit.ErrorBody{Message: "<html>502 Bad Gateway</html>"}},
		{"cut mid-rune", strings.Repeat("a", 511) + "é!", providerkit.ErrorBody{Message: strings.Repeat("a", 511)}},
		{"empty", ``, providerkit.ErrorBody{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, providerkit.ParseErrorBody([]byte(tt.body)))
		})
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		base   string
		host   string
		port   int
		reason string
	}{
		{"https://api.openai.com/v1", "api.openai.com", 443, ""},
		{"http://localhost:4000", "localhost", 4000, ""},
		{"http://proxy.internal/v1", "proxy.internal", 80, ""},
		{"https://[::1]:8443/", "::1", 8443, ""},
		{"api.openai.com/v1", "", 0, `scheme must be http or https, not ""`},
		{"ftp://files.example.com", "", 0, `scheme must be http or https, not "ftp"`},
		{"https://", "", 0, "no host"},
		{"http://a b.com", "", 0, `not a URL: invalid character " " in host name`},
		{"http://host:99999", "", 0, `invalid port "99999"`},
		{"://missing", "", 0, "not a URL: missing protocol scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			h, p := providerkit.HostPort(tt.base)
			assert.Equal(t, tt.host, h)
			assert.Equal(t, tt.port, p)
			err := providerkit.NewConfig(providers.WithBaseURL(tt.base)).Check("openai")
			if tt.reason == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, providers.ErrInvalidConfig)
			assert.EqualError(t, err, "mirascope: openai: base URL: "+tt.reason)
		})
	}
}

func TestOptionKeys(t *testing.T) {
	region := providerkit.NewOptionKey("bedrock.WithRegion", "aws.bedrock")
	effort := providerkit.NewOptionKey("openai.WithReasoningEffort", "openai", "x_ai")

	cfg := providerkit.NewConfig(func(c *providers.Config) { c.SetExtra(region, "us-east-1") })
	require.NoError(t, cfg.Check("aws.bedrock"))
	err := cfg.Check("openai")
	require.ErrorIs(t, err, providers.ErrInvalidConfig)
	assert.EqualError(t, err, "mirascope: openai: bedrock.WithRegion: an option of the aws.bedrock provider only")

	req := &mirascope.Request{Extensions: map[any]any{effort: 1, "not a provider key": 2}}
	require.NoError(t, providerkit.CheckCallOptions("x_ai", req))
	err = providerkit.CheckCallOptions("anthropic", req)
	require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, mirascope.UnsupportedError{Provider: "anthropic", Parameter: "openai.WithReasoningEffort",
		Reason: "an option of the openai, x_ai providers only"}, *ue)
	require.NoError(t, providerkit.CheckCallOptions("anthropic", nil))
}

const secret = "sk-proj-abcdefghijklmnop0123456789"

func TestRedactor(t *testing.T) {
	r := &providerkit.Redactor{}
	r.Add("custom-secret-value", "short")
	tests := map[string]string{
		"Incorrect API key provided: " + secret:                 "Incorrect API key provided: [REDACTED]",
		"Incorrect API key provided: sk-abc*********wxyz.":      "Incorrect API key provided: [REDACTED].",
		`{"headers":{"Authorization":"Bearer abc.def-ghi"}}`:    `{"headers":{"Authorization":"Bearer [REDACTED]"}}`,
		"Authorization: Bearer tok123":                          "Authorization: Bearer [REDACTED]",
		"Authorization: Bearer " + secret:                       "Authorization: Bearer [REDACTED]",
		"x-api-key: sk-ant-api03-xyz":                           "x-api-key: [REDACTED]",
		"got api-key=0123456789abcdef0123; retry":               "got api-key=[REDACTED]; retry",
		"key custom-secret-value leaked":                        "key [REDACTED] leaked",
		"short words stay":                                      "short words stay",
		"key=AIzaSyA-0123456789abcdefghijklmnopqrstu":           "key=[REDACTED]",
		"gsk_0123456789abcdefghij and xai-0123456789abcdefghij": "[REDACTED] and [REDACTED]",
	}
	for in, want := range tests {
		assert.Equal(t, want, r.String(in), in)
	}

	sdkErr := &testSDKError{msg: "401: " + secret}
	pe := &mirascope.ProviderError{Provider: "openai", StatusCode: 401, Message: "bad key " + secret, Err: sdkErr}
	err := r.Error(pe)
	assert.Same(t, pe, err)
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, pe.Message, secret)
	assert.NotContains(t, pe.Err.Error(), secret)
	var got *testSDKError
	require.ErrorAs(t, err, &got, "the SDK's error stays reachable")
	assert.Same(t, sdkErr, got)
}

type testSDKError struct{ msg string }

func (e *testSDKError) Error() string { return e.msg }

// answers serves the given statuses in turn (the last repeats), counting
// requests.
func answers(t *testing.T, n *atomic.Int32, header http.Header, statuses ...int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		assert.Equal(t, `{"q":1}`, string(b), "every attempt sends the whole body")
		i := int(n.Add(1)) - 1
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.Header().Set("X-Request-Id", fmt.Sprintf("req_%d", i+1))
		st := statuses[min(i, len(statuses)-1)]
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"error":{"message":"attempt %d with Bearer %s"}}`, i+1, secret)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func post(ctx context.Context, cl *http.Client, url string) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"q":1}`))
	return cl.Do(req)
}

func TestTransportRetries(t *testing.T) {
	tests := []struct {
		name     string
		header   http.Header
		statuses []int
		retries  int
		deadline time.Duration
		attempts int32
		status   int
	}{
		{"5xx then success", http.Header{"Retry-After-Ms": {"10"}}, []int{500, 503, 200}, 2, 0, 3, 200},
		{"gives up after the retries", http.Header{"Retry-After-Ms": {"10"}}, []int{500}, 2, 0, 3, 500},
		{"no retries configured", nil, []int{500}, 0, 0, 1, 500},
		{"not retryable", nil, []int{400}, 2, 0, 1, 400},
		{"service says no", http.Header{"X-Should-Retry": {"false"}}, []int{503}, 2, 0, 1, 503},
		{"service says yes", http.Header{"X-Should-Retry": {"true"}, "Retry-After-Ms": {"1"}}, []int{400, 200}, 2, 0, 2, 200},
		{"Retry-After past the cap", http.Header{"Retry-After": {"120"}}, []int{429}, 2, 0, 1, 429},
		// Waits too long for a Duration saturate instead of overflowing
		// into a negative wait, retried at once.
		{"Retry-After 1e30", http.Header{"Retry-After": {"1e30"}}, []int{429}, 3, 0, 1, 429},
		{"Retry-After +Inf", http.Header{"Retry-After": {"+Inf"}}, []int{429}, 3, 0, 1, 429},
		{"Retry-After 100000000000", http.Header{"Retry-After": {"100000000000"}}, []int{503}, 3, 0, 1, 503},
		{"retry-after-ms 1e30", http.Header{"Retry-After-Ms": {"1e30"}}, []int{429}, 3, 0, 1, 429},
		{"Retry-After past the deadline", http.Header{"Retry-After": {"1"}}, []int{429}, 2, 300 * time.Millisecond, 1, 429},
		{"back-off past the deadline", nil, []int{500}, 2, 300 * time.Millisecond, 1, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := answers(t, &n, tt.header, tt.statuses...)
			cl := providerkit.NewConfig(providers.WithMaxRetries(tt.retries)).Client()
			ctx, cancel := providerkit.StartCall(context.Background(), 0)
			defer cancel()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			// A wait started past the deadline would end in the context's
			// error, not in the service's answer: no clock is read here.
			resp, err := post(ctx, cl, srv.URL)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.attempts, n.Load())
			assert.Equal(t, int(tt.attempts), providerkit.Attempts(ctx), "each attempt is counted")
			assert.Equal(t, fmt.Sprintf("req_%d", tt.attempts), resp.Header.Get("X-Request-Id"), "the last answer is returned")
			if resp.StatusCode >= 400 {
				assert.NotContains(t, string(body), secret)
				assert.Contains(t, string(body), "Bearer [REDACTED]")
			}
		})
	}
}

func TestTransportQuotaNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(429)
		_, _ = io.WriteString(w, `{"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"quota"}}`)
	}))
	defer srv.Close()
	resp, err := post(context.Background(), providerkit.NewConfig().Client(), srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, int32(1), n.Load())
}

func TestTransportRetriesConnectionFailures(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			hj, _ := w.(http.Hijacker)
			c, _, _ := hj.Hijack()
			_ = c.Close() // a reset connection, no answer
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	resp, err := post(context.Background(), providerkit.NewConfig().Client(), srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int32(2), n.Load())
}

func TestContextErrorKeepsTheLastAnswer(t *testing.T) {
	var n atomic.Int32
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			select { // the retry hangs until the deadline
			case <-block:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Retry-After-Ms", "10")
		w.Header().Set("X-Request-Id", "req_500")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, `{"error":{"message":"boom","type":"server_error"}}`)
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := providerkit.StartCall(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := post(ctx, providerkit.NewConfig().Client(), srv.URL)
	require.Error(t, err)

	pe := providerkit.ContextError(ctx, "openai", err, nil)
	assert.Equal(t, 500, pe.StatusCode)
	assert.Equal(t, "req_500", pe.RequestID)
	assert.Equal(t, "boom", pe.Message)
	assert.Equal(t, "server_error", pe.Type)
	assert.True(t, pe.Retryable)
	assert.ErrorIs(t, pe, context.DeadlineExceeded)

	// Without a recorded answer it is a transport error.
	ctx2, cancel2 := providerkit.StartCall(context.Background(), 0)
	cancel2()
	pe = providerkit.ContextError(ctx2, "openai", errors.New("dial: canceled"), nil)
	assert.Equal(t, 0, pe.StatusCode)
	assert.ErrorIs(t, pe, context.Canceled)
}

// A huge RetryInfo delay in a Google error body is not retried either.
func TestTransportHugeRetryInfo(t *testing.T) {
	for _, delay := range []string{"1e30s", "100000000000s", "9223372036.854775808s"} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.WriteHeader(429)
			fmt.Fprintf(w, `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":%q}]}}`, delay)
		}))
		resp, err := post(context.Background(), providerkit.NewConfig(providers.WithMaxRetries(3)).Client(), srv.URL)
		require.NoError(t, err)
		pe := providerkit.AnswerError("google", resp, nil)
		srv.Close()
		assert.Equal(t, int32(1), n.Load(), delay)
		assert.Greater(t, pe.RetryAfter, providerkit.MaxRetryWait, delay)
	}
}

// RetryAfter is never negative, whatever the header says.
func TestRetryAfterNeverNegative(t *testing.T) {
	for _, tc := range []struct {
		header, value string
		want          time.Duration
	}{
		{"Retry-After", "1e30", math.MaxInt64},
		{"Retry-After", "+Inf", math.MaxInt64},
		{"Retry-After", "100000000000", math.MaxInt64},
		{"Retry-After", "9223372036.854775807", math.MaxInt64},
		{"Retry-After", "NaN", 0},
		{"Retry-After", "-Inf", 0},
		{"Retry-After", "-5", 0},
		{"Retry-After", " 3 ", 3 * time.Second},
		{"Retry-After-Ms", "1e30", math.MaxInt64},
		{"Retry-After-Ms", "+Inf", math.MaxInt64},
		{"Retry-After-Ms", "NaN", 0},
		{"Retry-After-Ms", "1.5", 1500 * time.Microsecond},
	} {
		h := http.Header{}
		h.Set(tc.header, tc.value)
		assert.Equal(t, tc.want, providerkit.RetryAfter(h), "%s: %s", tc.header, tc.value)
	}
	// And through AnswerError, as ProviderError.RetryAfter.
	pe := providerkit.AnswerError("openai", &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"1e30"}}}, nil)
	assert.Equal(t, time.Duration(math.MaxInt64), pe.RetryAfter)
}

// One decision says whether an error answer is retryable: the transport
// retries exactly the answers AnswerError calls retryable.
func TestOneRetryDecision(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   bool
	}{
		{"5xx", 503, nil, `{}`, true},
		{"4xx", 400, nil, `{}`, false},
		{"service says no", 503, http.Header{"X-Should-Retry": {"false"}}, `{}`, false},
		{"service says yes", 400, http.Header{"X-Should-Retry": {"true"}}, `{}`, true},
		{"quota exhausted", 429, nil, `{"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"quota"}}`, false},
		{"quota, but the service says retry", 429, http.Header{"X-Should-Retry": {"true"}}, `{"error":{"code":"insufficient_quota"}}`, true},
		{"rate limited", 429, nil, `{"error":{"type":"rate_limit_error"}}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, vs := range tc.header {
					w.Header()[k] = vs
				}
				w.Header().Set("Retry-After-Ms", "1")
				if n.Add(1) > 1 {
					w.WriteHeader(200)
					return
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			resp, err := post(context.Background(), providerkit.NewConfig(providers.WithMaxRetries(1)).Client(), srv.URL)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.want, n.Load() == 2, "the transport retried")
			h := tc.header.Clone()
			if h == nil {
				h = http.Header{}
			}
			pe := providerkit.AnswerError("openai", &http.Response{StatusCode: tc.status, Header: h, Body: io.NopCloser(strings.NewReader(tc.body))}, nil)
			assert.Equal(t, tc.want, pe.Retryable, "AnswerError")
			assert.Equal(t, tc.want, providerkit.RetryableAnswer(tc.status, h, providerkit.ParseErrorBody([]byte(tc.body))))
		})
	}
}
