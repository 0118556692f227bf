package providers

import (
	"net/http"

	"github.com/mirascope-go/mirascope"
)

// Client returns the HTTP client a provider's SDK should use: the configured
// one (or a fresh default) whose transport adds the configured headers and
// reports each attempt to [mirascope.ReportAttempt], so decorators can see
// retries the SDK makes.
func (c *Config) Client() *http.Client {
	base := c.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	cl := *base
	rt := cl.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cl.Transport = &transport{base: rt, headers: c.Headers.Clone()}
	return &cl
}

type transport struct {
	base    http.RoundTripper
	headers http.Header
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	mirascope.ReportAttempt(req.Context())
	if len(t.headers) > 0 {
		req = req.Clone(req.Context())
		for k, vs := range t.headers {
			req.Header.Del(k)
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
	}
	return t.base.RoundTrip(req)
}
