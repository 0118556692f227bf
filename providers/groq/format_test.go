package groq_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/groq"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

const dir = "../../testdata/groq"

const book = `{"title":"The Name of the Wind","author":"Patrick Rothfuss","year":2007}`

func newGroq(srv *oaitest.Server) *groq.Provider {
	return groq.New("llama-3.3-70b-versatile", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
}

// body decodes the fields of a request body the format checks read.
func body(t *testing.T, raw []byte) (m map[string]json.RawMessage) {
	t.Helper()
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// The GPT-OSS models decode json_schema strictly: a Format goes out natively.
func TestFormatNativeOnGPTOSS(t *testing.T) {
	srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "extract_gpt_oss.json")))
	req := oaitest.ExtractRequest()
	req.Model = "openai/gpt-oss-120b"
	resp, err := newGroq(srv).Call(context.Background(), req)
	require.NoError(t, err)
	b := body(t, srv.Requests()[0].Body)
	assert.JSONEq(t, `"openai/gpt-oss-120b"`, string(b["model"]))
	assert.JSONEq(t, `{"type":"json_schema","json_schema":{"name":"book","description":"A book the reader mentions","strict":true,
		"schema":`+string(oaitest.BookFormat().Schema)+`}}`, string(b["response_format"]))
	assert.NotContains(t, b, "tools")
	assert.NotContains(t, b, "tool_choice")
	assert.Equal(t, book, resp.Content)
	assert.Empty(t, resp.ToolCalls)
	assert.Equal(t, mirascope.Usage{InputTokens: 151, OutputTokens: 58}, resp.Usage)
}

// Beside other tools, the format tool joins them and "required" lets the
// model call the others first, then answer through it.
func TestFormatBesideTools(t *testing.T) {
	srv := oaitest.NewServer(t, false,
		oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "tool_call.json")),
		oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "extract.json")))
	p := newGroq(srv)
	req := oaitest.ExtractRequest()
	req.Model = "openai/gpt-oss-20b"
	req.Tools = oaitest.Tools()
	resp, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	b := body(t, srv.Requests()[0].Body)
	var tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	require.NoError(t, json.Unmarshal(b["tools"], &tools))
	require.Len(t, tools, 3)
	assert.Equal(t, []string{"get_author", "search_books", "book"}, []string{tools[0].Function.Name, tools[1].Function.Name, tools[2].Function.Name})
	assert.JSONEq(t, `"required"`, string(b["tool_choice"]))
	assert.NotContains(t, b, "response_format", "Groq takes no json_schema beside tools")
	assert.Len(t, resp.ToolCalls, 2, "the other tools' calls are calls")
	assert.Empty(t, resp.Content)

	resp, err = p.Call(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, book, resp.Content, "the format tool's call is the answer")
	assert.Equal(t, prompt.Message{Role: prompt.RoleAssistant, Content: book}, resp.Message)
	assert.Empty(t, resp.ToolCalls)
}

// Streamed, the format tool's arguments arrive as content.
func TestFormatStream(t *testing.T) {
	for _, split := range []bool{false, true} {
		srv := oaitest.NewServer(t, false, oaitest.SSE(nil, oaitest.Fixture(t, dir, "extract_stream.sse"), split))
		var content string
		for c, err := range newGroq(srv).Stream(context.Background(), oaitest.ExtractRequest()) {
			require.NoError(t, err)
			content += c.Content
			assert.Empty(t, c.ToolCalls)
		}
		assert.Equal(t, book, content)
		b := body(t, srv.Requests()[0].Body)
		assert.JSONEq(t, `{"type":"function","function":{"name":"book"}}`, string(b["tool_choice"]))
		assert.JSONEq(t, `true`, string(b["stream"]))
	}
}

// A tool choice that keeps the model from the format tool is refused.
func TestFormatToolChoiceRefused(t *testing.T) {
	for _, choice := range []mirascope.ToolChoice{mirascope.ToolChoiceNone, "search_books"} {
		srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, oaitest.Fixture(t, dir, "call.json")))
		req := oaitest.ExtractRequest()
		req.Tools = oaitest.Tools()
		req.ToolChoice = choice
		_, err := newGroq(srv).Call(context.Background(), req)
		var ue *mirascope.UnsupportedError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, "mirascope: groq: WithToolChoice is not supported: structured output goes through a tool here, which tool choice \""+string(choice)+"\" forbids the model to call", err.Error())
		assert.Empty(t, srv.Requests())
	}
}
