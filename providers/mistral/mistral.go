package mistral

import (
	"context"
	"iter"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

// Name is the gen_ai.provider.name of the service.
const Name = "mistral_ai"

// DefaultBaseURL is the endpoint used when neither providers.WithBaseURL nor
// MISTRAL_BASE_URL sets one.
const DefaultBaseURL = "https://api.mistral.ai/v1"

// Provider calls Mistral AI's Chat Completions API. It is safe for concurrent use.
type Provider struct {
	core  *oaicompat.Core
	batch *oaicompat.MistralBatcher
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider whose default model is model (e.g.
// "mistral-large-latest"). The key comes from providers.WithAPIKey or
// MISTRAL_API_KEY, the endpoint from providers.WithBaseURL, MISTRAL_BASE_URL
// or [DefaultBaseURL]. No OPENAI_* variable is read.
func New(model string, opts ...providers.Option) *Provider {
	core := oaicompat.New(spec, model, opts)
	return &Provider{core: core, batch: core.MistralBatcher(maxBatchRequests, maxBatchBytes)}
}

var spec = oaicompat.Spec{
	Name:           Name,
	Caps:           lower.Mistral,
	DefaultBaseURL: DefaultBaseURL,
	APIKeyEnv:      []string{"MISTRAL_API_KEY"},
	BaseURLEnv:     []string{"MISTRAL_BASE_URL"},
	// Mistral knows max_tokens and random_seed only, and rejects unknown
	// fields such as stream_options with a 422; it reports usage in the last
	// stream event unasked.
	TokenLimit:       oaicompat.MaxTokens,
	SeedField:        "random_seed",
	MistralContent:   true,
	NoStreamOptions:  true,
	RequestIDHeaders: []string{"X-Request-Id", "Mistral-Correlation-Id"},
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
