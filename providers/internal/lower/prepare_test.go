package lower_test

import (
	"context"
	"encoding/json"
	"io"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

type tool mirascope.ToolDefinition

func (d tool) Definition() mirascope.ToolDefinition       { return mirascope.ToolDefinition(d) }
func (tool) Call(context.Context, string) (string, error) { return "", nil }

var (
	search = tool{Name: "search", Parameters: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"}}}`)}
	book   = &mirascope.Format{Name: "book", Schema: json.RawMessage(
		`{"type":"object","properties":{"title":{"type":"string","minLength":1},"year":{"type":"integer","minimum":0}},"required":["title","year"]}`)}
	composed = &mirascope.Format{Name: "book", Schema: json.RawMessage(
		`{"type":"object","properties":{"title":{"allOf":[{"type":"string"}]}},"required":["title"]}`)}
)

// want is the one outcome of a case: a refusal of Parameter, an invalid
// tool, or a plan with this choice, these tools and this format strategy.
type want struct {
	refused     string // the UnsupportedError's Parameter
	invalidTool bool
	choice      lower.Choice
	tools       []string
	format      lower.Strategy
}

func refused(param string) want { return want{refused: param} }

// Every case's outcome is a function of capabilities only, so providers
// sharing a capability answer alike.
var cases = []struct {
	name string
	req  mirascope.Request
	want func(c lower.Caps) want
}{
	// Tool choice, without tools: auto and none ask for what holds and
	// send nothing; required and a name cannot be honoured.
	{"auto, no tools", mirascope.Request{ToolChoice: mirascope.ToolChoiceAuto},
		func(lower.Caps) want { return want{} }},
	{"none, no tools", mirascope.Request{ToolChoice: mirascope.ToolChoiceNone},
		func(lower.Caps) want { return want{} }},
	{"required, no tools", mirascope.Request{ToolChoice: mirascope.ToolChoiceRequired},
		func(lower.Caps) want { return refused("WithToolChoice") }},
	{"named, no tools", mirascope.Request{ToolChoice: "search"},
		func(lower.Caps) want { return refused("WithToolChoice") }},
	// With tools.
	{"unset, tools", mirascope.Request{Tools: []mirascope.Tool{search}},
		func(lower.Caps) want { return want{tools: []string{"search"}} }},
	{"auto, tools", mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: mirascope.ToolChoiceAuto},
		func(lower.Caps) want {
			return want{tools: []string{"search"}, choice: lower.Choice{Kind: lower.ChoiceAuto}}
		}},
	{"none, tools", mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: mirascope.ToolChoiceNone},
		func(c lower.Caps) want {
			if !c.NoneChoice {
				return want{} // the tools are not offered
			}
			return want{tools: []string{"search"}, choice: lower.Choice{Kind: lower.ChoiceNone}}
		}},
	{"none, tools, tool calls in the history", mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: mirascope.ToolChoiceNone,
		Messages: []prompt.Message{prompt.User("hi"), {Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "1", Name: "search"}}}, prompt.ToolResult("1", "[]")}},
		func(c lower.Caps) want {
			if !c.NoneChoice {
				return refused("WithToolChoice")
			}
			return want{tools: []string{"search"}, choice: lower.Choice{Kind: lower.ChoiceNone}}
		}},
	{"required, tools", mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: mirascope.ToolChoiceRequired},
		func(lower.Caps) want {
			return want{tools: []string{"search"}, choice: lower.Choice{Kind: lower.ChoiceRequired}}
		}},
	{"named, tools", mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: "search"},
		func(c lower.Caps) want {
			if !c.NamedChoice {
				return refused("WithToolChoice")
			}
			return want{tools: []string{"search"}, choice: lower.Choice{Kind: lower.ChoiceTool, Tool: "search"}}
		}},
	{"named, not offered", mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: "lookup"},
		func(lower.Caps) want { return refused("WithToolChoice") }},
	// Unusable tools.
	{"nil tool", mirascope.Request{Tools: []mirascope.Tool{search, nil}},
		func(lower.Caps) want { return want{invalidTool: true} }},
	{"two tools of one name", mirascope.Request{Tools: []mirascope.Tool{search, search}},
		func(lower.Caps) want { return want{invalidTool: true} }},
	{"unnamed tool", mirascope.Request{Tools: []mirascope.Tool{tool{}}},
		func(lower.Caps) want { return want{invalidTool: true} }},
	{"parameters not an object", mirascope.Request{Tools: []mirascope.Tool{tool{Name: "x", Parameters: json.RawMessage(`[]`)}}},
		func(lower.Caps) want { return want{invalidTool: true} }},
	// Format, alone and beside tools.
	{"format", mirascope.Request{Format: book},
		func(c lower.Caps) want {
			if c.Format == lower.Tool {
				w := want{tools: []string{"book"}, format: lower.Tool, choice: lower.Choice{Kind: lower.ChoiceRequired}}
				if c.NamedChoice {
					w.choice = lower.Choice{Kind: lower.ChoiceTool, Tool: "book"}
				}
				return w
			}
			return want{format: c.Format}
		}},
	{"format, tools", mirascope.Request{Format: book, Tools: []mirascope.Tool{search}},
		func(c lower.Caps) want {
			if c.FormatWithTools == lower.Tool {
				return want{tools: []string{"search", "book"}, format: lower.Tool, choice: lower.Choice{Kind: lower.ChoiceRequired}}
			}
			return want{tools: []string{"search"}, format: c.FormatWithTools}
		}},
	{"format, tools, choice none", mirascope.Request{Format: book, Tools: []mirascope.Tool{search}, ToolChoice: mirascope.ToolChoiceNone},
		func(c lower.Caps) want {
			switch {
			case c.FormatWithTools == lower.Tool:
				return refused("WithToolChoice")
			case !c.NoneChoice:
				return want{format: c.Format}
			}
			return want{tools: []string{"search"}, format: c.FormatWithTools, choice: lower.Choice{Kind: lower.ChoiceNone}}
		}},
	{"format named as a tool", mirascope.Request{Format: &mirascope.Format{Name: "search", Schema: book.Schema}, Tools: []mirascope.Tool{search}},
		func(c lower.Caps) want {
			if c.FormatWithTools == lower.Tool {
				return refused("Format")
			}
			return want{tools: []string{"search"}, format: c.FormatWithTools}
		}},
	{"format without a name", mirascope.Request{Format: &mirascope.Format{Schema: book.Schema}},
		func(lower.Caps) want { return refused("Format") }},
	{"format schema not an object", mirascope.Request{Format: &mirascope.Format{Name: "x", Schema: json.RawMessage(`{"type":"array"}`)}},
		func(lower.Caps) want { return refused("Format") }},
	// Keywords a service refuses outright.
	{"refused keyword", mirascope.Request{Format: composed},
		func(c lower.Caps) want {
			if c.Format == lower.Native && len(c.RefuseKeywords) > 0 {
				return refused("Format")
			}
			if c.Format == lower.Tool {
				w := want{tools: []string{"book"}, format: lower.Tool, choice: lower.Choice{Kind: lower.ChoiceRequired}}
				if c.NamedChoice {
					w.choice = lower.Choice{Kind: lower.ChoiceTool, Tool: "book"}
				}
				return w
			}
			return want{format: c.Format}
		}},
	// Parameters an API lacks.
	{"seed", mirascope.Request{Params: mirascope.Params{Seed: new(int64)}},
		func(c lower.Caps) want {
			if c.NoSeed {
				return refused("WithSeed")
			}
			return want{}
		}},
	{"temperature", mirascope.Request{Params: mirascope.Params{Temperature: new(float64)}},
		func(c lower.Caps) want {
			if c.NoTemperature {
				return refused("WithTemperature")
			}
			return want{}
		}},
	{"five stop sequences", mirascope.Request{Params: mirascope.Params{Stop: []string{"a", "b", "c", "d", "e"}}},
		func(c lower.Caps) want {
			if c.MaxStop > 0 && c.MaxStop < 5 {
				return refused("WithStop")
			}
			return want{}
		}},
	{"tool result without an id", mirascope.Request{Messages: []prompt.Message{prompt.ToolResult("", "x")}},
		func(lower.Caps) want { return refused("prompt.ToolResult") }},
}

func TestPrepareOverEveryCaps(t *testing.T) {
	names := make([]string, 0, len(lower.All))
	for n := range lower.All {
		names = append(names, n)
	}
	sort.Strings(names)
	require.Len(t, names, 14, "the ten providers' services, Azure's two endpoints, Groq's and Gemini's model families, Vertex AI")
	for _, n := range names {
		c := lower.All[n]
		t.Run(n, func(t *testing.T) {
			for _, tc := range cases {
				w := tc.want(c)
				req := tc.req
				plan, err := lower.Prepare(&req, c)
				switch {
				case w.refused != "":
					var ue *mirascope.UnsupportedError
					if assert.ErrorAs(t, err, &ue, tc.name) {
						assert.Equal(t, c.Name, ue.Provider, tc.name)
						assert.Equal(t, w.refused, ue.Parameter, tc.name)
						assert.NotEmpty(t, ue.Reason, tc.name)
						assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter, tc.name)
					}
				case w.invalidTool:
					assert.ErrorIs(t, err, mirascope.ErrInvalidTool, tc.name)
				default:
					if !assert.NoError(t, err, tc.name) {
						continue
					}
					var tools []string
					for _, d := range plan.Tools {
						tools = append(tools, d.Name)
					}
					assert.Equal(t, w.tools, tools, tc.name)
					assert.Equal(t, w.choice, plan.Choice, tc.name)
					var strategy lower.Strategy
					if plan.Format != nil {
						strategy = plan.Format.Strategy
					}
					assert.Equal(t, w.format, strategy, tc.name)
				}
			}
		})
	}
}

// Each refusal is worded once, whichever service refuses.
func TestRefusalWording(t *testing.T) {
	for _, tc := range []struct {
		caps lower.Caps
		req  mirascope.Request
		want string
	}{
		{lower.OpenAI, mirascope.Request{ToolChoice: mirascope.ToolChoiceRequired},
			"mirascope: openai: WithToolChoice is not supported: tool choice required needs tools to call; pass them with WithTools"},
		{lower.Cohere, mirascope.Request{ToolChoice: mirascope.ToolChoiceRequired},
			"mirascope: cohere: WithToolChoice is not supported: tool choice required needs tools to call; pass them with WithTools"},
		{lower.Anthropic, mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: "lookup"},
			`mirascope: anthropic: WithToolChoice is not supported: no tool named "lookup" is offered`},
		{lower.Bedrock, mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: "lookup"},
			`mirascope: aws.bedrock: WithToolChoice is not supported: no tool named "lookup" is offered`},
		{lower.Cohere, mirascope.Request{Tools: []mirascope.Tool{search}, ToolChoice: "search"},
			`mirascope: cohere: WithToolChoice is not supported: Chat v2 cannot be made to call one named tool ("search"); use ToolChoiceRequired`},
		{lower.Bedrock, mirascope.Request{Params: mirascope.Params{Seed: new(int64)}},
			"mirascope: aws.bedrock: WithSeed is not supported: Converse has no seed; pass it as the model's own field with bedrock.WithAdditionalModelRequestFields"},
		{lower.Cohere, mirascope.Request{Format: composed},
			`mirascope: cohere: Format is not supported: the schema states "allOf" (at $.title), which Chat v2's structured output does not take`},
		{lower.Groq, mirascope.Request{Format: book, Tools: []mirascope.Tool{search}, ToolChoice: "search"},
			`mirascope: groq: WithToolChoice is not supported: structured output goes through a tool here, which tool choice "search" forbids the model to call`},
		{lower.Anthropic, mirascope.Request{Tools: []mirascope.Tool{search, nil}},
			`mirascope: invalid tool "#1": nil tool`},
		{lower.Gemini, mirascope.Request{Tools: []mirascope.Tool{search, search}},
			`mirascope: invalid tool "search": offered twice`},
	} {
		_, err := lower.Prepare(&tc.req, tc.caps)
		assert.EqualError(t, err, tc.want)
	}
}

// Services that take parallel results in one user turn get them grouped;
// system text leaves the turns unless the wire keeps it in place.
func TestTurns(t *testing.T) {
	msgs := []prompt.Message{
		prompt.System("s1"), prompt.User("u"),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "a", Name: "x"}, {ID: "b", Name: "x"}}},
		prompt.ToolResult("a", "1"), prompt.ToolResult("b", "2"), prompt.System("s2"), prompt.User("v"),
	}
	plan, err := lower.Prepare(&mirascope.Request{Messages: msgs}, lower.Anthropic)
	require.NoError(t, err)
	assert.Equal(t, []string{"s1", "s2"}, plan.System)
	require.Len(t, plan.Turns, 4)
	assert.Equal(t, prompt.RoleTool, plan.Turns[2].Role)
	assert.Equal(t, msgs[3:5], plan.Turns[2].Results)
	assert.Equal(t, msgs[6], plan.Turns[3].Message)

	plan, err = lower.Prepare(&mirascope.Request{Messages: msgs}, lower.OpenAI)
	require.NoError(t, err)
	assert.Empty(t, plan.System)
	require.Len(t, plan.Turns, 6)
	assert.Equal(t, msgs[5], plan.Turns[4].Message)

	_, err = lower.Prepare(&mirascope.Request{Messages: []prompt.Message{{Role: "narrator"}}}, lower.Gemini)
	assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
}

// Native schemas lose the keywords a service drops, into descriptions, and
// keep their property order; strict ones are rewritten, or sent as written
// with strict off.
func TestFormatSchemas(t *testing.T) {
	plan, err := lower.Prepare(&mirascope.Request{Format: book}, lower.Anthropic)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"object","properties":{"title":{"type":"string","description":"(minLength: 1)"},"year":{"type":"integer","description":"(minimum: 0)"}},"required":["title","year"],"additionalProperties":false}`,
		string(plan.Format.Schema))

	plan, err = lower.Prepare(&mirascope.Request{Format: book}, lower.Gemini)
	require.NoError(t, err)
	assert.Equal(t, string(book.Schema), string(plan.Format.Schema))

	plan, err = lower.Prepare(&mirascope.Request{Format: book}, lower.OpenAI)
	require.NoError(t, err)
	assert.True(t, plan.Format.Strict)
	mapped := &mirascope.Format{Name: "m", Schema: json.RawMessage(`{"type":"object","additionalProperties":{"type":"string"}}`)}
	plan, err = lower.Prepare(&mirascope.Request{Format: mapped}, lower.OpenAI)
	require.NoError(t, err)
	assert.False(t, plan.Format.Strict)
	assert.Equal(t, string(mapped.Schema), string(plan.Format.Schema))
}

// The forced tool's call is the content, whole or streamed, and no tool call.
func TestAnswer(t *testing.T) {
	plan, err := lower.Prepare(&mirascope.Request{Format: book, Tools: []mirascope.Tool{search}}, lower.Groq)
	require.NoError(t, err)
	content, calls := plan.Answer("", []prompt.ToolCall{{ID: "1", Name: "search", Arguments: "{}"}, {ID: "2", Name: "book", Arguments: `{"title":"X"}`}})
	assert.Equal(t, `{"title":"X"}`, content)
	assert.Equal(t, []prompt.ToolCall{{ID: "1", Name: "search", Arguments: "{}"}}, calls)

	s := plan.Stream()
	c1 := &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, ID: "c0", Name: "search", Arguments: `{"q`}, {Index: 1, ID: "c1", Name: "book", Arguments: `{"title":`}}}
	c2 := &mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 1, Arguments: `"X"}`}, {Index: 0, Arguments: `":"a"}`}}}
	s.Chunk(c1)
	s.Chunk(c2)
	assert.Equal(t, `{"title":`+`"X"}`, c1.Content+c2.Content)
	assert.Equal(t, []mirascope.ToolCallChunk{{Index: 0, ID: "c0", Name: "search", Arguments: `{"q`}}, c1.ToolCalls)
	assert.Equal(t, []mirascope.ToolCallChunk{{Index: 0, Arguments: `":"a"}`}}, c2.ToolCalls)

	// Without a format tool, nothing moves.
	plan, err = lower.Prepare(&mirascope.Request{Tools: []mirascope.Tool{search}}, lower.Groq)
	require.NoError(t, err)
	content, calls = plan.Answer("hi", []prompt.ToolCall{{Name: "book"}})
	assert.Equal(t, "hi", content)
	assert.Len(t, calls, 1)
}

func TestCutShort(t *testing.T) {
	err := lower.CutShort("openai", "req_1")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.True(t, err.Retryable)
	assert.Equal(t, "mirascope: openai: unexpected EOF: the stream ended before the response was complete (request id req_1)", err.Error())
}
