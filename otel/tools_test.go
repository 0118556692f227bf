package otel_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// weatherTool is a hand-written mirascope.Tool.
type weatherTool struct{}

func (weatherTool) Definition() mirascope.ToolDefinition {
	return mirascope.ToolDefinition{
		Name:        "weather",
		Description: "Current weather in a city.",
		Parameters:  json.RawMessage(`{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}`),
	}
}

func (weatherTool) Call(_ context.Context, args string) (string, error) { return `{"celsius":18}`, nil }

var weatherCall = prompt.ToolCall{ID: "call_1", Name: "weather", Arguments: `{"city":"Paris"}`}

func toolObserver(t *testing.T, p mirascope.Provider) mirascope.ToolObserver {
	t.Helper()
	o, ok := p.(mirascope.ToolObserver)
	require.True(t, ok, "Traced observes tools")
	return o
}

func runObserver(t *testing.T, p mirascope.Provider) mirascope.RunObserver {
	t.Helper()
	o, ok := p.(mirascope.RunObserver)
	require.True(t, ok, "Traced observes runs")
	return o
}

// TestToolSpan: one execute_tool span per tool run, with the call's
// identity always and its content only with capture on.
func TestToolSpan(t *testing.T) {
	boom := errors.New(`weather: no city named {"city":"Paris"}`)
	tests := []struct {
		name      string
		opts      []otel.Option
		result    string
		err       error
		wantAttrs map[string]attribute.Value
		wantGone  []string
		wantCode  codes.Code
		wantDesc  string
	}{
		{
			name: "success", result: `{"celsius":18}`,
			wantAttrs: map[string]attribute.Value{
				"gen_ai.tool.call.arguments": attribute.StringValue(`{"city":"Paris"}`),
				"gen_ai.tool.call.result":    attribute.StringValue(`{"celsius":18}`),
				"gen_ai.tool.description":    attribute.StringValue("Current weather in a city."),
			},
			wantGone: []string{"error.type", string(otel.KeyContentTruncated)},
		},
		{
			name: "failure", err: boom,
			wantAttrs: map[string]attribute.Value{
				"gen_ai.tool.call.arguments": attribute.StringValue(`{"city":"Paris"}`),
				"error.type":                 attribute.StringValue("_OTHER"),
			},
			wantGone: []string{"gen_ai.tool.call.result"},
			wantCode: codes.Error, wantDesc: boom.Error(),
		},
		{
			name: "capture off", opts: []otel.Option{otel.WithContentCapture(false)}, err: boom,
			wantAttrs: map[string]attribute.Value{"error.type": attribute.StringValue("_OTHER")},
			wantGone:  []string{"gen_ai.tool.call.arguments", "gen_ai.tool.call.result"},
			wantCode:  codes.Error, wantDesc: "weather: no city named [REDACTED]",
		},
		{
			name: "canceled", err: context.Canceled,
			wantAttrs: map[string]attribute.Value{"error.type": attribute.StringValue("canceled")},
			wantCode:  codes.Error, wantDesc: "context canceled",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			obs := toolObserver(t, h.traced(mock.New(), tt.opts...))
			ctx, parent := h.tp.Tracer("test").Start(context.Background(), "parent")
			toolCtx, end := obs.StartTool(ctx, nil, weatherTool{}.Definition(), weatherCall)
			assert.NotEqual(t, parent.SpanContext().SpanID(), trace.SpanContextFromContext(toolCtx).SpanID(), "the tool runs in its span")
			end(tt.result, tt.err)
			end("again", nil) // a second end is ignored
			parent.End()

			spans := h.spans.GetSpans()
			require.Len(t, spans, 2)
			s := spans[0]
			assert.Equal(t, "execute_tool weather", s.Name)
			assert.Equal(t, trace.SpanKindInternal, s.SpanKind)
			assert.Equal(t, parent.SpanContext().SpanID(), s.Parent.SpanID())
			a := attrs(s.Attributes)
			for k, v := range map[string]attribute.Value{
				"gen_ai.operation.name": attribute.StringValue("execute_tool"),
				"gen_ai.tool.name":      attribute.StringValue("weather"),
				"gen_ai.tool.call.id":   attribute.StringValue("call_1"),
				"gen_ai.tool.type":      attribute.StringValue("function"),
			} {
				assert.Equal(t, v, a[k], k)
			}
			for k, v := range tt.wantAttrs {
				assert.Equal(t, v, a[k], k)
			}
			for _, k := range tt.wantGone {
				assert.NotContains(t, a, k)
			}
			assert.Equal(t, tt.wantCode, s.Status.Code)
			assert.Equal(t, tt.wantDesc, s.Status.Description)
		})
	}
}

// TestToolSpanBudget: a tool's arguments and result share the budget.
func TestToolSpanBudget(t *testing.T) {
	h := newHarness(t)
	obs := toolObserver(t, h.traced(mock.New(), otel.WithMaxContentSize(100)))
	_, end := obs.StartTool(context.Background(), nil, weatherTool{}.Definition(), weatherCall)
	end(strings.Repeat("r", 1000), nil)
	a := attrs(h.only(t).Attributes)
	assert.Equal(t, `{"city":"Paris"}`, a["gen_ai.tool.call.arguments"].AsString(), "short: whole")
	assert.Equal(t, strings.Repeat("r", 84)+"…", a["gen_ai.tool.call.result"].AsString())
	assert.Equal(t, attribute.BoolValue(true), a[string(otel.KeyContentTruncated)])
}

// TestRunSpan: invoke_agent parents the Run's chat and tool spans, sums
// its usage, and masks the prompt's redacted values in the tools' content.
func TestRunSpan(t *testing.T) {
	h := newHarness(t)
	m := mock.New(mock.Text("ok"))
	traced := h.traced(m)
	req, err := mirascope.NewRequest(SecretTemplate{Genre: "fantasy", APIKey: "sk-live-SECRET", Author: Author{Name: "Ann"}})
	require.NoError(t, err)

	ctx, end := runObserver(t, traced).StartRun(context.Background(), req)
	_, err = traced.Call(ctx, req)
	require.NoError(t, err)
	_, endTool := toolObserver(t, traced).StartTool(ctx, req, weatherTool{}.Definition(),
		prompt.ToolCall{ID: "c1", Name: "weather", Arguments: `{"city":"sk-live-SECRET"}`})
	endTool("sunny at sk-live-SECRET", nil)
	end(&mirascope.Transcript{
		Response: &mirascope.Response{ID: "resp-2", Model: "mock-model-1"},
		Usage:    mirascope.Usage{InputTokens: 30, OutputTokens: 12}, Turns: 2,
	}, nil)

	spans := h.spans.GetSpans()
	require.Len(t, spans, 3)
	chat, tool, run := spans[0], spans[1], spans[2]
	assert.Equal(t, "invoke_agent SecretTemplate", run.Name)
	assert.Equal(t, trace.SpanKindInternal, run.SpanKind)
	assert.Equal(t, run.SpanContext.SpanID(), chat.Parent.SpanID(), "the turn's chat span")
	assert.Equal(t, run.SpanContext.SpanID(), tool.Parent.SpanID(), "the tool's span")
	a := attrs(run.Attributes)
	for k, v := range map[string]attribute.Value{
		"gen_ai.operation.name":      attribute.StringValue("invoke_agent"),
		"gen_ai.agent.name":          attribute.StringValue("SecretTemplate"),
		"gen_ai.provider.name":       attribute.StringValue("mock"),
		"gen_ai.request.model":       attribute.StringValue("mock-model"),
		"gen_ai.usage.input_tokens":  attribute.IntValue(30),
		"gen_ai.usage.output_tokens": attribute.IntValue(12),
		"gen_ai.response.model":      attribute.StringValue("mock-model-1"),
		"gen_ai.response.id":         attribute.StringValue("resp-2"),
	} {
		assert.Equal(t, v, a[k], k)
	}
	ta := attrs(tool.Attributes)
	assert.Equal(t, `{"city":"[REDACTED]"}`, ta["gen_ai.tool.call.arguments"].AsString())
	assert.Equal(t, "sunny at [REDACTED]", ta["gen_ai.tool.call.result"].AsString())
	for _, s := range spans {
		assertNowhere(t, s.Attributes, "sk-live-SECRET")
	}
}

// TestRunSpanFailure: a failed Run's span says why, scrubbed.
func TestRunSpanFailure(t *testing.T) {
	h := newHarness(t)
	req, err := mirascope.NewRequest(RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	_, end := runObserver(t, h.traced(mock.New())).StartRun(context.Background(), req)
	end(nil, &mirascope.ProviderError{Provider: "mock", StatusCode: 429, Code: "rate_limit_exceeded", Message: "key sk-proj-AbCdEf0123456789xyz over quota"})
	s := h.only(t)
	assert.Equal(t, "invoke_agent RecommendBook", s.Name)
	assert.Equal(t, codes.Error, s.Status.Code)
	assert.Contains(t, s.Status.Description, "key [REDACTED] over quota")
	assert.Equal(t, attribute.StringValue("rate_limit_exceeded"), attrs(s.Attributes)["error.type"])
}

// TestToolDefinitionsOnChatSpan: the tools offered are on the chat span
// with capture on, as the conventions' tool definitions; extraction says
// json.
func TestToolDefinitionsOnChatSpan(t *testing.T) {
	format := &mirascope.Format{Name: "book", Schema: json.RawMessage(`{"type":"object"}`)}
	withFormat := func(r *mirascope.Request) { r.Format = format }
	tests := []struct {
		name     string
		opts     []otel.Option
		call     []mirascope.CallOption
		wantDefs string
		wantType bool
	}{
		{name: "tools", call: []mirascope.CallOption{mirascope.WithTools(weatherTool{})},
			wantDefs: `[{"type":"function","name":"weather","description":"Current weather in a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]`},
		{name: "capture off", opts: []otel.Option{otel.WithContentCapture(false)}, call: []mirascope.CallOption{mirascope.WithTools(weatherTool{})}},
		{name: "format", call: []mirascope.CallOption{withFormat}, wantType: true},
		{name: "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("{}")), tt.opts...), RecommendBook{Genre: "x"}, tt.call...)
			require.NoError(t, err)
			a := attrs(h.only(t).Attributes)
			if tt.wantDefs != "" {
				assert.Equal(t, tt.wantDefs, a["gen_ai.tool.definitions"].AsString())
			} else {
				assert.NotContains(t, a, "gen_ai.tool.definitions")
			}
			if tt.wantType {
				assert.Equal(t, attribute.StringValue("json"), a["gen_ai.output.type"])
			} else {
				assert.NotContains(t, a, "gen_ai.output.type")
			}
		})
	}
}

// TestStreamedToolCallsRecorded: tool calls assembled from a stream's
// pieces are in its span's output message.
func TestStreamedToolCallsRecorded(t *testing.T) {
	h := newHarness(t)
	m := mock.New(mock.Chunks(
		&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, ID: "call_1", Name: "weather", Arguments: `{"ci`}}},
		&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, Arguments: `ty":"Paris"}`}}},
		&mirascope.Chunk{FinishReason: "tool_calls"},
	))
	s, err := mirascope.Stream(context.Background(), h.traced(m), RecommendBook{Genre: "x"}, mirascope.WithTools(weatherTool{}))
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	a := attrs(h.only(t).Attributes)
	assert.JSONEq(t, `[{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"weather","arguments":{"city":"Paris"}}],"finish_reason":"tool_call"}]`,
		a["gen_ai.output.messages"].AsString())
}

// TestCallToolsOutsideRunMasked: tools run with CallTools on a traced Call's
// response, outside a Run, are masked of the prompt's redacted values as
// the chat span is, with capture on (arguments, result) and off (the
// error's text).
func TestCallToolsOutsideRunMasked(t *testing.T) {
	const secret = "sk-live-SECRET"
	leaky := mirascope.NewTool("leaky", "Echoes.", func(_ context.Context, in cityArgs) (string, error) {
		if in.City == secret+"!" {
			return "", errors.New("no station in " + secret)
		}
		return "18°C in " + in.City, nil
	})
	for _, capture := range []bool{true, false} {
		t.Run(map[bool]string{true: "capture", false: "no capture"}[capture], func(t *testing.T) {
			h := newHarness(t)
			m := mock.New(callsReply(
				prompt.ToolCall{ID: "c1", Name: "leaky", Arguments: `{"city":"` + secret + `"}`},
				prompt.ToolCall{ID: "c2", Name: "leaky", Arguments: `{"city":"` + secret + `!"}`},
			))
			resp, err := mirascope.Call(context.Background(), h.traced(m, otel.WithContentCapture(capture)),
				SecretTemplate{Genre: "x", APIKey: secret})
			require.NoError(t, err)
			msgs := mirascope.CallTools(context.Background(), resp, leaky)
			require.Len(t, msgs, 2)
			assert.Equal(t, "18°C in "+secret, msgs[0].Content, "the model still gets the real result")
			tools := byName(h.spans.GetSpans())["execute_tool leaky"]
			require.Len(t, tools, 2)
			for _, s := range h.spans.GetSpans() {
				assertNowhere(t, s.Attributes, secret)
				assert.NotContains(t, s.Status.Description, secret, s.Name)
				for _, e := range s.Events {
					assertNowhere(t, e.Attributes, secret)
				}
			}
			if capture {
				a := attrs(tools[0].Attributes)
				if a["gen_ai.tool.call.id"].AsString() != "c1" {
					a = attrs(tools[1].Attributes)
				}
				assert.Equal(t, `{"city":"[REDACTED]"}`, a["gen_ai.tool.call.arguments"].AsString())
				assert.Equal(t, "18°C in [REDACTED]", a["gen_ai.tool.call.result"].AsString())
			}
		})
	}
}

// TestToolErrorResultCredentialsMasked: a tool's error quoting a credential
// (of a request the tool made) is masked on the tool's span and in the next
// turn's input messages, where CallTools sent it to the model as the result.
func TestToolErrorResultCredentialsMasked(t *testing.T) {
	const key = "sk-proj-abcdef1234567890abcdef"
	failing := mirascope.NewTool("fetch", "Fetches.", func(_ context.Context, in cityArgs) (string, error) {
		return "", errors.New("GET /weather failed: Authorization: Bearer " + key)
	})
	for _, legacy := range []bool{false, true} {
		h := newHarness(t)
		m := mock.New(callsReply(prompt.ToolCall{ID: "c1", Name: "fetch", Arguments: `{"city":"Paris"}`}), mock.Text("ok"))
		opts := []otel.Option{}
		if legacy {
			opts = append(opts, otel.WithLegacyAttributes())
		}
		_, err := mirascope.Run(context.Background(), h.traced(m, opts...), RecommendBook{Genre: "x"}, mirascope.WithTools(failing))
		require.NoError(t, err)
		chats := byName(h.spans.GetSpans())["RecommendBook"]
		require.Len(t, chats, 2)
		assert.Contains(t, attrs(chats[1].Attributes)["gen_ai.input.messages"].AsString(),
			`"response":"Error: GET /weather failed: Authorization: Bearer [REDACTED]"`)
		for _, s := range h.spans.GetSpans() {
			assertNowhere(t, s.Attributes, key)
			assert.NotContains(t, s.Status.Description, key, s.Name)
			for _, e := range s.Events {
				assertNowhere(t, e.Attributes, key)
			}
		}
	}
}

// TestModelWrittenToolIdentifiersBounded: a tool call's name and id are the
// model's to write; huge ones (a call of a tool that does not exist) are
// cut on the chat spans' messages and the tool's span, so they stay within
// the content budget, captured or not.
func TestModelWrittenToolIdentifiersBounded(t *testing.T) {
	huge := strings.Repeat("n", 100_000)
	for _, capture := range []bool{true, false} {
		h := newHarness(t)
		m := mock.New(callsReply(prompt.ToolCall{ID: huge, Name: huge, Arguments: `{}`}), mock.Text("ok"))
		_, err := mirascope.Run(context.Background(), h.traced(m, otel.WithContentCapture(capture), otel.WithMaxContentSize(4096)),
			RecommendBook{Genre: "x"}, mirascope.WithTools(weather))
		require.NoError(t, err)
		spans := h.spans.GetSpans()
		require.Len(t, spans, 4)
		for _, s := range spans {
			size := len(s.Name)
			for _, a := range s.Attributes {
				size += len(a.Value.String())
			}
			assert.Less(t, size, 6000, "%s, capture %v", s.Name, capture)
		}
		tool := byName(spans)["execute_tool "+strings.Repeat("n", 128)+"…"]
		require.Len(t, tool, 1)
		assert.Equal(t, strings.Repeat("n", 128)+"…", attrs(tool[0].Attributes)["gen_ai.tool.call.id"].AsString())
	}
}
