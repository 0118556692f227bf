package lower

import (
	"math"

	"github.com/mirascope-go/mirascope/prompt"
)

// Strategy is how a structured answer (a mirascope.Format) reaches a service.
type Strategy int

const (
	// Native: the service's own structured output, the schema adapted by
	// the Caps (keywords dropped into descriptions, objects closed).
	Native Strategy = iota + 1
	// Strict: OpenAI's strict json_schema; a schema strict mode cannot
	// express goes out with strict off (Format.Strict false).
	Strict
	// Tool: one more tool, named after the format and forced; its
	// arguments are the answer.
	Tool
)

// Caps is what a service can do, as data. A provider picks the value of its
// service (per model where the service differs by model); [Prepare] reads
// it, so what differs between services is written here and nowhere else.
type Caps struct {
	// Name is the gen_ai.provider.name refusals carry.
	Name string
	// API names the service's API in refusals of a parameter it lacks,
	// and ParamHint says what to use instead, when there is an escape hatch.
	API, ParamHint string

	// NamedChoice: the model can be made to call one named tool.
	NamedChoice bool
	// NoneChoice: the service has a "none" tool choice. Without one, tool
	// choice none is honoured by not offering the tools, which a service
	// allows only while the conversation holds no tool calls or results.
	NoneChoice bool

	// Format is how a Format goes out alone, FormatWithTools beside tools.
	Format, FormatWithTools Strategy
	// DropKeywords are moved from a native schema into its descriptions
	// (the answer is checked against them after decoding anyway).
	DropKeywords []string
	// RefuseKeywords make a native schema stating them a refusal: they have
	// no reading a description could keep.
	RefuseKeywords []string
	// CloseObjects: native structured output wants every object closed
	// (additionalProperties: false).
	CloseObjects bool

	// NoTemperature, NoTopP, NoSeed, NoStop: the API lacks the parameter.
	NoTemperature, NoTopP, NoSeed, NoStop bool
	// MaxStop bounds the number of stop sequences; 0: no bound known.
	MaxStop int
	// MaxTokens bounds max tokens where the wire's field is narrower than
	// an int; MaxTemperature is the highest temperature the service
	// documents; Seed32: the seed is a 32-bit integer. 0 or false: no
	// bound known (the service answers for itself).
	MaxTokens      int
	MaxTemperature float64
	Seed32         bool

	// SystemInline keeps system messages in place among the turns (the
	// OpenAI and Cohere wires); otherwise they are Plan.System.
	SystemInline bool

	// Media says which media kinds the service takes, from which sources
	// and of which types (media.go); a kind missing is one it does not take.
	Media map[prompt.MediaKind]Medium

	// Reasoning is the reasoning control the service takes, as this
	// library maps it (reasoning.go); none: a reasoning option is refused.
	Reasoning ReasoningCaps
}

// With returns a copy of c under another name (Azure's two endpoints,
// Vertex AI), sharing what the service can do.
func (c Caps) With(name string) Caps { c.Name = name; return c }

// The keyword lists, one per documented source.
var (
	// anthropicDropped: Anthropic's structured outputs reject numeric and
	// length bounds and property and item counts (minItems only 0 or 1);
	// Bedrock's Converse documents the same list for the Claude models.
	anthropicDropped = []string{
		"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
		"minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
	}
	// cohereDropped: the bounds Cohere's response_format documents as
	// unsupported; cohereRefused: composition it cannot read.
	cohereDropped = []string{
		"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
		"minItems", "maxItems", "minLength", "maxLength", "uniqueItems",
	}
	cohereRefused = []string{"allOf", "oneOf", "not"}
)

// oaiWire is the Chat Completions wire every OpenAI-wire service starts
// from. Strict mode drops keywords of its own (see jsonschema.Strict).
var oaiWire = Caps{
	API:         "Chat Completions",
	NamedChoice: true, NoneChoice: true,
	Format: Strict, FormatWithTools: Strict,
	SystemInline: true,
	Reasoning:    oaiReasoning,
}

// oaiReasoning is reasoning_effort, a level whose words each model
// defines (OpenAI: minimal to xhigh; Groq's qwen3: none, default), sent as
// written: OpenAI and Azure OpenAI (reasoning models), xAI (grok-3-mini and
// later), Groq (gpt-oss, qwen3), Mistral (mistral-small-latest,
// mistral-medium-3-5) document it and LiteLLM passes it on. A budget goes
// out as the level it maps to (see LevelFor).
var oaiReasoning = ReasoningCaps{Effort: true}

// The OpenAI-wire services. OpenAI documents up to 4 stop sequences;
// OpenAI, xAI and Groq a temperature from 0 to 2. Mistral's max_tokens and
// random_seed are 32-bit integers.
var (
	OpenAI      = withTemperature(withMedia(withStop(oaiWire.With("openai"), 4), openAIMedia), 2)
	AzureOpenAI = withTemperature(withMedia(withStop(oaiWire.With("azure.ai.openai"), 4), openAIMedia), 2)
	// The Azure AI model-inference endpoint rejects parameters it does
	// not define, reasoning_effort among them.
	AzureInference = withReasoning(withMedia(oaiWire.With("azure.ai.inference"), azureInferenceMedia), ReasoningCaps{})
	XAI            = withTemperature(withMedia(oaiWire.With("x_ai"), xaiMedia), 2)
	Mistral        = with32Bit(withMedia(oaiWire.With("mistral_ai"), mistralMedia))
	LiteLLM        = withMedia(oaiWire.With("litellm"), liteLLMMedia)
	// Groq's json_schema is best-effort except on its gpt-oss models, so a
	// Format goes through a forced tool elsewhere; with tools, always.
	Groq       = withTemperature(withMedia(withFormat(oaiWire.With("groq"), Tool, Tool), imageURLOnly), 2)
	GroqGPTOSS = withTemperature(withMedia(withFormat(oaiWire.With("groq"), Strict, Tool), imageURLOnly), 2)
)

// Anthropic is the Messages API (anthropic-sdk-go v2, whose API version
// takes no sampling parameters).
var Anthropic = Caps{
	Name: "anthropic", API: "the Messages API version 2026-10-21 (anthropic-sdk-go v2)",
	ParamHint:   "pass it with anthropic.WithExtraBody to a model that takes it",
	NamedChoice: true, NoneChoice: true,
	Format: Native, FormatWithTools: Native, DropKeywords: anthropicDropped, CloseObjects: true,
	NoTemperature: true, NoTopP: true, NoSeed: true,
	Media: anthropicMedia,
}

// Gemini is the Gemini API from Gemini 3 on, which combines function
// calling with a response schema; Gemini2 is the 1.x and 2.x models, which
// refuse the two together.
var (
	Gemini = Caps{
		Name: "gcp.gemini", API: "the Gemini API",
		NamedChoice: true, NoneChoice: true,
		Format: Native, FormatWithTools: Native,
		// maxOutputTokens and seed are 32-bit; temperature 0 to 2.
		MaxTokens: math.MaxInt32, Seed32: true, MaxTemperature: 2,
		Media: geminiMedia,
		// Gemini 3 takes thinkingConfig.thinkingLevel (its budget is kept
		// only for old code): a budget goes out as the level it maps to.
		Reasoning: ReasoningCaps{Effort: true, Levels: []string{"minimal", "low", "medium", "high"}},
	}
	// Gemini2 is Gemini 1.x and 2.0, which do not think; Gemini25 the 2.5
	// models, which take thinkingConfig.thinkingBudget only.
	Gemini2  = withReasoning(withFormat(Gemini, Native, Tool), ReasoningCaps{})
	Gemini25 = withReasoning(Gemini2, ReasoningCaps{Budget: true, MinBudget: 1})
)

// Vertex returns c (Gemini or Gemini2) as Vertex AI serves those models: the
// same but for the media sources (gs:// URLs, no Files API).
func (c Caps) Vertex() Caps {
	c.Name, c.API, c.Media = "gcp.vertex_ai", "Vertex AI", vertexMedia
	return c
}

// Bedrock is the Converse API.
var Bedrock = Caps{
	Name: "aws.bedrock", API: "Converse",
	ParamHint:   "pass it as the model's own field with bedrock.WithAdditionalModelRequestFields",
	NamedChoice: true,
	Format:      Native, FormatWithTools: Native, DropKeywords: anthropicDropped,
	NoSeed:    true,
	MaxTokens: math.MaxInt32, // inferenceConfig.maxTokens is 32-bit
	// inferenceConfig.temperature's documented range is 0 to 1 (and a
	// float32: a larger value would go out as Infinity).
	MaxTemperature: 1,
	Media:          bedrockMedia,
}

// Cohere is Chat v2: tool_choice REQUIRED or NONE, and a response_format
// that cannot sit beside tools.
var Cohere = Caps{
	Name: "cohere", API: "Chat v2",
	NoneChoice: true,
	Format:     Native, FormatWithTools: Tool, DropKeywords: cohereDropped, RefuseKeywords: cohereRefused,
	SystemInline: true,
	Media:        cohereMedia,
}

func withStop(c Caps, n int) Caps { c.MaxStop = n; return c }

func withTemperature(c Caps, max float64) Caps { c.MaxTemperature = max; return c }

// with32Bit: max tokens and the seed are 32-bit integers on the wire.
func with32Bit(c Caps) Caps { c.MaxTokens, c.Seed32 = math.MaxInt32, true; return c }

func withReasoning(c Caps, r ReasoningCaps) Caps { c.Reasoning = r; return c }

func withMedia(c Caps, m map[prompt.MediaKind]Medium) Caps { c.Media = m; return c }

func withFormat(c Caps, alone, withTools Strategy) Caps {
	c.Format, c.FormatWithTools = alone, withTools
	return c
}

// All is every Caps value, by a name for tests and tables.
var All = map[string]Caps{
	"openai": OpenAI, "azure.ai.openai": AzureOpenAI, "azure.ai.inference": AzureInference,
	"x_ai": XAI, "mistral_ai": Mistral, "litellm": LiteLLM, "groq": Groq, "groq gpt-oss": GroqGPTOSS,
	"anthropic": Anthropic, "gcp.gemini": Gemini, "gcp.gemini 2": Gemini2, "gcp.vertex_ai": Gemini.Vertex(), "aws.bedrock": Bedrock, "cohere": Cohere,
}
