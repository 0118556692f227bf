package providers

import (
	"net/http"
	"time"
)

// Defaults shared by every provider, whatever its SDK's own defaults are.
const (
	// DefaultMaxRetries is how many times a failed request is retried
	// (429, 408, 409, 5xx, connection errors), honouring Retry-After.
	DefaultMaxRetries = 2
	// DefaultTimeout bounds one Call, or one Stream from its start to its
	// last event, retries included, when [WithTimeout] is not given.
	DefaultTimeout = 10 * time.Minute
)

// Option configures a provider. Provider packages define their own Options
// over the same [Config] for settings of their own (e.g. bedrock.WithRegion).
type Option func(*Config)

// Config is what Options set. A provider package reads it once, in New.
type Config struct {
	// APIKey authenticates; empty means the service's environment variable.
	APIKey string
	// BaseURL replaces the service's endpoint (a proxy, a gateway, a test server).
	BaseURL string
	// HTTPClient sends the requests; nil means a client of the provider's own.
	HTTPClient *http.Client
	// Headers are added to every request.
	Headers http.Header
	// MaxRetries overrides [DefaultMaxRetries]; nil means the default.
	MaxRetries *int
	// Timeout overrides [DefaultTimeout]; nil means the default, and zero or
	// negative no bound (as http.Client.Timeout reads zero).
	Timeout *time.Duration
	// RateLimiter paces the calls; nil means no pacing beyond what the
	// service's rate-limit headers ask (see [WithRateLimit]).
	RateLimiter *RateLimiter
	// Extra holds a provider package's own settings, each under the
	// providerkit.OptionKey that names the providers it belongs to.
	Extra map[any]any
}

// WithAPIKey sets the API key, instead of the service's environment variable.
func WithAPIKey(key string) Option { return func(c *Config) { c.APIKey = key } }

// WithBaseURL sets the service's base URL.
func WithBaseURL(url string) Option { return func(c *Config) { c.BaseURL = url } }

// WithHTTPClient sets the HTTP client. Its transport still gets the
// provider's headers and attempt reporting.
func WithHTTPClient(client *http.Client) Option {
	return func(c *Config) {
		if client != nil {
			c.HTTPClient = client
		}
	}
}

// WithHeader adds a header to every request.
func WithHeader(key, value string) Option {
	return func(c *Config) {
		if c.Headers == nil {
			c.Headers = make(http.Header)
		}
		c.Headers.Add(key, value)
	}
}

// WithMaxRetries sets how many times a failed request is retried; 0 disables
// retries.
func WithMaxRetries(n int) Option {
	return func(c *Config) {
		if n < 0 {
			n = 0
		}
		c.MaxRetries = &n
	}
}

// WithTimeout bounds each Call or Stream, retries included. Zero (as in
// http.Client.Timeout) or negative means no bound beyond the caller's
// context; without WithTimeout the bound is [DefaultTimeout].
func WithTimeout(d time.Duration) Option { return func(c *Config) { c.Timeout = &d } }

// Retries returns the configured retry count, or [DefaultMaxRetries].
func (c *Config) Retries() int {
	if c.MaxRetries != nil {
		return *c.MaxRetries
	}
	return DefaultMaxRetries
}

// CallTimeout returns the configured bound for one call: 0 means none.
func (c *Config) CallTimeout() time.Duration {
	switch {
	case c.Timeout == nil:
		return DefaultTimeout
	case *c.Timeout < 0:
		return 0
	}
	return *c.Timeout
}

// SetExtra stores a provider's own setting.
func (c *Config) SetExtra(key, value any) {
	if c.Extra == nil {
		c.Extra = make(map[any]any)
	}
	c.Extra[key] = value
}
