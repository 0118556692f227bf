package azure

import (
	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

// The options the OpenAI-wire providers share, reachable from this package
// too: each is the one implementation openai's options are.

// ResponseFormat is the shape a model is asked to answer in; the same type
// as openai.ResponseFormat.
type ResponseFormat = oaicompat.ResponseFormat

const (
	// ResponseFormatText is free text, the default.
	ResponseFormatText = oaicompat.ResponseFormatText
	// ResponseFormatJSON is JSON mode: the answer is a JSON object; the
	// prompt itself should mention JSON.
	ResponseFormatJSON = oaicompat.ResponseFormatJSON
)

// WithReasoningEffort sets reasoning_effort for reasoning models (Azure OpenAI deployments of reasoning models),
// as openai.WithReasoningEffort does.
// The Azure AI model-inference endpoint ([WithModelInference]) refuses it
// with mirascope.ErrUnsupportedParameter, before any request.
func WithReasoningEffort(effort string) mirascope.CallOption {
	return oaicompat.WithReasoningEffort(effort)
}

// WithResponseFormat sets response_format; [ResponseFormatJSON] turns on
// JSON mode.
func WithResponseFormat(f ResponseFormat) mirascope.CallOption {
	return oaicompat.WithResponseFormat(f)
}
