package otel

import (
	"encoding/json"
	"math"
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

// maxIdentifier bounds a tool call's id and name as recorded: the model
// writes them, and a tool name is at most 64 bytes, a call id far less, so
// one longer is noise that must not escape the content budget.
const maxIdentifier = 128

// idLen is the recorded length of a tool call's id or name.
func idLen(s string) int { return min(len(s), maxIdentifier) }

// msgOverhead is what one message or part adds to its array besides its
// texts, counted against the bound so that many small messages are bounded
// too.
const msgOverhead = 64

// inputSizes are the sizes the system instructions and the other messages
// would take without bounds, overhead included; media is what their media
// payloads take of them.
func inputSizes(msgs []prompt.Message) (system, input, media int) {
	for i := range msgs {
		m := &msgs[i]
		n, md := contentSize(m)
		media += md
		for j := range m.ToolCalls {
			tc := &m.ToolCalls[j]
			n += msgOverhead + len(tc.Arguments) + idLen(tc.ID) + idLen(tc.Name)
		}
		if m.Role == prompt.RoleSystem {
			system += n
		} else {
			input += n
		}
	}
	return system, input, media
}

// contentSizeHint is what the messages' content may take, leaving out
// media payloads larger than bound (noLimit: none), which cannot be kept:
// a 2 MB image that will be left out must not size the buffer.
func contentSizeHint(msgs []prompt.Message, bound int) int {
	n := 4
	for i := range msgs {
		m := &msgs[i]
		c, media := contentSize(m)
		if media > 0 && bound >= 0 {
			for j := range m.Parts {
				if md := m.Parts[j].Media; md != nil {
					if size := mediaSize(md); size > bound {
						c -= size
					}
				}
			}
		}
		n += c
	}
	return n
}

func boundedHint(sysMax, inMax int) int {
	if sysMax < 0 || inMax < 0 {
		return math.MaxInt
	}
	return sysMax + inMax + 2*msgOverhead
}

// bytesString returns b's bytes as a string without copying them; b must
// not be written to afterwards (as strings.Builder does).
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// appendJSONOrString appends s as it is when it is a JSON value within max
// bytes, else as a (cut) JSON string.
func appendJSONOrString(b []byte, s string, max int) []byte {
	if s != "" && (max < 0 || len(s) <= max) && json.Valid([]byte(s)) {
		return append(b, s...)
	}
	return appendString(b, s, max)
}

// legacyMessage is the seed's gen_ai.prompt / gen_ai.completion event value.
func legacyMessage(role prompt.Role, content string, max int) string {
	b := make([]byte, 0, len(content)+40)
	b = append(b, `{"content":`...)
	b = appendString(b, content, max)
	b = append(b, `,"role":`...)
	b = appendString(b, string(role), maxIdentifier)
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

// noLimit is the bound that bounds nothing.
const noLimit = -1

// appendString appends s as a JSON string whose contents take at most max
// bytes as encoded (noLimit: no bound). A cut text is cut at a character
// boundary and ends in the truncation marker "…". Invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func appendString(b []byte, s string, max int) []byte {
	b = append(b, '"')
	base := len(b)
	// stop is where a run of plain ASCII from start would reach max.
	stop := len(s)
	if max >= 0 && max < stop {
		stop = max
	}
	start, i := 0, 0
	cut := false
	for i < len(s) {
		c := s[i]
		if jsonSafe[c] {
			if i < stop {
				i++
				continue
			}
			cut = true
			break
		}
		// The encoded width of the character at i.
		var r rune
		size, w := 1, 0
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\', '\n', '\r', '\t':
				w = 2
			default:
				w = 6
			}
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
				w = 6
			default:
				w = size
			}
		}
		if max >= 0 && len(b)-base+(i-start)+w > max {
			cut = true
			break
		}
		if w == size && c >= utf8.RuneSelf {
			i += size // a valid rune, written as it is
			continue
		}
		b = append(b, s[start:i]...)
		switch {
		case c < utf8.RuneSelf:
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
		case r == utf8.RuneError:
			b = append(b, `\ufffd`...)
		default:
			// U+2028 and U+2029 are valid JSON but break JavaScript consumers.
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		}
		i += size
		start = i
		if max >= 0 {
			stop = min(len(s), start+max-(len(b)-base))
		}
	}
	b = append(b, s[start:i]...)
	if cut {
		b = append(b, truncationMark...)
	}
	return append(b, '"')
}

// truncationMark ends every text cut to fit a bound.
const truncationMark = "…"

// truncate cuts s to at most max bytes at a rune boundary; max < 0 means no
// bound.
func truncate(s string, max int) (string, bool) {
	if max < 0 || len(s) <= max {
		return s, false
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i], true
}

// truncateString is truncate with the marker added, for attribute values.
func truncateString(s string, max int) string {
	t, cut := truncate(s, max)
	if !cut {
		return s
	}
	var b strings.Builder
	b.Grow(len(t) + len(truncationMark))
	b.WriteString(t)
	b.WriteString(truncationMark)
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
