package bedrock

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	controlplane "github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/auth/bearer"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Name is the gen_ai.provider.name of Amazon Bedrock.
const Name = "aws.bedrock"

const name = Name

// bearerEnv is the variable holding a Bedrock API key.
const bearerEnv = "AWS_BEARER_TOKEN_BEDROCK"

// credentialEnvVars name the usual ways to give AWS credentials, for the
// missing-credentials error.
var credentialEnvVars = []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", bearerEnv}

var (
	regionKey      = providerkit.NewOptionKey("bedrock.WithRegion", name)
	credentialsKey = providerkit.NewOptionKey("bedrock.WithCredentials", name)
)

// WithRegion sets the AWS region (e.g. "us-east-1"), instead of AWS_REGION,
// AWS_DEFAULT_REGION or the profile's region.
func WithRegion(region string) providers.Option {
	return func(c *providers.Config) { c.SetExtra(regionKey, region) }
}

// WithCredentials sets the AWS credentials, instead of the default chain
// (environment, shared files, SSO, container and instance roles), e.g.
// credentials.NewStaticCredentialsProvider for tests. A nil provider is
// ignored.
func WithCredentials(p aws.CredentialsProvider) providers.Option {
	return func(c *providers.Config) {
		if p != nil {
			c.SetExtra(credentialsKey, p)
		}
	}
}

// Provider sends requests to Amazon Bedrock's Converse and ConverseStream
// APIs. It is safe for concurrent use; create one and reuse it.
type Provider struct {
	model    string
	client   *bedrockruntime.Client
	creds    aws.CredentialsProvider // nil with a bearer token
	bearer   bool
	err      error // a configuration error, returned by every Call and Stream
	timeout  time.Duration
	redactor *providerkit.Redactor
	info     mirascope.ProviderInfo

	// Batch inference (batch.go): the control-plane and S3 clients, and
	// the storage WithBatchStorage names (nil: batches are refused).
	control    *controlplane.Client
	s3         *s3.Client
	storage    *batchStorage
	storageErr error // a malformed WithBatchStorage, returned by SubmitBatch
}

var (
	_ mirascope.Provider = (*Provider)(nil)
	_ mirascope.Streamer = (*Provider)(nil)
)

// errNoRegion is returned when no region is configured anywhere: without
// one the SDK would sign for an empty region and the service would refuse.
var errNoRegion = &providers.ConfigError{Provider: name, Setting: "region",
	Reason: "none set (set AWS_REGION or AWS_DEFAULT_REGION, name a profile region, or pass bedrock.WithRegion)"}

// New returns a provider for a Bedrock model id or inference profile (e.g.
// "anthropic.claude-3-5-haiku-20241022-v1:0", "us.amazon.nova-lite-v1:0").
// The AWS configuration is loaded once, here, from the default chain; an
// error in it (no region, a broken profile) is returned by every Call and
// Stream.
func New(model string, opts ...providers.Option) *Provider {
	cfg := providerkit.NewConfig(opts...)
	cfg.APIKeyFromEnv(bearerEnv)
	p := &Provider{model: model, timeout: cfg.CallTimeout(), redactor: cfg.Redactor(), info: mirascope.ProviderInfo{Name: name, Model: model}}
	if err := cfg.Check(name); err != nil {
		p.err = err
		return p
	}
	if o, ok := cfg.Extra[batchStorageKey].(batchStorageOption); ok {
		p.storage, p.storageErr = o.parse()
	}

	var load []func(*config.LoadOptions) error
	if r, _ := cfg.Extra[regionKey].(string); r != "" {
		load = append(load, config.WithRegion(r))
	}
	if c, _ := cfg.Extra[credentialsKey].(aws.CredentialsProvider); c != nil {
		load = append(load, config.WithCredentialsProvider(c))
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background(), load...)
	if err != nil {
		p.err = &providers.ConfigError{Provider: name, Setting: "AWS configuration", Reason: p.redactor.String(err.Error()), Err: err}
		return p
	}
	if awsCfg.Region == "" {
		p.err = errNoRegion
	}
	// The SDK's own client carries what the config asks of the transport
	// (AWS_CA_BUNDLE, ca_bundle); handing LoadDefaultConfig a plain
	// *http.Client instead makes it fail when a CA bundle is set.
	if cfg.HTTPClient == nil {
		if bc, ok := awsCfg.HTTPClient.(*awshttp.BuildableClient); ok {
			cfg.HTTPClient = &http.Client{Transport: bc.GetTransport()}
		}
	}
	hc := cfg.Client()
	hc.Transport = detachBody{base: hc.Transport}
	p.bearer = cfg.APIKey != ""
	p.creds = awsCfg.Credentials
	key := cfg.APIKey
	p.client = bedrockruntime.NewFromConfig(awsCfg, func(o *bedrockruntime.Options) {
		if cfg.BaseURL != "" {
			o.BaseEndpoint = aws.String(cfg.BaseURL)
		}
		if key != "" {
			o.BearerAuthTokenProvider = bearer.StaticTokenProvider{Token: bearer.Token{Value: key}}
			o.AuthSchemePreference = []string{"httpBearerAuth"}
		}
		o.HTTPClient = hc
		// The shared transport of cfg.Client retries; the SDK's retryer
		// (3 attempts, its own back-off and client-side rate limiting)
		// is replaced by one that never retries, whatever AWS_MAX_ATTEMPTS
		// or the profile say.
		o.Retryer = aws.NopRetryer{}
		o.RetryMaxAttempts = 0
	})
	p.info.ServerAddress, p.info.ServerPort = server(cfg.BaseURL, awsCfg.Region)
	p.batchClients(cfg, awsCfg)
	return p
}

// Info describes the provider for telemetry.
func (p *Provider) Info() mirascope.ProviderInfo { return p.info }

// ready returns the configuration error, or a missing-credentials error,
// before any request is made.
func (p *Provider) ready(ctx context.Context, req *mirascope.Request) error {
	if err := lower.NewGate(name, p.err).Ready(req); err != nil {
		return err
	}
	if p.bearer {
		return nil
	}
	return p.sigv4Ready(ctx, credentialEnvVars)
}

// sigv4Ready checks that AWS credentials resolve, and masks their secrets
// in every answer and error; envVars are those the missing-credentials
// error names.
func (p *Provider) sigv4Ready(ctx context.Context, envVars []string) error {
	missing := &providers.MissingAPIKeyError{Provider: name, EnvVars: envVars}
	if p.creds == nil {
		return missing
	}
	// The config's provider caches, so this costs a lookup after the first call.
	creds, err := p.creds.Retrieve(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return p.transportError(ctx, err)
		}
		return p.redactor.Error(errors.Join(missing, err))
	}
	// The secret never goes on the wire, the session token does; an
	// answer or an error that quotes either is masked.
	p.redactor.Add(creds.SecretAccessKey, creds.SessionToken)
	return nil
}

// server is the base URL's host and port, else the regional endpoint.
func server(base, region string) (string, int) {
	if base != "" {
		return providerkit.HostPort(base)
	}
	if region == "" {
		return "", 0
	}
	return "bedrock-runtime." + region + ".amazonaws.com", 443
}
