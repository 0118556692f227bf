package mistral_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/mistral"
)

func TestSuite(t *testing.T) {
	oaitest.Run(t, service())
}

func TestTraced(t *testing.T) { oaitest.RunTraced(t, service()) }

func TestTracedTools(t *testing.T) { oaitest.RunTracedTools(t, service()) }

func service() oaitest.Service {
	return oaitest.Service{
		Name:    "mistral_ai",
		Media:   oaitest.Media{Mistral: true},
		Model:   "mistral-large-latest",
		New:     func(m string, o ...providers.Option) mirascope.Provider { return mistral.New(m, o...) },
		Dir:     "../../testdata/mistral",
		PathFor: func(string) string { return "/chat/completions" },
		CheckAuth: func(t *testing.T, h http.Header) {
			assert.Equal(t, "Bearer "+oaitest.TestKey, h.Get("Authorization"))
		},
		EnvVars:   []string{"MISTRAL_API_KEY", "MISTRAL_BASE_URL"},
		KeyEnv:    "MISTRAL_API_KEY",
		Header:    http.Header{"Mistral-Correlation-Id": {"0197a4c2-5e1b-7d3f-9a8c-2b4d6f8e0a1c"}, "X-Ratelimit-Remaining-Tokens-Minute": {"499000"}},
		RequestID: "0197a4c2-5e1b-7d3f-9a8c-2b4d6f8e0a1c",
		WantCall: mirascope.Response{
			Content:       "I suggest \"A Wizard of Earthsea\" by Ursula K. Le Guin.",
			ID:            "7d3c0e5f9a1b4c2d8e6f0a1b2c3d4e5f",
			Model:         "mistral-large-latest",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 64, OutputTokens: 18},
		},
		WantStream: mirascope.Response{
			Content:       "Read \"A Wizard of Earthsea\".",
			ID:            "e1f2a3b4c5d64e7f8a9b0c1d2e3f4a5b",
			Model:         "mistral-large-latest",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 64, OutputTokens: 9},
		},
		WantToolCall: mirascope.Response{
			ID:    "4b8e1d7c0a3f4e29b6c5d8a1f0e3b7c2",
			Model: "mistral-large-latest",
			Usage: mirascope.Usage{InputTokens: 187, OutputTokens: 46},
			ToolCalls: []prompt.ToolCall{
				{ID: "D681PevKs", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "k9Xw2LmQa", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantToolStream: mirascope.Response{
			ID:    "9c2f6a0e3b7d4d18a5e9c1b4f7a0d3e6",
			Usage: mirascope.Usage{InputTokens: 187, OutputTokens: 46},
			ToolCalls: []prompt.ToolCall{
				{ID: "pQ4rT8vZc", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "Yb3nH7jKe", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantExtract: mirascope.Response{
			Content:       `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`,
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 121, OutputTokens: 24},
		},
		WantError: mirascope.ProviderError{
			Code:    "1500",
			Type:    "invalid_model",
			Message: "Invalid model: mistral-huge-latest",
		},
	}
}

// Mistral's other error shapes: validation details as the message, and the
// gateway's bare message with a request id in the body.
func TestErrorShapes(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   mirascope.ProviderError
	}{
		{
			name:   "validation",
			status: 422,
			body:   `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]},"type":"invalid_request_message_error","param":null,"code":null}`,
			want: mirascope.ProviderError{Type: "invalid_request_message_error",
				Message: `{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]}`},
		},
		{
			name:   "unauthorized",
			status: 401,
			body:   `{"message":"Unauthorized","request_id":"5a1f9c3e7b2d4e6f8a0c1b3d5e7f9a2c"}`,
			want:   mirascope.ProviderError{Message: "Unauthorized", RequestID: "5a1f9c3e7b2d4e6f8a0c1b3d5e7f9a2c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oaitest.NewServer(t, false, oaitest.JSON(tt.status, nil, []byte(tt.body)))
			p := mistral.New("mistral-large-latest", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
			_, err := p.Call(context.Background(), oaitest.SimpleRequest())
			var pe *mirascope.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.status, pe.StatusCode)
			assert.Equal(t, tt.want.Message, pe.Message)
			assert.Equal(t, tt.want.Type, pe.Type)
			assert.Equal(t, tt.want.RequestID, pe.RequestID)
		})
	}
}

func TestDefaults(t *testing.T) {
	t.Setenv("MISTRAL_BASE_URL", "")
	p := mistral.New("mistral-large-latest", providers.WithAPIKey("test"))
	assert.Equal(t, mirascope.ProviderInfo{Name: "mistral_ai", Model: "mistral-large-latest", ServerAddress: "api.mistral.ai", ServerPort: 443}, p.Info())
}
