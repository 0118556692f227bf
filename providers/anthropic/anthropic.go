package anthropic

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

const (
	// Name is the gen_ai.provider.name of the service.
	Name = "anthropic"
	// DefaultBaseURL is the Messages API endpoint; the SDK appends v1/messages.
	DefaultBaseURL = "https://api.anthropic.com"
	// DefaultMaxTokens is sent as max_tokens, which the Messages API requires,
	// when a call sets no [mirascope.WithMaxTokens].
	DefaultMaxTokens = 4096
	// APIVersion is the anthropic-version header anthropic-sdk-go v2 sends.
	// That version no longer accepts temperature, top_p or top_k.
	APIVersion = "2026-10-21"
)

// envAPIKey is the only variable read for the key; envBaseURL the only one for
// the endpoint.
const (
	envAPIKey  = "ANTHROPIC_API_KEY"
	envBaseURL = "ANTHROPIC_BASE_URL"
)

type maxTokensKey struct{}

// WithDefaultMaxTokens replaces [DefaultMaxTokens] for calls that set no
// max_tokens of their own.
func WithDefaultMaxTokens(n int) providers.Option {
	return func(c *providers.Config) {
		if n > 0 {
			c.SetExtra(maxTokensKey{}, n)
		}
	}
}

// Provider calls the Anthropic Messages API. It is safe for concurrent use;
// create it once with [New] and reuse it.
type Provider struct {
	model     string
	apiKey    string
	maxTokens int
	timeout   time.Duration
	info      mirascope.ProviderInfo
	client    sdk.Client
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider whose default model is model. The key comes from
// providers.WithAPIKey, else ANTHROPIC_API_KEY; the endpoint from
// providers.WithBaseURL, else ANTHROPIC_BASE_URL, else [DefaultBaseURL]. No
// other environment variable is read: the SDK's own environment defaults
// (ANTHROPIC_AUTH_TOKEN, ANTHROPIC_PROFILE, ANTHROPIC_CUSTOM_HEADERS, profile
// files, workload federation) and its OpenTelemetry spans are turned off.
func New(model string, opts ...providers.Option) *Provider {
	cfg := providers.NewConfig(opts...)
	cfg.APIKeyFromEnv(envAPIKey)
	cfg.BaseURLFromEnv(DefaultBaseURL, envBaseURL)
	base := normalizeBaseURL(cfg.BaseURL)

	p := &Provider{
		model:     model,
		apiKey:    cfg.APIKey,
		maxTokens: DefaultMaxTokens,
		timeout:   cfg.CallTimeout(),
		info:      serverInfo(base),
	}
	p.info.Name = Name
	p.info.Model = model
	if n, ok := cfg.Extra[maxTokensKey{}].(int); ok {
		p.maxTokens = n
	}

	sdkOpts := []option.RequestOption{
		// Only the variables documented above matter.
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(base),
		option.WithHTTPClient(cfg.Client()),
		option.WithMaxRetries(cfg.Retries()),
		// otel.Traced records the call; the SDK's own span would duplicate
		// it and its trace-context headers would leak the caller's trace.
		option.WithoutOpenTelemetry(),
		option.WithMiddleware(capRetryWait),
	}
	if cfg.APIKey != "" {
		sdkOpts = append(sdkOpts, option.WithAPIKey(cfg.APIKey))
	}
	p.client = sdk.NewClient(sdkOpts...)
	return p
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.info }

func (p *Provider) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.timeout > 0 {
		return context.WithTimeout(ctx, p.timeout)
	}
	return context.WithCancel(ctx)
}

func (p *Provider) missingKey() error {
	if p.apiKey == "" {
		return &providers.MissingAPIKeyError{Provider: Name, EnvVars: []string{envAPIKey}}
	}
	return nil
}

// normalizeBaseURL drops a trailing /v1: the SDK appends v1/messages itself.
func normalizeBaseURL(base string) string {
	base = strings.TrimRight(base, "/")
	return strings.TrimSuffix(base, "/v1")
}

// serverInfo fills ServerAddress and ServerPort from a base URL.
func serverInfo(base string) mirascope.ProviderInfo {
	var info mirascope.ProviderInfo
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return info
	}
	info.ServerAddress = u.Hostname()
	if port := u.Port(); port != "" {
		info.ServerPort, _ = strconv.Atoi(port)
	} else if u.Scheme == "https" {
		info.ServerPort = 443
	} else if u.Scheme == "http" {
		info.ServerPort = 80
	}
	return info
}

// maxRetryWait bounds how long a retry waits for Retry-After: the SDK waits
// whatever the service asks, up to the call's deadline.
const maxRetryWait = time.Minute

// cappedHeader marks a response whose retry capRetryWait called off, so the
// error still reports it as retryable later.
const cappedHeader = "X-Mirascope-Retry-Capped"

// capRetryWait tells the SDK not to retry (x-should-retry: false) when the
// service asks for a longer wait than maxRetryWait, or than the call has
// left: the caller gets the error, with its RetryAfter, at once.
func capRetryWait(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	resp, err := next(req)
	if err != nil || resp == nil {
		return resp, err
	}
	wait := providers.RetryAfter(resp.Header)
	if wait == 0 {
		return resp, nil
	}
	d, ok := req.Context().Deadline()
	if wait > maxRetryWait || (ok && time.Until(d) < wait) {
		resp.Header.Set("x-should-retry", "false")
		resp.Header.Set(cappedHeader, "1")
	}
	return resp, nil
}
