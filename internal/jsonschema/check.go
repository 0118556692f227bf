package jsonschema

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// shape is what [Check] enforces of a derived schema: the part encoding/json
// lets through. Built from the same *jsonschema.Schema that is marshalled
// and sent, so the check and the schema cannot disagree.
type shape struct {
	// props are an object's named properties; required lists the names it
	// must have, in schema order.
	props    map[string]*shape
	required []string
	reqIdx   map[string]int // required's names → index
	// closed: additionalProperties is false, unknown names are refused.
	closed bool
	// extra is the schema of additional properties (a map's values).
	extra *shape
	// items is an array's item schema.
	items *shape
	// nullable: the schema allows null here (oneOf [x, null]).
	nullable bool
}

// build turns s into a shape, resolving "#" to root and "#/$defs/x" to
// defs; built shapes are memoised so recursive schemas stay finite.
type builder struct {
	root *jsonschema.Schema
	defs jsonschema.Definitions
	memo map[*jsonschema.Schema]*shape
}

func (b *builder) build(s *jsonschema.Schema) *shape {
	if s == nil {
		return nil
	}
	nullable := false
	if len(s.OneOf) == 2 && s.OneOf[1].Type == "null" {
		s, nullable = s.OneOf[0], true
	}
	for range 100 { // a $ref to a $ref: bounded, a cycle must not hang
		switch {
		case s.Ref == "#":
			s = b.root
		case strings.HasPrefix(s.Ref, "#/$defs/"):
			d := b.defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
			if d == nil {
				return nil
			}
			s = d
		default:
			goto resolved
		}
	}
	return nil
resolved:
	if sh, ok := b.memo[s]; ok {
		if nullable && !sh.nullable {
			c := *sh
			c.nullable = true
			return &c
		}
		return sh
	}
	sh := &shape{}
	b.memo[s] = sh
	if s.Properties != nil {
		sh.props = make(map[string]*shape, s.Properties.Len())
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			sh.props[p.Key] = b.build(p.Value)
		}
		sh.required = s.Required
		sh.reqIdx = make(map[string]int, len(s.Required))
		for i, r := range s.Required {
			sh.reqIdx[r] = i
		}
	}
	if s.AdditionalProperties == jsonschema.FalseSchema {
		sh.closed = true
	} else if s.AdditionalProperties != nil && s.AdditionalProperties != jsonschema.TrueSchema {
		sh.extra = b.build(s.AdditionalProperties)
	}
	sh.items = b.build(s.Items)
	if nullable {
		c := *sh
		c.nullable = true
		return &c
	}
	return sh
}

// ValueError is a place in a JSON value where it breaks its schema.
type ValueError struct {
	// Path is the JSON path of the place: "$", "$.books[1].year".
	Path string
	// Msg says what is wrong there.
	Msg string
}

func (e *ValueError) Error() string { return e.Path + ": " + e.Msg }

// Check reports the first place, in document order, where data breaks the
// schema of t in a way encoding/json does not refuse: a required property
// that is absent, or null where the schema does not allow null; and a
// property the schema does not name, exactly (encoding/json matches names
// regardless of case). data must be valid JSON. The error is a
// *ValueError, or the schema's own error when t has none.
func Check(t reflect.Type, data []byte) error {
	if _, err := For(t); err != nil {
		return err
	}
	r, _ := cache.Load(t)
	sh := r.(result).shape
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	c := &checker{dec: dec}
	return c.value(sh, false)
}

type checker struct {
	dec  *json.Decoder
	path []pathSeg
}

type pathSeg struct {
	key string
	idx int // -1 for a key
}

func (c *checker) fail(msg string) error {
	return &ValueError{Path: formatPath(c.path), Msg: msg}
}

// formatPath writes a path of keys and indexes: $.a[1]["b c"].
func formatPath(segs []pathSeg) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if s.idx >= 0 {
			b.WriteString("[")
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteString("]")
		} else {
			b.WriteString(PathKey(s.key))
		}
	}
	return b.String()
}

// PathKey is ".key", or ["key"] for a key that is not an identifier.
func PathKey(k string) string {
	if k != "" && (k[0] < '0' || k[0] > '9') && !strings.ContainsFunc(k, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		return "." + k
	}
	q, _ := json.Marshal(k)
	return "[" + string(q) + "]"
}

// value reads one value with shape sh (nil: anything); required says null
// is refused unless sh is nullable.
func (c *checker) value(sh *shape, required bool) error {
	tok, err := c.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	switch tok {
	case nil:
		if required && (sh == nil || !sh.nullable) {
			return c.fail("required, got null")
		}
	case json.Delim('{'):
		return c.object(sh)
	case json.Delim('['):
		var items *shape
		if sh != nil {
			items = sh.items
		}
		c.path = append(c.path, pathSeg{idx: 0})
		for i := 0; c.dec.More(); i++ {
			c.path[len(c.path)-1].idx = i
			if err := c.value(items, false); err != nil {
				return err
			}
		}
		c.path = c.path[:len(c.path)-1]
		if _, err := c.dec.Token(); err != nil { // ']'
			return err
		}
	}
	return nil
}

func (c *checker) object(sh *shape) error {
	var seen []bool
	if sh != nil && len(sh.required) > 0 {
		seen = make([]bool, len(sh.required))
	}
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		c.path = append(c.path, pathSeg{key: key, idx: -1})
		var child *shape
		req := false
		if sh != nil {
			p, named := sh.props[key]
			switch {
			case named:
				child = p
				if i, ok := sh.reqIdx[key]; ok {
					seen[i], req = true, true
				}
			case sh.closed:
				return c.fail("unknown field, not in the schema")
			default:
				child = sh.extra
			}
		}
		if err := c.value(child, req); err != nil {
			return err
		}
		c.path = c.path[:len(c.path)-1]
	}
	if _, err := c.dec.Token(); err != nil { // '}'
		return err
	}
	for i, ok := range seen {
		if !ok {
			c.path = append(c.path, pathSeg{key: sh.required[i], idx: -1})
			return c.fail("required, missing")
		}
	}
	return nil
}
