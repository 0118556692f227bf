package oaicompat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// outputLine is what batchResult reads of one line of an output or error
// file: {"custom_id", "response": {"status_code", "request_id", "body"},
// "error"}. readOutputLine fills it as encoding/json would fill the same
// fields tagged so (keys matched without regard to case, the last of a
// repeated key winning, null leaving a field as it was, a value of the
// wrong type failing the line), but in one pass over a line json.Valid has
// checked, and without copying the body: the SDK's decoder reads it from
// the line, once. (A fuzz test holds it to encoding/json.)
type outputLine struct {
	CustomID string
	Response *lineResponse
	Error    *lineError
}

type lineResponse struct {
	StatusCode int
	RequestID  string
	Body       []byte // a part of the line, valid until the next is read; nil if absent
}

// readOutputLine reads line into l.
func readOutputLine(line []byte, l *outputLine) error {
	if !json.Valid(line) {
		var v struct{}
		return json.Unmarshal(line, &v) // its syntax error
	}
	v := trimJSON(line)
	switch v[0] {
	case 'n':
		return nil
	case '{':
	default:
		return lineTypeError("the line", v)
	}
	for m := (members{b: v}); m.next(); {
		switch {
		case keyIs(m.key, "custom_id"):
			if err := setString(&l.CustomID, m.val, "custom_id"); err != nil {
				return err
			}
		case keyIs(m.key, "response"):
			switch m.val[0] {
			case 'n':
				l.Response = nil
				continue
			case '{':
			default:
				return lineTypeError("response", m.val)
			}
			if l.Response == nil {
				l.Response = new(lineResponse)
			}
			if err := l.Response.read(m.val); err != nil {
				return err
			}
		case keyIs(m.key, "error"):
			if m.val[0] == 'n' {
				l.Error = nil
				continue
			}
			if l.Error == nil {
				l.Error = new(lineError)
			}
			_ = l.Error.UnmarshalJSON(m.val)
		}
	}
	return nil
}

func (r *lineResponse) read(obj []byte) error {
	for m := (members{b: obj}); m.next(); {
		switch {
		case keyIs(m.key, "status_code"):
			switch c := m.val[0]; {
			case c == 'n':
			case c == '-' || c >= '0' && c <= '9':
				n, err := strconv.ParseInt(string(m.val), 10, 64)
				if err != nil || int64(int(n)) != n {
					return lineTypeError("status_code", m.val)
				}
				r.StatusCode = int(n)
			default:
				return lineTypeError("status_code", m.val)
			}
		case keyIs(m.key, "request_id"):
			if err := setString(&r.RequestID, m.val, "request_id"); err != nil {
				return err
			}
		case keyIs(m.key, "body"):
			r.Body = m.val
		}
	}
	return nil
}

func lineTypeError(field string, v []byte) error {
	const max = 32
	if len(v) > max {
		v = append(v[:max:max], "…"...)
	}
	return fmt.Errorf("batch line: %s cannot be %s", field, v)
}

// setString sets *s to the JSON string v; null leaves it.
func setString(s *string, v []byte, field string) error {
	switch v[0] {
	case 'n':
		return nil
	case '"':
	default:
		return lineTypeError(field, v)
	}
	in := v[1 : len(v)-1]
	if bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
		*s = string(in)
		return nil
	}
	return json.Unmarshal(v, s) // escapes; invalid UTF-8 becomes U+FFFD
}

// keyIs reports whether the quoted JSON key k names name (ASCII, lower
// case), as encoding/json matches keys: without regard to case.
func keyIs(k []byte, name string) bool {
	in := k[1 : len(k)-1]
	if string(in) == name {
		return true
	}
	if bytes.IndexByte(in, '\\') < 0 {
		return bytes.EqualFold(in, []byte(name))
	}
	var s string
	return json.Unmarshal(k, &s) == nil && bytes.EqualFold([]byte(s), []byte(name))
}

// members walks the members of a JSON object that json.Valid has checked:
// each key (quoted, as written) and value (trimmed).
type members struct {
	b        []byte
	i        int
	key, val []byte
}

func (m *members) next() bool {
	if m.i == 0 {
		m.i = 1 // past '{'
	}
	i := skipSpace(m.b, m.i)
	if m.b[i] == ',' {
		i = skipSpace(m.b, i+1)
	}
	if m.b[i] == '}' {
		return false
	}
	end := valueEnd(m.b, i)
	m.key = m.b[i:end]
	i = skipSpace(m.b, end)
	i = skipSpace(m.b, i+1) // past ':'
	end = valueEnd(m.b, i)
	m.val = m.b[i:end]
	m.i = end
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// trimJSON is the value of a valid JSON text, without the space around it.
func trimJSON(b []byte) []byte {
	i := skipSpace(b, 0)
	return b[i:valueEnd(b, i)]
}

// valueEnd is the index just past the valid JSON value at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	default: // a number or a literal
		for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
			i++
		}
		return i
	}
}

// stringEnd is the index just past the JSON string whose quote is at b[i]:
// the first quote after it that an even number of backslashes precedes.
func stringEnd(b []byte, i int) int {
	for i++; ; i++ {
		i += bytes.IndexByte(b[i:], '"')
		n := 0
		for b[i-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
	}
}
