package openai

import (
	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

// ResponseFormat is the shape a model is asked to answer in. It is one type
// across the OpenAI-wire packages (groq.ResponseFormat is the same).
type ResponseFormat = oaicompat.ResponseFormat

const (
	// ResponseFormatText is free text, the default.
	ResponseFormatText = oaicompat.ResponseFormatText
	// ResponseFormatJSON is JSON mode: the answer is a JSON object. The
	// prompt itself must mention JSON, as OpenAI requires.
	ResponseFormatJSON = oaicompat.ResponseFormatJSON
)

// WithReasoningEffort is mirascope.WithReasoning(mirascope.ReasoningEffort(effort)),
// kept as a thin alias: reasoning_effort for reasoning models ("minimal",
// "low", "medium", "high", …, as the model accepts) on every OpenAI-wire
// provider whose service documents the field: openai, azure (Azure
// OpenAI), groq, xai, mistral and litellm; the Azure AI model-inference
// endpoint refuses it with mirascope.ErrUnsupportedParameter. Prefer
// mirascope.WithReasoning, which every provider maps.
func WithReasoningEffort(effort string) mirascope.CallOption {
	return oaicompat.WithReasoningEffort(effort)
}

// WithResponseFormat sets response_format; [ResponseFormatJSON] turns on
// JSON mode. It applies to every OpenAI-wire provider.
func WithResponseFormat(f ResponseFormat) mirascope.CallOption {
	return oaicompat.WithResponseFormat(f)
}

// WithExtraBody sets request body fields the library does not model
// (logprobs, penalties, a service's own fields), at the top level of the
// JSON body, through openai-go's SetExtraFields: a field of the same name
// set otherwise is replaced. Calls merge their maps; later keys win. It
// applies to every OpenAI-wire provider; the values are sent, never
// recorded on a span.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return oaicompat.WithExtraBody(fields)
}
