package providerkit_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

var traffics = map[string]providerkit.Traffic{
	"model":        providerkit.ModelTraffic,
	"batch":        providerkit.BatchTraffic,
	"batch create": providerkit.BatchCreateTraffic,
}

// viaMiddleware is cfg's policy for t as SDK middleware, in front of the
// default transport, in the shape of a client.
func viaMiddleware(cfg *providerkit.Config, t providerkit.Traffic) *http.Client {
	mw := cfg.MiddlewareFor(t)
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return mw(r, http.DefaultTransport.RoundTrip)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// clientsFor is cfg's client for t both ways: the HTTP client's transport,
// and the SDK middleware.
func clientsFor(cfg *providerkit.Config, t providerkit.Traffic) map[string]*http.Client {
	return map[string]*http.Client{"client": cfg.ClientFor(t), "middleware": viaMiddleware(cfg, t)}
}

// A batch job's creation is sent again only when nothing was done (a 429,
// a refused connection): after a 5xx or a broken connection the job may
// exist. Every other traffic retries them all. Either way the error answer
// is masked.
func TestTrafficRetries(t *testing.T) {
	for name, tr := range traffics {
		once := tr == providerkit.BatchCreateTraffic
		for _, tc := range []struct {
			name     string
			statuses []int
			attempts int32
		}{
			{"502", []int{502, 200}, map[bool]int32{false: 2, true: 1}[once]},
			{"500", []int{500, 200}, map[bool]int32{false: 2, true: 1}[once]},
			{"408", []int{408, 200}, map[bool]int32{false: 2, true: 1}[once]},
			{"429", []int{429, 200}, 2},
		} {
			for via, cl := range clientsFor(providerkit.NewConfig(providers.WithAPIKey(secret)), tr) {
				t.Run(name+"/"+tc.name+"/"+via, func(t *testing.T) {
					var n atomic.Int32
					srv := answers(t, &n, http.Header{"Retry-After-Ms": {"1"}}, tc.statuses...)
					ctx, cancel := providerkit.StartCall(context.Background(), 0)
					defer cancel()
					resp, err := post(ctx, cl, srv.URL)
					require.NoError(t, err)
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					assert.Equal(t, tc.attempts, n.Load())
					assert.Equal(t, int(tc.attempts), providerkit.Attempts(ctx))
					if resp.StatusCode >= 400 {
						assert.NotContains(t, string(body), secret)
					}
				})
			}
		}
		t.Run(name+"/broken connection", func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					c, _, _ := w.(http.Hijacker).Hijack()
					_ = c.Close() // the request arrived; no answer
					return
				}
				_, _ = io.WriteString(w, "{}")
			}))
			defer srv.Close()
			resp, err := post(context.Background(), providerkit.NewConfig().ClientFor(tr), srv.URL)
			if once {
				require.Error(t, err)
				assert.Equal(t, int32(1), n.Load(), "the job may exist: not created again")
				return
			}
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, int32(2), n.Load())
		})
		t.Run(name+"/connection refused", func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := l.Addr().String()
			require.NoError(t, l.Close()) // nothing listens: refused
			ctx, cancel := providerkit.StartCall(context.Background(), 0)
			defer cancel()
			_, err = post(ctx, providerkit.NewConfig(providers.WithMaxRetries(1)).ClientFor(tr), "http://"+addr)
			require.Error(t, err)
			assert.Equal(t, 2, providerkit.Attempts(ctx), "nothing was done: sent again")
		})
	}
}

// A batch's requests, creation included, skip the rate limiter and are not
// counted on it; the model's calls wait their turn.
func TestTrafficRateLimiter(t *testing.T) {
	var n atomic.Int32
	srv := answers(t, &n, nil, 200)
	cfg := providerkit.NewConfig(providers.WithRateLimit(1, 0))
	for _, tr := range []providerkit.Traffic{providerkit.BatchTraffic, providerkit.BatchCreateTraffic} {
		for via, cl := range clientsFor(cfg, tr) {
			for range 3 {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				resp, err := post(ctx, cl, srv.URL)
				cancel()
				require.NoError(t, err, via)
				resp.Body.Close()
			}
		}
	}
	model := cfg.Client()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, err := post(ctx, model, srv.URL)
	require.NoError(t, err, "the batch's requests took no turn of the limiter")
	resp.Body.Close()
	_, err = post(ctx, model, srv.URL)
	require.ErrorIs(t, err, context.DeadlineExceeded, "one call a minute")
	assert.Equal(t, int32(13), n.Load())
}

// Every client of a Config shares its memory of the service's rate-limit
// headers: a quota a batch's answer says is spent holds the model's calls
// back too, and the other way round.
func TestTrafficSharesHold(t *testing.T) {
	for _, pair := range [][2]providerkit.Traffic{
		{providerkit.BatchTraffic, providerkit.ModelTraffic},
		{providerkit.ModelTraffic, providerkit.BatchCreateTraffic},
		{providerkit.BatchCreateTraffic, providerkit.BatchTraffic},
	} {
		var n atomic.Int32
		srv := answers(t, &n, http.Header{"X-Ratelimit-Remaining-Requests": {"0"}, "X-Ratelimit-Reset-Requests": {"30s"}}, 200)
		cfg := providerkit.NewConfig()
		resp, err := post(context.Background(), cfg.ClientFor(pair[0]), srv.URL)
		require.NoError(t, err)
		resp.Body.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err = post(ctx, viaMiddleware(cfg, pair[1]), srv.URL)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "held for the reset")
		assert.Equal(t, int32(1), n.Load(), "unsent")
	}
}
