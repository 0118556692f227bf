package xai_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/xai"
)

func TestSuite(t *testing.T) {
	oaitest.Run(t, service())
}

func TestTraced(t *testing.T) { oaitest.RunTraced(t, service()) }

func TestTracedTools(t *testing.T) { oaitest.RunTracedTools(t, service()) }

func service() oaitest.Service {
	return oaitest.Service{
		Name:    "x_ai",
		Media:   oaitest.Media{Detail: true, ImageTypes: []string{"image/jpeg", "image/png"}},
		Model:   "grok-3-mini",
		New:     func(m string, o ...providers.Option) mirascope.Provider { return xai.New(m, o...) },
		Dir:     "../../testdata/xai",
		PathFor: func(string) string { return "/chat/completions" },
		CheckAuth: func(t *testing.T, h http.Header) {
			assert.Equal(t, "Bearer "+oaitest.TestKey, h.Get("Authorization"))
		},
		EnvVars:   []string{"XAI_API_KEY", "XAI_BASE_URL"},
		KeyEnv:    "XAI_API_KEY",
		Header:    http.Header{"X-Request-Id": {"0b7e5d3c-9a1f-4e2b-8c6d-3f5a7b9c1d2e"}},
		RequestID: "0b7e5d3c-9a1f-4e2b-8c6d-3f5a7b9c1d2e",
		WantCall: mirascope.Response{
			Content:       "\"The Hobbit\" by J.R.R. Tolkien is a timeless fantasy adventure.",
			ID:            "3f0c9a52-7e1d-4b8a-9c26-d41f5e8b7a03",
			Model:         "grok-3-mini",
			FinishReasons: []string{"stop"},
			// completion_tokens 15 + reasoning_tokens 238.
			Usage: mirascope.Usage{InputTokens: 57, OutputTokens: 253, CacheReadTokens: 8, ReasoningTokens: 238},
		},
		WantStream: mirascope.Response{
			Content:       "Try \"The Hobbit\".",
			ID:            "9b1d4e7a-2c5f-4a8b-b3e6-1f0d7c9a5e24",
			Model:         "grok-3-mini",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 57, OutputTokens: 144, ReasoningTokens: 136},
		},
		WantToolCall: mirascope.Response{
			ID:    "5e2b8c71-4a9d-4f36-b0e1-9c7d3a5f2e84",
			Model: "grok-3-mini",
			Usage: mirascope.Usage{InputTokens: 412, OutputTokens: 260, ReasoningTokens: 212},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_50248291", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_50248292", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantToolStream: mirascope.Response{
			ID:    "a81f3d6c-2e9b-4c57-8d10-6b4e9f2a7c35",
			Usage: mirascope.Usage{InputTokens: 412, OutputTokens: 228, ReasoningTokens: 180},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_71930564", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_71930565", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantExtract: mirascope.Response{
			Content:       `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`,
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 140, OutputTokens: 178, ReasoningTokens: 156},
		},
		WantError: mirascope.ProviderError{
			Code:    "Client specified an invalid argument",
			Message: "Model grok-9 does not exist or your team 0c5d1a2b does not have access to it.",
		},
	}
}

func TestDefaults(t *testing.T) {
	t.Setenv("XAI_BASE_URL", "")
	p := xai.New("grok-3-mini", providers.WithAPIKey("xai-test"))
	assert.Equal(t, mirascope.ProviderInfo{Name: "x_ai", Model: "grok-3-mini", ServerAddress: "api.x.ai", ServerPort: 443}, p.Info())
}
