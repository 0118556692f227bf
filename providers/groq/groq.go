package groq

import (
	"context"
	"iter"
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

// Name is the gen_ai.provider.name of the service.
const Name = "groq"

// DefaultBaseURL is the endpoint used when neither providers.WithBaseURL nor
// GROQ_BASE_URL sets one.
const DefaultBaseURL = "https://api.groq.com/openai/v1"

// Provider calls Groq's OpenAI-compatible Chat Completions API. It is safe for concurrent use.
type Provider struct{ core *oaicompat.Core }

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider whose default model is model (e.g.
// "llama-3.3-70b-versatile"). The key comes from providers.WithAPIKey or
// GROQ_API_KEY, the endpoint from providers.WithBaseURL, GROQ_BASE_URL or
// [DefaultBaseURL]. No OPENAI_* variable is read.
func New(model string, opts ...providers.Option) *Provider {
	return &Provider{core: oaicompat.New(spec, model, opts)}
}

var spec = oaicompat.Spec{
	Name:           Name,
	DefaultBaseURL: DefaultBaseURL,
	APIKeyEnv:      []string{"GROQ_API_KEY"},
	BaseURLEnv:     []string{"GROQ_BASE_URL"},
	// Groq documents max_completion_tokens and deprecates max_tokens.
	TokenLimit: oaicompat.MaxCompletionTokens,
	// Groq decodes json_schema strictly only on its GPT-OSS models; others
	// match a schema at best, or reject response_format json_schema, and
	// none takes it beside tools. A forced tool works on every model that
	// calls tools.
	CapsFor: func(model string) lower.Caps {
		if strings.HasPrefix(model, "openai/gpt-oss-") {
			return lower.GroqGPTOSS
		}
		return lower.Groq
	},
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
