package providerkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

// Retry pacing, the same for every provider.
const (
	// MaxRetryWait is the longest wait a retry starts: a service that asks
	// for more (Retry-After) gets its error returned at once, for the caller
	// to decide.
	MaxRetryWait = time.Minute
	// minBackoff and maxBackoff bound the exponential back-off used when
	// the service names no wait.
	minBackoff = 500 * time.Millisecond
	maxBackoff = 8 * time.Second
	// maxErrorBody bounds how much of an error answer is kept: the SDK and
	// the error see at most this much, masked.
	maxErrorBody = 1 << 20
	// maskOverlap is how far past maxErrorBody an error answer is read, so
	// that a credential straddling the cut is masked whole: longer than any
	// key or session token.
	maskOverlap = 64 << 10
)

// Client returns the HTTP client a provider's SDK should use: the configured
// one (or a fresh default) whose transport adds the configured headers,
// retries, counts each attempt (see [Attempts]), and masks the
// provider's credentials in every error answer before the SDK reads it.
//
// Retries are this transport's alone (a provider turns its SDK's own off):
// 408, 409, 429 and 5xx answers and failed connections are retried up to
// [Config.Retries] times, waiting as Retry-After, retry-after-ms or Google's
// RetryInfo asks, else an exponential back-off with jitter (0.5 s, 1 s, 2 s
// … up to 8 s). An answer saying x-should-retry: false, or an exhausted
// quota, is not retried, nor is a request of [BatchCreateTraffic] but after
// a 429 or a refused connection. A wait longer than [MaxRetryWait], or one the
// context's deadline would cut short (with the rate-limit waits the retry
// then makes), is never started: the service's answer is returned instead,
// so the caller sees its status and request id.
//
// Rate limits: every request first waits its turn at the configured
// [providers.RateLimiter], if any, and while the service's rate-limit
// headers last said a quota is spent (see [rateLimitHold]), every request
// of this provider value waits for its reset, at most [MaxRetryWait]. A
// wait the context's deadline would cut short, alone or added to the other,
// is not started: the request fails at once, unsent, with an error matching
// context.DeadlineExceeded.
// The time waited is reported by [Redactor.Call] as Response.RateLimitWait.
func (c *Config) Client() *http.Client { return c.ClientFor(ModelTraffic) }

// Traffic is what a client's requests are to the service, which decides how
// the transport paces and retries them. A provider builds one client (or
// SDK middleware) per kind of traffic it sends, in New, rather than marking
// requests as they go.
type Traffic int

const (
	// ModelTraffic is the model's calls (Call, Stream): paced by the
	// configured [providers.RateLimiter], retried as [Config.Client] says.
	ModelTraffic Traffic = iota
	// BatchTraffic is a batch job's uploads, polls, cancels and downloads:
	// none spends the model's quota, so none waits at the RateLimiter (a
	// 200 MB input file is not 50 million tokens, nor is it read again to
	// be counted). The service's own hold (see [rateLimitHold]) still
	// applies, and retries are as for ModelTraffic.
	BatchTraffic
	// BatchCreateTraffic is the creation of a batch job: unmetered as
	// BatchTraffic, and sent again only when nothing was done (a 429, or a
	// connection refused). After a 5xx, a timeout or a broken connection
	// the job may exist, and a second one would run, and bill, every
	// request again: the error is returned instead.
	BatchCreateTraffic
)

// ClientFor is [Config.Client] for traffic t. Every client of c shares its
// base transport, its redactor and its memory of the service's rate-limit
// headers: a quota the service says is spent holds all of them back.
func (c *Config) ClientFor(t Traffic) *http.Client {
	base := c.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	cl := *base
	rt := cl.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cl.Transport = roundTripper{t: c.transport(t), base: rt}
	return &cl
}

// Middleware is the same policy as [Config.Client]'s transport, in the
// shape of an SDK middleware, for an SDK that bypasses the HTTP client's
// transport in some configurations.
func (c *Config) Middleware() func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	return c.MiddlewareFor(ModelTraffic)
}

// MiddlewareFor is [Config.Middleware] for traffic t.
func (c *Config) MiddlewareFor(t Traffic) func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	return c.transport(t).do
}

func (c *Config) transport(t Traffic) *transport {
	tr := &transport{headers: c.Headers.Clone(), retries: c.Retries(), redactor: c.Redactor(),
		limiter: c.RateLimiter, hold: c.holdState(), createsJob: t == BatchCreateTraffic}
	if t != ModelTraffic {
		tr.limiter = nil
	}
	return tr
}

// holdState is the provider value's memory of the service's rate-limit
// headers, shared by every client made from c.
func (c *Config) holdState() *hold {
	if c.hold == nil {
		c.hold = &hold{}
	}
	return c.hold
}

type roundTripper struct {
	t    *transport
	base http.RoundTripper
}

func (r roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	return r.t.do(req, r.base.RoundTrip)
}

type transport struct {
	headers  http.Header
	retries  int
	redactor *Redactor
	limiter  *providers.RateLimiter // nil: requests not paced by it
	hold     *hold
	// createsJob: a request creates a batch job, and is sent again only
	// when nothing was done (see [BatchCreateTraffic]).
	createsJob bool
}

func (t *transport) do(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	ctx := req.Context()
	rec, _ := ctx.Value(recordKey{}).(*record)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 0; ; attempt++ {
		r, err := t.prepare(req, attempt)
		if err != nil {
			return nil, err
		}
		if err := t.pace(ctx, r, rec); err != nil {
			return nil, err
		}
		rec.attempt()
		resp, err := next(r)
		var body []byte
		if err == nil {
			t.hold.observe(resp, time.Now())
			if resp.StatusCode >= 400 {
				body = t.scrub(resp)
			}
			rec.set(resp, body)
		}
		if attempt >= t.retries || !replayable || ctx.Err() != nil {
			return resp, err
		}
		wait, ok := retryWait(resp, body, err, attempt)
		ok = ok && t.repeatable(resp, err)
		// The retry then waits for the rate limits too: all of it must fit.
		if !ok || wait > MaxRetryWait || !fits(ctx, wait+t.paceAfter(req, wait)) {
			return resp, err
		}
		if resp != nil {
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

// prepare returns the request of one attempt: a fresh body after the
// first, and the configured headers.
func (t *transport) prepare(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 0 && len(t.headers) == 0 {
		return req, nil
	}
	r := req.Clone(req.Context())
	if attempt > 0 && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	// Stainless SDKs (openai-go, anthropic-sdk-go) count their attempts in
	// this header; the count stays true now that the retries are ours.
	if attempt > 0 && r.Header.Get("X-Stainless-Retry-Count") != "" {
		r.Header.Set("X-Stainless-Retry-Count", strconv.Itoa(attempt))
	}
	for k, vs := range t.headers {
		r.Header.Del(k)
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return r, nil
}

// scrub reads an error answer's body, masks the credentials in it and
// leaves the masked text as the body, so that nothing unmasked reaches the
// SDK (its error's Error or RawJSON, say). Past maxErrorBody the body is
// dropped: it is read maskOverlap bytes further, so that a credential that
// begins before the cut is whole when masked, and the cut is made in the
// masked text. The cost is linear in what is read.
func (t *transport) scrub(resp *http.Response) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+maskOverlap))
	_ = resp.Body.Close()
	masked := []byte(t.redactor.String(string(b)))
	if len(b) > maxErrorBody && len(masked) > maxErrorBody {
		masked = masked[:maxErrorBody]
	}
	resp.Body = io.NopCloser(bytes.NewReader(masked))
	resp.ContentLength = -1
	resp.Header.Del("Content-Length")
	return masked
}

// retryWait says whether an attempt's outcome is worth another, and after
// how long.
func retryWait(resp *http.Response, body []byte, err error, attempt int) (time.Duration, bool) {
	if err != nil {
		return backoff(attempt), retryableTransport(err)
	}
	if resp.StatusCode < 400 {
		return 0, false
	}
	if !RetryableAnswer(resp.StatusCode, resp.Header, ParseErrorBody(body)) {
		return 0, false
	}
	if d := RetryAfter(resp.Header); d > 0 {
		return d, true
	}
	if d := retryInfo(body); d > 0 {
		return d, true
	}
	return backoff(attempt), true
}

// repeatable reports whether an attempt that ended so may be sent again.
func (t *transport) repeatable(resp *http.Response, err error) bool {
	if !t.createsJob {
		return true
	}
	if err != nil {
		return errors.Is(err, syscall.ECONNREFUSED)
	}
	return resp.StatusCode == http.StatusTooManyRequests
}

// backoff is exponential with jitter: 75–100 % of 0.5 s × 2^attempt, at
// most maxBackoff.
func backoff(attempt int) time.Duration {
	d := maxBackoff
	if attempt < 5 {
		d = min(minBackoff<<attempt, maxBackoff)
	}
	return d - time.Duration(rand.Int64N(int64(d/4)+1))
}

// fits reports whether a wait ends before the context's deadline.
func fits(ctx context.Context, wait time.Duration) bool {
	d, ok := ctx.Deadline()
	return !ok || time.Until(d) > wait
}

// retryInfo reads google.rpc.RetryInfo's retryDelay ("20s", "1.5s") from a
// Google error body; like [RetryAfter], it saturates instead of overflowing.
func retryInfo(body []byte) time.Duration {
	if !bytes.Contains(body, []byte("RetryInfo")) {
		return 0
	}
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
		if !strings.HasSuffix(d.Type, "google.rpc.RetryInfo") {
			continue
		}
		// The protobuf JSON form of a Duration: decimal seconds and "s".
		if v, ok := strings.CutSuffix(d.RetryDelay, "s"); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
				return seconds(f)
			}
		}
		if v, err := time.ParseDuration(d.RetryDelay); err == nil && v > 0 {
			return v
		}
	}
	return 0
}

// RetryInfo is how long a Google error body (google.rpc.RetryInfo) asks to
// wait; 0 when it does not say.
func RetryInfo(body []byte) time.Duration { return retryInfo(body) }

// StartCall begins one Call or Stream: it bounds ctx by timeout (0 means no
// bound beyond ctx's own) and lets the transport record the service's last
// error answer, so that a call its deadline ends still reports it (see
// [ContextError]). Call cancel when the call is over.
func StartCall(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx = withRecord(ctx)
	if timeout > 0 {
		return context.WithTimeout(ctx, timeout)
	}
	return context.WithCancel(ctx)
}

type recordKey struct{}

// withRecord returns ctx with a record of its own call, unless it has one
// (a provider's Call under [Redactor.Call] begins it twice).
func withRecord(ctx context.Context) context.Context {
	if _, ok := ctx.Value(recordKey{}).(*record); ok {
		return ctx
	}
	return context.WithValue(ctx, recordKey{}, &record{})
}

// record is what the transport saw of one call: how many requests it sent,
// and the last answer, its body only when it is an error.
type record struct {
	mu        sync.Mutex
	attempts  int
	waited    time.Duration          // rate-limit waits
	estimated int                    // tokens charged at limiter
	limiter   *providers.RateLimiter // the last that charged them
	status    int
	header    http.Header
	body      []byte
}

func (r *record) attempt() {
	if r != nil {
		r.mu.Lock()
		r.attempts++
		r.mu.Unlock()
	}
}

// Attempts is how many HTTP requests the transport sent in the call ctx
// belongs to (see [StartCall]), retries included. [Redactor.Call] and
// [Redactor.Stream] set it on what the call returns.
func Attempts(ctx context.Context) int {
	r, _ := ctx.Value(recordKey{}).(*record)
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

func (r *record) paced(waited time.Duration, l *providers.RateLimiter, tokens int) {
	if r != nil {
		r.mu.Lock()
		r.waited += waited
		if l != nil {
			r.limiter = l
			r.estimated += tokens
		}
		r.mu.Unlock()
	}
}

// RateLimitWait is how long the call ctx belongs to (see [StartCall])
// waited for rate limits before its requests.
func RateLimitWait(ctx context.Context) time.Duration {
	r, _ := ctx.Value(recordKey{}).(*record)
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.waited
}

// settle corrects the limiter that charged the call ctx belongs to from
// the tokens its answer reports.
func settle(ctx context.Context, u mirascope.Usage) {
	r, _ := ctx.Value(recordKey{}).(*record)
	if r == nil {
		return
	}
	r.mu.Lock()
	l, est := r.limiter, r.estimated
	r.limiter = nil
	r.mu.Unlock()
	if l != nil {
		l.Report(est, u.InputTokens+u.OutputTokens)
	}
}

func (r *record) set(resp *http.Response, body []byte) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.status, r.header, r.body = resp.StatusCode, resp.Header.Clone(), body
	r.mu.Unlock()
}

// LastAnswer returns the last answer the transport saw in the call ctx
// belongs to: its status and headers, and for an error answer (status 400
// or more) its body, readable. It is nil when no answer came, or the call
// was not begun with [StartCall]. Some SDKs' errors carry neither status nor
// headers; this is where a provider finds them.
func LastAnswer(ctx context.Context) *http.Response {
	r, _ := ctx.Value(recordKey{}).(*record)
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == 0 {
		return nil
	}
	return &http.Response{
		StatusCode: r.status,
		Status:     fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)),
		Header:     r.header.Clone(),
		Body:       io.NopCloser(bytes.NewReader(r.body)),
	}
}
