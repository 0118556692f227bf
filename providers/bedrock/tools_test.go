package bedrock_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// declared is a tool as the model sees it; these tests never run it.
type declared mirascope.ToolDefinition

func (d declared) Definition() mirascope.ToolDefinition { return mirascope.ToolDefinition(d) }
func (d declared) Call(context.Context, string) (string, error) {
	return "", errors.New("not run by a provider")
}

var (
	searchBooks = declared{
		Name:        "search_books",
		Description: "Search the library's catalogue by genre.",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"genre":{"type":"string","description":"The genre to search for."},"limit":{"type":"integer","maximum":9007199254740993}},"required":["genre"]}`),
	}
	listGenres = declared{Name: "list_genres", Parameters: json.RawMessage(`{"type":"object","properties":{}}`)}
)

// The schema document goes out as written: keys in their order, numbers
// as written.
const searchBooksWire = `{"toolSpec": {"name": "search_books", "description": "Search the library's catalogue by genre.",
	"inputSchema": {"json": {"type": "object", "properties": {"genre": {"type": "string", "description": "The genre to search for."},
		"limit": {"type": "integer", "maximum": 9007199254740993}}, "required": ["genre"]}}}}`

// sequence answers the n-th request with the n-th fixture, and none with
// no fixtures.
func sequence(t *testing.T, names ...string) *replaytest.Server {
	if len(names) == 0 {
		return replaytest.NewServer(t, func(http.ResponseWriter, *http.Request) { t.Error("no request was expected") })
	}
	var hs []http.HandlerFunc
	for _, name := range names {
		hs = append(hs, func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, 200, fixture(t, name))
		})
	}
	return replaytest.NewServer(t, replaytest.Sequence(hs...))
}

func TestToolCallAndResultRoundTrip(t *testing.T) {
	s := sequence(t, "converse_tool.json", "converse_tool_answer.json")
	p := newProvider(t, s)
	req := &mirascope.Request{
		Messages:   []prompt.Message{prompt.User("Recommend a fantasy book from the library.")},
		Tools:      []mirascope.Tool{searchBooks},
		ToolChoice: mirascope.ToolChoiceRequired,
	}
	first, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	call := prompt.ToolCall{ID: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", Name: "search_books", Arguments: `{"genre":"fantasy"}`}
	assert.Equal(t, []prompt.ToolCall{call}, first.ToolCalls)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: "Let me search for fantasy books.", ToolCalls: []prompt.ToolCall{call}}, first.Message)
	assert.Equal(t, []string{"tool_use"}, first.FinishReasons)

	req.ToolChoice = ""
	req.Messages = append(req.Messages, first.Message,
		prompt.ToolResult(call.ID, `{"books":[{"title":"Mistborn","copies":12345678901234567890}]}`))
	second, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "I recommend Mistborn by Brandon Sanderson; the library has it.", second.Content)
	assert.Empty(t, second.ToolCalls)
	assert.Equal(t, []string{"end_turn"}, second.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 489, OutputTokens: 17}, second.Usage)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{
		"messages": [{"role": "user", "content": [{"text": "Recommend a fantasy book from the library."}]}],
		"toolConfig": {"tools": [`+searchBooksWire+`], "toolChoice": {"any": {}}}
	}`, string(reqs[0].Body))
	assert.Contains(t, string(reqs[0].Body), "9007199254740993", "no float64 rounding")
	assert.JSONEq(t, `{
		"messages": [
			{"role": "user", "content": [{"text": "Recommend a fantasy book from the library."}]},
			{"role": "assistant", "content": [
				{"text": "Let me search for fantasy books."},
				{"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "name": "search_books", "input": {"genre": "fantasy"}}}
			]},
			{"role": "user", "content": [
				{"toolResult": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "content": [
					{"text": "{\"books\":[{\"title\":\"Mistborn\",\"copies\":12345678901234567890}]}"}
				]}}
			]}
		],
		"toolConfig": {"tools": [`+searchBooksWire+`]}
	}`, string(reqs[1].Body))
}

func TestToolResultsInOneUserTurnWithErrorStatus(t *testing.T) {
	s := sequence(t, "converse_tool_answer.json")
	_, err := newProvider(t, s).Call(context.Background(), &mirascope.Request{
		Messages: []prompt.Message{
			prompt.User("Find fantasy books and the genres."),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{
				{ID: "tooluse_a", Name: "search_books", Arguments: `{"genre":"fantasy","limit":9007199254740993}`},
				{ID: "tooluse_b", Name: "list_genres"},
			}},
			prompt.ToolResult("tooluse_a", `["Mistborn"]`),
			{Role: prompt.RoleTool, ToolCallID: "tooluse_b", Content: `tool "list_genres" failed: catalogue offline`, IsError: true},
		},
		Tools: []mirascope.Tool{searchBooks, listGenres},
	})
	require.NoError(t, err)
	var body struct {
		Messages []json.RawMessage `json:"messages"`
	}
	body2 := s.Requests()[0].Body
	require.NoError(t, json.Unmarshal(body2, &body))
	require.Len(t, body.Messages, 3, "the two results are one user turn")
	assert.JSONEq(t, `{"role": "assistant", "content": [
		{"toolUse": {"toolUseId": "tooluse_a", "name": "search_books", "input": {"genre": "fantasy", "limit": 9007199254740993}}},
		{"toolUse": {"toolUseId": "tooluse_b", "name": "list_genres", "input": {}}}]}`, string(body.Messages[1]))
	assert.JSONEq(t, `{"role": "user", "content": [
		{"toolResult": {"toolUseId": "tooluse_a", "content": [{"text": "[\"Mistborn\"]"}]}},
		{"toolResult": {"toolUseId": "tooluse_b", "content": [{"text": "tool \"list_genres\" failed: catalogue offline"}], "status": "error"}}]}`, string(body.Messages[2]))
	assert.Contains(t, string(body2), `"limit":9007199254740993`)
}

func TestToolChoice(t *testing.T) {
	tests := []struct {
		choice mirascope.ToolChoice
		want   string // the toolConfig sent; "" for none
	}{
		{"", `{"tools": [` + searchBooksWire + `]}`},
		{mirascope.ToolChoiceAuto, `{"tools": [` + searchBooksWire + `], "toolChoice": {"auto": {}}}`},
		{mirascope.ToolChoiceRequired, `{"tools": [` + searchBooksWire + `], "toolChoice": {"any": {}}}`},
		{"search_books", `{"tools": [` + searchBooksWire + `], "toolChoice": {"tool": {"name": "search_books"}}}`},
		{mirascope.ToolChoiceNone, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.choice), func(t *testing.T) {
			s := sequence(t, "converse.json")
			_, err := newProvider(t, s).Call(context.Background(), &mirascope.Request{
				Messages: []prompt.Message{prompt.User("hi")}, Tools: []mirascope.Tool{searchBooks}, ToolChoice: tt.choice,
			})
			require.NoError(t, err)
			var body map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
			if tt.want == "" {
				assert.NotContains(t, body, "toolConfig", "tool choice none: the tools are not offered")
				return
			}
			assert.JSONEq(t, tt.want, string(body["toolConfig"]))
		})
	}
}

func TestToolRefusalsBeforeAnyRequest(t *testing.T) {
	withTools := []prompt.Message{
		prompt.User("hi"),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "t1", Name: "search_books", Arguments: `{"genre":"fantasy"}`}}},
		prompt.ToolResult("t1", "[]"),
	}
	tests := []struct {
		name string
		req  *mirascope.Request
		want string
	}{
		{"tool choice none after tool calls", &mirascope.Request{Messages: withTools, Tools: []mirascope.Tool{searchBooks}, ToolChoice: mirascope.ToolChoiceNone},
			"mirascope: aws.bedrock: WithToolChoice is not supported: Converse has no tool choice none, and a conversation holding tool calls or results must offer its tools"},
		{"a tool that is not offered", &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}, Tools: []mirascope.Tool{searchBooks}, ToolChoice: "list_genres"},
			`mirascope: aws.bedrock: WithToolChoice is not supported: no tool named "list_genres" is offered`},
		{"required without tools", &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}, ToolChoice: mirascope.ToolChoiceRequired},
			"mirascope: aws.bedrock: WithToolChoice is not supported: tool choice required needs tools to call; pass them with WithTools"},
		{"a format schema that is no object", &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}, Format: &mirascope.Format{Name: "book", Schema: json.RawMessage(`[]`)}},
			"mirascope: aws.bedrock: Format is not supported: the schema is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sequence(t)
			p := newProvider(t, s)
			_, err := p.Call(context.Background(), tt.req)
			require.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.EqualError(t, err, tt.want)
			for _, err := range p.Stream(context.Background(), tt.req) {
				assert.EqualError(t, err, tt.want)
			}
			assert.Empty(t, s.Requests())
		})
	}
}

func TestStreamToolCalls(t *testing.T) {
	body := eventStream(t, "stream_tool.jsonl")
	for _, tt := range []struct {
		name   string
		pieces [][]byte
	}{
		{"whole", [][]byte{body}},
		{"split inside frames", replaytest.CutAt(body, 50, 300, 301, 700, 1200)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
				streamHeaders(w)
				replaytest.WritePieces(w, time.Millisecond, tt.pieces...)
			})
			st, err := mirascope.Stream(context.Background(), newProvider(t, s), recommend{"fantasy"}, mirascope.WithTools(searchBooks, listGenres))
			require.NoError(t, err)
			var pieces []mirascope.ToolCallChunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				pieces = append(pieces, c.ToolCalls...)
			}
			got := s.Requests()[0]
			assert.True(t, strings.HasSuffix(got.Path, "/converse-stream"))
			var req map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(got.Body, &req))
			assert.JSONEq(t, `{"tools": [`+searchBooksWire+`, {"toolSpec": {"name": "list_genres", "inputSchema": {"json": {"type": "object", "properties": {}}}}}]}`, string(req["toolConfig"]))

			assert.Equal(t, []mirascope.ToolCallChunk{
				{Index: 1, ID: "tooluse_Qm8v3RkTSl2xN0pWc7yHbA", Name: "search_books"},
				{Index: 1, Arguments: ""},
				{Index: 1, Arguments: `{"genre": "fan`},
				{Index: 1, Arguments: `tasy"}`},
				{Index: 2, ID: "tooluse_7fJd0aXqR5mZkV2eLs9uPw", Name: "list_genres"},
				{Index: 2, Arguments: "{}"},
			}, pieces, "by content block index; a call without input gets {} at its block's end")

			resp := st.Response()
			calls := []prompt.ToolCall{
				{ID: "tooluse_Qm8v3RkTSl2xN0pWc7yHbA", Name: "search_books", Arguments: `{"genre": "fantasy"}`},
				{ID: "tooluse_7fJd0aXqR5mZkV2eLs9uPw", Name: "list_genres", Arguments: "{}"},
			}
			assert.Equal(t, calls, resp.ToolCalls)
			assert.Equal(t, calls, resp.Message.ToolCalls)
			assert.Equal(t, "Let me search the library.", resp.Content)
			assert.Equal(t, []string{"tool_use"}, resp.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 402, OutputTokens: 71}, resp.Usage)
		})
	}
}

var bookFormat = &mirascope.Format{
	Name:        "book",
	Description: "A book recommendation.",
	Schema:      json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"author":{"type":"string"},"year":{"type":"integer"}},"required":["title","author","year"],"additionalProperties":false}`),
}

func TestExtractWithNativeStructuredOutput(t *testing.T) {
	for _, stream := range []bool{false, true} {
		s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/converse-stream") {
				streamHeaders(w)
				_, _ = w.Write(eventStream(t, "stream_extract.jsonl"))
				return
			}
			jsonReply(w, 200, fixture(t, "converse_extract.json"))
		})
		req := &mirascope.Request{Messages: []prompt.Message{prompt.User("Recommend a fantasy book.")}, Format: bookFormat, Tools: []mirascope.Tool{searchBooks}}
		var resp *mirascope.Response
		if stream {
			st, err := mirascope.Stream(context.Background(), newProvider(t, s), recommend{"fantasy"}, func(r *mirascope.Request) { *r = *req })
			require.NoError(t, err)
			for _, err := range st.Chunks() {
				require.NoError(t, err)
			}
			resp = st.Response()
		} else {
			var err error
			resp, err = newProvider(t, s).Call(context.Background(), req)
			require.NoError(t, err)
		}
		assert.Equal(t, `{"title":"Mistborn","author":"Brandon Sanderson","year":2006}`, resp.Content, "stream %v", stream)
		assert.Empty(t, resp.ToolCalls)
		// The schema travels as a string, exactly as given, alongside the
		// tools.
		assert.JSONEq(t, `{
			"messages": [{"role": "user", "content": [{"text": "Recommend a fantasy book."}]}],
			"toolConfig": {"tools": [`+searchBooksWire+`]},
			"outputConfig": {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {
				"name": "book", "description": "A book recommendation.",
				"schema": "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"author\":{\"type\":\"string\"},\"year\":{\"type\":\"integer\"}},\"required\":[\"title\",\"author\",\"year\"],\"additionalProperties\":false}"
			}}}}
		}`, string(s.Requests()[0].Body))
	}
}

// A tool's schema and a tool call's arguments reach the wire in the order
// they were written, not in a Go map's (sorted) order: the model reads the
// properties in that order, and the same request is the same bytes.
func TestToolSchemaKeepsKeyOrder(t *testing.T) {
	shelve := declared{Name: "shelve", Parameters: json.RawMessage(`{
		"type": "object",
		"properties": {"title": {"type": "string"}, "author": {"type": "string"}, "year": {"type": "integer", "maximum": 9007199254740993}},
		"required": ["title", "author"]}`)}
	s := sequence(t, "converse.json", "converse.json")
	p := newProvider(t, s)
	req := &mirascope.Request{
		Messages: []prompt.Message{
			prompt.User("Shelve Mistborn."),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "tooluse_a", Name: "shelve", Arguments: `{"title": "Mistborn", "author": "Sanderson", "year": 2006}`}}},
			prompt.ToolResult("tooluse_a", "done"),
		},
		Tools: []mirascope.Tool{shelve},
	}
	for range 2 {
		_, err := p.Call(context.Background(), req)
		require.NoError(t, err)
	}
	body := string(s.Requests()[0].Body)
	assert.Contains(t, body, `"inputSchema":{"json":{"type":"object","properties":{"title":{"type":"string"},"author":{"type":"string"},"year":{"type":"integer","maximum":9007199254740993}},"required":["title","author"]}}`)
	assert.Contains(t, body, `"input":{"title":"Mistborn","author":"Sanderson","year":2006}`)
	assert.Equal(t, body, string(s.Requests()[1].Body), "the same request is the same bytes")

	stream := eventStream(t, "stream.jsonl")
	ss := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		streamHeaders(w)
		_, _ = w.Write(stream)
	})
	for _, err := range newProvider(t, ss).Stream(context.Background(), req) {
		require.NoError(t, err)
	}
	assert.Contains(t, string(ss.Requests()[0].Body), `"properties":{"title":{"type":"string"},"author":{"type":"string"},"year"`, "ConverseStream too")
}

func TestToolSchemaNotUTF8(t *testing.T) {
	bad := declared{Name: "bad", Parameters: json.RawMessage("{\"type\":\"object\",\"description\":\"\xff\"}")}
	s := sequence(t)
	_, err := newProvider(t, s).Call(context.Background(), &mirascope.Request{
		Messages: []prompt.Message{prompt.User("hi")}, Tools: []mirascope.Tool{bad},
	})
	var unsupported *mirascope.UnsupportedError
	require.ErrorAs(t, err, &unsupported)
	assert.Contains(t, err.Error(), "not valid UTF-8")
}
