package openai_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/openai"
)

func service() oaitest.Service {
	return oaitest.Service{
		Name:    "openai",
		Media:   oaitest.Media{Audio: true, Documents: true, Detail: true, ImageTypes: []string{"image/jpeg", "image/png", "image/gif", "image/webp"}, DocumentTypes: []string{"application/pdf"}},
		Model:   "gpt-4o-mini",
		New:     func(m string, o ...providers.Option) mirascope.Provider { return openai.New(m, o...) },
		Dir:     "../../testdata/openai",
		PathFor: func(string) string { return "/chat/completions" },
		CheckAuth: func(t *testing.T, h http.Header) {
			assert.Equal(t, "Bearer "+oaitest.TestKey, h.Get("Authorization"))
		},
		EnvVars:   []string{"OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"},
		KeyEnv:    "OPENAI_API_KEY",
		Header:    http.Header{"X-Request-Id": {"req_7c2b1f0e9a8d4c3b"}, "Openai-Processing-Ms": {"412"}},
		RequestID: "req_7c2b1f0e9a8d4c3b",
		WantCall: mirascope.Response{
			Content:       "Try \"The Name of the Wind\" by Patrick Rothfuss: a lyrical, character-driven fantasy about a gifted young musician and magician.",
			ID:            "chatcmpl-BfT3kq8ZrX2vQm1yLpW7aN4cD9eH0",
			Model:         "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 61, OutputTokens: 31, CacheReadTokens: 32},
		},
		WantStream: mirascope.Response{
			Content:       "Try \"The Name of the Wind\".",
			ID:            "chatcmpl-BfT4aW1xYc8dQ2rLmN5oP7sT3uV6",
			Model:         "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 61, OutputTokens: 9},
		},
		WantToolCall: mirascope.Response{
			ID:    "chatcmpl-OPx7TqW2nL9cV4bK1mZ8rY3sD6fH0",
			Model: "gpt-4o-mini-2024-07-18",
			Usage: mirascope.Usage{InputTokens: 98, OutputTokens: 52, CacheReadTokens: 64},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_Qx3kT9vLmN2pR7sW1yB4cD6f", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_Hj8uE5oA0iZ3gK6nM9qP2tV7", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantToolStream: mirascope.Response{
			ID:    "chatcmpl-OPy8UrX3oM0dW5cL2nA9sZ4tE7gJ1",
			Usage: mirascope.Usage{InputTokens: 98, OutputTokens: 52},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_Wt4nB8rY2eK6mP0sL3vX9cQ1", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_Fd7hJ1uZ5aN9oG3iT6kR0wE4", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantExtract: mirascope.Response{
			Content:       `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`,
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 112, OutputTokens: 19},
		},
		WantError: mirascope.ProviderError{
			Code:    "rate_limit_exceeded",
			Type:    "tokens",
			Message: "Rate limit reached for gpt-4o-mini in organization org-test on tokens per min (TPM): Limit 200000, Used 199912, Requested 214. Please try again in 37ms.",
		},
		WantStreamError: &mirascope.ProviderError{
			Type:      "server_error",
			Message:   "The server had an error while processing your request. Sorry about that!",
			Retryable: true,
		},
	}
}

func TestSuite(t *testing.T) { oaitest.Run(t, service()) }

func TestTraced(t *testing.T) { oaitest.RunTraced(t, service()) }

func TestTracedTools(t *testing.T) { oaitest.RunTracedTools(t, service()) }

func TestEnvironment(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, "../../testdata/openai", "call.json")))
	t.Setenv("OPENAI_API_KEY", "sk-env-key")
	t.Setenv("OPENAI_BASE_URL", srv.URL)
	t.Setenv("OPENAI_ORG_ID", "org-test")
	t.Setenv("OPENAI_PROJECT_ID", "proj_test")
	t.Setenv("OPENAI_CUSTOM_HEADERS", "X-Leak: yes")
	p := openai.New("gpt-4o-mini")
	_, err := p.Call(context.Background(), oaitest.SimpleRequest())
	require.NoError(t, err)
	h := srv.Requests()[0].Header
	assert.Equal(t, "Bearer sk-env-key", h.Get("Authorization"))
	assert.Equal(t, "org-test", h.Get("OpenAI-Organization"))
	assert.Equal(t, "proj_test", h.Get("OpenAI-Project"))
	assert.Empty(t, h.Get("X-Leak"))
	assert.Equal(t, "openai", p.Info().Name)
}

func TestDefaultEndpoint(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "")
	p := openai.New("gpt-4o-mini", providers.WithAPIKey("sk-test-key"))
	assert.Equal(t, mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o-mini", ServerAddress: "api.openai.com", ServerPort: 443}, p.Info())
}

func TestCallOptions(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, "../../testdata/openai", "call.json")))
	p := openai.New("o4-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
	req := oaitest.SimpleRequest()
	openai.WithReasoningEffort("low")(req)
	openai.WithResponseFormat(openai.ResponseFormatJSON)(req)
	_, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	assert.JSONEq(t, `{"model":"o4-mini","messages":[{"role":"user","content":"Recommend a fantasy book."}],
		"reasoning_effort":"low","response_format":{"type":"json_object"}}`, string(srv.Requests()[0].Body))
}

func TestInsufficientQuotaIsNotRetryable(t *testing.T) {
	body := []byte(`{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`)
	srv := oaitest.NewServer(t, false, oaitest.JSON(429, nil, body))
	p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
	_, err := p.Call(context.Background(), oaitest.SimpleRequest())
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.False(t, pe.Retryable)
	assert.Equal(t, "insufficient_quota", pe.Code)
	assert.Len(t, srv.Requests(), 1, "an exhausted quota is not retried")
}

// A Format and WithResponseFormat both decide the answer's shape: together
// they are refused, before any request, rather than one silently winning.
func TestFormatAndResponseFormatConflict(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, "../../testdata/openai", "call.json")))
	p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
	req := oaitest.ExtractRequest()
	openai.WithResponseFormat(openai.ResponseFormatJSON)(req)
	_, err := p.Call(context.Background(), req)
	require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	assert.EqualError(t, err, "mirascope: openai: WithResponseFormat is not supported: a structured-output Format already sets the response format; use one or the other")
	assert.Empty(t, srv.Requests())
}

// The schema goes out in strict mode's subset: every property required, the
// optional ones nullable, no other properties. One strict mode cannot
// express goes out as written, with strict off.
func TestFormatStrictSchema(t *testing.T) {
	for _, tc := range []struct {
		name, schema, wire string
		strict             bool
	}{
		{"made strict",
			`{"type":"object","properties":{"title":{"type":"string"},"year":{"type":"integer"}},"required":["title"]}`,
			`{"type":"object","properties":{"title":{"type":"string"},"year":{"type":["integer","null"]}},"required":["title","year"],"additionalProperties":false}`,
			true},
		{"a map stays as written",
			`{"type":"object","properties":{"ratings":{"type":"object","additionalProperties":{"type":"integer"}}}}`,
			`{"type":"object","properties":{"ratings":{"type":"object","additionalProperties":{"type":"integer"}}}}`,
			false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, "../../testdata/openai", "extract.json")))
			p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
			req := oaitest.ExtractRequest()
			req.Format.Schema = json.RawMessage(tc.schema)
			_, err := p.Call(context.Background(), req)
			require.NoError(t, err)
			var body struct {
				ResponseFormat struct {
					JSONSchema struct {
						Schema json.RawMessage `json:"schema"`
						Strict bool            `json:"strict"`
					} `json:"json_schema"`
				} `json:"response_format"`
			}
			require.NoError(t, json.Unmarshal(srv.Requests()[0].Body, &body))
			assert.Equal(t, tc.wire, string(body.ResponseFormat.JSONSchema.Schema), "property order kept")
			assert.Equal(t, tc.strict, body.ResponseFormat.JSONSchema.Strict)
		})
	}
}
