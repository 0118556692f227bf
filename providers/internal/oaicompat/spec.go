package oaicompat

import (
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// TokenLimit names the request field a service reads as the bound on
// generated tokens.
type TokenLimit int

const (
	// MaxCompletionTokens sends max_completion_tokens, OpenAI's current field
	// (max_tokens is deprecated there and rejected by reasoning models).
	MaxCompletionTokens TokenLimit = iota
	// MaxTokens sends the older max_tokens, for services that know no other.
	MaxTokens
)

// Spec describes one OpenAI-compatible service: everything in which the six
// providers differ.
type Spec struct {
	// Name is the gen_ai.provider.name value.
	Name string
	// DefaultBaseURL is used when neither an option nor BaseURLEnv sets one.
	DefaultBaseURL string
	// APIKeyEnv and BaseURLEnv are the environment variables read, in order.
	APIKeyEnv  []string
	BaseURLEnv []string
	// KeyOptional lets calls go out without a key (a local proxy).
	KeyOptional bool
	// TokenLimit is the wire field for Params.MaxTokens.
	TokenLimit TokenLimit
	// NoStreamOptions leaves stream_options out of streamed requests, for a
	// service that rejects the field and reports usage unasked.
	NoStreamOptions bool
	// ReasoningNotInCompletion says completion_tokens leaves out
	// completion_tokens_details.reasoning_tokens (xAI: total = prompt +
	// completion + reasoning), so the core adds them back: OutputTokens
	// counts every generated token, as OpenAI's completion_tokens does.
	ReasoningNotInCompletion bool
	// CacheWrites reads the prompt-cache writes LiteLLM reports for
	// Anthropic-backed models into Usage.CacheWriteTokens: the usage's
	// cache_creation_input_tokens, or else
	// prompt_tokens_details.cache_creation_tokens (LiteLLM counts them
	// inside prompt_tokens already, as it does cache reads).
	CacheWrites bool
	// SeedField is the wire name of Params.Seed when it is not "seed".
	SeedField string
	// MistralContent sends media in Mistral's content chunks where they
	// differ from OpenAI's: input_audio the base64 bytes themselves, a
	// document by URL as document_url (which Caps must then allow).
	MistralContent bool
	// Caps is what the service can do (see lower.Caps); CapsFor, when
	// set, picks it by model instead.
	Caps    lower.Caps
	CapsFor func(model string) lower.Caps
	// RequestIDHeaders are the response headers that carry the service's
	// request id, in order of preference.
	RequestIDHeaders []string
	// ClientOptions, when set, points the SDK at the service and
	// authenticates it, replacing the default base URL + bearer key. It sees
	// the Config after the environment fallbacks, and reports whether the
	// SDK will bypass cfg.Client()'s transport (then the core installs the
	// same policy, cfg.Middleware, as SDK middleware instead).
	ClientOptions func(cfg *providers.Config) (opts []option.RequestOption, bypassTransport bool)
	// Batch is the service's Batch API (Files + Batches); nil: it has none,
	// and the Core's batch methods refuse.
	Batch *BatchSpec
}

// ParamEdit changes the SDK's request parameters. A provider package stores
// one in Request.Extensions, under a key of its own unexported type, for each
// of its service-specific CallOptions; the core applies every ParamEdit it
// finds there.
type ParamEdit func(*openai.ChatCompletionNewParams)

// OptionEdit adds SDK request options (e.g. a JSON field the SDK's params
// type lacks). Stored in Request.Extensions like [ParamEdit].
type OptionEdit func() []option.RequestOption
