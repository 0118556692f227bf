package mirascope

// closePartial completes a prefix of a JSON value into the longest valid
// JSON it can stand for: an open string value is closed where it stops, a
// number is kept as far as it goes, and open arrays and objects are closed;
// a dangling key, colon, comma or half-written literal is cut off. ok is
// false when nothing decodable has arrived yet.
func closePartial(s string) (_ string, ok bool) {
	var (
		stack     []byte // open '{' and '['
		safe      = -1   // s[:safe] + closers(safeStack) is valid
		safeStack []byte
		inString  bool
		isKey     bool
		escape    bool
		strStart  int
		inNumber  bool
		expectKey []bool // per open object: the next string is a key
	)
	mark := func(end int) {
		safe = end
		safeStack = append(safeStack[:0], stack...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escape:
				escape = false
			case c == '\\':
				escape = true
			case c == '"':
				inString = false
				if !isKey {
					mark(i + 1)
				}
			}
			continue
		}
		if inNumber {
			if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
				continue
			}
			inNumber = false
			if numberComplete(s[strStart:i]) {
				mark(i)
			}
		}
		switch c {
		case '"':
			inString, escape, strStart = true, false, i
			isKey = len(expectKey) > 0 && stack[len(stack)-1] == '{' && expectKey[len(expectKey)-1]
		case '{':
			stack = append(stack, '{')
			expectKey = append(expectKey, true)
			mark(i + 1)
		case '[':
			stack = append(stack, '[')
			expectKey = append(expectKey, false)
			mark(i + 1)
		case '}', ']':
			if len(stack) == 0 {
				return "", false
			}
			stack = stack[:len(stack)-1]
			expectKey = expectKey[:len(expectKey)-1]
			mark(i + 1)
		case ':':
			if len(expectKey) > 0 {
				expectKey[len(expectKey)-1] = false
			}
		case ',':
			if len(stack) > 0 && stack[len(stack)-1] == '{' {
				expectKey[len(expectKey)-1] = true
			}
		case 't', 'f', 'n':
			for _, lit := range []string{"true", "false", "null"} {
				if len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
					i += len(lit) - 1
					mark(i + 1)
					break
				}
			}
		case ' ', '\t', '\n', '\r':
		default:
			if c == '-' || c >= '0' && c <= '9' {
				inNumber, strStart = true, i
			}
		}
	}
	switch {
	case inString && !isKey:
		return trimEscape(s) + `"` + closers(stack), true
	case inNumber && numberComplete(s[strStart:]):
		return s + closers(stack), true
	case safe >= 0:
		return s[:safe] + closers(safeStack), true
	}
	return "", false
}

// trimEscape drops an escape sequence cut short at the end of a string.
func trimEscape(s string) string {
	for k := 1; k <= 6 && k <= len(s); k++ {
		i := len(s) - k
		if s[i] != '\\' {
			continue
		}
		// count the backslashes before: an even run is literal text
		n := 0
		for j := i; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return s
		}
		tail := s[i:]
		if len(tail) == 1 || tail[1] == 'u' && len(tail) < 6 {
			return s[:i]
		}
		return s
	}
	return s
}

func numberComplete(n string) bool {
	if n == "" {
		return false
	}
	switch n[len(n)-1] {
	case '-', '+', '.', 'e', 'E':
		return false
	}
	return true
}

func closers(stack []byte) string {
	b := make([]byte, len(stack))
	for i, c := range stack {
		if c == '{' {
			b[len(stack)-1-i] = '}'
		} else {
			b[len(stack)-1-i] = ']'
		}
	}
	return string(b)
}
