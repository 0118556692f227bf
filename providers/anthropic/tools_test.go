package anthropic_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// askAuthors is the prompt of the tool tests.
type askAuthors struct{}

func (askAuthors) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You are a librarian."), prompt.User("Who wrote The Name of the Wind and Mistborn?")}
}

func TestToolRoundTrip(t *testing.T) {
	s := replaytest.NewServer(t, replaytest.Sequence(
		replay.JSON(200, fixture(t, "tool_call.json"), nil),
		replay.JSON(200, fixture(t, "tool_answer.json"), nil),
	))
	p := newProvider(s)

	resp, err := mirascope.Call(bg, p, askAuthors{}, mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres), mirascope.WithToolChoice(mirascope.ToolChoiceAuto))
	require.NoError(t, err)

	first := s.Requests()[0].JSON
	assert.Equal(t, []any{
		map[string]any{
			"name":        "get_author",
			"description": "Returns the author of a book",
			"input_schema": map[string]any{
				"type":                 "object",
				"properties":           map[string]any{"title": map[string]any{"type": "string", "description": "the book's title"}},
				"required":             []any{"title"},
				"additionalProperties": false,
			},
		},
		map[string]any{"name": "list_genres", "input_schema": map[string]any{"type": "object", "properties": map[string]any{}}},
	}, first["tools"])
	assert.Equal(t, map[string]any{"type": "auto"}, first["tool_choice"])
	assert.NotContains(t, first, "output_config")

	calls := []prompt.ToolCall{
		{ID: "toolu_01D7FLrfh4GYq7yT1ULFeyMV", Name: "get_author", Arguments: `{"title": "The Name of the Wind"}`},
		{ID: "toolu_01Hk8Y1TQjmGbh8dwsM3Ryc5", Name: "get_author", Arguments: `{"title": "Mistborn"}`},
	}
	assert.Equal(t, calls, resp.ToolCalls)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: "I'll look up both authors.", ToolCalls: calls}, resp.Message)
	assert.Equal(t, []string{"tool_use"}, resp.FinishReasons)

	msgs := append(askAuthors{}.Messages(), resp.Message,
		prompt.ToolResult(calls[0].ID, "Patrick Rothfuss"),
		prompt.Message{Role: prompt.RoleTool, ToolCallID: calls[1].ID, Content: `no author found for "Mistborn"`, IsError: true})
	final, err := p.Call(bg, &mirascope.Request{Messages: msgs, Tools: []mirascope.Tool{replaytest.GetAuthor, replaytest.ListGenres}})
	require.NoError(t, err)

	second := s.Requests()[1].JSON
	assert.NotContains(t, second, "tool_choice", "no choice set, none sent")
	assert.Len(t, second["tools"], 2)
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Who wrote The Name of the Wind and Mistborn?"}}},
		map[string]any{"role": "assistant", "content": []any{
			map[string]any{"type": "text", "text": "I'll look up both authors."},
			map[string]any{"type": "tool_use", "id": "toolu_01D7FLrfh4GYq7yT1ULFeyMV", "name": "get_author", "input": map[string]any{"title": "The Name of the Wind"}},
			map[string]any{"type": "tool_use", "id": "toolu_01Hk8Y1TQjmGbh8dwsM3Ryc5", "name": "get_author", "input": map[string]any{"title": "Mistborn"}},
		}},
		// Both results in one user turn, as the API requires.
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "tool_result", "tool_use_id": "toolu_01D7FLrfh4GYq7yT1ULFeyMV", "is_error": false,
				"content": []any{map[string]any{"type": "text", "text": "Patrick Rothfuss"}}},
			map[string]any{"type": "tool_result", "tool_use_id": "toolu_01Hk8Y1TQjmGbh8dwsM3Ryc5", "is_error": true,
				"content": []any{map[string]any{"type": "text", "text": `no author found for "Mistborn"`}}},
		}},
	}, second["messages"])

	assert.Equal(t, `"The Name of the Wind" is by Patrick Rothfuss; I could not find the author of "Mistborn".`, final.Content)
	assert.Empty(t, final.ToolCalls)
	assert.Equal(t, []string{"end_turn"}, final.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 571, OutputTokens: 27}, final.Usage)
}

func TestToolChoice(t *testing.T) {
	tests := []struct {
		choice mirascope.ToolChoice
		want   map[string]any
	}{
		{mirascope.ToolChoiceAuto, map[string]any{"type": "auto"}},
		{mirascope.ToolChoiceRequired, map[string]any{"type": "any"}},
		{mirascope.ToolChoiceNone, map[string]any{"type": "none"}},
		{"get_author", map[string]any{"type": "tool", "name": "get_author"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.choice), func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_call.json"), nil))
			_, err := mirascope.Call(bg, newProvider(s), askAuthors{}, mirascope.WithTools(replaytest.GetAuthor), mirascope.WithToolChoice(tt.choice))
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.Requests()[0].JSON["tool_choice"])
		})
	}
}

func TestToolRefusals(t *testing.T) {
	tests := []struct {
		name        string
		opts        []mirascope.CallOption
		unsupported bool
		errMsg      string
	}{
		{"required without tools", []mirascope.CallOption{mirascope.WithToolChoice(mirascope.ToolChoiceRequired)}, true,
			"mirascope: anthropic: WithToolChoice is not supported: tool choice required needs tools to call; pass them with WithTools"},
		{"named tool not offered", []mirascope.CallOption{mirascope.WithTools(replaytest.GetAuthor), mirascope.WithToolChoice("get_isbn")}, true,
			`mirascope: anthropic: WithToolChoice is not supported: no tool named "get_isbn" is offered`},
		{"schema not an object", []mirascope.CallOption{mirascope.WithTools(replaytest.Tool{Def: mirascope.ToolDefinition{Name: "bad", Parameters: json.RawMessage(`[1]`)}})}, false,
			`mirascope: invalid tool "bad": its parameters schema is not a JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_call.json"), nil))
			p := newProvider(s)
			_, err := mirascope.Call(bg, p, askAuthors{}, tt.opts...)
			require.EqualError(t, err, tt.errMsg)
			if tt.unsupported {
				var ue *mirascope.UnsupportedError
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, "anthropic", ue.Provider)
				assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			}
			// Refused by Stream itself (a tool no service takes) or at the
			// first chunk (what this service cannot do).
			st, err := mirascope.Stream(bg, p, askAuthors{}, tt.opts...)
			if err != nil {
				require.EqualError(t, err, tt.errMsg)
			} else {
				for _, err := range st.Chunks() {
					require.EqualError(t, err, tt.errMsg)
				}
			}
			assert.Empty(t, s.Requests(), "no request may be sent")
		})
	}
}

func TestStreamToolCall(t *testing.T) {
	raw := fixture(t, "stream_tool.sse")
	for _, tt := range []struct {
		name   string
		pieces [][]byte
	}{{"whole", [][]byte{raw}}, {"split across reads", replaytest.SplitEvents(raw, []byte("\n\n"))}} {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.Stream(tt.pieces...))
			st, err := mirascope.Stream(bg, newProvider(s), askAuthors{}, mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres), mirascope.WithToolChoice(mirascope.ToolChoiceRequired))
			require.NoError(t, err)
			var pieces []mirascope.ToolCallChunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				pieces = append(pieces, c.ToolCalls...)
			}
			r := s.Requests()[0].JSON
			assert.Equal(t, true, r["stream"])
			assert.Equal(t, map[string]any{"type": "any"}, r["tool_choice"])
			assert.Len(t, r["tools"], 2)

			assert.Equal(t, []mirascope.ToolCallChunk{
				{Index: 1, ID: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", Name: "get_author"},
				{Index: 1, Arguments: `{"title": "The Na`},
				{Index: 1, Arguments: `me of the Wind"}`},
				{Index: 2, ID: "toolu_01NRLabsLyVHZPKxbKvkfSMn", Name: "list_genres"},
				{Index: 2, Arguments: "{}"}, // no fragment came: no arguments
			}, pieces)

			final := st.Response()
			calls := []prompt.ToolCall{
				{ID: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", Name: "get_author", Arguments: `{"title": "The Name of the Wind"}`},
				{ID: "toolu_01NRLabsLyVHZPKxbKvkfSMn", Name: "list_genres", Arguments: "{}"},
			}
			assert.Equal(t, calls, final.ToolCalls)
			assert.Equal(t, calls, final.Message.ToolCalls)
			assert.Equal(t, "Let me look that up.", final.Content)
			assert.Equal(t, []string{"tool_use"}, final.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 412, OutputTokens: 89}, final.Usage)
		})
	}
}

func TestExtractFormat(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract.json"), nil))
	resp, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "fantasy"}, replaytest.WithFormat(replaytest.BookFormat))
	require.NoError(t, err)

	r := s.Requests()[0]
	// Native structured output, properties in schema order (the model
	// writes them so), the object closed and the keyword the API rejects
	// moved into the description.
	var sent struct {
		OutputConfig json.RawMessage `json:"output_config"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &sent))
	assert.Equal(t, `{"format":{"type":"json_schema","schema":{"type":"object","properties":{`+
		`"title":{"type":"string"},"author":{"type":"string"},"year":{"type":"integer","description":"(minimum: 1450)"}},`+
		`"required":["title","author","year"],"additionalProperties":false}}}`, string(sent.OutputConfig))
	body := r.JSON
	assert.NotContains(t, body, "tools")
	assert.NotContains(t, body, "tool_choice")

	assert.JSONEq(t, `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`, resp.Content)
	assert.Empty(t, resp.ToolCalls)
}

func TestTracedToolCalls(t *testing.T) {
	for _, tt := range []struct {
		name   string
		stream bool
		h      []byte
		want   string
	}{
		{"call", false, fixture(t, "tool_call.json"), `[{"role":"assistant","parts":[
			{"type":"text","content":"I'll look up both authors."},
			{"type":"tool_call","id":"toolu_01D7FLrfh4GYq7yT1ULFeyMV","name":"get_author","arguments":{"title":"The Name of the Wind"}},
			{"type":"tool_call","id":"toolu_01Hk8Y1TQjmGbh8dwsM3Ryc5","name":"get_author","arguments":{"title":"Mistborn"}}],
			"finish_reason":"tool_call"}]`},
		{"stream", true, fixture(t, "stream_tool.sse"), `[{"role":"assistant","parts":[
			{"type":"text","content":"Let me look that up."},
			{"type":"tool_call","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_author","arguments":{"title":"The Name of the Wind"}},
			{"type":"tool_call","id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"list_genres","arguments":{}}],
			"finish_reason":"tool_call"}]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := replay.JSON(200, tt.h, nil)
			if tt.stream {
				h = replay.Stream(tt.h)
			}
			s := replaytest.NewServer(t, h)
			attrs := replaytest.Traced(t, newProvider(s), tt.stream, askAuthors{}, mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres))
			assert.JSONEq(t, tt.want, attrs["gen_ai.output.messages"].AsString())
			assert.Equal(t, []string{"tool_use"}, attrs["gen_ai.response.finish_reasons"].AsStringSlice())
		})
	}
}
