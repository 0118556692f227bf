package google

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mirascope-go/mirascope/providers"
)

// The genai SDK retries nothing by default, and its optional retries ignore
// Retry-After; its errors carry neither the HTTP status nor the headers. This
// transport does both jobs: bounded retries of 408/409/429/5xx and failed
// connections, waiting as Retry-After (or the body's google.rpc.RetryInfo)
// asks, and a per-call record of the last response's status and request id.

const maxRetryWait = time.Minute

type recordKey struct{}

// record is the last HTTP answer of one call.
type record struct {
	mu     sync.Mutex
	status int
	header http.Header
}

func withRecord(ctx context.Context) (context.Context, *record) {
	r := &record{}
	return context.WithValue(ctx, recordKey{}, r), r
}

func (r *record) set(resp *http.Response) {
	r.mu.Lock()
	r.status, r.header = resp.StatusCode, resp.Header
	r.mu.Unlock()
}

func (r *record) get() (int, http.Header) {
	if r == nil {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.header
}

// requestID is the id Google's front end gives a request, when it sends one.
func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Goog-Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

type retryTransport struct {
	base    http.RoundTripper
	retries int
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	rec, _ := ctx.Value(recordKey{}).(*record)
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.base.RoundTrip(r)
		if resp != nil && rec != nil {
			rec.set(resp)
		}
		last := attempt >= t.retries || ctx.Err() != nil || (req.Body != nil && req.GetBody == nil)
		if last {
			return resp, err
		}
		var wait time.Duration
		switch {
		case err != nil:
			wait = backoff(attempt)
		case !providers.RetryableStatus(resp.StatusCode):
			return resp, nil
		default:
			wait = providers.RetryAfter(resp.Header)
			if wait == 0 {
				wait = retryInfo(resp)
			}
			if wait == 0 {
				wait = backoff(attempt)
			}
			if wait > maxRetryWait || !fits(ctx, wait) {
				return resp, nil
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			_ = resp.Body.Close()
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

func fits(ctx context.Context, wait time.Duration) bool {
	d, ok := ctx.Deadline()
	return !ok || time.Until(d) > wait
}

func backoff(attempt int) time.Duration {
	d := min(500*time.Millisecond<<attempt, 8*time.Second)
	return d - time.Duration(rand.Int64N(int64(d/4)))
}

// retryInfo reads google.rpc.RetryInfo's retryDelay ("20s") from an error
// body, leaving the body readable.
func retryInfo(resp *http.Response) time.Duration {
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return 0
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return 0
	}
	return retryDelay(b)
}

func retryDelay(body []byte) time.Duration {
	var e struct {
		Error struct {
			Details []struct {
				Type       string `json:"@type"`
				RetryDelay string `json:"retryDelay"`
			} `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return 0
	}
	for _, d := range e.Error.Details {
		if strings.HasSuffix(d.Type, "google.rpc.RetryInfo") {
			if v, err := time.ParseDuration(d.RetryDelay); err == nil && v > 0 {
				return v
			}
		}
	}
	return 0
}
