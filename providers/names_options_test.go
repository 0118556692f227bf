package providers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/azure"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/cohere"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/groq"
	"github.com/mirascope-go/mirascope/providers/litellm"
	"github.com/mirascope-go/mirascope/providers/mistral"
	"github.com/mirascope-go/mirascope/providers/openai"
	"github.com/mirascope-go/mirascope/providers/xai"
)

// Every provider package names its service with Name, the value its Info
// reports by default.
func TestEveryPackageExportsName(t *testing.T) {
	names := map[string]string{
		"openai": openai.Name, "azure.ai.openai": azure.Name, "groq": groq.Name, "x_ai": xai.Name,
		"mistral_ai": mistral.Name, "litellm": litellm.Name, "anthropic": anthropic.Name,
		"gcp.gemini": google.Name, "cohere": cohere.Name, "aws.bedrock": bedrock.Name,
	}
	seen := 0
	for _, s := range services(t) {
		name, ok := names[s.name]
		if !ok {
			continue // azure.ai.inference: azure.NameInference, by option
		}
		seen++
		assert.Equal(t, name, s.new("http://127.0.0.1:1").Info().Name)
	}
	assert.Equal(t, len(names), seen)
}

// The options the OpenAI-wire providers share are each reachable from every
// such provider's own package, and reach its wire; reasoning is the one
// mirascope.WithReasoning everywhere.
func TestSharedOptionsFromEachPackage(t *testing.T) {
	own := map[string]func(openai.ResponseFormat) mirascope.CallOption{
		"openai":          openai.WithResponseFormat,
		"azure.ai.openai": azure.WithResponseFormat,
		"groq":            groq.WithResponseFormat,
		"x_ai":            xai.WithResponseFormat,
		"mistral_ai":      mistral.WithResponseFormat,
		"litellm":         litellm.WithResponseFormat,
	}
	// One type across the packages: a value of one is a value of another.
	assert.Equal(t, groq.ResponseFormatJSON, openai.ResponseFormatJSON)
	for _, s := range services(t) {
		o, ok := own[s.name]
		if !ok {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 400, "stop here", nil, false)
			req := hello()
			mirascope.WithReasoning(mirascope.ReasoningLow)(req)
			o(groq.ResponseFormatJSON)(req)
			_, _ = s.new(srv.URL).Call(context.Background(), req)
			assert.Contains(t, srv.body(0), `"reasoning_effort":"low"`)
			assert.Contains(t, srv.body(0), `"response_format":{"type":"json_object"}`)
		})
	}
	// Azure's model-inference endpoint refuses reasoning_effort.
	req := hello()
	mirascope.WithReasoning(mirascope.ReasoningLow)(req)
	_, err := azure.New("Phi-4", providers.WithAPIKey(testSecret), providers.WithBaseURL("http://127.0.0.1:1"),
		azure.WithModelInference()).Call(context.Background(), req)
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithReasoning", ue.Parameter)
}

// A history a provider cannot map (a tool call whose arguments are no JSON,
// a tool result that answers no call) is refused before any request with a
// *mirascope.UnsupportedError, never a plain error or a ProviderError with
// status 0; a provider that sends such a history as it is lets the service
// answer.
func TestUnmappableHistoryIsATypedRefusal(t *testing.T) {
	histories := map[string][]prompt.Message{
		"arguments not JSON": {prompt.User("hi"),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "c1", Name: "f", Arguments: "{not json"}}},
			prompt.ToolResult("c1", "x")},
		"result of no call": {prompt.User("hi"), prompt.Assistant("ok"), prompt.ToolResult("c9", "x")},
	}
	for _, s := range services(t) {
		for name, msgs := range histories {
			t.Run(s.name+"/"+name, func(t *testing.T) {
				srv := newErrorServer(t, s, 400, "bad history", nil, false)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL, providers.WithMaxRetries(0)), &mirascope.Request{Messages: msgs})
				if srv.n.Load() > 0 {
					return // sent as it is; the service's answer is a ProviderError with its status
				}
				for _, err := range []error{callErr, streamErr} {
					var ue *mirascope.UnsupportedError
					require.ErrorAs(t, err, &ue)
					assert.Equal(t, s.name, ue.Provider)
				}
			})
		}
	}
}
