package cohere_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
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

var searchBooks = declared{
	Name:        "search_books",
	Description: "Search the library's catalogue by genre.",
	Parameters:  json.RawMessage(`{"type":"object","properties":{"genre":{"type":"string","description":"The genre to search for."}},"required":["genre"]}`),
}

const searchBooksWire = `{"type": "function", "function": {"name": "search_books", "description": "Search the library's catalogue by genre.",
	"parameters": {"type": "object", "properties": {"genre": {"type": "string", "description": "The genre to search for."}}, "required": ["genre"]}}}`

var bookFormat = &mirascope.Format{
	Name:        "book",
	Description: "A book recommendation.",
	Schema: json.RawMessage(`{"type":"object","properties":{
		"title":{"type":"string","minLength":1},
		"author":{"type":"string"},
		"year":{"type":"integer","minimum":1450,"maximum":2100},
		"published":{"type":"string","format":"date"},
		"contact":{"type":"string","format":"email","pattern":"^.+@.+$"},
		"tags":{"type":"array","items":{"type":"string","maxLength":20},"minItems":1,"uniqueItems":true}
	},"required":["title","author","year"]}`),
}

// sequence answers the n-th request with the n-th fixture, and none with
// no fixtures.
func sequence(t *testing.T, names ...string) *replaytest.Server {
	if len(names) == 0 {
		return replaytest.NewServer(t, func(http.ResponseWriter, *http.Request) { t.Error("no request was expected") })
	}
	var hs []http.HandlerFunc
	for _, name := range names {
		hs = append(hs, func(w http.ResponseWriter, r *http.Request) {
			respHeaders(w, "application/json")
			_, _ = w.Write(fixture(t, name))
		})
	}
	return replaytest.NewServer(t, replaytest.Sequence(hs...))
}

func TestToolCallAndResultRoundTrip(t *testing.T) {
	s := sequence(t, "call_tool.json", "tool_answer.json")
	p := newProvider(s)
	req := &mirascope.Request{
		Messages:   []prompt.Message{prompt.User("Recommend a fantasy book from the library.")},
		Tools:      []mirascope.Tool{searchBooks},
		ToolChoice: mirascope.ToolChoiceRequired,
	}
	first, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	call := prompt.ToolCall{ID: "search_books_x3kq8z1p2w4e", Name: "search_books", Arguments: `{"genre":"fantasy"}`}
	assert.Equal(t, []prompt.ToolCall{call}, first.ToolCalls)
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: "I will look up the books in the fantasy genre.",
		ToolCalls: []prompt.ToolCall{call}}, first.Message)
	assert.Equal(t, []string{"TOOL_CALL"}, first.FinishReasons)

	req.ToolChoice = ""
	req.Messages = append(req.Messages, first.Message,
		prompt.ToolResult(call.ID, `{"books":[{"title":"Mistborn","author":"Brandon Sanderson","copies":12345678901234567890}]}`))
	second, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "I recommend Mistborn by Brandon Sanderson, which the library has.", second.Content)
	assert.Empty(t, second.ToolCalls)
	assert.Equal(t, []string{"COMPLETE"}, second.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 1187, OutputTokens: 41}, second.Usage)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{
		"model": "command-a-03-2025",
		"stream": false,
		"messages": [{"role": "user", "content": "Recommend a fantasy book from the library."}],
		"tools": [`+searchBooksWire+`],
		"tool_choice": "REQUIRED"
	}`, string(reqs[0].Body))
	// The plan goes back as tool_plan, the JSON result as a document whose
	// numbers are kept as written.
	assert.JSONEq(t, `{
		"model": "command-a-03-2025",
		"stream": false,
		"messages": [
			{"role": "user", "content": "Recommend a fantasy book from the library."},
			{"role": "assistant", "tool_plan": "I will look up the books in the fantasy genre.",
				"tool_calls": [{"id": "search_books_x3kq8z1p2w4e", "type": "function", "function": {"name": "search_books", "arguments": "{\"genre\":\"fantasy\"}"}}]},
			{"role": "tool", "tool_call_id": "search_books_x3kq8z1p2w4e", "content": [
				{"type": "document", "document": {"data": {"books": [{"title": "Mistborn", "author": "Brandon Sanderson", "copies": 12345678901234567890}]}}}
			]}
		],
		"tools": [`+searchBooksWire+`]
	}`, string(reqs[1].Body))
	assert.Contains(t, string(reqs[1].Body), "12345678901234567890")
}

func TestToolResultsAsText(t *testing.T) {
	s := sequence(t, "tool_answer.json")
	_, err := newProvider(s).Call(context.Background(), &mirascope.Request{
		Messages: []prompt.Message{
			prompt.User("Find two books."),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "a", Name: "search_books", Arguments: `{"genre":"fantasy"}`}, {ID: "b", Name: "lookup"}}},
			prompt.ToolResult("a", "Mistborn, by Brandon Sanderson"),
			{Role: prompt.RoleTool, ToolCallID: "b", Content: `{"error":"unknown tool \"lookup\""}`, IsError: true},
		},
		Tools: []mirascope.Tool{searchBooks},
	})
	require.NoError(t, err)
	var body struct {
		Messages []json.RawMessage `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
	require.Len(t, body.Messages, 4)
	assert.JSONEq(t, `{"role": "assistant", "tool_calls": [
		{"id": "a", "type": "function", "function": {"name": "search_books", "arguments": "{\"genre\":\"fantasy\"}"}},
		{"id": "b", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}]}`, string(body.Messages[1]))
	assert.JSONEq(t, `{"role": "tool", "tool_call_id": "a", "content": [{"type": "text", "text": "Mistborn, by Brandon Sanderson"}]}`, string(body.Messages[2]))
	// Cohere has no error flag: a failed run is sent as text, never as a
	// citable document.
	assert.JSONEq(t, `{"role": "tool", "tool_call_id": "b", "content": [{"type": "text", "text": "{\"error\":\"unknown tool \\\"lookup\\\"\"}"}]}`, string(body.Messages[3]))
}

func TestToolChoice(t *testing.T) {
	tests := []struct {
		choice mirascope.ToolChoice
		want   string // the tool_choice sent; "" for none
	}{
		{"", ""},
		{mirascope.ToolChoiceAuto, ""},
		{mirascope.ToolChoiceRequired, "REQUIRED"},
		{mirascope.ToolChoiceNone, "NONE"},
	}
	for _, tt := range tests {
		t.Run(string(tt.choice), func(t *testing.T) {
			s := sequence(t, "call_tool.json")
			_, err := newProvider(s).Call(context.Background(), &mirascope.Request{
				Messages: []prompt.Message{prompt.User("hi")}, Tools: []mirascope.Tool{searchBooks}, ToolChoice: tt.choice,
			})
			require.NoError(t, err)
			got, ok := s.Requests()[0].JSON["tool_choice"]
			if tt.want == "" {
				assert.False(t, ok, "tool_choice sent: %v", got)
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRefusedBeforeAnyRequest(t *testing.T) {
	withFormat := func(f *mirascope.Format, choice mirascope.ToolChoice, tools ...mirascope.Tool) *mirascope.Request {
		return &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}, Format: f, ToolChoice: choice, Tools: tools}
	}
	schema := func(s string) *mirascope.Format { return &mirascope.Format{Name: "book", Schema: json.RawMessage(s)} }
	tests := []struct {
		name string
		req  *mirascope.Request
		want string
	}{
		{"a named tool", withFormat(nil, "search_books", searchBooks),
			`mirascope: cohere: WithToolChoice is not supported: Chat v2 cannot be made to call one named tool ("search_books"); use ToolChoiceRequired`},
		{"required without tools", withFormat(nil, mirascope.ToolChoiceRequired),
			"mirascope: cohere: WithToolChoice is not supported: tool choice required needs tools to call; pass them with WithTools"},
		{"format, tools and tool choice none", withFormat(bookFormat, mirascope.ToolChoiceNone, searchBooks),
			`mirascope: cohere: WithToolChoice is not supported: structured output goes through a tool here, which tool choice "none" forbids the model to call`},
		{"format named as a tool", withFormat(&mirascope.Format{Name: "search_books", Schema: bookFormat.Schema}, "", searchBooks),
			`mirascope: cohere: Format is not supported: a tool is already named "search_books", the name the structured answer is requested under`},
		{"allOf", withFormat(schema(`{"type":"object","properties":{"a":{"allOf":[{"type":"string"}]}},"required":["a"]}`), ""),
			`mirascope: cohere: Format is not supported: the schema states "allOf" (at $.a), which Chat v2's structured output does not take`},
		{"an object without required properties", withFormat(schema(`{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}}}},"required":["a"]}`), ""),
			"mirascope: cohere: Format is not supported: Cohere's response_format needs every object to list at least one required property (the object at $.a lists none)"},
		{"a root that is no object", withFormat(schema(`{"type":"array","items":{"type":"string"}}`), ""),
			`mirascope: cohere: Format is not supported: the schema's type is "array": a structured answer is an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sequence(t)
			p := newProvider(s)
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
	body := fixture(t, "stream_tool.sse")
	for _, tt := range []struct {
		name   string
		pieces [][]byte
	}{
		{"whole", [][]byte{body}},
		{"every event split across reads", replaytest.SplitEvents(body, []byte("\n\n"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
				respHeaders(w, "text/event-stream")
				replaytest.WritePieces(w, time.Millisecond, tt.pieces...)
			})
			st, err := mirascope.Stream(context.Background(), newProvider(s), recommend{"fantasy"}, mirascope.WithTools(searchBooks))
			require.NoError(t, err)
			var pieces []mirascope.ToolCallChunk
			var text string
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				pieces = append(pieces, c.ToolCalls...)
				text += c.Content
			}
			assert.JSONEq(t, `{"model":"command-a-03-2025","stream":true,
				"messages":[{"role":"user","content":"Recommend a fantasy book."}],
				"tools":[`+searchBooksWire+`]}`, string(s.Requests()[0].Body))
			assert.Equal(t, "I will search for fantasy books.", text, "the tool plan")
			require.Len(t, pieces, 13, "a start and its argument deltas per call")
			assert.Equal(t, mirascope.ToolCallChunk{Index: 0, ID: "search_books_9p4w2n7c1x5d", Name: "search_books"}, pieces[0])
			assert.Equal(t, mirascope.ToolCallChunk{Index: 0, Arguments: `{"`}, pieces[1])
			assert.Equal(t, mirascope.ToolCallChunk{Index: 1, ID: "search_books_m3k8v6q0z2ht", Name: "search_books"}, pieces[6])

			resp := st.Response()
			calls := []prompt.ToolCall{
				{ID: "search_books_9p4w2n7c1x5d", Name: "search_books", Arguments: `{"genre": "fantasy"}`},
				{ID: "search_books_m3k8v6q0z2ht", Name: "search_books", Arguments: `{"genre": "science fiction"}`},
			}
			assert.Equal(t, calls, resp.ToolCalls)
			assert.Equal(t, calls, resp.Message.ToolCalls)
			assert.Equal(t, "I will search for fantasy books.", resp.Content)
			assert.Equal(t, []string{"TOOL_CALL"}, resp.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 1046, OutputTokens: 71}, resp.Usage)
		})
	}
}

func TestExtractWithResponseFormat(t *testing.T) {
	s := sequence(t, "extract.json")
	resp, err := newProvider(s).Call(context.Background(), &mirascope.Request{
		Messages: []prompt.Message{prompt.User("Recommend a fantasy book as JSON.")}, Format: bookFormat,
	})
	require.NoError(t, err)
	assert.Equal(t, `{"title": "Mistborn", "author": "Brandon Sanderson", "year": 2006}`, resp.Content)
	assert.Empty(t, resp.ToolCalls)
	// The bounds Cohere does not support are left to the check after
	// decoding, and told in the description; the date format it supports
	// stays, the email format and the anchored pattern go.
	assert.JSONEq(t, `{
		"model": "command-a-03-2025",
		"stream": false,
		"messages": [{"role": "user", "content": "Recommend a fantasy book as JSON."}],
		"response_format": {"type": "json_object", "json_schema": {
			"type": "object",
			"properties": {
				"title": {"type": "string", "description": "(minLength: 1)"},
				"author": {"type": "string"},
				"year": {"type": "integer", "description": "(minimum: 1450, maximum: 2100)"},
				"published": {"type": "string", "format": "date"},
				"contact": {"type": "string"},
				"tags": {"type": "array", "items": {"type": "string", "description": "(maxLength: 20)"}, "description": "(minItems: 1, uniqueItems: true)"}
			},
			"required": ["title", "author", "year"]
		}}
	}`, string(s.Requests()[0].Body))
}

func TestExtractWithToolsGoesAsAForcedTool(t *testing.T) {
	s := sequence(t, "format_tool.json")
	resp, err := newProvider(s).Call(context.Background(), &mirascope.Request{
		Messages: []prompt.Message{prompt.User("Recommend a fantasy book from the library.")},
		Tools:    []mirascope.Tool{searchBooks}, Format: bookFormat,
	})
	require.NoError(t, err)
	assert.Equal(t, `{"title":"Mistborn","author":"Brandon Sanderson","year":2006}`, resp.Content)
	assert.Empty(t, resp.ToolCalls, "the format's call is the answer, not a tool call")
	assert.Equal(t, prompt.Assistant(resp.Content), resp.Message)

	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
	assert.JSONEq(t, `"REQUIRED"`, string(body["tool_choice"]))
	assert.NotContains(t, body, "response_format", "Cohere refuses response_format with tools")
	var schema json.RawMessage = bookFormat.Schema
	assert.JSONEq(t, `[`+searchBooksWire+`, {"type": "function", "function": {"name": "book", "description": "A book recommendation.",
		"parameters": `+string(schema)+`}}]`, string(body["tools"]))
}

func TestStreamExtractWithToolsYieldsTheAnswerAsContent(t *testing.T) {
	// The same answer as format_tool.json, streamed: the plan is not
	// content, the format tool's arguments are.
	var stream string
	for _, ev := range []string{
		`{"id":"a84f1d6c-2e39-4b7a-9c05-7d3e2b1f6a90","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}`,
		`{"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I have the book."}}}`,
		`{"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"book_7hq2m9xv4k1c","type":"function","function":{"name":"book","arguments":""}}}}}`,
		`{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\"title\":\"Mistborn\","}}}}}`,
		`{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"\"author\":\"Brandon Sanderson\",\"year\":2006}"}}}}}`,
		`{"type":"tool-call-end","index":0}`,
		`{"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":96,"output_tokens":30},"tokens":{"input_tokens":1320,"output_tokens":62}}}}`,
	} {
		var typ struct{ Type string }
		require.NoError(t, json.Unmarshal([]byte(ev), &typ))
		stream += "event: " + typ.Type + "\ndata: " + ev + "\n\n"
	}
	stream += "data: [DONE]\n\n"
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "text/event-stream")
		_, _ = w.Write([]byte(stream))
	})
	st, err := mirascope.Stream(context.Background(), newProvider(s), recommend{"fantasy"},
		mirascope.WithTools(searchBooks), func(r *mirascope.Request) { r.Format = bookFormat })
	require.NoError(t, err)
	for c, err := range st.Chunks() {
		require.NoError(t, err)
		assert.Empty(t, c.ToolCalls)
	}
	resp := st.Response()
	assert.Equal(t, `{"title":"Mistborn","author":"Brandon Sanderson","year":2006}`, resp.Content)
	assert.Empty(t, resp.ToolCalls)
	body := s.Requests()[0].JSON
	assert.Equal(t, true, body["stream"])
	assert.Equal(t, "REQUIRED", body["tool_choice"])
	assert.NotContains(t, body, "response_format")
}

// A schema reaches the wire with its properties in the order written, in a
// tool's parameters and in response_format alike: the model writes them in
// that order.
func TestSchemaPropertyOrderKept(t *testing.T) {
	order := json.RawMessage(`{"type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"string"},"mid":{"type":"integer"}},"required":["zeta"]}`)
	for _, tc := range []struct {
		name string
		req  *mirascope.Request
	}{
		{"tool", &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}, Tools: []mirascope.Tool{declared{Name: "t", Parameters: order}}}},
		{"format", &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}, Format: &mirascope.Format{Name: "f", Schema: order}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sequence(t, "call_tool.json")
			_, err := newProvider(s).Call(context.Background(), tc.req)
			require.NoError(t, err)
			assert.Contains(t, string(s.Requests()[0].Body), `"properties":{"zeta":{"type":"string"},"alpha":{"type":"string"},"mid":{"type":"integer"}}`)
		})
	}
}
