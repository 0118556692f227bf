package jsonschema

import (
	"bytes"
	"encoding/json"
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
// regardless of case). data should be valid JSON (a value encoding/json
// decoded): malformed data is reported, never read past. The error is a
// *ValueError, or the schema's own error when t has none. It reads data
// once, allocating nothing unless it fails or a key holds an escape.
func Check(t reflect.Type, data []byte) error {
	if _, err := For(t); err != nil {
		return err
	}
	r, _ := cache.Load(t)
	c := &checker{data: data}
	if err := c.value(r.(result).shape, false); err != nil {
		return err
	}
	c.ws()
	if c.i != len(c.data) {
		return c.malformed()
	}
	return nil
}

type checker struct {
	data []byte
	i    int
	path []pathSeg
}

// pathSeg is a key (raw, as between its quotes) or an index (idx >= 0).
type pathSeg struct {
	key []byte
	idx int
}

func (c *checker) fail(msg string) error {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range c.path {
		if s.idx >= 0 {
			b.WriteString("[")
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteString("]")
		} else {
			b.WriteString(PathKey(unescape(s.key)))
		}
	}
	return &ValueError{Path: b.String(), Msg: msg}
}

func (c *checker) malformed() error {
	return c.fail("invalid JSON at offset " + strconv.Itoa(c.i))
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

// unescape is the text of a JSON string's raw content.
func unescape(raw []byte) string {
	if !bytes.ContainsRune(raw, '\\') {
		return string(raw)
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
		return string(raw)
	}
	return s
}

func (c *checker) ws() {
	for c.i < len(c.data) {
		switch c.data[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

// str reads a string at c.i and returns its raw content.
func (c *checker) str() ([]byte, error) {
	if c.i >= len(c.data) || c.data[c.i] != '"' {
		return nil, c.malformed()
	}
	start := c.i + 1
	for j := start; j < len(c.data); j++ {
		switch c.data[j] {
		case '\\':
			j++
		case '"':
			c.i = j + 1
			return c.data[start:j], nil
		}
	}
	c.i = len(c.data)
	return nil, c.malformed()
}

// value reads one value with shape sh (nil: anything); required says null
// is refused unless sh is nullable.
func (c *checker) value(sh *shape, required bool) error {
	c.ws()
	if c.i >= len(c.data) {
		return c.malformed()
	}
	switch ch := c.data[c.i]; ch {
	case '{':
		c.i++
		return c.object(sh)
	case '[':
		c.i++
		var items *shape
		if sh != nil {
			items = sh.items
		}
		c.ws()
		if c.i < len(c.data) && c.data[c.i] == ']' {
			c.i++
			return nil
		}
		c.path = append(c.path, pathSeg{idx: 0})
		for n := 0; ; n++ {
			c.path[len(c.path)-1].idx = n
			if err := c.value(items, false); err != nil {
				return err
			}
			c.ws()
			if c.i >= len(c.data) {
				return c.malformed()
			}
			c.i++
			if c.data[c.i-1] == ']' {
				break
			}
			if c.data[c.i-1] != ',' {
				c.i--
				return c.malformed()
			}
		}
		c.path = c.path[:len(c.path)-1]
	case '"':
		_, err := c.str()
		return err
	case 'n':
		if !bytes.HasPrefix(c.data[c.i:], []byte("null")) {
			return c.malformed()
		}
		if required && (sh == nil || !sh.nullable) {
			return c.fail("required, got null")
		}
		c.i += 4
	case 't', 'f':
		lit := "true"
		if ch == 'f' {
			lit = "false"
		}
		if !bytes.HasPrefix(c.data[c.i:], []byte(lit)) {
			return c.malformed()
		}
		c.i += len(lit)
	default:
		start := c.i
		for c.i < len(c.data) && strings.IndexByte("0123456789+-.eE", c.data[c.i]) >= 0 {
			c.i++
		}
		if c.i == start {
			return c.malformed()
		}
	}
	return nil
}

func (c *checker) object(sh *shape) error {
	var seen []bool
	if sh != nil && len(sh.required) > 0 {
		seen = make([]bool, len(sh.required))
	}
	c.ws()
	if c.i < len(c.data) && c.data[c.i] == '}' {
		c.i++
	} else {
		for {
			c.ws()
			key, err := c.str()
			if err != nil {
				return err
			}
			c.path = append(c.path, pathSeg{key: key, idx: -1})
			var child *shape
			req := false
			if sh != nil {
				p, named, i, isReq := sh.lookup(key)
				switch {
				case named:
					child = p
					if isReq {
						seen[i], req = true, true
					}
				case sh.closed:
					return c.fail("unknown field, not in the schema")
				default:
					child = sh.extra
				}
			}
			c.ws()
			if c.i >= len(c.data) || c.data[c.i] != ':' {
				return c.malformed()
			}
			c.i++
			if err := c.value(child, req); err != nil {
				return err
			}
			c.path = c.path[:len(c.path)-1]
			c.ws()
			if c.i >= len(c.data) {
				return c.malformed()
			}
			c.i++
			if c.data[c.i-1] == '}' {
				break
			}
			if c.data[c.i-1] != ',' {
				c.i--
				return c.malformed()
			}
		}
	}
	for i, ok := range seen {
		if !ok {
			c.path = append(c.path, pathSeg{key: []byte(sh.required[i]), idx: -1})
			return c.fail("required, missing")
		}
	}
	return nil
}

// lookup finds the property a raw key names, and its index in required.
// m[string(b)] does not allocate: most keys have no escape.
func (sh *shape) lookup(raw []byte) (p *shape, named bool, req int, isReq bool) {
	if bytes.IndexByte(raw, '\\') >= 0 {
		k := unescape(raw)
		p, named = sh.props[k]
		req, isReq = sh.reqIdx[k]
		return
	}
	p, named = sh.props[string(raw)]
	req, isReq = sh.reqIdx[string(raw)]
	return
}
