package oaicompat

import (
	"encoding/json"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// The gen_ai.provider.name of each OpenAI-wire provider, for the owners of
// the options they share.
const (
	nameOpenAI         = "openai"
	nameAzureOpenAI    = "azure.ai.openai"
	nameAzureInference = "azure.ai.inference"
	nameGroq           = "groq"
	nameXAI            = "x_ai"
	nameMistral        = "mistral_ai"
	nameLiteLLM        = "litellm"
)

var allNames = []string{nameOpenAI, nameAzureOpenAI, nameAzureInference, nameGroq, nameXAI, nameMistral, nameLiteLLM}

var (
	extraBodyKey      = providerkit.NewOptionKey("WithExtraBody", allNames...)
	responseFormatKey = providerkit.NewOptionKey("WithResponseFormat", allNames...)
)

// WithExtraBody is the shared implementation of each OpenAI-wire package's
// WithExtraBody: fields are set at the top level of the request body
// through the SDK's own SetExtraFields, over any field of the same name.
// Calls merge their maps; later keys win.
func WithExtraBody(fields map[string]any) mirascope.CallOption {
	return providerkit.MergeFields(extraBodyKey, fields)
}

// applyExtraBody runs after every other mapping, so that its fields win.
func applyExtraBody(req *mirascope.Request, p *openai.ChatCompletionNewParams) {
	if all := providerkit.FieldsOver(req, extraBodyKey, p.ExtraFields()); all != nil {
		p.SetExtraFields(all)
	}
}

// WithReasoningEffort is mirascope.WithReasoning under its older name: the
// level goes out as reasoning_effort where lower's Caps say the service
// takes it (lower.oaiReasoning), and is refused elsewhere.
func WithReasoningEffort(effort string) mirascope.CallOption {
	return mirascope.WithReasoning(mirascope.ReasoningEffort(effort))
}

// ResponseFormat is the shape a model is asked to answer in; each
// OpenAI-wire package exports it under its own name.
type ResponseFormat string

// The response formats every OpenAI-wire service takes.
const (
	ResponseFormatText ResponseFormat = "text"
	ResponseFormatJSON ResponseFormat = "json_object"
)

// WithResponseFormat is the shared implementation of each OpenAI-wire
// package's WithResponseFormat.
func WithResponseFormat(f ResponseFormat) mirascope.CallOption {
	return WithJSONMode(f == ResponseFormatJSON)
}

// WithJSONMode sets response_format: {"type":"json_object"} when on, else
// {"type":"text"}.
func WithJSONMode(on bool) mirascope.CallOption {
	return func(r *mirascope.Request) {
		value := "text"
		if on {
			value = "json_object"
		}
		set(r, responseFormatKey, edit{value, func(p *openai.ChatCompletionNewParams) {
			if on {
				p.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
			} else {
				p.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfText: &shared.ResponseFormatTextParam{}}
			}
		}})
	}
}

// edit is a ParamEdit that carries the value it sets, and encodes as that
// value: a request's settings stay visible to whatever records requests
// (providers/replay matches on them).
type edit struct {
	value any
	apply ParamEdit
}

func (e edit) MarshalJSON() ([]byte, error) { return json.Marshal(e.value) }

func set(r *mirascope.Request, key, v any) {
	if r.Extensions == nil {
		r.Extensions = make(map[any]any)
	}
	r.Extensions[key] = v
}
