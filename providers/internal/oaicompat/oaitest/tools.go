package oaitest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// Tools are the two tools of the fixtures: tool_call_request.json carries
// them as the wire must.
func Tools() []mirascope.Tool {
	return []mirascope.Tool{
		replaytest.Tool{Def: mirascope.ToolDefinition{
			Name:        "get_author",
			Description: "Returns the author of a book",
			Parameters:  json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","description":"The book's title"}},"required":["title"],"additionalProperties":false}`),
		}},
		replaytest.Tool{Def: mirascope.ToolDefinition{
			Name:        "search_books",
			Description: "Finds books of a genre in the catalogue",
			Parameters:  json.RawMessage(`{"type":"object","properties":{"genre":{"type":"string","enum":["fantasy","mystery","science fiction"]}},"required":["genre"],"additionalProperties":false}`),
		}},
	}
}

// librarian is the prompt of the tool fixtures.
type librarian struct{}

func (librarian) Messages() []prompt.Message {
	return []prompt.Message{
		prompt.System("You are a librarian."),
		prompt.User("Who wrote The Name of the Wind, and which fantasy books do you have?"),
	}
}

// BookFormat is the structured answer of the extraction fixtures.
func BookFormat() *mirascope.Format {
	return &mirascope.Format{
		Name:        "book",
		Description: "A book the reader mentions",
		Schema:      json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"author":{"type":"string"},"year":{"type":["integer","null"]}},"required":["title","author","year"],"additionalProperties":false}`),
	}
}

// ExtractRequest asks for the book a reader mentions, as BookFormat.
func ExtractRequest() *mirascope.Request {
	return &mirascope.Request{
		Messages: []prompt.Message{
			prompt.System("Extract the book the reader mentions."),
			prompt.User("I just finished The Name of the Wind by Patrick Rothfuss, from 2007."),
		},
		Format: BookFormat(),
	}
}

// wireBody is the part of a request body the tool checks read.
type wireBody struct {
	Tools []struct {
		Type     string `json:"type"`
		Function struct {
			Name        string          `json:"name"`
			Description string          `json:"description"`
			Parameters  json.RawMessage `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
	ToolChoice json.RawMessage `json:"tool_choice"`
	Messages   []struct {
		Role       string  `json:"role"`
		Content    *string `json:"content"`
		ToolCallID string  `json:"tool_call_id"`
		ToolCalls  []struct {
			ID       string `json:"id"`
			Type     string `json:"type"`
			Function struct {
				Name      string `json:"name"`
				Arguments string `json:"arguments"`
			} `json:"function"`
		} `json:"tool_calls"`
	} `json:"messages"`
	ResponseFormat json.RawMessage `json:"response_format"`
}

func decodeBody(t *testing.T, body []byte) wireBody {
	t.Helper()
	var b wireBody
	require.NoError(t, json.Unmarshal(body, &b))
	return b
}

// checkTools asserts the tool definitions on the wire, one by one.
func checkTools(t *testing.T, b wireBody, tools []mirascope.Tool) {
	t.Helper()
	require.Len(t, b.Tools, len(tools))
	for i, tool := range tools {
		def := tool.Definition()
		assert.Equal(t, "function", b.Tools[i].Type)
		assert.Equal(t, def.Name, b.Tools[i].Function.Name)
		assert.Equal(t, def.Description, b.Tools[i].Function.Description)
		assert.JSONEq(t, string(def.Parameters), string(b.Tools[i].Function.Parameters))
	}
}

// testToolRoundTrip: the model asks for two tools at once; their results,
// one a failure, go back with the assistant turn that asked, and the model
// answers.
func (s *Service) testToolRoundTrip(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "tool_call.json")), JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv)
	ctx := context.Background()

	resp, err := mirascope.Call(ctx, p, librarian{}, mirascope.WithTools(Tools()...), mirascope.WithToolChoice(mirascope.ToolChoiceAuto))
	require.NoError(t, err)
	seen := srv.Requests()
	require.Len(t, seen, 1)
	assert.JSONEq(t, string(Fixture(t, s.Dir, "tool_call_request.json")), string(seen[0].Body))
	first := decodeBody(t, seen[0].Body)
	checkTools(t, first, Tools())
	assert.JSONEq(t, `"auto"`, string(first.ToolChoice))

	want := s.WantToolCall
	require.Len(t, want.ToolCalls, 2, "the fixture asks for two calls at once")
	assert.Equal(t, want.ToolCalls, resp.ToolCalls, "every call, in the model's order")
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, ToolCalls: want.ToolCalls}, resp.Message)
	assert.Empty(t, resp.Content)
	assert.Equal(t, []string{"tool_calls"}, resp.FinishReasons)
	assert.Equal(t, want.ID, resp.ID)
	assert.Equal(t, want.Model, resp.Model)
	assert.Equal(t, want.Usage, resp.Usage)

	// The second turn: the history, the assistant turn as returned, and one
	// result per call; the second tool failed, which only its text can say.
	req := &mirascope.Request{
		Messages: append(librarian{}.Messages(), resp.Message,
			prompt.ToolResult(resp.ToolCalls[0].ID, "Patrick Rothfuss"),
			prompt.Message{Role: prompt.RoleTool, ToolCallID: resp.ToolCalls[1].ID, Content: "error: the catalogue is offline", IsError: true},
		),
		Tools:      Tools(),
		ToolChoice: mirascope.ToolChoiceAuto,
	}
	final, err := p.Call(ctx, req)
	require.NoError(t, err)
	seen = srv.Requests()
	require.Len(t, seen, 2)
	assert.JSONEq(t, string(Fixture(t, s.Dir, "tool_result_request.json")), string(seen[1].Body))
	second := decodeBody(t, seen[1].Body)
	checkTools(t, second, Tools())
	require.Len(t, second.Messages, 5)
	asked := second.Messages[2]
	assert.Equal(t, "assistant", asked.Role)
	assert.Nil(t, asked.Content, "a turn of calls only carries no content")
	require.Len(t, asked.ToolCalls, 2)
	for i, tc := range asked.ToolCalls {
		assert.Equal(t, want.ToolCalls[i].ID, tc.ID)
		assert.Equal(t, "function", tc.Type)
		assert.Equal(t, want.ToolCalls[i].Name, tc.Function.Name)
		assert.Equal(t, want.ToolCalls[i].Arguments, tc.Function.Arguments)
	}
	for i, content := range []string{"Patrick Rothfuss", "error: the catalogue is offline"} {
		m := second.Messages[3+i]
		assert.Equal(t, "tool", m.Role)
		assert.Equal(t, want.ToolCalls[i].ID, m.ToolCallID)
		require.NotNil(t, m.Content)
		assert.Equal(t, content, *m.Content)
	}
	assert.Equal(t, s.WantCall.Content, final.Content)
	assert.Empty(t, final.ToolCalls)
}

// testToolStream: calls streamed in pieces (or whole, as some services send
// them) are assembled by ResponseStream, however the bytes are split.
func (s *Service) testToolStream(t *testing.T) {
	for _, split := range []bool{false, true} {
		t.Run(fmt.Sprintf("split=%v", split), func(t *testing.T) {
			s.clearEnv(t)
			srv := s.server(t, SSE(s.Header, Fixture(t, s.Dir, "tool_stream.sse"), split))
			p := s.provider(srv)
			st, err := mirascope.Stream(context.Background(), p, librarian{}, mirascope.WithTools(Tools()...), mirascope.WithToolChoice(mirascope.ToolChoiceAuto))
			require.NoError(t, err)
			pieces := 0
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				for _, tc := range c.ToolCalls {
					pieces++
					assert.Contains(t, []int{0, 1}, tc.Index)
				}
			}
			assert.GreaterOrEqual(t, pieces, 2)
			r := st.Response()
			want := s.WantToolStream
			assert.Equal(t, want.ToolCalls, r.ToolCalls)
			assert.Equal(t, want.ToolCalls, r.Message.ToolCalls)
			assert.Empty(t, r.Content)
			assert.Equal(t, []string{"tool_calls"}, r.FinishReasons)
			assert.Equal(t, want.ID, r.ID)
			assert.Equal(t, want.Usage, r.Usage)

			seen := srv.Requests()
			require.Len(t, seen, 1)
			assert.JSONEq(t, string(s.streamed(t, "tool_call_request.json")), string(seen[0].Body))
		})
	}
}

// streamed is the request fixture name with the fields a stream adds, as
// stream_request.json shows them for the service.
func (s *Service) streamed(t *testing.T, name string) []byte {
	t.Helper()
	var body, stream map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(Fixture(t, s.Dir, name), &body))
	require.NoError(t, json.Unmarshal(Fixture(t, s.Dir, "stream_request.json"), &stream))
	for _, k := range []string{"stream", "stream_options"} {
		if v, ok := stream[k]; ok {
			body[k] = v
		}
	}
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return b
}

// testToolChoice: every mode reaches the wire in the service's spelling.
func (s *Service) testToolChoice(t *testing.T) {
	for _, tc := range []struct {
		choice mirascope.ToolChoice
		wire   string
	}{
		{"", ``},
		{mirascope.ToolChoiceAuto, `"auto"`},
		{mirascope.ToolChoiceRequired, `"required"`},
		{mirascope.ToolChoiceNone, `"none"`},
		{"search_books", `{"type":"function","function":{"name":"search_books"}}`},
	} {
		t.Run(string(tc.choice), func(t *testing.T) {
			s.clearEnv(t)
			srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
			p := s.provider(srv)
			_, err := mirascope.Call(context.Background(), p, librarian{}, mirascope.WithTools(Tools()...), mirascope.WithToolChoice(tc.choice))
			require.NoError(t, err)
			b := decodeBody(t, srv.Requests()[0].Body)
			checkTools(t, b, Tools())
			if tc.wire == "" {
				assert.Nil(t, b.ToolChoice, "the service's default applies")
				return
			}
			assert.JSONEq(t, tc.wire, string(b.ToolChoice))
		})
	}
}

// testExtract: a Format goes out as the service takes it (extract_request.json)
// and the structured answer comes back as Content, not as a tool call.
func (s *Service) testExtract(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "extract.json")))
	p := s.provider(srv)
	resp, err := p.Call(context.Background(), ExtractRequest())
	require.NoError(t, err)
	body := srv.Requests()[0].Body
	assert.JSONEq(t, string(Fixture(t, s.Dir, "extract_request.json")), string(body))
	b := decodeBody(t, body)
	f := BookFormat()
	if b.ResponseFormat != nil {
		var rf struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Name        string          `json:"name"`
				Description string          `json:"description"`
				Schema      json.RawMessage `json:"schema"`
				Strict      bool            `json:"strict"`
			} `json:"json_schema"`
		}
		require.NoError(t, json.Unmarshal(b.ResponseFormat, &rf))
		assert.Equal(t, "json_schema", rf.Type)
		assert.Equal(t, f.Name, rf.JSONSchema.Name)
		assert.Equal(t, f.Description, rf.JSONSchema.Description)
		assert.JSONEq(t, string(f.Schema), string(rf.JSONSchema.Schema))
		assert.True(t, rf.JSONSchema.Strict)
		assert.Empty(t, b.Tools)
	} else {
		// The forced tool: the only one, named.
		checkTools(t, b, []mirascope.Tool{replaytest.Tool{Def: mirascope.ToolDefinition{Name: f.Name, Description: f.Description, Parameters: f.Schema}}})
		assert.JSONEq(t, `{"type":"function","function":{"name":"book"}}`, string(b.ToolChoice))
	}
	assert.JSONEq(t, s.WantExtract.Content, resp.Content)
	assert.Equal(t, s.WantExtract.Content, resp.Content)
	assert.Equal(t, resp.Content, resp.Message.Content)
	assert.Empty(t, resp.ToolCalls, "the structured answer is not a tool call")
	assert.Empty(t, resp.Message.ToolCalls)
	assert.Equal(t, s.WantExtract.FinishReasons, resp.FinishReasons)
	assert.Equal(t, s.WantExtract.Usage, resp.Usage)
}

// book is the extraction fixtures' answer as a Go type; Extract names the
// Format after it.
type book struct {
	Title  string `json:"title" validate:"required"`
	Author string `json:"author" validate:"required"`
	Year   *int   `json:"year,omitempty"`
}

// readerNote is the extraction fixtures' prompt.
type readerNote struct{}

func (readerNote) Messages() []prompt.Message { return ExtractRequest().Messages }

// testExtractTyped: mirascope.Extract derives the schema of book, the
// provider sends it as the service takes a Format, and the answer decodes.
func (s *Service) testExtractTyped(t *testing.T) {
	s.clearEnv(t)
	srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "extract.json")))
	p := s.provider(srv)
	v, resp, err := mirascope.Extract[book](context.Background(), p, readerNote{})
	require.NoError(t, err)
	year := 2007
	assert.Equal(t, book{Title: "The Name of the Wind", Author: "Patrick Rothfuss", Year: &year}, v)
	assert.Equal(t, s.WantExtract.Content, resp.Content)

	b := decodeBody(t, srv.Requests()[0].Body)
	var schema json.RawMessage
	if b.ResponseFormat != nil {
		var rf struct {
			JSONSchema struct {
				Name   string          `json:"name"`
				Schema json.RawMessage `json:"schema"`
				Strict bool            `json:"strict"`
			} `json:"json_schema"`
		}
		require.NoError(t, json.Unmarshal(b.ResponseFormat, &rf))
		assert.Equal(t, "book", rf.JSONSchema.Name)
		assert.True(t, rf.JSONSchema.Strict)
		schema = rf.JSONSchema.Schema
	} else {
		require.Len(t, b.Tools, 1)
		assert.Equal(t, "book", b.Tools[0].Function.Name)
		schema = b.Tools[0].Function.Parameters
	}
	var sc struct {
		Required             []string `json:"required"`
		AdditionalProperties *bool    `json:"additionalProperties"`
	}
	require.NoError(t, json.Unmarshal(schema, &sc))
	if b.ResponseFormat != nil {
		// Strict mode's subset: every property required, no others.
		assert.Equal(t, []string{"title", "author", "year"}, sc.Required)
		require.NotNil(t, sc.AdditionalProperties)
		assert.False(t, *sc.AdditionalProperties)
	} else {
		assert.Subset(t, sc.Required, []string{"title", "author"})
	}
}

// testRefusals: what cannot be sent is refused before any request, with the
// one refusal type.
func (s *Service) testRefusals(t *testing.T) {
	withFormat := func(r *mirascope.Request) { r.Format = BookFormat() }
	for _, tc := range []struct {
		name   string
		opts   []mirascope.CallOption
		param  string
		reason string
	}{
		{"choice without tools", []mirascope.CallOption{mirascope.WithToolChoice(mirascope.ToolChoiceRequired)},
			"WithToolChoice", "tool choice required needs tools to call; pass them with WithTools"},
		{"choice of an unknown tool", []mirascope.CallOption{mirascope.WithTools(Tools()...), mirascope.WithToolChoice("get_isbn")},
			"WithToolChoice", `no tool named "get_isbn" is offered`},
		{"format named as a tool", []mirascope.CallOption{mirascope.WithTools(replaytest.Tool{Def: mirascope.ToolDefinition{Name: "book"}}), withFormat},
			"", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.clearEnv(t)
			srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
			p := s.provider(srv)
			req, err := mirascope.NewRequest(librarian{}, tc.opts...)
			require.NoError(t, err)
			_, err = p.Call(context.Background(), req)
			if tc.param == "" {
				// Only a service answering through a forced tool has a
				// name to collide with.
				if err == nil {
					assert.Len(t, srv.Requests(), 1)
					return
				}
				tc.param, tc.reason = "Format", `a tool is already named "book", the name the structured answer is requested under`
			}
			want := &mirascope.UnsupportedError{Provider: s.Name, Parameter: tc.param, Reason: tc.reason}
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, want, ue)

			var errs []error
			for _, e := range p.(mirascope.Streamer).Stream(context.Background(), req) {
				errs = append(errs, e)
			}
			require.Len(t, errs, 1)
			require.ErrorAs(t, errs[0], &ue)
			assert.Equal(t, want, ue)
			assert.Empty(t, srv.Requests(), "no request goes out")
		})
	}
}

// RunTracedTools sends the tool fixtures through otel.Traced, as a call and
// as a stream, and checks that the calls reach the span's output messages.
func RunTracedTools(t *testing.T, s Service) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			s.clearEnv(t)
			h, want := JSON(200, s.Header, Fixture(t, s.Dir, "tool_call.json")), s.WantToolCall
			if stream {
				h, want = SSE(s.Header, Fixture(t, s.Dir, "tool_stream.sse"), false), s.WantToolStream
			}
			srv := s.server(t, h)
			got := replaytest.Traced(t, s.provider(srv), stream, librarian{}, mirascope.WithTools(Tools()...))
			var out []struct {
				Role  string `json:"role"`
				Parts []struct {
					Type      string          `json:"type"`
					ID        string          `json:"id"`
					Name      string          `json:"name"`
					Arguments json.RawMessage `json:"arguments"`
				} `json:"parts"`
				FinishReason string `json:"finish_reason"`
			}
			require.NoError(t, json.Unmarshal([]byte(got["gen_ai.output.messages"].AsString()), &out))
			require.Len(t, out, 1)
			assert.Equal(t, "assistant", out[0].Role)
			assert.Equal(t, "tool_call", out[0].FinishReason)
			parts := out[0].Parts
			if len(parts) > 0 && parts[0].Type == "reasoning" {
				parts = parts[1:] // the service's thinking (xAI's reasoning_content), first
			}
			require.Len(t, parts, len(want.ToolCalls))
			for i, tc := range want.ToolCalls {
				part := parts[i]
				assert.Equal(t, "tool_call", part.Type)
				assert.Equal(t, tc.ID, part.ID)
				assert.Equal(t, tc.Name, part.Name)
				assert.JSONEq(t, tc.Arguments, string(part.Arguments))
			}
			assert.Equal(t, []string{"tool_calls"}, got["gen_ai.response.finish_reasons"].AsStringSlice())
		})
	}
}

// truncatedArgs are a call's arguments cut where max_tokens stopped the
// model: not JSON.
const truncatedArgs = `{"title":"The Name of`

// truncatedCall is a chat.completion stopped by max_tokens inside a tool
// call's arguments, as the Chat Completions API reference shapes it.
const truncatedCall = `{"id":"chatcmpl-trunc1","object":"chat.completion","created":1749314060,"model":"m-1",` +
	`"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_trunc","type":"function",` +
	`"function":{"name":"get_author","arguments":"{\"title\":\"The Name of"}}],"refusal":null},"logprobs":null,"finish_reason":"length"}],` +
	`"usage":{"prompt_tokens":98,"completion_tokens":8,"total_tokens":106}}`

// truncatedStream is the same answer streamed.
const truncatedStream = `data: {"id":"chatcmpl-trunc1","object":"chat.completion.chunk","created":1749314060,"model":"m-1","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_trunc","type":"function","function":{"name":"get_author","arguments":""}}]},"finish_reason":null}]}

data: {"id":"chatcmpl-trunc1","object":"chat.completion.chunk","created":1749314060,"model":"m-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"title\":"}}]},"finish_reason":null}]}

data: {"id":"chatcmpl-trunc1","object":"chat.completion.chunk","created":1749314060,"model":"m-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"The Name of"}}]},"finish_reason":null}]}

data: {"id":"chatcmpl-trunc1","object":"chat.completion.chunk","created":1749314060,"model":"m-1","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

data: [DONE]

`

// authorQuery is get_author's input as a typed tool decodes it.
type authorQuery struct {
	Title string `json:"title"`
}

// testToolArgumentsMalformed: arguments that are not JSON (cut by
// max_tokens) are kept as the service sent them, in a call and a stream,
// so the caller sees what came; running the tool is what refuses them,
// as an *ArgumentsError the model is told about, and the turn goes back on
// the wire unchanged.
func (s *Service) testToolArgumentsMalformed(t *testing.T) {
	s.clearEnv(t)
	var ran bool
	tool := mirascope.NewTool("get_author", "Returns the author of a book", func(_ context.Context, in authorQuery) (string, error) {
		ran = true
		return "Patrick Rothfuss", nil
	})
	check := func(t *testing.T, resp *mirascope.Response) {
		t.Helper()
		want := []prompt.ToolCall{{ID: "call_trunc", Name: "get_author", Arguments: truncatedArgs}}
		assert.Equal(t, want, resp.ToolCalls)
		assert.Equal(t, want, resp.Message.ToolCalls)
		assert.Equal(t, []string{"length"}, resp.FinishReasons)

		_, err := tool.Call(context.Background(), resp.ToolCalls[0].Arguments)
		var ae *mirascope.ArgumentsError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "get_author", ae.Tool)
		results := mirascope.CallTools(context.Background(), resp, tool)
		require.Len(t, results, 1)
		assert.True(t, results[0].IsError)
		assert.Equal(t, "call_trunc", results[0].ToolCallID)
		assert.Contains(t, results[0].Content, "invalid arguments for tool get_author")
		assert.False(t, ran, "the tool never runs on arguments it cannot decode")
	}

	srv := s.server(t, JSON(200, s.Header, []byte(truncatedCall)), JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
	p := s.provider(srv)
	resp, err := mirascope.Call(context.Background(), p, librarian{}, mirascope.WithTools(tool))
	require.NoError(t, err)
	check(t, resp)

	// Sent back as the service wrote them, with the error result.
	next := &mirascope.Request{
		Messages: append(librarian{}.Messages(), resp.Message),
		Tools:    []mirascope.Tool{tool},
	}
	next.Messages = append(next.Messages, mirascope.CallTools(context.Background(), resp, tool)...)
	_, err = p.Call(context.Background(), next)
	require.NoError(t, err)
	seen := srv.Requests()
	require.Len(t, seen, 2)
	b := decodeBody(t, seen[1].Body)
	require.Len(t, b.Messages, 4)
	require.Len(t, b.Messages[2].ToolCalls, 1)
	assert.Equal(t, truncatedArgs, b.Messages[2].ToolCalls[0].Function.Arguments)

	for _, split := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream split=%v", split), func(t *testing.T) {
			srv := s.server(t, SSE(s.Header, []byte(truncatedStream), split))
			st, err := mirascope.Stream(context.Background(), s.provider(srv), librarian{}, mirascope.WithTools(tool))
			require.NoError(t, err)
			for _, err := range st.Chunks() {
				require.NoError(t, err)
			}
			check(t, st.Response())
		})
	}
}
