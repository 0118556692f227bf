package otel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// namedTool is a tool with only a definition, for many-tool requests.
type namedTool struct{ name string }

func (t namedTool) Definition() mirascope.ToolDefinition {
	return mirascope.ToolDefinition{Name: t.name, Description: "Looks " + t.name + " up",
		Parameters: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"}}}`)}
}
func (namedTool) Call(context.Context, string) (string, error) { return "", nil }

func toolCalls(n int) []prompt.ToolCall {
	calls := make([]prompt.ToolCall, n)
	for i := range calls {
		calls[i] = prompt.ToolCall{ID: fmt.Sprintf("call_%05d", i), Name: "weather", Arguments: `{"city":"Paris"}`}
	}
	return calls
}

// countParts is how many parts a content attribute's JSON holds: message
// parts in an array of messages, else the array's elements.
func countParts(t *testing.T, js string) int {
	t.Helper()
	if js == "" {
		return 0
	}
	var arr []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(js), &arr), "valid JSON")
	n := 0
	for _, el := range arr {
		if raw, ok := el["parts"]; ok {
			var parts []json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &parts))
			n += len(parts)
		} else {
			n++
		}
	}
	return n
}

// TestContentBudgetManyParts: however many tool calls, tool results, tool
// definitions or system instructions a span holds, its content stays within
// the budget: the parts that do not fit are left out, counted and flagged,
// and every attribute stays valid JSON.
func TestContentBudgetManyParts(t *testing.T) {
	for _, n := range []int{10000, 50000} {
		calls := toolCalls(n)
		results := make([]prompt.Message, n)
		system := make([]prompt.Message, n)
		tools := make([]mirascope.Tool, n)
		for i := range n {
			results[i] = prompt.ToolResult(calls[i].ID, "18°C and sunny")
			system[i] = prompt.System("Be brief.")
			tools[i] = namedTool{fmt.Sprint("tool_", i)}
		}
		tests := []struct {
			name  string
			req   *mirascope.Request
			reply *mirascope.Response
			parts int // in all
		}{
			{
				name:  "tool calls in the answer",
				req:   &mirascope.Request{Messages: []prompt.Message{prompt.User("Weather?")}},
				reply: &mirascope.Response{ToolCalls: calls, Message: prompt.Message{Role: prompt.RoleAssistant, ToolCalls: calls}},
				parts: 1 + n,
			},
			{
				name: "tool calls and results in the conversation",
				req: &mirascope.Request{Messages: append([]prompt.Message{
					prompt.User("Weather?"), {Role: prompt.RoleAssistant, ToolCalls: calls}}, results...)},
				reply: &mirascope.Response{Content: "Sunny."},
				parts: 1 + 2*n + 1,
			},
			{
				name:  "system instructions",
				req:   &mirascope.Request{Messages: append(system, prompt.User("Weather?"))},
				reply: &mirascope.Response{Content: "Sunny."},
				parts: n + 2,
			},
			{
				name:  "tool definitions",
				req:   &mirascope.Request{Messages: []prompt.Message{prompt.User("Weather?")}, Tools: tools},
				reply: &mirascope.Response{Content: "Sunny."},
				parts: 1 + n + 1,
			},
		}
		for _, tt := range tests {
			for _, limit := range []int{otel.DefaultMaxContentSize, 4 << 10} {
				t.Run(fmt.Sprintf("%d %s within %d", n, tt.name, limit), func(t *testing.T) {
					h := newHarness(t)
					p := h.traced(mock.New(mock.Respond(tt.reply)), otel.WithMaxContentSize(limit))
					_, err := p.Call(context.Background(), tt.req)
					require.NoError(t, err)
					s := h.only(t)
					a := attrs(s.Attributes)
					total := contentBytes(s.Attributes)
					t.Logf("content %d bytes, %v parts dropped", total, a[string(otel.KeyContentDroppedParts)].AsInt64())
					assert.LessOrEqual(t, total, limit, "the attributes together stay within the budget")
					assert.Equal(t, attribute.BoolValue(true), a[string(otel.KeyContentTruncated)])
					kept := 0
					for _, k := range []string{"gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.definitions"} {
						kept += countParts(t, a[k].AsString())
					}
					dropped := int(a[string(otel.KeyContentDroppedParts)].AsInt64())
					assert.Positive(t, dropped)
					assert.Positive(t, kept)
					assert.Equal(t, tt.parts, kept+dropped, "every part is either recorded or counted")
				})
			}
		}
	}
}

// TestContentBudgetEscapes: a text that grows when escaped (control
// characters take six bytes each) is held to the budget too.
func TestContentBudgetEscapes(t *testing.T) {
	h := newHarness(t)
	text := strings.Repeat("\x01", 60<<10)
	req := &mirascope.Request{Messages: []prompt.Message{prompt.User(text), prompt.User(text)}}
	_, err := h.traced(mock.New(mock.Text(text))).Call(context.Background(), req)
	require.NoError(t, err)
	s := h.only(t)
	a := attrs(s.Attributes)
	assert.LessOrEqual(t, contentBytes(s.Attributes), otel.DefaultMaxContentSize)
	for _, k := range []string{"gen_ai.input.messages", "gen_ai.output.messages"} {
		assert.True(t, json.Valid([]byte(a[k].AsString())), k)
	}
	assert.Equal(t, attribute.BoolValue(true), a[string(otel.KeyContentTruncated)])
}

// TestLegacyEventsBounded: the legacy prompt events of a long conversation
// share the budget too; those that do not fit are counted.
func TestLegacyEventsBounded(t *testing.T) {
	h := newHarness(t)
	req := &mirascope.Request{}
	for range 20000 {
		req.Messages = append(req.Messages, prompt.User("hi"))
	}
	_, err := h.traced(mock.New(mock.Text("ok")), otel.WithLegacyAttributes()).Call(context.Background(), req)
	require.NoError(t, err)
	s := h.only(t)
	size := 0
	for _, ev := range s.Events {
		for _, kv := range ev.Attributes {
			size += len(kv.Value.AsString())
		}
	}
	assert.LessOrEqual(t, size+contentBytes(s.Attributes), otel.DefaultMaxContentSize)
	assert.Positive(t, attrs(s.Attributes)[string(otel.KeyContentDroppedParts)].AsInt64())
}

// TestFailedToolResultMasked: a failed tool's result in the conversation is
// masked of credentials on the chat span and in the legacy events, however
// long it is (it is cut before being masked).
func TestFailedToolResultMasked(t *testing.T) {
	const key = "sk-ant-api03-QWERTYUIOPASDFGHJKLZ"
	for _, pad := range []int{0, 16 << 20} {
		h := newHarness(t)
		text := "Error: upstream 401 for x-api-key: " + key + strings.Repeat(" and more", pad/9)
		req := &mirascope.Request{Messages: []prompt.Message{
			prompt.User("Weather?"),
			{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "c1", Name: "weather", Arguments: "{}"}}},
			{Role: prompt.RoleTool, ToolCallID: "c1", Content: text, IsError: true},
		}}
		_, err := h.traced(mock.New(mock.Text("Sorry.")), otel.WithLegacyAttributes()).Call(context.Background(), req)
		require.NoError(t, err)
		s := h.only(t)
		in := attrs(s.Attributes)["gen_ai.input.messages"].AsString()
		assert.Contains(t, in, "x-api-key: [REDACTED]")
		assertNowhere(t, s.Attributes, key[8:])
		for _, e := range s.Events {
			assertNowhere(t, e.Attributes, key[8:])
		}
		assert.LessOrEqual(t, contentBytes(s.Attributes), otel.DefaultMaxContentSize)
	}
}
