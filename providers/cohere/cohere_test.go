package cohere_test

import (
	"context"
	"net/http"
	"testing"

	cohere "github.com/cohere-ai/cohere-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	cohereprov "github.com/mirascope-go/mirascope/providers/cohere"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const testKey = "co-test-key"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return replaytest.Fixture(t, "cohere", name)
}

// cohereHeader is what Cohere sends with every answer (trace id as it
// sends it).
var cohereHeader = map[string]string{
	"X-Debug-Trace-Id":              "7f3c2a91b5e04d6a8c1e2f3a4b5c6d7e",
	"X-Endpoint-Monthly-Call-Limit": "1000",
}

// respHeaders sets cohereHeader and contentType.
func respHeaders(w http.ResponseWriter, contentType string) {
	w.Header().Set("Content-Type", contentType)
	for k, v := range cohereHeader {
		w.Header().Set(k, v)
	}
}

func newProvider(s *replaytest.Server, opts ...providers.Option) *cohereprov.Provider {
	return cohereprov.New("command-a-03-2025", append([]providers.Option{
		providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), providers.WithMaxRetries(0),
	}, opts...)...)
}

type recommend struct{ Genre string }

func (r recommend) Prompt() string { return "Recommend a " + r.Genre + " book." }

func TestCallRequestAndResponse(t *testing.T) {
	t.Setenv("CO_API_KEY", "")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call.json"))
	})
	p := newProvider(s, providers.WithHeader("X-Team", "books"))
	req := &mirascope.Request{
		Messages: []prompt.Message{
			prompt.System("You are a librarian."),
			prompt.User("Find me fantasy books."),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "call_1", Name: "search_books", Arguments: `{"genre":"fantasy"}`}}},
			prompt.ToolResult("call_1", `["Mistborn"]`),
			prompt.Assistant("Mistborn is one."),
			prompt.User("Another?"),
		},
	}
	mirascope.WithMaxTokens(256)(req)
	mirascope.WithTemperature(0.5)(req)
	mirascope.WithTopP(0.9)(req)
	mirascope.WithStop("END", "STOP")(req)
	mirascope.WithSeed(42)(req)
	resp, err := p.Call(context.Background(), req)
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	got := reqs[0]
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "/v2/chat", got.Path)
	assert.Equal(t, "Bearer "+testKey, got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "books", got.Header.Get("X-Team"))
	assert.Equal(t, "Go", got.Header.Get("X-Fern-Language"))
	assert.JSONEq(t, `{
		"model": "command-a-03-2025",
		"stream": false,
		"messages": [
			{"role": "system", "content": "You are a librarian."},
			{"role": "user", "content": "Find me fantasy books."},
			{"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "search_books", "arguments": "{\"genre\":\"fantasy\"}"}}]},
			{"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "[\"Mistborn\"]"}]},
			{"role": "assistant", "content": "Mistborn is one."},
			{"role": "user", "content": "Another?"}
		],
		"max_tokens": 256,
		"temperature": 0.5,
		"p": 0.9,
		"stop_sequences": ["END", "STOP"],
		"seed": 42
	}`, string(got.Body))

	assert.Equal(t, `I recommend "The Name of the Wind" by Patrick Rothfuss.`, resp.Content)
	assert.Equal(t, "command-a-03-2025", resp.Model)
	assert.Equal(t, "5a50480a-cf52-46f0-af01-53d18539bd31", resp.ID)
	assert.Equal(t, []string{"COMPLETE"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 218, OutputTokens: 15}, resp.Usage)
	assert.Equal(t, prompt.Assistant(resp.Content), resp.Message)
	raw, ok := resp.Raw.(*cohere.V2ChatResponse)
	require.True(t, ok, "Raw is %T", resp.Raw)
	assert.Equal(t, cohere.ChatFinishReasonComplete, raw.FinishReason)
}

func TestCallOnlySetParamsAndModelOverride(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call.json"))
	})
	resp, err := mirascope.Call(context.Background(), newProvider(s), recommend{"fantasy"}, mirascope.WithModel("command-r7b-12-2024"))
	require.NoError(t, err)
	assert.Equal(t, "command-r7b-12-2024", resp.Model)
	assert.JSONEq(t, `{"model":"command-r7b-12-2024","stream":false,
		"messages":[{"role":"user","content":"Recommend a fantasy book."}]}`, string(s.Requests()[0].Body))
}

func TestCallToolCalls(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call_tool.json"))
	})
	resp, err := newProvider(s).Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("fantasy?")}})
	require.NoError(t, err)
	assert.Equal(t, "I will look up the books in the fantasy genre.", resp.Content, "the tool plan")
	assert.Equal(t, []string{"TOOL_CALL"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 1042, OutputTokens: 54}, resp.Usage)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: resp.Content, ToolCalls: []prompt.ToolCall{
		{ID: "search_books_x3kq8z1p2w4e", Name: "search_books", Arguments: `{"genre":"fantasy"}`},
	}}, resp.Message)
}

func TestInfo(t *testing.T) {
	t.Setenv("CO_API_KEY", "")
	t.Setenv("CO_API_URL", "")
	info := cohereprov.New("command-a-03-2025").Info()
	assert.Equal(t, mirascope.ProviderInfo{Name: "cohere", Model: "command-a-03-2025", ServerAddress: "api.cohere.com", ServerPort: 443}, info)
	info = cohereprov.New("m", providers.WithBaseURL("http://127.0.0.1:8089/")).Info()
	assert.Equal(t, "127.0.0.1", info.ServerAddress)
	assert.Equal(t, 8089, info.ServerPort)
}

func TestMissingKeyBeforeAnyRequest(t *testing.T) {
	t.Setenv("CO_API_KEY", "")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {})
	p := cohereprov.New("command-a-03-2025", providers.WithBaseURL(s.URL))
	_, err := p.Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}})
	var mk *providers.MissingAPIKeyError
	require.ErrorAs(t, err, &mk)
	assert.Equal(t, []string{"CO_API_KEY"}, mk.EnvVars)
	assert.ErrorIs(t, err, mirascope.ErrAuth)
	assert.EqualError(t, err, "mirascope: cohere: missing API key: set CO_API_KEY or pass providers.WithAPIKey")
	for _, err := range p.Stream(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}) {
		require.ErrorAs(t, err, &mk)
	}
	assert.Empty(t, s.Requests())
}

func TestKeyFromEnv(t *testing.T) {
	t.Setenv("CO_API_KEY", "co-env-key")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call.json"))
	})
	_, err := mirascope.Call(context.Background(), cohereprov.New("m", providers.WithBaseURL(s.URL)), recommend{"scifi"})
	require.NoError(t, err)
	assert.Equal(t, "Bearer co-env-key", s.Requests()[0].Header.Get("Authorization"))
}

func cohereNew(base string) *cohereprov.Provider {
	return cohereprov.New("command-a-03-2025", providers.WithAPIKey(testKey), providers.WithBaseURL(base), providers.WithMaxRetries(0))
}
