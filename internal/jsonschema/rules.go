package jsonschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// formats maps validator rules to JSON Schema formats.
var formats = map[string]string{
	"email":    "email",
	"url":      "uri",
	"http_url": "uri",
	"uri":      "uri",
	"uuid":     "uuid",
	"uuid4":    "uuid",
	"hostname": "hostname",
	"ipv4":     "ipv4",
	"ipv6":     "ipv6",
}

// rules maps the validator rules in tag (no dive) onto s, the schema of a
// value of type t, and reports whether a rule makes the value required.
// Rules with no schema counterpart are left to the validator.
func rules(t reflect.Type, s *jsonschema.Schema, tag string) (required bool, err error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	kind := kindOf(t)
	for _, r := range splitRules(tag) {
		if strings.Contains(r, "|") {
			continue // alternatives: the schema cannot say which
		}
		name, param, _ := strings.Cut(r, "=")
		switch name {
		case "required":
			required = true
		case "oneof":
			vals, err := enumValues(kind, param)
			if err != nil {
				return false, fmt.Errorf("validate %q: %w", r, err)
			}
			s.Enum = vals
		case "min", "max", "len", "gt", "gte", "lt", "lte", "eq":
			if err := bound(kind, s, name, param); err != nil {
				return false, fmt.Errorf("validate %q: %w", r, err)
			}
		case "datetime":
			switch param {
			case "2006-01-02T15:04:05Z07:00":
				s.Format = "date-time"
			case "2006-01-02":
				s.Format = "date"
			case "15:04:05":
				s.Format = "time"
			}
		default:
			if f, ok := formats[name]; ok && kind == "string" {
				s.Format = f
			}
		}
	}
	return required, nil
}

// splitRules splits a validate tag on the commas that separate rules (a
// comma inside a oneof's quotes does not).
func splitRules(tag string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range tag {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == ',' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
			}
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func kindOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "" // base64 string: lengths do not translate
		}
		return "array"
	case reflect.Map:
		return "map"
	}
	return ""
}

// enumValues parses oneof's space-separated values ('quoted' ones may hold
// spaces) as the field's kind.
func enumValues(kind, param string) ([]any, error) {
	var words []string
	for param != "" {
		param = strings.TrimLeft(param, " ")
		if param == "" {
			break
		}
		if param[0] == '\'' {
			end := strings.IndexByte(param[1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote")
			}
			words = append(words, param[1:end+1])
			param = param[end+2:]
			continue
		}
		w, rest, _ := strings.Cut(param, " ")
		words = append(words, w)
		param = rest
	}
	out := make([]any, len(words))
	for i, w := range words {
		switch kind {
		case "integer", "number":
			n := json.Number(w)
			if _, err := n.Float64(); err != nil {
				return nil, fmt.Errorf("%q is not a number", w)
			}
			out[i] = n
		default:
			out[i] = w
		}
	}
	return out, nil
}

func bound(kind string, s *jsonschema.Schema, name, param string) error {
	switch kind {
	case "integer", "number":
		n := json.Number(param)
		if _, err := n.Float64(); err != nil {
			return fmt.Errorf("%q is not a number", param)
		}
		switch name {
		case "min", "gte":
			s.Minimum = n
		case "max", "lte":
			s.Maximum = n
		case "gt":
			s.ExclusiveMinimum = n
		case "lt":
			s.ExclusiveMaximum = n
		case "len", "eq":
			s.Minimum, s.Maximum = n, n
		}
		return nil
	case "string", "array", "map":
		n, err := strconv.ParseUint(param, 10, 64)
		if err != nil {
			if kind == "string" && name == "eq" {
				s.Const = param
				return nil
			}
			return fmt.Errorf("%q is not a count", param)
		}
		lo, hi := countBounds(name, n)
		switch kind {
		case "string":
			s.MinLength, s.MaxLength = orU(s.MinLength, lo), orU(s.MaxLength, hi)
		case "array":
			s.MinItems, s.MaxItems = orU(s.MinItems, lo), orU(s.MaxItems, hi)
		case "map":
			s.MinProperties, s.MaxProperties = orU(s.MinProperties, lo), orU(s.MaxProperties, hi)
		}
	}
	return nil
}

// countBounds turns a validator count rule into inclusive bounds.
func countBounds(name string, n uint64) (lo, hi *uint64) {
	p := func(v uint64) *uint64 { return &v }
	switch name {
	case "min", "gte":
		return p(n), nil
	case "max", "lte":
		return nil, p(n)
	case "gt":
		return p(n + 1), nil
	case "lt":
		if n == 0 {
			return nil, p(0)
		}
		return nil, p(n - 1)
	case "len", "eq":
		return p(n), p(n)
	}
	return nil, nil
}

func orU(old, v *uint64) *uint64 {
	if v != nil {
		return v
	}
	return old
}
