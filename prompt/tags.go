package prompt

import (
	"fmt"
	"strings"
)

// tag is a parsed `prompt:"name,option"` struct tag.
type tag struct {
	name   string
	skip   bool
	redact bool
}

// parseTag parses a prompt tag. Unlike encoding/json, an invalid name or an
// unknown option is an error: a typo must not silently change what a prompt
// sends or records.
func parseTag(s string) (tag, error) {
	if s == "-" {
		return tag{skip: true}, nil
	}
	name, opts, _ := strings.Cut(s, ",")
	t := tag{name: name}
	if name != "" && !isIdent(name) {
		return t, fmt.Errorf("invalid prompt name %q: use letters, digits and _", name)
	}
	for opts != "" {
		var opt string
		opt, opts, _ = strings.Cut(opts, ",")
		switch opt {
		case "redact":
			t.redact = true
		default:
			return t, fmt.Errorf("unknown prompt tag option %q (known: redact)", opt)
		}
	}
	return t, nil
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}
