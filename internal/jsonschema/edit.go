package jsonschema

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Keywords is one schema object within a schema being read or edited by
// [Edit]: its keywords, in the order written.
type Keywords struct{ o *object }

// Has reports whether the schema states keyword.
func (k Keywords) Has(keyword string) bool { _, ok := k.o.get(keyword); return ok }

// String is keyword's value when it is a string.
func (k Keywords) String(keyword string) (string, bool) {
	s, ok := k.o.vals[keyword].(string)
	return s, ok
}

// Len is the number of members of keyword's value, an array or an object;
// 0 for anything else.
func (k Keywords) Len(keyword string) int {
	switch v := k.o.vals[keyword].(type) {
	case []any:
		return len(v)
	case *object:
		return len(v.keys)
	}
	return 0
}

// IsType reports whether the schema's type is t, or a list holding t.
func (k Keywords) IsType(t string) bool {
	switch v := k.o.vals["type"].(type) {
	case string:
		return v == t
	case []any:
		return slices.Contains(v, any(t))
	}
	return false
}

// Delete removes keyword.
func (k Keywords) Delete(keyword string) { k.o.del(keyword) }

// Path is where a schema object sits within the schema [Edit] walks, as
// "$", "$.title" for a property, "$.items", "$.anyOf[0]" or "$.$defs.Book".
// It is written out only when asked: building every path as a string made
// a walk quadratic in the nesting.
type Path struct {
	up    *Path
	key   string // the keyword, "" for a property
	name  string // the member of a keyword's object, when named
	index int    // the item of a keyword's list, when ≥ 0
	named bool
}

// IsRoot reports whether p is the schema itself.
func (p *Path) IsRoot() bool { return p.up == nil }

func (p *Path) String() string {
	var segs []*Path
	for q := p; q.up != nil; q = q.up {
		segs = append(segs, q)
	}
	b := []byte("$")
	for i := len(segs) - 1; i >= 0; i-- {
		q := segs[i]
		if q.key != "" {
			b = append(append(b, '.'), q.key...)
		}
		if q.named {
			b = append(append(b, '.'), q.name...)
		}
		if q.index >= 0 {
			b = fmt.Appendf(b, "[%d]", q.index)
		}
	}
	return string(b)
}

// Edit calls fn on every schema object within schema, each before those
// within it, with its path, and returns the schema as fn left it, key
// order kept. The first error fn returns stops the walk and is returned.
func Edit(schema json.RawMessage, fn func(path *Path, k Keywords) error) (json.RawMessage, error) {
	v, err := parse(schema)
	if err != nil {
		return nil, fmt.Errorf("jsonschema: invalid schema: %w", err)
	}
	if err := edit(v, &Path{index: -1}, fn); err != nil {
		return nil, err
	}
	return marshal(v)
}

func edit(v any, path *Path, fn func(*Path, Keywords) error) error {
	o, ok := v.(*object)
	if !ok {
		return nil
	}
	if err := fn(path, Keywords{o}); err != nil {
		return err
	}
	for _, k := range schemaMapKeys {
		if m, ok := o.vals[k].(*object); ok {
			key := k
			if k == "properties" {
				key = ""
			}
			for _, name := range m.keys {
				if err := edit(m.vals[name], &Path{up: path, key: key, name: name, named: true, index: -1}, fn); err != nil {
					return err
				}
			}
		}
	}
	for _, k := range schemaKeys {
		if x, ok := o.vals[k].(*object); ok {
			if err := edit(x, &Path{up: path, key: k, index: -1}, fn); err != nil {
				return err
			}
		}
	}
	for _, k := range schemaListKeys {
		if l, ok := o.vals[k].([]any); ok {
			for i, x := range l {
				if err := edit(x, &Path{up: path, key: k, index: i}, fn); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Find returns the first of keywords that a schema within schema states,
// and that schema's path (as [Edit] writes it); "" when none does.
func Find(schema json.RawMessage, keywords ...string) (keyword, path string, err error) {
	if len(keywords) == 0 {
		return "", "", nil
	}
	_, err = Edit(schema, func(p *Path, k Keywords) error {
		for _, kw := range keywords {
			if k.Has(kw) {
				keyword, path = kw, p.String()
				return errFound
			}
		}
		return nil
	})
	if err == errFound {
		err = nil
	}
	return keyword, path, err
}

var errFound = fmt.Errorf("found")
