package litellm

import (
	"context"
	"iter"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

// Name is the gen_ai.provider.name of the service.
const Name = "litellm"

// DefaultBaseURL is the endpoint used when neither providers.WithBaseURL nor
// LITELLM_BASE_URL sets one.
const DefaultBaseURL = "http://localhost:4000"

// Provider calls a LiteLLM proxy through its OpenAI-compatible API. It is safe for concurrent use.
type Provider struct{ core *oaicompat.Core }

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider whose default model is model, a model name the
// proxy is configured with (e.g. "gpt-4o-mini"). The key (a virtual or
// master key of the proxy) comes from providers.WithAPIKey or LITELLM_API_KEY
// and may be absent for a proxy that needs none; the endpoint from
// providers.WithBaseURL, LITELLM_BASE_URL or [DefaultBaseURL]. No OPENAI_*
// variable is read.
func New(model string, opts ...providers.Option) *Provider {
	return &Provider{core: oaicompat.New(spec, model, opts)}
}

var spec = oaicompat.Spec{
	Name:           Name,
	Caps:           lower.LiteLLM,
	DefaultBaseURL: DefaultBaseURL,
	APIKeyEnv:      []string{"LITELLM_API_KEY"},
	BaseURLEnv:     []string{"LITELLM_BASE_URL"},
	// The proxy forwards to any backend; max_tokens is the field it
	// translates for every one of them.
	KeyOptional:      true,
	TokenLimit:       oaicompat.MaxTokens,
	RequestIDHeaders: []string{"X-Litellm-Call-Id"},
	// For Anthropic-backed models the proxy reports cache writes too.
	CacheWrites: true,
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.core.Info() }

// Call sends req and returns the whole response; Response.Raw is the
// openai-go SDK's *openai.ChatCompletion.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.core.Call(ctx, req)
}

// Stream sends req when ranging starts; Chunk.Raw is the openai-go SDK's
// *openai.ChatCompletionChunk.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.core.Stream(ctx, req)
}

// WithExtraBody sets request body fields the library does not model, at
// the top level of the JSON body, through openai-go's SetExtraFields (a
// field of the same name set otherwise is replaced). Calls merge their
// maps; later keys win. The values are sent, never recorded on a span.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return oaicompat.WithExtraBody(fields)
}
