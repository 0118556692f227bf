package azure_test

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
	"github.com/mirascope-go/mirascope/providers/azure"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

const dir = "../../testdata/azure"

func checkAPIKey(t *testing.T, h http.Header) {
	assert.Equal(t, oaitest.TestKey, h.Get("Api-Key"))
	assert.Empty(t, h.Get("Authorization"))
}

func TestSuite(t *testing.T) {
	oaitest.Run(t, service())
}

func TestTraced(t *testing.T) { oaitest.RunTraced(t, service()) }

func TestTracedTools(t *testing.T) { oaitest.RunTracedTools(t, service()) }

func service() oaitest.Service {
	return oaitest.Service{
		Name:      "azure.ai.openai",
		Media:     oaitest.Media{Audio: true, Documents: true, Detail: true, ImageTypes: []string{"image/jpeg", "image/png", "image/gif", "image/webp"}, DocumentTypes: []string{"application/pdf"}},
		Model:     "gpt-4o-mini",
		New:       func(m string, o ...providers.Option) mirascope.Provider { return azure.New(m, o...) },
		Dir:       dir,
		TLS:       true,
		PathFor:   func(m string) string { return "/openai/deployments/" + m + "/chat/completions" },
		Query:     "api-version=2024-10-21",
		CheckAuth: checkAPIKey,
		EnvVars:   []string{"AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "OPENAI_API_VERSION"},
		KeyEnv:    "AZURE_OPENAI_API_KEY",
		Header: http.Header{
			"Apim-Request-Id": {"6f0e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},
			"X-Request-Id":    {"b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"},
			"X-Ms-Region":     {"East US"},
		},
		RequestID: "6f0e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
		WantCall: mirascope.Response{
			Content:       "Consider \"The Way of Kings\" by Brandon Sanderson.",
			ID:            "chatcmpl-BfT8g6Ph3Bu4VaCd5E7f9G1h3I5j",
			Model:         "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 61, OutputTokens: 13},
		},
		WantStream: mirascope.Response{
			Content:       "Consider \"The Way of Kings\".",
			ID:            "chatcmpl-BfT8i8Rj5Dw6XcEf7G9h1I3j5K7l",
			Model:         "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 61, OutputTokens: 7},
		},
		WantToolCall: mirascope.Response{
			ID:    "chatcmpl-AZx7TqW2nL9cV4bK1mZ8rY3sD6fH0",
			Model: "gpt-4o-mini-2024-07-18",
			Usage: mirascope.Usage{InputTokens: 98, OutputTokens: 52},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_Az1kT9vLmN2pR7sW1yB4cD6f", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_Az8uE5oA0iZ3gK6nM9qP2tV7", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantToolStream: mirascope.Response{
			ID:    "chatcmpl-AZy8UrX3oM0dW5cL2nA9sZ4tE7gJ1",
			Usage: mirascope.Usage{InputTokens: 98, OutputTokens: 52},
			ToolCalls: []prompt.ToolCall{
				{ID: "call_Az4nB8rY2eK6mP0sL3vX9cQ1", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`},
				{ID: "call_Az7hJ1uZ5aN9oG3iT6kR0wE4", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
			},
		},
		WantExtract: mirascope.Response{
			Content:       `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`,
			FinishReasons: []string{"stop"},
			Usage:         mirascope.Usage{InputTokens: 112, OutputTokens: 19},
		},
		WantError: mirascope.ProviderError{
			Code:    "DeploymentNotFound",
			Message: "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
		},
	}
}

// A plain-HTTP loopback endpoint (a local test server, the example's offline
// mode) works too: the SDK then dials directly, and the provider still adds
// its headers and reports every attempt.
func TestLoopbackHTTP(t *testing.T) {
	h := http.Header{"Retry-After": {"0"}}
	srv := oaitest.NewServer(t, false, oaitest.JSON(429, h, oaitest.Fixture(t, dir, "error.json")), oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "call.json")))
	t.Setenv("AZURE_OPENAI_ENDPOINT", srv.URL)
	t.Setenv("AZURE_OPENAI_API_KEY", oaitest.TestKey)
	t.Setenv("OPENAI_API_VERSION", "2025-01-01-preview")
	p := azure.New("my-deployment", providers.WithHeader("X-Team", "search"))
	resp, err := p.Call(context.Background(), oaitest.SimpleRequest())
	require.NoError(t, err)
	assert.Equal(t, "Consider \"The Way of Kings\" by Brandon Sanderson.", resp.Content)
	seen := srv.Requests()
	require.Len(t, seen, 2)
	assert.Equal(t, "/openai/deployments/my-deployment/chat/completions", seen[1].Path)
	assert.Equal(t, "api-version=2025-01-01-preview", seen[1].Query)
	checkAPIKey(t, seen[1].Header)
	assert.Equal(t, "search", seen[1].Header.Get("X-Team"))
	assert.Equal(t, 2, resp.Attempts)
}

func TestModelInference(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "call.json")))
	t.Setenv("AZURE_INFERENCE_ENDPOINT", srv.URL+"/models")
	t.Setenv("AZURE_INFERENCE_CREDENTIAL", oaitest.TestKey)
	p := azure.New("Mistral-Large-2411", azure.WithModelInference())
	assert.Equal(t, "azure.ai.inference", p.Info().Name)
	mt := 100
	req := oaitest.SimpleRequest()
	req.Params.MaxTokens = &mt
	_, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	seen := srv.Requests()[0]
	assert.Equal(t, "/models/chat/completions", seen.Path)
	assert.Equal(t, "api-version=2024-05-01-preview", seen.Query)
	checkAPIKey(t, seen.Header)
	assert.JSONEq(t, `{"model":"Mistral-Large-2411","messages":[{"role":"user","content":"Recommend a fantasy book."}],"max_tokens":100}`, string(seen.Body))
}

func TestMissingEndpoint(t *testing.T) {
	t.Setenv("AZURE_OPENAI_ENDPOINT", "")
	p := azure.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey))
	_, err := p.Call(context.Background(), oaitest.SimpleRequest())
	require.Error(t, err)
	assert.EqualError(t, err, "mirascope: azure.ai.openai: endpoint: none set (set AZURE_OPENAI_ENDPOINT or pass providers.WithBaseURL)")
	// A configuration failure users can name (it was an internal type).
	var ce *providers.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "endpoint", ce.Setting)
	assert.ErrorIs(t, err, providers.ErrInvalidConfig)
}

func TestAPIVersionOption(t *testing.T) {
	srv := oaitest.NewServer(t, true, oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "call.json")))
	t.Setenv("OPENAI_API_VERSION", "2024-06-01")
	p := azure.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL),
		providers.WithHTTPClient(srv.Client()), azure.WithAPIVersion("2025-04-01-preview"))
	_, err := p.Call(context.Background(), oaitest.SimpleRequest())
	require.NoError(t, err)
	assert.Equal(t, "api-version=2025-04-01-preview", srv.Requests()[0].Query)
}

// The model-inference endpoint takes tools, tool_choice and strict
// json_schema in OpenAI's shape.
func TestModelInferenceToolsAndFormat(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "extract.json")))
	t.Setenv("AZURE_INFERENCE_ENDPOINT", srv.URL+"/models")
	t.Setenv("AZURE_INFERENCE_CREDENTIAL", oaitest.TestKey)
	p := azure.New("Mistral-Large-2411", azure.WithModelInference())
	req := oaitest.ExtractRequest()
	req.Tools = oaitest.Tools()
	req.ToolChoice = mirascope.ToolChoiceRequired
	resp, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(srv.Requests()[0].Body, &body))
	assert.JSONEq(t, `"required"`, string(body["tool_choice"]))
	var want map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(oaitest.Fixture(t, dir, "tool_call_request.json"), &want))
	assert.JSONEq(t, string(want["tools"]), string(body["tools"]))
	assert.JSONEq(t, `{"type":"json_schema","json_schema":{"name":"book","description":"A book the reader mentions","strict":true,"schema":`+string(oaitest.BookFormat().Schema)+`}}`, string(body["response_format"]))
	assert.Equal(t, `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`, resp.Content)
}

// The model-inference endpoint takes images (with the detail hint) and
// input_audio, and no file parts: a PDF is refused before any request.
func TestModelInferenceMedia(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "call.json")))
	t.Setenv("AZURE_INFERENCE_ENDPOINT", srv.URL+"/models")
	t.Setenv("AZURE_INFERENCE_CREDENTIAL", oaitest.TestKey)
	p := azure.New("Phi-4-multimodal-instruct", azure.WithModelInference())
	media := oaitest.Media{Audio: true, Detail: true}
	_, err := p.Call(context.Background(), oaitest.MediaRequest(media))
	require.NoError(t, err)
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(srv.Requests()[0].Body, &body))
	assert.JSONEq(t, oaitest.MediaMessages(t, media), string(body["messages"]))

	_, err = p.Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.DocumentData(oaitest.PDF, ""))}})
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, &mirascope.UnsupportedError{Provider: "azure.ai.inference", Parameter: "document from bytes", Reason: "Chat Completions takes no document"}, ue)
	assert.Len(t, srv.Requests(), 1, "no request for the refused call")
}
