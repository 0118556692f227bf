package google

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/auth/credentials"
	"cloud.google.com/go/auth/httptransport"
	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

const (
	// Name is the gen_ai.provider.name of the Gemini API.
	Name = "gcp.gemini"
	// VertexName is the gen_ai.provider.name of Vertex AI.
	VertexName = "gcp.vertex_ai"
	// DefaultBaseURL is the Gemini API endpoint; the SDK appends v1beta/.
	DefaultBaseURL = "https://generativelanguage.googleapis.com"
)

// The variables read for the Gemini API key, in order, and for the endpoints.
var envAPIKeys = []string{"GEMINI_API_KEY", "GOOGLE_API_KEY"}

const (
	envGeminiBaseURL = "GOOGLE_GEMINI_BASE_URL"
	envVertexBaseURL = "GOOGLE_VERTEX_BASE_URL"
)

var vertexKey = providerkit.NewOptionKey("google.WithVertex", Name, VertexName)

type vertexConfig struct{ project, location string }

// WithVertex sends the calls to Vertex AI in project and location (e.g.
// "us-central1", or "global") instead of the Gemini API. Authentication is
// Application Default Credentials, unless providers.WithAPIKey gives a
// Vertex AI API key; GEMINI_API_KEY and GOOGLE_API_KEY are not read. The
// provider then reports gen_ai.provider.name "gcp.vertex_ai".
func WithVertex(project, location string) providers.Option {
	return func(c *providers.Config) { c.SetExtra(vertexKey, vertexConfig{project, location}) }
}

// Provider calls the Gemini API (or Vertex AI, see [WithVertex]) through
// google.golang.org/genai. It is safe for concurrent use; create it once with
// [New] and reuse it.
type Provider struct {
	model    string
	apiKey   string
	vertex   *vertexConfig
	gate     lower.Gate
	timeout  time.Duration
	redactor *providerkit.Redactor
	info     mirascope.ProviderInfo

	base    string
	cfg     *providerkit.Config // for the ADC client, built on first use
	httpc   *http.Client
	once    sync.Once
	client  *genai.Client
	initErr error

	// A batch's requests go through clients of their own (the Gemini API
	// only): batchHTTP and batchc are unpaced by the rate limiter (a batch
	// spends none of the model's quota); createc sends a job's creation
	// again only when nothing was done (see providerkit.BatchCreateTraffic).
	// The SDK clients are built on first use.
	batchHTTP, createHTTP *http.Client
	batchOnce             sync.Once
	batchc, createc       *genai.Client
	batchErr              error
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// New returns a provider whose default model is model, e.g.
// "gemini-2.0-flash-001". The Gemini API key comes from providers.WithAPIKey,
// else GEMINI_API_KEY, else GOOGLE_API_KEY; the endpoint from
// providers.WithBaseURL, else GOOGLE_GEMINI_BASE_URL (GOOGLE_VERTEX_BASE_URL
// with Vertex), else the service's own.
func New(model string, opts ...providers.Option) *Provider {
	cfg := providerkit.NewConfig(opts...)
	p := &Provider{model: model, timeout: cfg.CallTimeout()}
	name := Name
	if v, ok := cfg.Extra[vertexKey].(vertexConfig); ok {
		p.vertex = &v
		name = VertexName
		cfg.BaseURLFromEnv(vertexBaseURL(v.location), envVertexBaseURL)
	} else {
		cfg.APIKeyFromEnv(envAPIKeys...)
		cfg.BaseURLFromEnv(DefaultBaseURL, envGeminiBaseURL)
	}
	p.apiKey = cfg.APIKey
	var noKey error
	if p.vertex == nil {
		noKey = lower.MissingKey(Name, cfg.APIKey, envAPIKeys...)
	}
	p.gate = lower.NewGate(name, cfg.Check(name), noKey)
	p.redactor = cfg.Redactor()
	p.base = strings.TrimRight(cfg.BaseURL, "/") + "/"
	p.info = mirascope.ProviderInfo{Name: name, Model: model}
	p.info.ServerAddress, p.info.ServerPort = providerkit.HostPort(cfg.BaseURL)
	// genai retries nothing unless HTTPOptions.RetryOptions is set (it is
	// not): the shared transport does.
	p.cfg = cfg
	p.httpc = cfg.Client()
	p.batchHTTP = cfg.ClientFor(providerkit.BatchTraffic)
	p.createHTTP = cfg.ClientFor(providerkit.BatchCreateTraffic)
	return p
}

func vertexBaseURL(location string) string {
	if location == "" || location == "global" {
		return "https://aiplatform.googleapis.com"
	}
	return "https://" + location + "-aiplatform.googleapis.com"
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.info }

// genaiClient checks what stops req from going out (a configuration error,
// a missing key, another provider's CallOption) and builds the SDK client on
// first use: Vertex AI's credentials are looked up then, not in New.
func (p *Provider) genaiClient(req *mirascope.Request) (*genai.Client, error) {
	if err := p.gate.Ready(req); err != nil {
		return nil, err
	}
	p.once.Do(func() { p.client, p.initErr = p.newClient(p.httpc) })
	return p.client, p.initErr
}

// newClient builds an SDK client whose requests go through hc (with
// Vertex AI and no key, through Application Default Credentials over the
// model's client instead).
func (p *Provider) newClient(hc *http.Client) (*genai.Client, error) {
	cc := &genai.ClientConfig{
		APIKey: p.apiKey,
		// Explicit, so GOOGLE_GENAI_USE_VERTEXAI cannot switch backends.
		Backend:     genai.BackendGeminiAPI,
		HTTPClient:  hc,
		HTTPOptions: genai.HTTPOptions{BaseURL: p.base},
	}
	if p.vertex != nil {
		cc.Backend = genai.BackendVertexAI
		cc.Project, cc.Location = p.vertex.project, p.vertex.location
		if p.apiKey == "" {
			hc, err := p.adcClient()
			if err != nil {
				return nil, err
			}
			cc.HTTPClient = hc
		}
	}
	c, err := genai.NewClient(context.Background(), cc)
	if err != nil {
		return nil, p.setupErr(err)
	}
	return c, nil
}

// adcClient adds Application Default Credentials under the retrying
// transport, so each attempt carries a fresh token.
func (p *Provider) adcClient() (*http.Client, error) {
	creds, err := credentials.DetectDefault(&credentials.DetectOptions{
		Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"},
	})
	if err != nil {
		return nil, p.setupErr(err)
	}
	var base http.RoundTripper
	if p.cfg.HTTPClient != nil {
		base = p.cfg.HTTPClient.Transport
	}
	authed, err := httptransport.NewClient(&httptransport.Options{
		Credentials:      creds,
		BaseRoundTripper: base,
		// otel.Traced records the call; no HTTP spans of the SDK's own.
		DisableTelemetry: true,
	})
	if err != nil {
		return nil, p.setupErr(err)
	}
	hc := http.Client{Transport: authed.Transport}
	if p.cfg.HTTPClient != nil {
		hc = *p.cfg.HTTPClient
		hc.Transport = authed.Transport
	}
	return p.cfg.WithClient(&hc).Client(), nil
}

// setupErr reports a failure to build the SDK client (no credentials, a
// setting the SDK refuses) as the configuration failure it is. The SDK
// prints its whole ClientConfig, API key included, into such errors: only
// the text before it is kept, with the key masked, and the SDK's error is
// not wrapped.
func (p *Provider) setupErr(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "ClientConfig:"); i >= 0 {
		msg = strings.TrimRight(msg[:i], " .")
	}
	msg = p.redactor.String(msg)
	return &providers.ConfigError{Provider: p.info.Name, Setting: "SDK client", Reason: msg}
}
