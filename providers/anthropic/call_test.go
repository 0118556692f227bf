package anthropic_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestCall(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), map[string]string{"request-id": "req_011CCall"}))
	p := newProvider(s, providers.WithHeader("X-Team", "search"))

	resp, err := mirascope.Call(bg, p, librarian{Genre: "fantasy"}, mirascope.WithMaxTokens(256), mirascope.WithStop("\n\n"))
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/v1/messages", r.Path)
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
	assert.Empty(t, r.Header.Get("X-Api-Key"))
	assert.Equal(t, anthropic.APIVersion, r.Header.Get("Anthropic-Version"))
	assert.Equal(t, "search", r.Header.Get("X-Team"))
	assert.Empty(t, r.Header.Get("Traceparent"))
	assert.Equal(t, map[string]any{
		"model":          testModel,
		"max_tokens":     float64(256),
		"stop_sequences": []any{"\n\n"},
		"system":         []any{map[string]any{"type": "text", "text": "You are a librarian."}},
		"messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Recommend a fantasy book."}}},
		},
	}, r.JSON)

	assert.Equal(t, "I recommend \"The Name of the Wind\" by Patrick Rothfuss.", resp.Content)
	assert.Equal(t, "msg_01XFDUDYJgAACzvnptvVoYEL", resp.ID)
	assert.Equal(t, testModel, resp.Model)
	assert.Equal(t, []string{"end_turn"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 12 + 5 + 3, OutputTokens: 17, CacheReadTokens: 5, CacheWriteTokens: 3}, resp.Usage)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: resp.Content}, resp.Message)
	assert.NotNil(t, resp.Raw)
}

func TestCallDefaultsAndOverride(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	p := newProvider(s, anthropic.WithDefaultMaxTokens(1000))

	_, err := mirascope.Call(bg, p, recommend{Genre: "scifi"}, mirascope.WithModel("claude-3-haiku-20240307"))
	require.NoError(t, err)
	body := s.Requests()[0].JSON
	assert.Equal(t, "claude-3-haiku-20240307", body["model"])
	assert.Equal(t, float64(1000), body["max_tokens"])
	assert.NotContains(t, body, "system")

	p = newProvider(s)
	_, err = mirascope.Call(bg, p, recommend{Genre: "scifi"})
	require.NoError(t, err)
	assert.Equal(t, float64(anthropic.DefaultMaxTokens), s.Requests()[1].JSON["max_tokens"])
}

func TestCallToolUse(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_tool_use.json"), nil))
	p := newProvider(s)

	req := &mirascope.Request{Messages: []prompt.Message{
		prompt.System("Be brief."),
		prompt.User("Find me a fantasy book."),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "toolu_1", Name: "get_book", Arguments: `{"genre":"fantasy"}`}}},
		prompt.ToolResult("toolu_1", "The Hobbit"),
		prompt.User("Another one?"),
		prompt.System("Answer in English."),
	}}
	resp, err := p.Call(bg, req)
	require.NoError(t, err)

	body := s.Requests()[0].JSON
	assert.Equal(t, []any{
		map[string]any{"type": "text", "text": "Be brief."},
		map[string]any{"type": "text", "text": "Answer in English."},
	}, body["system"])
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Find me a fantasy book."}}},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": "get_book", "input": map[string]any{"genre": "fantasy"}}}},
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": false, "content": []any{map[string]any{"type": "text", "text": "The Hobbit"}}},
			map[string]any{"type": "text", "text": "Another one?"},
		}},
	}, body["messages"])

	assert.Equal(t, []string{"tool_use"}, resp.FinishReasons)
	assert.Equal(t, "Let me look that up.", resp.Content)
	assert.Equal(t, []prompt.ToolCall{{ID: "toolu_01A09q90qw90lq917835lq9", Name: "get_book", Arguments: `{"genre": "fantasy"}`}}, resp.Message.ToolCalls)
	assert.Equal(t, mirascope.Usage{InputTokens: 40, OutputTokens: 25}, resp.Usage)
}

func TestUnsupportedParams(t *testing.T) {
	tests := []struct {
		name   string
		opt    mirascope.CallOption
		param  string
		errMsg string
	}{
		{"temperature", mirascope.WithTemperature(0.7), "WithTemperature",
			"mirascope: anthropic: WithTemperature is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) has no temperature; pass it with anthropic.WithExtraBody to a model that takes it"},
		{"top_p", mirascope.WithTopP(0.9), "WithTopP",
			"mirascope: anthropic: WithTopP is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) has no top_p; pass it with anthropic.WithExtraBody to a model that takes it"},
		{"seed", mirascope.WithSeed(7), "WithSeed",
			"mirascope: anthropic: WithSeed is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) has no seed; pass it with anthropic.WithExtraBody to a model that takes it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
			p := newProvider(s)
			_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"}, tt.opt)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tt.param, ue.Parameter)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.EqualError(t, err, tt.errMsg)

			st, err := mirascope.Stream(bg, p, recommend{Genre: "fantasy"}, tt.opt)
			require.NoError(t, err)
			for _, err := range st.Chunks() {
				require.ErrorAs(t, err, &ue)
			}
			assert.Empty(t, s.Requests(), "no request may be sent")
		})
	}
}

// A Call the SDK will not send unstreamed is refused before any request as
// a setting this way of calling cannot honour, naming that setting: not a
// service's failure (a ProviderError with no status).
func TestStreamingRequired(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	p := newProvider(s)
	_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"}, mirascope.WithMaxTokens(64000))
	require.ErrorIs(t, err, anthropic.ErrStreamingRequired)
	require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithMaxTokens", ue.Parameter)
	var pe *mirascope.ProviderError
	assert.False(t, errors.As(err, &pe), "not a service's failure")
	assert.EqualError(t, err, "mirascope: anthropic: WithMaxTokens is not supported: max_tokens 64000 for model "+testModel+
		" may take longer than the API's 10 minutes without streaming, so the SDK will not send it in a Call: use mirascope.Stream, or lower the max tokens")

	_, err = mirascope.Call(bg, newProvider(s, anthropic.WithDefaultMaxTokens(100000)), recommend{Genre: "fantasy"})
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithDefaultMaxTokens", ue.Parameter)

	_, err = mirascope.Call(bg, p, recommend{Genre: "fantasy"}, mirascope.WithModel("claude-sonnet-4-5"), mirascope.WithReasoningBudget(80000))
	require.ErrorIs(t, err, anthropic.ErrStreamingRequired)
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithReasoningBudget", ue.Parameter)
	assert.Contains(t, ue.Reason, "max_tokens 84096 (the default 4096 plus the thinking budget)")
	assert.Empty(t, s.Requests(), "no request may be sent")

	// Streamed, the same setting is sent.
	s = replaytest.NewServer(t, replay.Stream(fixture(t, "stream.sse")))
	st, err := mirascope.Stream(bg, newProvider(s), recommend{Genre: "fantasy"}, mirascope.WithMaxTokens(64000))
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}
	assert.Len(t, s.Requests(), 1)
}

func TestMissingAPIKey(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "")
	t.Setenv("ANTHROPIC_AUTH_TOKEN", "sdk-would-use-this")
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	p := anthropic.New(testModel, providers.WithBaseURL(s.URL))

	_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"})
	var me *providers.MissingAPIKeyError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"ANTHROPIC_API_KEY"}, me.EnvVars)
	assert.True(t, errors.Is(err, mirascope.ErrAuth))

	st, err := mirascope.Stream(bg, p, recommend{Genre: "fantasy"})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.ErrorAs(t, err, &me)
	}
	assert.Empty(t, s.Requests())
}

func TestEnvironment(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-from-env")
	t.Setenv("ANTHROPIC_BASE_URL", s.URL+"/v1")
	t.Setenv("ANTHROPIC_CUSTOM_HEADERS", "X-Injected: yes")
	p := anthropic.New(testModel)

	_, err := mirascope.Call(bg, p, recommend{Genre: "fantasy"})
	require.NoError(t, err)
	r := s.Requests()[0]
	assert.Equal(t, "/v1/messages", r.Path)
	assert.Equal(t, "Bearer sk-ant-from-env", r.Header.Get("Authorization"))
	assert.Empty(t, r.Header.Get("X-Injected"), "ANTHROPIC_CUSTOM_HEADERS is not honoured")
}

func TestInfo(t *testing.T) {
	tests := []struct {
		base string
		want mirascope.ProviderInfo
	}{
		{"", mirascope.ProviderInfo{Name: "anthropic", Model: testModel, ServerAddress: "api.anthropic.com", ServerPort: 443}},
		{"http://127.0.0.1:8080/v1", mirascope.ProviderInfo{Name: "anthropic", Model: testModel, ServerAddress: "127.0.0.1", ServerPort: 8080}},
	}
	for _, tt := range tests {
		t.Setenv("ANTHROPIC_BASE_URL", "")
		p := anthropic.New(testModel, providers.WithBaseURL(tt.base))
		assert.Equal(t, tt.want, p.Info())
	}
}
