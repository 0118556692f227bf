package openai

import (
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat"
)

type reasoningEffortKey struct{}
type responseFormatKey struct{}

// ResponseFormat is the shape a model is asked to answer in.
type ResponseFormat string

const (
	// ResponseFormatText is free text, the default.
	ResponseFormatText ResponseFormat = "text"
	// ResponseFormatJSON is JSON mode: the answer is a JSON object. The
	// prompt itself must mention JSON, as OpenAI requires.
	ResponseFormatJSON ResponseFormat = "json_object"
)

// WithReasoningEffort sets reasoning_effort for reasoning models ("minimal",
// "low", "medium", "high", …, as the model accepts).
func WithReasoningEffort(effort string) mirascope.CallOption {
	return func(r *mirascope.Request) {
		set(r, reasoningEffortKey{}, oaicompat.ParamEdit(func(p *openai.ChatCompletionNewParams) {
			p.ReasoningEffort = shared.ReasoningEffort(effort)
		}))
	}
}

// WithResponseFormat sets response_format; [ResponseFormatJSON] turns on
// JSON mode.
func WithResponseFormat(f ResponseFormat) mirascope.CallOption {
	return func(r *mirascope.Request) {
		set(r, responseFormatKey{}, oaicompat.ParamEdit(func(p *openai.ChatCompletionNewParams) {
			switch f {
			case ResponseFormatJSON:
				p.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
			default:
				p.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfText: &shared.ResponseFormatTextParam{}}
			}
		}))
	}
}

func set(r *mirascope.Request, key, v any) {
	if r.Extensions == nil {
		r.Extensions = make(map[any]any)
	}
	r.Extensions[key] = v
}
