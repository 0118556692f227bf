package azure

import (
	"context"
	"iter"

	"github.com/openai/openai-go/v3/azure"
	"github.com/openai/openai-go/v3/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The gen_ai.provider.name values of the two Azure services.
const (
	// NameOpenAI is Azure OpenAI (deployments on <resource>.openai.azure.com).
	NameOpenAI = "azure.ai.openai"
	// NameInference is the Azure AI model-inference endpoint (Azure AI
	// Foundry's /models route), chosen with [WithModelInference].
	NameInference = "azure.ai.inference"
	// Name is the name of the default service, Azure OpenAI, as every
	// provider package exports it.
	Name = NameOpenAI
)

// API versions sent when neither [WithAPIVersion] nor OPENAI_API_VERSION
// names one.
const (
	// DefaultAPIVersion is the newest generally available Azure OpenAI
	// data-plane version this package is tested against.
	DefaultAPIVersion = "2024-10-21"
	// DefaultInferenceAPIVersion is the Azure AI model-inference version.
	DefaultInferenceAPIVersion = "2024-05-01-preview"
)

// The Batch API's limits per job on Azure OpenAI (its batch limits: 100,000
// requests and 200 MB per input file): a job over either is refused before
// anything is uploaded; the caller splits the prompts.
const (
	MaxBatchRequests = 100_000
	MaxBatchBytes    = 200 << 20
)

// batchSpec is Azure OpenAI's Batch API on the classic api-version routes:
// every line names /chat/completions and, as its model, the Global-Batch
// deployment; the window is 24h, the only one Azure takes. A variable for
// tests.
var batchSpec = oaicompat.BatchSpec{URL: "/chat/completions", MaxRequests: MaxBatchRequests, MaxBytes: MaxBatchBytes, Window: "24h"}

var (
	apiVersionKey = providerkit.NewOptionKey("azure.WithAPIVersion", NameOpenAI, NameInference)
	inferenceKey  = providerkit.NewOptionKey("azure.WithModelInference", NameOpenAI, NameInference)
)

// WithAPIVersion sets the api-version query parameter, instead of
// OPENAI_API_VERSION or the default.
func WithAPIVersion(v string) providers.Option {
	return func(c *providers.Config) { c.SetExtra(apiVersionKey, v) }
}

// WithModelInference targets the Azure AI model-inference endpoint instead
// of Azure OpenAI: POST {endpoint}/chat/completions?api-version=… with the
// model named in the body (no deployment in the path), the key in the api-key
// header and max_tokens rather than max_completion_tokens. The endpoint and
// key then come from AZURE_INFERENCE_ENDPOINT (e.g.
// https://<resource>.services.ai.azure.com/models) and
// AZURE_INFERENCE_CREDENTIAL, and the span says azure.ai.inference.
func WithModelInference() providers.Option {
	return func(c *providers.Config) { c.SetExtra(inferenceKey, true) }
}

// Provider calls Azure OpenAI, or the Azure AI model-inference endpoint. It is
// safe for concurrent use.
type Provider struct{ core *oaicompat.Core }

var (
	_ mirascope.Provider  = (*Provider)(nil)
	_ mirascope.Streamer  = (*Provider)(nil)
	_ providerkit.Batcher = (*Provider)(nil)
)

// New returns a provider whose default model is model: for Azure OpenAI the
// deployment name, which openai-go's azure package moves into the path
// (/openai/deployments/{model}/chat/completions). The endpoint comes from
// providers.WithBaseURL or AZURE_OPENAI_ENDPOINT
// (https://<resource>.openai.azure.com), the key from providers.WithAPIKey or
// AZURE_OPENAI_API_KEY (sent as the api-key header), the api-version from
// [WithAPIVersion], OPENAI_API_VERSION or [DefaultAPIVersion]. There is no
// default endpoint: a call without one fails before any request. No other
// environment variable is read. A plain-HTTP endpoint is accepted only on
// loopback (a local test server).
func New(model string, opts ...providers.Option) *Provider {
	pre := providerkit.NewConfig(opts...)
	version, _ := pre.Extra[apiVersionKey].(string)
	inference, _ := pre.Extra[inferenceKey].(bool)
	var spec oaicompat.Spec
	if inference {
		if version == "" {
			version = DefaultInferenceAPIVersion
		}
		spec = oaicompat.Spec{
			Name:             NameInference,
			Caps:             lower.AzureInference,
			APIKeyEnv:        []string{"AZURE_INFERENCE_CREDENTIAL"},
			BaseURLEnv:       []string{"AZURE_INFERENCE_ENDPOINT"},
			TokenLimit:       oaicompat.MaxTokens,
			RequestIDHeaders: []string{"Apim-Request-Id", "X-Request-Id", "X-Ms-Request-Id"},
			ClientOptions: func(cfg *providers.Config) ([]option.RequestOption, bool) {
				o := []option.RequestOption{option.WithBaseURL(cfg.BaseURL), option.WithQuery("api-version", version)}
				if cfg.APIKey != "" {
					o = append(o, option.WithHeader("api-key", cfg.APIKey))
				}
				return o, false
			},
		}
	} else {
		if version == "" {
			version, _ = providerkit.Env("OPENAI_API_VERSION")
		}
		if version == "" {
			version = DefaultAPIVersion
		}
		bs := batchSpec
		spec = oaicompat.Spec{
			Batch:            &bs,
			Name:             NameOpenAI,
			Caps:             lower.AzureOpenAI,
			APIKeyEnv:        []string{"AZURE_OPENAI_API_KEY"},
			BaseURLEnv:       []string{"AZURE_OPENAI_ENDPOINT"},
			TokenLimit:       oaicompat.MaxCompletionTokens,
			RequestIDHeaders: []string{"Apim-Request-Id", "X-Request-Id", "X-Ms-Request-Id"},
			ClientOptions: func(cfg *providers.Config) ([]option.RequestOption, bool) {
				o := []option.RequestOption{azure.WithEndpoint(cfg.BaseURL, version)}
				if cfg.APIKey != "" {
					o = append(o, azure.WithAPIKey(cfg.APIKey))
				}
				// openai-go refuses to send Azure credentials over plain HTTP
				// except to loopback, and then dials directly, bypassing the
				// configured transport.
				if oaicompat.LoopbackHTTP(cfg.BaseURL) {
					o = append(o, azure.WithUnsafeAllowHTTP())
					return o, true
				}
				return o, false
			},
		}
	}
	return &Provider{core: oaicompat.New(spec, model, opts)}
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

// SubmitBatch implements [providerkit.Batcher] (use package batch): on
// Azure OpenAI the requests go up as one JSONL file through
// {endpoint}/openai/files and become a job of {endpoint}/openai/batches on
// /chat/completions, 24-hour window; the provider's model must name a
// Global-Batch (or Data-Zone-Batch) deployment. A job takes at most
// [MaxBatchRequests] requests and [MaxBatchBytes] bytes; more is refused
// before any upload, and the caller splits the prompts across jobs. The
// model-inference endpoint ([WithModelInference]) has no batch API: every
// batch method returns a [*mirascope.UnsupportedError].
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

// WithExtraBody sets request body fields the library does not model, at
// the top level of the JSON body, through openai-go's SetExtraFields (a
// field of the same name set otherwise is replaced). Calls merge their
// maps; later keys win. The values are sent, never recorded on a span.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return oaicompat.WithExtraBody(fields)
}
