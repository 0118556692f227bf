package google_test

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

var declarations = []any{map[string]any{"functionDeclarations": []any{
	map[string]any{
		"name":        "get_author",
		"description": "Returns the author of a book",
		"parametersJsonSchema": map[string]any{
			"type":                 "object",
			"properties":           map[string]any{"title": map[string]any{"type": "string", "description": "the book's title"}},
			"required":             []any{"title"},
			"additionalProperties": false,
		},
	},
	map[string]any{"name": "list_genres"},
}}}

func TestToolRoundTrip(t *testing.T) {
	s := replaytest.NewServer(t, replaytest.Sequence(
		replay.JSON(200, fixture(t, "tool_call.json"), nil),
		replay.JSON(200, fixture(t, "tool_answer.json"), nil),
	))
	p := newProvider(s)
	opts := []mirascope.CallOption{mirascope.WithModel("gemini-3-pro-preview"), mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres)}

	resp, err := mirascope.Call(bg, p, askAuthors{}, append(opts, mirascope.WithToolChoice(mirascope.ToolChoiceAuto))...)
	require.NoError(t, err)

	first := s.Requests()[0]
	assert.Equal(t, "/v1beta/models/gemini-3-pro-preview:generateContent", first.Path)
	assert.Equal(t, declarations, first.JSON["tools"])
	assert.Equal(t, map[string]any{"functionCallingConfig": map[string]any{"mode": "AUTO"}}, first.JSON["toolConfig"])

	// The API gave the calls no id: each gets one made from the response id.
	// The first carries its thoughtSignature.
	calls := []prompt.ToolCall{
		{ID: "gemini-call-kYw0aZ3pG8ODz7IPpq2-yQE-0", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`, Signature: "Q2lRQjBlMlVKR1F2V0dtWnFKc3Zr"},
		{ID: "gemini-call-kYw0aZ3pG8ODz7IPpq2-yQE-1", Name: "get_author", Arguments: `{"title":"Mistborn"}`},
	}
	assert.Equal(t, calls, resp.ToolCalls)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, ToolCalls: calls}, resp.Message)
	assert.Equal(t, []string{"STOP"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 96, OutputTokens: 38 + 64, ReasoningTokens: 64}, resp.Usage)

	msgs := append(askAuthors{}.Messages(), resp.Message,
		prompt.ToolResult(calls[0].ID, "Patrick Rothfuss"),
		prompt.Message{Role: prompt.RoleTool, ToolCallID: calls[1].ID, Content: `no author found for "Mistborn"`, IsError: true})
	final, err := p.Call(bg, &mirascope.Request{Model: "gemini-3-pro-preview", Messages: msgs, Tools: []mirascope.Tool{replaytest.GetAuthor, replaytest.ListGenres}})
	require.NoError(t, err)

	second := s.Requests()[1].JSON
	assert.Equal(t, declarations, second["tools"])
	assert.NotContains(t, second, "toolConfig", "no choice set, none sent")
	assert.Equal(t, []any{
		map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Who wrote The Name of the Wind and Mistborn?"}}},
		// The calls go back as they came: no made-up id, the first with
		// the thoughtSignature Gemini 3 requires back.
		map[string]any{"role": "model", "parts": []any{
			map[string]any{"functionCall": map[string]any{"name": "get_author", "args": map[string]any{"title": "The Name of the Wind"}},
				"thoughtSignature": "Q2lRQjBlMlVKR1F2V0dtWnFKc3Zr"},
			map[string]any{"functionCall": map[string]any{"name": "get_author", "args": map[string]any{"title": "Mistborn"}}},
		}},
		// Each response names its function; a failure goes under "error".
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"functionResponse": map[string]any{"name": "get_author", "response": map[string]any{"output": "Patrick Rothfuss"}}},
			map[string]any{"functionResponse": map[string]any{"name": "get_author", "response": map[string]any{"error": `no author found for "Mistborn"`}}},
		}},
	}, second["contents"])

	assert.Equal(t, `"The Name of the Wind" is by Patrick Rothfuss; I could not find the author of "Mistborn".`, final.Content)
	assert.Empty(t, final.ToolCalls)
	assert.Equal(t, []string{"STOP"}, final.FinishReasons)
}

func TestToolChoice(t *testing.T) {
	tests := []struct {
		choice mirascope.ToolChoice
		want   map[string]any
	}{
		{mirascope.ToolChoiceAuto, map[string]any{"mode": "AUTO"}},
		{mirascope.ToolChoiceRequired, map[string]any{"mode": "ANY"}},
		{mirascope.ToolChoiceNone, map[string]any{"mode": "NONE"}},
		{"get_author", map[string]any{"mode": "ANY", "allowedFunctionNames": []any{"get_author"}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.choice), func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_call.json"), nil))
			_, err := mirascope.Call(bg, newProvider(s), askAuthors{}, mirascope.WithTools(replaytest.GetAuthor), mirascope.WithToolChoice(tt.choice))
			require.NoError(t, err)
			assert.Equal(t, map[string]any{"functionCallingConfig": tt.want}, s.Requests()[0].JSON["toolConfig"])
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
			"mirascope: gcp.gemini: WithToolChoice is not supported: tool choice required needs tools to call; pass them with WithTools"},
		{"named tool not offered", []mirascope.CallOption{mirascope.WithTools(replaytest.GetAuthor), mirascope.WithToolChoice("get_isbn")}, true,
			`mirascope: gcp.gemini: WithToolChoice is not supported: no tool named "get_isbn" is offered`},
		{"schema not an object", []mirascope.CallOption{mirascope.WithTools(replaytest.Tool{Def: mirascope.ToolDefinition{Name: "bad", Parameters: json.RawMessage(`"x"`)}})}, false,
			`mirascope: invalid tool "bad": its parameters schema is not a JSON object`},
		{"format named as a tool", []mirascope.CallOption{mirascope.WithTools(replaytest.Tool{Def: mirascope.ToolDefinition{Name: "Book"}}), replaytest.WithFormat(replaytest.BookFormat)}, true,
			`mirascope: gcp.gemini: Format is not supported: a tool is already named "Book", the name the structured answer is requested under`},
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
				assert.Equal(t, "gcp.gemini", ue.Provider)
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

func TestToolResultWithoutCall(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_answer.json"), nil))
	_, err := newProvider(s).Call(bg, &mirascope.Request{Messages: []prompt.Message{
		prompt.User("Who wrote Dune?"), prompt.ToolResult("call_9", "Frank Herbert"),
	}})
	require.EqualError(t, err, `mirascope: gcp.gemini: prompt.ToolResult is not supported: tool result "call_9" answers no tool call of an earlier assistant message`)
	assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter, "a type users can name")
	assert.Empty(t, s.Requests())
}

func TestStreamToolCall(t *testing.T) {
	raw := fixture(t, "stream_tool.sse")
	for _, tt := range []struct {
		name   string
		pieces [][]byte
	}{{"whole", [][]byte{raw}}, {"split across reads", replaytest.SplitEvents(raw, []byte("\r\n\r\n"))}} {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replaytest.Sequence(replay.Stream(tt.pieces...), replay.JSON(200, fixture(t, "tool_answer.json"), nil)))
			p := newProvider(s)
			st, err := mirascope.Stream(bg, p, askAuthors{}, mirascope.WithModel("gemini-3-pro-preview"),
				mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres), mirascope.WithToolChoice(mirascope.ToolChoiceRequired))
			require.NoError(t, err)
			var pieces []mirascope.ToolCallChunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				pieces = append(pieces, c.ToolCalls...)
			}
			r := s.Requests()[0]
			assert.Equal(t, "/v1beta/models/gemini-3-pro-preview:streamGenerateContent", r.Path)
			assert.Equal(t, declarations, r.JSON["tools"])
			assert.Equal(t, map[string]any{"functionCallingConfig": map[string]any{"mode": "ANY"}}, r.JSON["toolConfig"])

			// Each call arrives whole: one piece each.
			calls := []prompt.ToolCall{
				{ID: "gemini-call-3Yw0aYbGL_SFz7IPnYrTqQs-0", Name: "get_author", Arguments: `{"title":"The Name of the Wind"}`, Signature: "Q2lRQjBlMlVKU3RyZWFtU2ln"},
				{ID: "gemini-call-3Yw0aYbGL_SFz7IPnYrTqQs-1", Name: "list_genres", Arguments: `{}`},
			}
			assert.Equal(t, []mirascope.ToolCallChunk{
				{Index: 0, ID: calls[0].ID, Name: calls[0].Name, Arguments: calls[0].Arguments, Signature: calls[0].Signature},
				{Index: 1, ID: calls[1].ID, Name: calls[1].Name, Arguments: calls[1].Arguments},
			}, pieces)
			final := st.Response()
			assert.Equal(t, calls, final.ToolCalls)
			assert.Equal(t, "Let me look that up.", final.Content)
			assert.Equal(t, []string{"STOP"}, final.FinishReasons)

			// The streamed call's signature goes back on the next turn.
			next := &mirascope.Request{Model: "gemini-3-pro-preview", Messages: append(askAuthors{}.Messages(), final.Message)}
			_, err = p.Call(bg, next)
			require.NoError(t, err)
			parts := s.Requests()[1].JSON["contents"].([]any)[1].(map[string]any)["parts"].([]any)
			assert.Equal(t, "Q2lRQjBlMlVKU3RyZWFtU2ln", parts[1].(map[string]any)["thoughtSignature"])
			assert.NotContains(t, parts[2], "thoughtSignature")
		})
	}
}

func TestExtractFormat(t *testing.T) {
	schema := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"title":  map[string]any{"type": "string"},
			"author": map[string]any{"type": "string"},
			"year":   map[string]any{"type": "integer", "minimum": float64(1450)},
		},
		"required": []any{"title", "author", "year"},
	}
	native := map[string]any{"responseMimeType": "application/json", "responseJsonSchema": schema}

	t.Run("native", func(t *testing.T) {
		s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract.json"), nil))
		resp, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"}, replaytest.WithFormat(replaytest.BookFormat))
		require.NoError(t, err)
		body := s.Requests()[0].JSON
		assert.Equal(t, native, body["generationConfig"])
		assert.NotContains(t, body, "tools")
		assert.JSONEq(t, `{"title":"The Left Hand of Darkness","author":"Ursula K. Le Guin","year":1969}`, resp.Content)
		assert.Empty(t, resp.ToolCalls)
	})

	t.Run("native with tools on Gemini 3", func(t *testing.T) {
		s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract.json"), nil))
		_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"}, mirascope.WithModel("gemini-3-pro-preview"),
			mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres), replaytest.WithFormat(replaytest.BookFormat))
		require.NoError(t, err)
		body := s.Requests()[0].JSON
		assert.Equal(t, native, body["generationConfig"])
		assert.Equal(t, declarations, body["tools"])
		assert.NotContains(t, body, "toolConfig")
	})

	// Gemini 2.x refuses function calling with a JSON response type: the
	// format becomes one more function the model must call to answer.
	t.Run("forced function with tools before Gemini 3", func(t *testing.T) {
		s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "extract_function.json"), nil))
		resp, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"}, mirascope.WithModel("gemini-2.5-flash"),
			mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres), replaytest.WithFormat(replaytest.BookFormat))
		require.NoError(t, err)
		body := s.Requests()[0].JSON
		assert.Equal(t, map[string]any{}, body["generationConfig"])
		decls := body["tools"].([]any)[0].(map[string]any)["functionDeclarations"].([]any)
		require.Len(t, decls, 3)
		assert.Equal(t, map[string]any{"name": "Book", "description": "A book", "parametersJsonSchema": schema}, decls[2])
		assert.Equal(t, map[string]any{"functionCallingConfig": map[string]any{"mode": "ANY"}}, body["toolConfig"])

		assert.JSONEq(t, `{"title":"The Left Hand of Darkness","author":"Ursula K. Le Guin","year":1969}`, resp.Content)
		assert.Empty(t, resp.ToolCalls, "the answer is not a tool call")
		assert.Equal(t, prompt.Assistant(resp.Content), resp.Message)
	})
}

func TestTracedToolCalls(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_call.json"), nil))
	attrs := replaytest.Traced(t, newProvider(s), false, askAuthors{}, mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres))
	assert.JSONEq(t, `[{"role":"assistant","parts":[
		{"type":"tool_call","id":"gemini-call-kYw0aZ3pG8ODz7IPpq2-yQE-0","name":"get_author","arguments":{"title":"The Name of the Wind"}},
		{"type":"tool_call","id":"gemini-call-kYw0aZ3pG8ODz7IPpq2-yQE-1","name":"get_author","arguments":{"title":"Mistborn"}}],
		"finish_reason":"stop"}]`, attrs["gen_ai.output.messages"].AsString())
}
