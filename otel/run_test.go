package otel_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type cityArgs struct {
	City string `json:"city" validate:"required"`
}

// weather is a NewTool tool; the city "Atlantis" fails.
var weather = mirascope.NewTool("weather", "Current weather in a city.",
	func(_ context.Context, in cityArgs) (string, error) {
		if in.City == "Atlantis" {
			return "", errors.New("no station there")
		}
		return "18°C in " + in.City, nil
	})

func callsReply(calls ...prompt.ToolCall) mock.Reply {
	return mock.Respond(&mirascope.Response{ToolCalls: calls, FinishReasons: []string{"tool_calls"},
		Usage: mirascope.Usage{InputTokens: 10, OutputTokens: 5}})
}

func byName(spans tracetest.SpanStubs) map[string][]tracetest.SpanStub {
	m := map[string][]tracetest.SpanStub{}
	for _, s := range spans {
		m[s.Name] = append(m[s.Name], s)
	}
	return m
}

// TestRunEndToEnd: a Run through the traced mock is one invoke_agent span
// parenting both turns' chat spans and the tools' spans, whatever each tool
// run ends in.
func TestRunEndToEnd(t *testing.T) {
	h := newHarness(t)
	m := mock.New(
		callsReply(
			prompt.ToolCall{ID: "c1", Name: "weather", Arguments: `{"city":"Paris"}`},
			prompt.ToolCall{ID: "c2", Name: "weather", Arguments: `{"city":"Atlantis"}`},
			prompt.ToolCall{ID: "c3", Name: "weather", Arguments: `{"town":"Lyon"}`},
			prompt.ToolCall{ID: "c4", Name: "forecast", Arguments: `{}`},
		),
		mock.Respond(&mirascope.Response{Content: "Paris is mild.", Usage: mirascope.Usage{InputTokens: 40, OutputTokens: 4}}),
	)
	tr, err := mirascope.Run(context.Background(), h.traced(m), RecommendBook{Genre: "travel"}, mirascope.WithTools(weather))
	require.NoError(t, err)
	require.Equal(t, 2, tr.Turns)

	spans := h.spans.GetSpans()
	names := byName(spans)
	require.Len(t, names["invoke_agent RecommendBook"], 1)
	run := names["invoke_agent RecommendBook"][0]
	assert.Equal(t, trace.SpanKindInternal, run.SpanKind)
	assert.False(t, run.Parent.IsValid(), "the run is the root")
	ra := attrs(run.Attributes)
	assert.Equal(t, attribute.StringValue("invoke_agent"), ra["gen_ai.operation.name"])
	assert.Equal(t, attribute.IntValue(50), ra["gen_ai.usage.input_tokens"], "every turn summed")
	assert.Equal(t, attribute.IntValue(9), ra["gen_ai.usage.output_tokens"])
	assert.Equal(t, codes.Unset, run.Status.Code)

	chats := names["RecommendBook"]
	require.Len(t, chats, 2, "one chat span per turn")
	for _, c := range chats {
		assert.Equal(t, run.SpanContext.SpanID(), c.Parent.SpanID())
		assert.Equal(t, trace.SpanKindClient, c.SpanKind)
		assert.Contains(t, attrs(c.Attributes)["gen_ai.tool.definitions"].AsString(), `"name":"weather"`)
	}
	second := attrs(chats[1].Attributes)["gen_ai.input.messages"].AsString()
	assert.Contains(t, second, `{"type":"tool_call","id":"c1","name":"weather","arguments":{"city":"Paris"}}`)
	assert.Contains(t, second, `{"type":"tool_call_response","id":"c1","response":"18°C in Paris"}`)

	tools := append(names["execute_tool weather"], names["execute_tool forecast"]...)
	require.Len(t, tools, 4)
	got := map[string]map[string]attribute.Value{}
	for _, s := range tools {
		assert.Equal(t, run.SpanContext.SpanID(), s.Parent.SpanID(), s.Name)
		assert.Equal(t, trace.SpanKindInternal, s.SpanKind)
		a := attrs(s.Attributes)
		a["status"] = attribute.StringValue(s.Status.Code.String())
		got[a["gen_ai.tool.call.id"].AsString()] = a
	}
	assert.Equal(t, "18°C in Paris", got["c1"]["gen_ai.tool.call.result"].AsString())
	assert.Equal(t, "Unset", got["c1"]["status"].AsString())
	assert.NotContains(t, got["c1"], "error.type")
	for id, want := range map[string]string{
		"c2": "_OTHER",
		"c3": "github.com/mirascope-go/mirascope.ArgumentsError",
		"c4": "unknown_tool",
	} {
		assert.Equal(t, want, got[id]["error.type"].AsString(), id)
		assert.Equal(t, "Error", got[id]["status"].AsString(), id)
		assert.NotContains(t, got[id], "gen_ai.tool.call.result", id)
	}
}

// TestRunRedactedConversation: in a Run of a prompt with a redacted field,
// the later turns' input messages are recorded too, masked.
func TestRunRedactedConversation(t *testing.T) {
	h := newHarness(t)
	m := mock.New(
		callsReply(prompt.ToolCall{ID: "c1", Name: "weather", Arguments: `{"city":"sk-live-SECRET"}`}),
		mock.Text("done"),
	)
	_, err := mirascope.Run(context.Background(), h.traced(m),
		SecretTemplate{Genre: "x", APIKey: "sk-live-SECRET", Author: Author{Name: "Ann"}}, mirascope.WithTools(weather))
	require.NoError(t, err)
	chats := byName(h.spans.GetSpans())["SecretTemplate"]
	require.Len(t, chats, 2)
	in := attrs(chats[1].Attributes)["gen_ai.input.messages"].AsString()
	assert.Contains(t, in, `"arguments":{"city":"[REDACTED]"}`)
	assert.Contains(t, in, `"response":"18°C in [REDACTED]"`)
	for _, s := range h.spans.GetSpans() {
		assertNowhere(t, s.Attributes, "sk-live-SECRET")
	}
}

// TestExtractSpans: each attempt of Extract is its own chat span asking for
// json; with tools or without, they run under one invoke_agent span.
func TestExtractSpans(t *testing.T) {
	type Book struct {
		Title string `json:"title" validate:"required"`
	}
	for _, withTools := range []bool{false, true} {
		t.Run(map[bool]string{false: "alone", true: "with tools"}[withTools], func(t *testing.T) {
			h := newHarness(t)
			m := mock.New(mock.Text(`{"title":""}`), mock.Text(`{"title":"Dune"}`))
			opts := []mirascope.CallOption{mirascope.WithMaxReasks(1)}
			if withTools {
				opts = append(opts, mirascope.WithTools(weather))
			}
			book, _, err := mirascope.Extract[Book](context.Background(), h.traced(m), RecommendBook{Genre: "sf"}, opts...)
			require.NoError(t, err)
			require.Equal(t, "Dune", book.Title)
			names := byName(h.spans.GetSpans())
			chats := names["RecommendBook"]
			require.Len(t, chats, 2, "the re-ask is its own chat span")
			for _, c := range chats {
				assert.Equal(t, attribute.StringValue("json"), attrs(c.Attributes)["gen_ai.output.type"])
			}
			require.Len(t, names["invoke_agent RecommendBook"], 1)
			run := names["invoke_agent RecommendBook"][0]
			for _, c := range chats {
				assert.Equal(t, run.SpanContext.SpanID(), c.Parent.SpanID())
			}
		})
	}
}

// TestRunPanicEndsAgentSpanInError: a panic unwinding through Run (here the
// provider's, on the second turn) ends the invoke_agent span in error, not
// as a success, and the panic reaches the caller.
func TestRunPanicEndsAgentSpanInError(t *testing.T) {
	h := newHarness(t)
	turn := 0
	p := &textCall{info: mirascope.ProviderInfo{Name: "x"}, fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) {
		if turn++; turn == 2 {
			panic("boom")
		}
		return &mirascope.Response{ToolCalls: []prompt.ToolCall{{ID: "c1", Name: "weather", Arguments: `{"city":"Paris"}`}}}, nil
	}}
	require.PanicsWithValue(t, "boom", func() {
		_, _ = mirascope.Run(context.Background(), h.traced(p), RecommendBook{Genre: "x"}, mirascope.WithTools(weather))
	})
	names := byName(h.spans.GetSpans())
	require.Len(t, names["invoke_agent RecommendBook"], 1)
	run := names["invoke_agent RecommendBook"][0]
	assert.Equal(t, codes.Error, run.Status.Code)
	assert.Equal(t, "mirascope: run abandoned by a panic", run.Status.Description)
	assert.Equal(t, "_OTHER", attrs(run.Attributes)["error.type"].AsString())
	chats := names["RecommendBook"]
	require.Len(t, chats, 2)
	assert.Equal(t, codes.Error, chats[1].Status.Code, "the panicking turn")
	for _, s := range h.spans.GetSpans() {
		assert.False(t, s.EndTime.IsZero(), s.Name)
	}
}
