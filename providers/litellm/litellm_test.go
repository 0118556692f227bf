package litellm_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/litellm"
)

func TestSuite(t *testing.T) {
	oaitest.Run(t, service())
}

func TestTraced(t *testing.T) { oaitest.RunTraced(t, service()) }

func TestTracedTools(t *testing.T) { oaitest.RunTracedTools(t, service()) }

func service() oaitest.Service {
	return oaitest.Service{
		Name:    "litellm",
		Media:   oaitest.Media{Audio: true, Documents: true, Detail: true},
		Model:   "gpt-4o-mini",
		New:     func(m string, o ...providers.Option) mirascope.Provider { return litellm.New(m, o...) },
		Dir:     "../../testdata/litellm",
		PathFor: func(string) string { return "/chat/completions" },
		CheckAuth: func(t *testing.T, h http.Header) {
			assert.Equal(t, "Bearer "+oaitest.TestKey, h.Get("Authorization"))
		},
		EnvVars: []string{"LITELLM_API_KEY", "LITELLM_BASE_URL"},
		Header: http.Header{
			"X-Litellm-Call-Id":       {"4c2e8a1f-6b3d-4f9e-a7c5-1d0b3e5f7a9c"},
			"X-Litellm-Model-Id":      {"a1b2c3d4e5f6"},
			"X-Litellm-Response-Cost": {"1.74e-05"},
		},
		RequestID: "4c2e8a1f-6b3d-4f9e-a7c5-1d0b3e5f7a9c",
		WantCall: mirascope.Response{
			Content:       "Try \"The Fifth Season\" by N. K. Jemisin.",
			ID:            "chatcmpl-BfT6c2Ld9Xq0RwYz1A3b5C7d9E1f",
			Model:         "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 60, OutputTokens: 14},
		},
		WantStream: mirascope.Response{
			Content:       "Try \"The Fifth Season\".",
			ID:            "chatcmpl-BfT6e4Nf1Zs2TyAb3C5d7E9f1G3h",
			Model:         "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 60, OutputTokens: 8},
		},
		WantToolCall: mirascope.Response{
			ID:    "chatcmpl-LIx7TqW2nL9cV4bK1mZ8rY3sD6fH0",
			Model: "gpt-4o-mini-2024-07-18",
			Usage: mirascope.Usage{InputTokens: 96, OutputTokens: 52},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_Lt1kT9vLmN2pR7sW1yB4cD6f", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_Lt8uE5oA0iZ3gK6nM9qP2tV7", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantToolStream: mirascope.Response{
			ID:    "chatcmpl-LIy8UrX3oM0dW5cL2nA9sZ4tE7gJ1",
			Usage: mirascope.Usage{InputTokens: 96, OutputTokens: 52},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_Lt4nB8rY2eK6mP0sL3vX9cQ1", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_Lt7hJ1uZ5aN9oG3iT6kR0wE4", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantExtract: mirascope.Response{
			Content:       `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`,
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 110, OutputTokens: 19},
		},
		WantError: mirascope.ProviderError{
			Code:    "429",
			Type:    "throttling_error",
			Message: "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o-mini. Received Model Group=gpt-4o-mini\nAvailable Model Group Fallbacks=None",
		},
	}
}

func TestDefaults(t *testing.T) {
	t.Setenv("LITELLM_BASE_URL", "")
	t.Setenv("LITELLM_API_KEY", "")
	p := litellm.New("gpt-4o-mini")
	assert.Equal(t, mirascope.ProviderInfo{Name: "litellm", Model: "gpt-4o-mini", ServerAddress: "localhost", ServerPort: 4000}, p.Info())
}
