package anthropic

import (
	"strings"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
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

var maxTokensKey = providerkit.NewOptionKey("anthropic.WithDefaultMaxTokens", Name)

// WithDefaultMaxTokens replaces [DefaultMaxTokens] for calls that set no
// max_tokens of their own.
func WithDefaultMaxTokens(n int) providers.Option {
	return func(c *providers.Config) {
		if n > 0 {
			c.SetExtra(maxTokensKey, n)
		}
	}
}

// Provider calls the Anthropic Messages API. It is safe for concurrent use;
// create it once with [New] and reuse it.
type Provider struct {
	model     string
	maxTokens int
	gate      lower.Gate
	timeout   time.Duration
	redactor  *providerkit.Redactor
	info      mirascope.ProviderInfo
	client    sdk.Client
	// batches reads and cancels Message Batches, unpaced by the rate
	// limiter (a batch spends none of the model's quota); creates creates
	// them, sent again only when nothing was done (see
	// providerkit.BatchCreateTraffic).
	batches, creates sdk.MessageBatchService
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
	cfg := providerkit.NewConfig(opts...)
	cfg.APIKeyFromEnv(envAPIKey)
	cfg.BaseURLFromEnv(DefaultBaseURL, envBaseURL)
	base := normalizeBaseURL(cfg.BaseURL)

	p := &Provider{
		model:     model,
		maxTokens: DefaultMaxTokens,
		gate:      lower.NewGate(Name, cfg.Check(Name), lower.MissingKey(Name, cfg.APIKey, envAPIKey)),
		timeout:   cfg.CallTimeout(),
		redactor:  cfg.Redactor(),
		info:      mirascope.ProviderInfo{Name: Name, Model: model},
	}
	p.info.ServerAddress, p.info.ServerPort = providerkit.HostPort(base)
	if n, ok := cfg.Extra[maxTokensKey].(int); ok {
		p.maxTokens = n
	}

	sdkOpts := func(t providerkit.Traffic) []option.RequestOption {
		o := []option.RequestOption{
			// Only the variables documented above matter.
			option.WithoutEnvironmentDefaults(),
			option.WithBaseURL(base),
			option.WithHTTPClient(cfg.ClientFor(t)),
			// The shared transport of cfg.Client retries; the SDK's own retry
			// loop would wait past the call's deadline and lose the answer.
			option.WithMaxRetries(0),
			// otel.Traced records the call; the SDK's own span would duplicate
			// it and its trace-context headers would leak the caller's trace.
			option.WithoutOpenTelemetry(),
		}
		if cfg.APIKey != "" {
			o = append(o, option.WithAPIKey(cfg.APIKey))
		}
		return o
	}
	p.client = sdk.NewClient(sdkOpts(providerkit.ModelTraffic)...)
	p.batches = sdk.NewClient(sdkOpts(providerkit.BatchTraffic)...).Messages.Batches
	p.creates = sdk.NewClient(sdkOpts(providerkit.BatchCreateTraffic)...).Messages.Batches
	return p
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.info }

// normalizeBaseURL drops a trailing /v1: the SDK appends v1/messages itself.
func normalizeBaseURL(base string) string {
	base = strings.TrimRight(base, "/")
	return strings.TrimSuffix(base, "/v1")
}
