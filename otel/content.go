package otel

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/mirascope-go/mirascope/prompt"
)

// The content attributes are JSON strings following the GenAI conventions'
// message schemas:
//
//	gen_ai.system_instructions  [{"type":"text","content":"…"}]
//	gen_ai.input.messages       [{"role":"user","parts":[{"type":"text","content":"…"}]}]
//	gen_ai.output.messages      [{"role":"assistant","parts":[…],"finish_reason":"stop"}]
//
// They are built by appending to a byte slice rather than through
// encoding/json: this runs on every call, and reflection-based encoding of
// throwaway structs was the largest cost of a traced call.

// encodeInput encodes the system instructions and the other messages as two
// JSON arrays, in one buffer; either is empty when there is nothing to put in
// it.
func encodeInput(msgs []prompt.Message, max int) (systemJSON, inputJSON string) {
	b := make([]byte, 0, contentSizeHint(msgs))
	nsys := 0
	for i := range msgs {
		if msgs[i].Role != prompt.RoleSystem {
			continue
		}
		if nsys == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		b = appendTextPart(b, msgs[i].Content, max)
		nsys++
	}
	if nsys > 0 {
		b = append(b, ']')
	}
	split := len(b)
	n := 0
	for i := range msgs {
		if msgs[i].Role == prompt.RoleSystem {
			continue
		}
		if n == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		b = appendMessage(b, &msgs[i], "", max)
		n++
	}
	if n > 0 {
		b = append(b, ']')
	}
	all := bytesString(b)
	return all[:split], all[split:]
}

func contentSizeHint(msgs []prompt.Message) int {
	n := 4
	for i := range msgs {
		n += len(msgs[i].Content) + 64
	}
	return n
}

// bytesString returns b's bytes as a string without copying them; b must
// not be written to afterwards (as strings.Builder does).
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// encodeOutput encodes the assistant's answer as a one-message JSON array.
func encodeOutput(m *prompt.Message, finish string, max int) string {
	b := make([]byte, 0, len(m.Content)+96)
	b = append(b, '[')
	b = appendMessage(b, m, finish, max)
	return bytesString(append(b, ']'))
}

func appendMessage(b []byte, m *prompt.Message, finish string, max int) []byte {
	role := m.Role
	if role == "" {
		role = prompt.RoleUser
	}
	b = append(b, `{"role":`...)
	b = appendString(b, string(role), 0)
	b = append(b, `,"parts":[`...)
	first := true
	if m.Role == prompt.RoleTool && m.ToolCallID != "" {
		b = append(b, `{"type":"tool_call_response","id":`...)
		b = appendString(b, m.ToolCallID, 0)
		b = append(b, `,"response":`...)
		b = appendString(b, m.Content, max)
		b = append(b, '}')
		first = false
	} else if m.Content != "" || len(m.ToolCalls) == 0 {
		b = appendTextPart(b, m.Content, max)
		first = false
	}
	for i := range m.ToolCalls {
		tc := &m.ToolCalls[i]
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"type":"tool_call","id":`...)
		b = appendString(b, tc.ID, 0)
		b = append(b, `,"name":`...)
		b = appendString(b, tc.Name, 0)
		b = append(b, `,"arguments":`...)
		if tc.Arguments != "" && (max <= 0 || len(tc.Arguments) <= max) && json.Valid([]byte(tc.Arguments)) {
			b = append(b, tc.Arguments...)
		} else {
			b = appendString(b, tc.Arguments, max)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if finish != "" {
		b = append(b, `,"finish_reason":`...)
		b = appendString(b, finish, 0)
	}
	return append(b, '}')
}

func appendTextPart(b []byte, content string, max int) []byte {
	b = append(b, `{"type":"text","content":`...)
	b = appendString(b, content, max)
	return append(b, '}')
}

// legacyMessage is the seed's gen_ai.prompt / gen_ai.completion event value.
func legacyMessage(role prompt.Role, content string, max int) string {
	b := make([]byte, 0, len(content)+40)
	b = append(b, `{"content":`...)
	b = appendString(b, content, max)
	b = append(b, `,"role":`...)
	b = appendString(b, string(role), 0)
	return bytesString(append(b, '}'))
}

const hex = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string holds as they are.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s, cut to max bytes (0: no bound), as a JSON string.
func appendString(b []byte, s string, max int) []byte {
	s, cut := truncate(s, max)
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if jsonSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript consumers.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	if cut {
		b = append(b, "…"...)
	}
	return append(b, '"')
}

// truncate cuts s to at most max bytes at a rune boundary; max <= 0 means no
// bound.
func truncate(s string, max int) (string, bool) {
	if max <= 0 || len(s) <= max {
		return s, false
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i], true
}

// truncateString is truncate with the ellipsis added, for attribute values.
func truncateString(s string, max int) string {
	t, cut := truncate(s, max)
	if !cut {
		return s
	}
	var b strings.Builder
	b.Grow(len(t) + len("…"))
	b.WriteString(t)
	b.WriteString("…")
	return b.String()
}

// normalizeFinishReason maps a service's own finish reason onto the GenAI
// conventions' values (stop, length, content_filter, tool_call, error); an
// unknown one is kept as the service wrote it.
func normalizeFinishReason(r string) string {
	switch strings.ToLower(r) {
	case "stop", "end_turn", "stop_sequence", "complete", "eos", "finish_reason_stop":
		return "stop"
	case "length", "max_tokens", "model_length", "max_tokens_reached":
		return "length"
	case "content_filter", "safety", "recitation", "blocklist", "prohibited_content", "spii",
		"guardrail_intervened", "content_filtered", "refusal":
		return "content_filter"
	case "tool_calls", "tool_call", "tool_use", "function_call":
		return "tool_call"
	case "error", "error_limit", "error_toxic", "malformed_function_call":
		return "error"
	}
	return r
}
