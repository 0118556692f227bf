package groq_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/groq"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

func TestSuite(t *testing.T) {
	oaitest.Run(t, service())
}

func TestTraced(t *testing.T) { oaitest.RunTraced(t, service()) }

func TestTracedTools(t *testing.T) { oaitest.RunTracedTools(t, service()) }

func service() oaitest.Service {
	return oaitest.Service{
		Name:    "groq",
		Media:   oaitest.Media{},
		Model:   "llama-3.3-70b-versatile",
		New:     func(m string, o ...providers.Option) mirascope.Provider { return groq.New(m, o...) },
		Dir:     "../../testdata/groq",
		PathFor: func(string) string { return "/chat/completions" },
		CheckAuth: func(t *testing.T, h http.Header) {
			assert.Equal(t, "Bearer "+oaitest.TestKey, h.Get("Authorization"))
		},
		EnvVars:   []string{"GROQ_API_KEY", "GROQ_BASE_URL"},
		KeyEnv:    "GROQ_API_KEY",
		Header:    http.Header{"X-Request-Id": {"req_01jx2k7w8vf5q9r3t6y1m4n0pz"}, "X-Ratelimit-Remaining-Requests": {"14399"}},
		RequestID: "req_01jx2k7w8vf5q9r3t6y1m4n0pz",
		WantCall: mirascope.Response{
			Content:       "I recommend \"Mistborn: The Final Empire\" by Brandon Sanderson.",
			ID:            "chatcmpl-5c1e0a7e-2f4b-4d8a-9b1e-7f3c2d6a8e41",
			Model:         "llama-3.3-70b-versatile",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 58, OutputTokens: 17},
		},
		WantStream: mirascope.Response{
			Content:       "Read \"Mistborn\" by Brandon Sanderson.",
			ID:            "chatcmpl-8e2d4f6a-1b3c-4e5f-a7b9-0c2d4e6f8a1b",
			Model:         "llama-3.3-70b-versatile",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 58, OutputTokens: 12},
		},
		WantToolCall: mirascope.Response{
			ID:    "chatcmpl-3b7e1f2a-9c4d-4e8b-a1f6-2d5c8e0b7a94",
			Model: "llama-3.3-70b-versatile",
			Usage: mirascope.Usage{InputTokens: 331, OutputTokens: 41},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_4z9kq2wd", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_7m1xv8cs", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantToolStream: mirascope.Response{
			ID:    "chatcmpl-6d2a9e4b-7f1c-4b3e-9a8d-5c0f2e7b1d36",
			Usage: mirascope.Usage{InputTokens: 331, OutputTokens: 41},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_8r2nf5ht", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_1q6wy3jb", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantExtract: mirascope.Response{
			Content:       `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`,
			FinishReasons: []string{"tool_calls"},
			Usage:         mirascope.Usage{InputTokens: 264, OutputTokens: 33},
		},
		WantError: mirascope.ProviderError{
			Code:    "model_not_found",
			Type:    "invalid_request_error",
			Message: "The model `llama-9-huge` does not exist or you do not have access to it.",
		},
	}
}

func TestDefaults(t *testing.T) {
	t.Setenv("GROQ_BASE_URL", "")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1")
	p := groq.New("llama-3.3-70b-versatile", providers.WithAPIKey("gsk-test"))
	assert.Equal(t, mirascope.ProviderInfo{Name: "groq", Model: "llama-3.3-70b-versatile", ServerAddress: "api.groq.com", ServerPort: 443}, p.Info())
}
