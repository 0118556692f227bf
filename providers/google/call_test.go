package google_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestCall(t *testing.T) {
	t.Setenv("GOOGLE_GENAI_USE_VERTEXAI", "true") // must not switch the backend
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	p := newProvider(s, providers.WithHeader("X-Team", "search"))

	resp, err := mirascope.Call(bg, p, librarian{Genre: "scifi"},
		mirascope.WithMaxTokens(256), mirascope.WithTemperature(0.5), mirascope.WithTopP(0.75),
		mirascope.WithStop("END"), mirascope.WithSeed(42))
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/v1beta/models/gemini-2.0-flash-001:generateContent", r.Path)
	assert.Equal(t, testKey, r.Header.Get("X-Goog-Api-Key"))
	assert.Empty(t, r.Header.Get("Authorization"))
	assert.Equal(t, "search", r.Header.Get("X-Team"))
	assert.Equal(t, map[string]any{
		"contents": []any{
			map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Recommend a scifi book."}}},
		},
		// The SDK gives the system instruction the user role.
		"systemInstruction": map[string]any{"role": "user", "parts": []any{map[string]any{"text": "You are a librarian."}}},
		"generationConfig": map[string]any{
			"maxOutputTokens": float64(256),
			"temperature":     0.5,
			"topP":            0.75,
			"stopSequences":   []any{"END"},
			"seed":            float64(42),
		},
	}, r.JSON)

	assert.Equal(t, `I recommend "The Left Hand of Darkness" by Ursula K. Le Guin.`, resp.Content)
	assert.Equal(t, "mYZOaOKpLbKvnvgPl6-ioQM", resp.ID)
	assert.Equal(t, "gemini-2.0-flash-001", resp.Model)
	assert.Equal(t, []string{"STOP"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 120, OutputTokens: 30, CacheReadTokens: 100, ReasoningTokens: 10}, resp.Usage)
	assert.Equal(t, prompt.Assistant(resp.Content), resp.Message)
	assert.NotNil(t, resp.Raw)
}

func TestCallFunctions(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_function.json"), nil))
	p := newProvider(s)

	resp, err := p.Call(bg, &mirascope.Request{Model: "gemini-2.5-pro", Messages: []prompt.Message{
		prompt.User("Find a scifi book."),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{
			{ID: "gemini-call-earlier-0", Name: "get_book", Arguments: `{"genre":"scifi"}`},
			{ID: "call_2", Name: "get_author", Arguments: `{}`},
		}},
		prompt.ToolResult("gemini-call-earlier-0", "Dune"),
		prompt.ToolResult("call_2", `{"author":"Frank Herbert"}`),
	}})
	require.NoError(t, err)

	r := s.Requests()[0]
	assert.Equal(t, "/v1beta/models/gemini-2.5-pro:generateContent", r.Path)
	assert.Equal(t, []any{
		map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Find a scifi book."}}},
		map[string]any{"role": "model", "parts": []any{
			map[string]any{"functionCall": map[string]any{"name": "get_book", "args": map[string]any{"genre": "scifi"}}},
			map[string]any{"functionCall": map[string]any{"id": "call_2", "name": "get_author"}},
		}},
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"functionResponse": map[string]any{"name": "get_book", "response": map[string]any{"output": "Dune"}}},
			map[string]any{"functionResponse": map[string]any{"id": "call_2", "name": "get_author", "response": map[string]any{"author": "Frank Herbert"}}},
		}},
	}, r.JSON["contents"])
	assert.NotContains(t, r.JSON, "systemInstruction")
	assert.Equal(t, map[string]any{}, r.JSON["generationConfig"], "no parameter set, none sent")

	// The call came without an id: it gets one made from the response id.
	calls := []prompt.ToolCall{{ID: "gemini-call-fnZOaPqgB5qKnvgP1sCo0Qs-0", Name: "get_book", Arguments: `{"genre":"scifi"}`}}
	assert.Equal(t, calls, resp.ToolCalls)
	assert.Equal(t, calls, resp.Message.ToolCalls)
	assert.Equal(t, mirascope.Usage{InputTokens: 40, OutputTokens: 6}, resp.Usage)
}

func TestMissingAPIKey(t *testing.T) {
	t.Setenv("GEMINI_API_KEY", "")
	t.Setenv("GOOGLE_API_KEY", "")
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	p := google.New(testModel, providers.WithBaseURL(s.URL))

	_, err := mirascope.Call(bg, p, recommend{Genre: "scifi"})
	var me *providers.MissingAPIKeyError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"GEMINI_API_KEY", "GOOGLE_API_KEY"}, me.EnvVars)
	assert.EqualError(t, err, "mirascope: gcp.gemini: missing API key: set GEMINI_API_KEY or GOOGLE_API_KEY or pass providers.WithAPIKey")

	st, err := mirascope.Stream(bg, p, recommend{Genre: "scifi"})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.ErrorAs(t, err, &me)
	}
	assert.Empty(t, s.Requests())
}

func TestEnvironment(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	t.Setenv("GEMINI_API_KEY", "gemini-from-env")
	t.Setenv("GOOGLE_API_KEY", "google-from-env")
	t.Setenv("GOOGLE_GEMINI_BASE_URL", s.URL)
	p := google.New(testModel)
	_, err := mirascope.Call(bg, p, recommend{Genre: "scifi"})
	require.NoError(t, err)
	assert.Equal(t, "gemini-from-env", s.Requests()[0].Header.Get("X-Goog-Api-Key"))
}

func TestVertex(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	p := google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL),
		google.WithVertex("my-project", "us-central1"))
	assert.Equal(t, "gcp.vertex_ai", p.Info().Name)
	resp, err := mirascope.Call(bg, p, recommend{Genre: "scifi"})
	require.NoError(t, err)
	assert.Equal(t, "gemini-2.0-flash-001", resp.Model)
	assert.Equal(t, "/v1beta1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent", s.Requests()[0].Path)

	assert.Equal(t, mirascope.ProviderInfo{Name: "gcp.vertex_ai", Model: testModel, ServerAddress: "europe-west4-aiplatform.googleapis.com", ServerPort: 443},
		google.New(testModel, google.WithVertex("p", "europe-west4")).Info())
}

func TestInfo(t *testing.T) {
	t.Setenv("GOOGLE_GEMINI_BASE_URL", "")
	assert.Equal(t, mirascope.ProviderInfo{Name: "gcp.gemini", Model: testModel, ServerAddress: "generativelanguage.googleapis.com", ServerPort: 443},
		google.New(testModel).Info())
}
