package google

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/auth/credentials"
	"cloud.google.com/go/auth/httptransport"
	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
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

type vertexKey struct{}

type vertexConfig struct{ project, location string }

// WithVertex sends the calls to Vertex AI in project and location (e.g.
// "us-central1", or "global") instead of the Gemini API. Authentication is
// Application Default Credentials, unless providers.WithAPIKey gives a
// Vertex AI API key; GEMINI_API_KEY and GOOGLE_API_KEY are not read. The
// provider then reports gen_ai.provider.name "gcp.vertex_ai".
func WithVertex(project, location string) providers.Option {
	return func(c *providers.Config) { c.SetExtra(vertexKey{}, vertexConfig{project, location}) }
}

// Provider calls the Gemini API (or Vertex AI, see [WithVertex]) through
// google.golang.org/genai. It is safe for concurrent use; create it once with
// [New] and reuse it.
type Provider struct {
	model   string
	apiKey  string
	vertex  *vertexConfig
	timeout time.Duration
	info    mirascope.ProviderInfo

	base    string
	httpc   *http.Client
	once    sync.Once
	client  *genai.Client
	initErr error

	sigs signatures
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
	cfg := providers.NewConfig(opts...)
	p := &Provider{model: model, timeout: cfg.CallTimeout()}
	name := Name
	if v, ok := cfg.Extra[vertexKey{}].(vertexConfig); ok {
		p.vertex = &v
		name = VertexName
		cfg.BaseURLFromEnv(vertexBaseURL(v.location), envVertexBaseURL)
	} else {
		cfg.APIKeyFromEnv(envAPIKeys...)
		cfg.BaseURLFromEnv(DefaultBaseURL, envGeminiBaseURL)
	}
	p.apiKey = cfg.APIKey
	p.base = strings.TrimRight(cfg.BaseURL, "/") + "/"
	p.info = serverInfo(p.base)
	p.info.Name = name
	p.info.Model = model

	hc := cfg.Client()
	hc.Transport = &retryTransport{base: hc.Transport, retries: cfg.Retries()}
	p.httpc = hc
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

// genaiClient builds the SDK client on first use: Vertex AI's credentials are
// looked up then, not in New.
func (p *Provider) genaiClient() (*genai.Client, error) {
	if p.vertex == nil && p.apiKey == "" {
		return nil, &providers.MissingAPIKeyError{Provider: Name, EnvVars: envAPIKeys}
	}
	p.once.Do(func() { p.client, p.initErr = p.newClient() })
	return p.client, p.initErr
}

func (p *Provider) newClient() (*genai.Client, error) {
	cc := &genai.ClientConfig{
		APIKey: p.apiKey,
		// Explicit, so GOOGLE_GENAI_USE_VERTEXAI cannot switch backends.
		Backend:     genai.BackendGeminiAPI,
		HTTPClient:  p.httpc,
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
	rt := p.httpc.Transport.(*retryTransport)
	authed, err := httptransport.NewClient(&httptransport.Options{
		Credentials:      creds,
		BaseRoundTripper: rt.base,
		// otel.Traced records the call; no HTTP spans of the SDK's own.
		DisableTelemetry: true,
	})
	if err != nil {
		return nil, p.setupErr(err)
	}
	hc := *p.httpc
	hc.Transport = &retryTransport{base: authed.Transport, retries: rt.retries}
	return &hc, nil
}

// setupErr reports a failure to build the SDK client. The SDK prints its
// whole ClientConfig, API key included, into such errors: only the text
// before it is kept, with the key masked, and the SDK's error is not
// wrapped.
func (p *Provider) setupErr(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "ClientConfig:"); i >= 0 {
		msg = strings.TrimRight(msg[:i], " .")
	}
	msg = redact(msg, p.apiKey)
	return &mirascope.ProviderError{Provider: p.info.Name, Message: msg, Err: errSetup}
}

var errSetup = fmt.Errorf("genai client setup failed")

func redact(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[REDACTED]")
}

func (p *Provider) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.timeout > 0 {
		return context.WithTimeout(ctx, p.timeout)
	}
	return context.WithCancel(ctx)
}

// serverInfo fills ServerAddress and ServerPort from a base URL.
func serverInfo(base string) mirascope.ProviderInfo {
	var info mirascope.ProviderInfo
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return info
	}
	info.ServerAddress = u.Hostname()
	if port := u.Port(); port != "" {
		info.ServerPort, _ = strconv.Atoi(port)
	} else if u.Scheme == "https" {
		info.ServerPort = 443
	} else if u.Scheme == "http" {
		info.ServerPort = 80
	}
	return info
}
