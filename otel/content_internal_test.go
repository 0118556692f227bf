package otel

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope/prompt"
)

// TestAppendString: our JSON string encoder agrees with encoding/json
// (without its HTML escaping) on every kind of text.
func TestAppendString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "new\nline\r\ttab", "\x00\x01\x1f\x7f",
		"ünïcödé ✓ 日本語 🚀", "bad utf8 \xff\xfe end", "sep \u2028 \u2029", "<html> & 'x'",
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(s))
		assert.Equal(t, string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))), string(appendString(nil, s, noLimit)), "%q", s)
	}
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, `"abc…"`, string(appendString(nil, "abcdef", 3)))
	assert.Equal(t, `"abcdef"`, string(appendString(nil, "abcdef", 6)))
	// Never cut inside a rune: "é" is two bytes.
	assert.Equal(t, "a…", truncateString("aé", 2))
	assert.Equal(t, "aé", truncateString("aé", 3))
	assert.Equal(t, "aé", truncateString("aé", noLimit), "no bound")
	assert.Equal(t, "…", truncateString("aé", 0))
}

// TestAppendStringBound: the bound counts encoded bytes, so escapes and
// mended bytes cannot take a text past it, and no escape or rune is split.
func TestAppendStringBound(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"abcdef", 0, `"…"`},
		{"\x01\x01\x01", 12, `"\u0001\u0001…"`},
		{"\x01\x01\x01", 11, `"\u0001…"`},
		{"ab\ncd", 3, `"ab…"`},
		{"ab\ncd", 4, `"ab\n…"`},
		{"\xff\xfe", 6, `"\ufffd…"`},
		{"é日", 4, `"é…"`},
		{"é日", 5, `"é日"`},
		{"x\u2028", 6, `"x…"`},
		{`"quoted"`, 9, `"\"quoted…"`},
	}
	for _, tt := range tests {
		got := string(appendString(nil, tt.in, tt.max))
		assert.Equal(t, tt.want, got, "%q cut to %d", tt.in, tt.max)
		assert.True(t, utf8.ValidString(got))
	}
}

func TestFairCap(t *testing.T) {
	assert.Equal(t, noLimit, fairCap([]int{10, 20}, 30), "fits")
	assert.Equal(t, 20, fairCap([]int{10, 100}, 30), "the short one whole, the long one gets the rest")
	assert.Equal(t, 10, fairCap([]int{100, 100, 100}, 30), "equal shares")
	assert.Equal(t, 0, fairCap([]int{5, 5}, 0))
	assert.Equal(t, 0, fairCap([]int{5, 5}, -3), "a negative budget is none")
}

func TestCutStrings(t *testing.T) {
	assert.Equal(t, []string{"a", "b"}, cutStrings([]string{"a", "b"}, 100))
	assert.Equal(t, []string{"short", strings.Repeat("x", 15) + "…"}, cutStrings([]string{"short", strings.Repeat("x", 100)}, 30))
	many := make([]string, 1000)
	got := cutStrings(many, 50)
	assert.Len(t, got, 11, "what fits, then the mark")
	assert.Equal(t, truncationMark, got[10])
}

func TestEncodeMessages(t *testing.T) {
	msgs := []prompt.Message{
		prompt.System("Be brief."),
		prompt.System("Be kind."),
		prompt.User("Weather in Paris?"),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "call_1", Name: "weather", Arguments: `{"city":"Paris"}`}}},
		prompt.ToolResult("call_1", "18°C"),
		{Role: prompt.RoleAssistant, Content: "It is 18°C.", ToolCalls: []prompt.ToolCall{{ID: "c2", Name: "x", Arguments: "not json"}}},
	}
	system, input, cut, _ := encodeInput(msgs, noLimit, noLimit, noLimit, nil)
	assert.False(t, cut)
	assert.JSONEq(t, `[{"type":"text","content":"Be brief."},{"type":"text","content":"Be kind."}]`, system)
	assert.JSONEq(t, `[
		{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]},
		{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"weather","arguments":{"city":"Paris"}}]},
		{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"18°C"}]},
		{"role":"assistant","parts":[{"type":"text","content":"It is 18°C."},{"type":"tool_call","id":"c2","name":"x","arguments":"not json"}]}
	]`, input)

	none, only, _, _ := encodeInput([]prompt.Message{prompt.User("x")}, noLimit, noLimit, noLimit, nil)
	assert.Empty(t, none, "no system message, no system instructions")
	assert.Equal(t, `[{"role":"user","parts":[{"type":"text","content":"x"}]}]`, only)

	out, _, _ := encodeOutput(&prompt.Message{Role: prompt.RoleAssistant, Content: "hi"}, "length", noLimit, nil)
	assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"hi"}],"finish_reason":"length"}]`, out)
}

func TestNormalizeFinishReason(t *testing.T) {
	for in, want := range map[string]string{
		"stop": "stop", "end_turn": "stop", "STOP": "stop", "COMPLETE": "stop", "stop_sequence": "stop",
		"length": "length", "max_tokens": "length", "MAX_TOKENS": "length",
		"content_filter": "content_filter", "SAFETY": "content_filter", "guardrail_intervened": "content_filter",
		"tool_calls": "tool_call", "tool_use": "tool_call",
		"something_new": "something_new",
	} {
		assert.Equal(t, want, normalizeFinishReason(in), in)
	}
}

type genre string

type level int

type nested struct {
	A int    `json:"a"`
	B string `json:"b"`
}

// TestAttrValue: a field's Go kind decides its attribute type.
func TestAttrValue(t *testing.T) {
	when := time.Date(2024, 10, 4, 5, 16, 47, 0, time.UTC)
	n := 7
	tests := []struct {
		name string
		in   any
		want attribute.Value
		ok   bool
	}{
		{"string", "x", attribute.StringValue("x"), true},
		{"named string", genre("fantasy"), attribute.StringValue("fantasy"), true},
		{"int", 3, attribute.Int64Value(3), true},
		{"named int", level(2), attribute.Int64Value(2), true},
		{"int8", int8(-3), attribute.Int64Value(-3), true},
		{"uint64 small", uint64(9), attribute.Int64Value(9), true},
		{"uint64 huge", uint64(1 << 63), attribute.StringValue("9223372036854775808"), true},
		{"float32", float32(0.5), attribute.Float64Value(0.5), true},
		{"bool", true, attribute.BoolValue(true), true},
		{"pointer", &n, attribute.Int64Value(7), true},
		{"nil pointer", (*int)(nil), attribute.Value{}, false},
		{"nil", nil, attribute.Value{}, false},
		{"strings", []string{"a", "b"}, attribute.StringSliceValue([]string{"a", "b"}), true},
		{"named strings", []genre{"a"}, attribute.StringSliceValue([]string{"a"}), true},
		{"ints", []int{1, 2}, attribute.Int64SliceValue([]int64{1, 2}), true},
		{"int32s", []int32{1}, attribute.Int64SliceValue([]int64{1}), true},
		{"array", [2]float64{1, 2}, attribute.Float64SliceValue([]float64{1, 2}), true},
		{"bools", []bool{true}, attribute.BoolSliceValue([]bool{true}), true},
		{"struct", nested{A: 1, B: "x"}, attribute.StringValue(`{"a":1,"b":"x"}`), true},
		{"map", map[string]int{"k": 1}, attribute.StringValue(`{"k":1}`), true},
		{"time", when, attribute.StringValue(`"2024-10-04T05:16:47Z"`), true},
		{"bytes", []byte("hi"), attribute.StringValue(`"aGk="`), true},
		{"history", []prompt.Message{prompt.User("x")}, attribute.Value{}, false},
		{"unencodable", func() {}, attribute.Value{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, ok := attrValue(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestErrorTypeIdentifier(t *testing.T) {
	assert.True(t, isIdentifier("rate_limit_exceeded"))
	assert.True(t, isIdentifier("ThrottlingException"))
	assert.False(t, isIdentifier(""))
	assert.False(t, isIdentifier("has space"))
	assert.False(t, isIdentifier(string(make([]byte, 65))))
}

func TestCaptureFromEnv(t *testing.T) {
	for v, want := range map[string]bool{"": true, "true": true, "SPAN_ONLY": true, "false": false, "FALSE": false, "NO_CONTENT": false, " no_content ": false} {
		assert.Equal(t, want, captureFromEnv(v), "%q", v)
	}
}
