package cohere

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cohere-ai/cohere-go/v2/core"
	"github.com/cohere-ai/cohere-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

// name is the gen_ai.provider.name of Cohere.
const name = "cohere"

// defaultBaseURL is Cohere's API endpoint; the provider appends /v2/chat.
const defaultBaseURL = "https://api.cohere.com"

// envVars are the variables the provider reads for its key, in order.
var envVars = []string{"CO_API_KEY"}

// Provider sends requests to Cohere's Chat v2 API. It is safe for concurrent
// use; create one and reuse it.
type Provider struct {
	model    string
	apiKey   string
	endpoint string // base URL + /v2/chat
	client   *http.Client
	header   http.Header // the SDK's own headers, Authorization included
	retries  int
	timeout  time.Duration
	info     mirascope.ProviderInfo
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider for model (e.g. "command-a-03-2025"). The key comes
// from providers.WithAPIKey or CO_API_KEY, the endpoint from
// providers.WithBaseURL, CO_API_URL or https://api.cohere.com.
func New(model string, opts ...providers.Option) *Provider {
	cfg := providers.NewConfig(opts...)
	cfg.APIKeyFromEnv(envVars...)
	cfg.BaseURLFromEnv(defaultBaseURL, "CO_API_URL")
	base := strings.TrimRight(cfg.BaseURL, "/")
	p := &Provider{
		model:    model,
		apiKey:   cfg.APIKey,
		endpoint: base + "/v2/chat",
		client:   cfg.Client(),
		retries:  cfg.Retries(),
		timeout:  cfg.CallTimeout(),
		info:     mirascope.ProviderInfo{Name: name, Model: model},
	}
	// The SDK's own header set (User-Agent, X-Fern-*, Authorization), so the
	// wire looks as the SDK's client would make it.
	p.header = core.NewRequestOptions(option.WithToken(cfg.APIKey)).ToHeader()
	p.info.ServerAddress, p.info.ServerPort = hostPort(base)
	return p
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.info }

// withTimeout applies the configured bound of one call.
func (p *Provider) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.timeout > 0 {
		return context.WithTimeout(ctx, p.timeout)
	}
	return context.WithCancel(ctx)
}

func (p *Provider) missingKey() error {
	if p.apiKey == "" {
		return &providers.MissingAPIKeyError{Provider: name, EnvVars: envVars}
	}
	return nil
}

// hostPort splits a base URL into server.address and server.port, with 443
// or 80 by scheme when the URL names no port.
func hostPort(base string) (string, int) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "", 0
	}
	if ps := u.Port(); ps != "" {
		if n, err := strconv.Atoi(ps); err == nil {
			return u.Hostname(), n
		}
	}
	if u.Scheme == "http" {
		return u.Hostname(), 80
	}
	return u.Hostname(), 443
}
