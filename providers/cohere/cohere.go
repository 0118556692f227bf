package cohere

import (
	"net/http"
	"strings"
	"time"

	"github.com/cohere-ai/cohere-go/v2/core"
	"github.com/cohere-ai/cohere-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Name is the gen_ai.provider.name of Cohere.
const Name = "cohere"

const name = Name

// defaultBaseURL is Cohere's API endpoint; the provider appends /v2/chat.
const defaultBaseURL = "https://api.cohere.com"

// envVars are the variables the provider reads for its key, in order.
var envVars = []string{"CO_API_KEY"}

// Provider sends requests to Cohere's Chat v2 API. It is safe for concurrent
// use; create one and reuse it.
type Provider struct {
	model    string
	gate     lower.Gate
	endpoint string // base URL + /v2/chat
	client   *http.Client
	header   http.Header // the SDK's own headers, Authorization included
	timeout  time.Duration
	redactor *providerkit.Redactor
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
	cfg := providerkit.NewConfig(opts...)
	cfg.APIKeyFromEnv(envVars...)
	cfg.BaseURLFromEnv(defaultBaseURL, "CO_API_URL")
	base := strings.TrimRight(cfg.BaseURL, "/")
	p := &Provider{
		model:    model,
		gate:     lower.NewGate(name, cfg.Check(name), lower.MissingKey(name, cfg.APIKey, envVars...)),
		endpoint: base + "/v2/chat",
		client:   cfg.Client(),
		timeout:  cfg.CallTimeout(),
		redactor: cfg.Redactor(),
		info:     mirascope.ProviderInfo{Name: name, Model: model},
	}
	// The SDK's own header set (User-Agent, X-Fern-*, Authorization), so the
	// wire looks as the SDK's client would make it.
	p.header = core.NewRequestOptions(option.WithToken(cfg.APIKey)).ToHeader()
	p.info.ServerAddress, p.info.ServerPort = providerkit.HostPort(base)
	return p
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.info }
