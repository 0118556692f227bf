package xai

import (
	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

// The options the OpenAI-wire providers share, reachable from this package
// too: each is the one implementation openai's options are. Reasoning is
// mirascope.WithReasoning, on every provider.

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

// WithResponseFormat sets response_format; [ResponseFormatJSON] turns on
// JSON mode.
func WithResponseFormat(f ResponseFormat) mirascope.CallOption {
	return oaicompat.WithResponseFormat(f)
}
