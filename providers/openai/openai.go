package openai

import (
	"context"
	"iter"

	"github.com/openai/openai-go/v3/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Name is the gen_ai.provider.name of the service.
const Name = "openai"

// DefaultBaseURL is the endpoint used when neither providers.WithBaseURL nor
// OPENAI_BASE_URL sets one.
const DefaultBaseURL = "https://api.openai.com/v1"

// Provider calls OpenAI's Chat Completions API. It is safe for concurrent use.
type Provider struct{ core *oaicompat.Core }

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider whose default model is model. The key comes from
// providers.WithAPIKey or OPENAI_API_KEY, the endpoint from
// providers.WithBaseURL, OPENAI_BASE_URL or [DefaultBaseURL]; OPENAI_ORG_ID
// and OPENAI_PROJECT_ID, when set, add the OpenAI-Organization and
// OpenAI-Project headers. No other environment variable is read.
func New(model string, opts ...providers.Option) *Provider {
	spec := oaicompat.Spec{
		Name:           Name,
		Caps:           lower.OpenAI,
		DefaultBaseURL: DefaultBaseURL,
		APIKeyEnv:      []string{"OPENAI_API_KEY"},
		BaseURLEnv:     []string{"OPENAI_BASE_URL"},
		TokenLimit:     oaicompat.MaxCompletionTokens,
		Batch:          &oaicompat.OpenAIBatch,
		ClientOptions: func(cfg *providers.Config) ([]option.RequestOption, bool) {
			o := []option.RequestOption{option.WithBaseURL(cfg.BaseURL)}
			if cfg.APIKey != "" {
				o = append(o, option.WithAPIKey(cfg.APIKey))
			}
			if v, _ := providerkit.Env("OPENAI_ORG_ID"); v != "" {
				o = append(o, option.WithOrganization(v))
			}
			if v, _ := providerkit.Env("OPENAI_PROJECT_ID"); v != "" {
				o = append(o, option.WithProject(v))
			}
			return o, false
		},
	}
	return &Provider{core: oaicompat.New(spec, model, opts)}
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.core.Info() }

// Call sends req and returns the whole response; Response.Raw is the SDK's
// *openai.ChatCompletion.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.core.Call(ctx, req)
}

// Stream sends req when ranging starts, asking for usage in the last event;
// Chunk.Raw is the SDK's *openai.ChatCompletionChunk.
func (p *Provider) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.core.Stream(ctx, req)
}

var _ providerkit.Batcher = (*Provider)(nil)

// SubmitBatch implements [providerkit.Batcher] (use package batch): the
// requests go up as one JSONL file through the Files API and become a job
// of the Batch API on /v1/chat/completions, 24-hour window. A job takes at
// most 50,000 requests and 200 MB, all for one model; more, or several
// models, is refused before any upload, and the caller splits the prompts
// across jobs.
func (p *Provider) SubmitBatch(ctx context.Context, reqs []providerkit.BatchRequest) (string, error) {
	return p.core.SubmitBatch(ctx, reqs)
}

// BatchStatus implements [providerkit.Batcher].
func (p *Provider) BatchStatus(ctx context.Context, id string) (providerkit.BatchStatus, error) {
	return p.core.BatchStatus(ctx, id)
}

// BatchResults implements [providerkit.Batcher]: the output file, then the
// error file, streamed line by line; Response.Raw is the *openai.ChatCompletion.
func (p *Provider) BatchResults(ctx context.Context, id string) iter.Seq2[providerkit.BatchResult, error] {
	return p.core.BatchResults(ctx, id)
}

// CancelBatch implements [providerkit.Batcher].
func (p *Provider) CancelBatch(ctx context.Context, id string) error {
	return p.core.CancelBatch(ctx, id)
}
