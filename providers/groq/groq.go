package groq

import (
	"context"
	"iter"
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Name is the gen_ai.provider.name of the service.
const Name = "groq"

// DefaultBaseURL is the endpoint used when neither providers.WithBaseURL nor
// GROQ_BASE_URL sets one.
const DefaultBaseURL = "https://api.groq.com/openai/v1"

// Provider calls Groq's OpenAI-compatible Chat Completions API. It is safe for concurrent use.
type Provider struct{ core *oaicompat.Core }

var (
	_ mirascope.Provider  = (*Provider)(nil)
	_ mirascope.Streamer  = (*Provider)(nil)
	_ providerkit.Batcher = (*Provider)(nil)
)

// New returns a provider whose default model is model (e.g.
// "llama-3.3-70b-versatile"). The key comes from providers.WithAPIKey or
// GROQ_API_KEY, the endpoint from providers.WithBaseURL, GROQ_BASE_URL or
// [DefaultBaseURL]. No OPENAI_* variable is read.
func New(model string, opts ...providers.Option) *Provider {
	s, bs := spec, batchSpec
	s.Batch = &bs
	return &Provider{core: oaicompat.New(s, model, opts)}
}

// The Batch API's limits per job (Groq's batch guide: input files of at
// most 50,000 lines and 200 MB): a job over either is refused before
// anything is uploaded; the caller splits the prompts.
const (
	MaxBatchRequests = 50_000
	MaxBatchBytes    = 200 << 20
)

// batchSpec is Groq's Batch API. Groq takes windows from 24h to 7d; 24h is
// OpenAI's, and what package batch documents. A variable for tests.
var batchSpec = oaicompat.BatchSpec{URL: "/v1/chat/completions", MaxRequests: MaxBatchRequests, MaxBytes: MaxBatchBytes, Window: "24h"}

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

// SubmitBatch implements [providerkit.Batcher] (use package batch): the
// requests go up as one JSONL file through Groq's Files API
// (/openai/v1/files) and become a job of its Batch API on
// /v1/chat/completions, 24-hour window. A job takes at most
// [MaxBatchRequests] requests and [MaxBatchBytes] bytes; more is refused
// before any upload, and the caller splits the prompts across jobs.
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
