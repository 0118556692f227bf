package jsonschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrNotStrict is matched by the error [Strict] returns for a schema that
// strict mode cannot express (a map, a tuple, a conditional); a provider may
// then send the schema with strict mode off, or refuse.
var ErrNotStrict = errors.New("jsonschema: schema cannot be made strict")

// The limits OpenAI documents for strict schemas.
const (
	maxProperties = 5000
	maxDepth      = 10
	maxEnumValues = 1000
)

// strictFormats are the string formats strict mode accepts.
var strictFormats = []string{"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}

// dropped are keywords strict mode rejects; their value is kept as a hint in
// the description, since the answer is still checked against the original
// rules after decoding.
var dropped = []string{
	"minLength", "maxLength", "minProperties", "maxProperties", "uniqueItems", "contentEncoding",
	"contains", "minContains", "maxContains", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
}

// silent are keywords dropped without a hint: annotations and identifiers.
var silent = []string{
	"$schema", "$id", "$comment", "$anchor", "default", "examples", "readOnly", "writeOnly", "deprecated",
	"contentMediaType", "contentSchema",
}

// unsupported are keywords whose meaning strict mode cannot keep.
var unsupported = []string{"not", "if", "then", "else", "dependentRequired", "dependentSchemas", "prefixItems", "patternProperties", "$dynamicRef"}

// Strict rewrites schema into the subset OpenAI's strict structured outputs
// accept (its "Supported schemas" rules): the root is an object; every
// object lists all its properties as required, those that were optional
// become nullable, and additionalProperties is false; oneOf becomes anyOf;
// a one-element allOf is merged; keywords strict mode rejects (string
// lengths, property counts, uniqueItems, formats outside its list) are
// dropped and stated in the description instead; annotations ($schema,
// default, examples) are removed. A schema strict mode cannot express (a
// map, a tuple, a conditional, a value without a type, more than 5000
// properties or 10 levels of nesting) returns an error matching
// [ErrNotStrict]. Property order is kept.
func Strict(schema json.RawMessage) (json.RawMessage, error) {
	v, err := parse(schema)
	if err != nil {
		return nil, fmt.Errorf("jsonschema: invalid schema: %w", err)
	}
	root, ok := v.(*object)
	if !ok || !isType(root, "object") {
		return nil, notStrict(nil, "the root must be an object schema")
	}
	st := &strictState{}
	if err := st.node(root, nil, 0); err != nil {
		return nil, err
	}
	if st.props > maxProperties {
		return nil, notStrict(nil, fmt.Sprintf("%d properties, more than the %d allowed", st.props, maxProperties))
	}
	if st.enums > maxEnumValues {
		return nil, notStrict(nil, fmt.Sprintf("%d enum values, more than the %d allowed", st.enums, maxEnumValues))
	}
	return marshal(root)
}

type strictState struct {
	props, enums int
}

func notStrict(path *pointer, msg string) error {
	at := path.String()
	if at == "" {
		at = "#"
	}
	return fmt.Errorf("%w: at %s: %s", ErrNotStrict, at, msg)
}

// pointer is a JSON pointer into the schema ("/properties/a/items"),
// written out only for an error: building each one as a string made the
// walk quadratic in the nesting. nil is the root.
type pointer struct {
	up  *pointer
	seg string
}

func (p *pointer) child(seg string) *pointer { return &pointer{up: p, seg: seg} }

func (p *pointer) String() string {
	var segs []string
	for ; p != nil; p = p.up {
		segs = append(segs, p.seg)
	}
	slices.Reverse(segs)
	return strings.Join(segs, "")
}

func isType(o *object, t string) bool {
	switch v := o.vals["type"].(type) {
	case string:
		return v == t
	case []any:
		return slices.Contains(v, any(t))
	}
	return t == "object" && o.vals["properties"] != nil
}

func (st *strictState) node(o *object, path *pointer, depth int) error {
	for _, k := range unsupported {
		if _, ok := o.get(k); ok {
			return notStrict(path, k+" is not supported")
		}
	}
	for _, k := range silent {
		o.del(k)
	}
	var hints []string
	for _, k := range dropped {
		if v, ok := o.get(k); ok {
			b, _ := marshal(v)
			hints = append(hints, k+": "+string(b))
			o.del(k)
		}
	}
	if f := o.str("format"); f != "" && !slices.Contains(strictFormats, f) {
		hints = append(hints, "format: "+f)
		o.del("format")
	}
	if len(hints) > 0 {
		d := o.str("description")
		if d != "" {
			d += " "
		}
		o.set("description", d+"("+strings.Join(hints, ", ")+")")
	}
	if e, ok := o.getOr("enum").([]any); ok {
		st.enums += len(e)
	}

	for _, defs := range []string{"$defs", "definitions"} {
		if d, ok := o.get(defs); ok {
			dm, ok := d.(*object)
			if !ok {
				return notStrict(path, defs+" is not an object")
			}
			for _, k := range dm.keys {
				sub, ok := dm.vals[k].(*object)
				if !ok {
					return notStrict(path.child("/"+defs+"/"+k), "not a schema object")
				}
				if err := st.node(sub, path.child("/"+defs+"/"+k), 0); err != nil {
					return err
				}
			}
		}
	}

	if all, ok := o.get("allOf"); ok {
		a, _ := all.([]any)
		sub, ok := single(a)
		if !ok {
			return notStrict(path, "allOf with more than one schema is not supported")
		}
		o.del("allOf")
		for _, k := range sub.keys {
			if _, exists := o.get(k); !exists {
				o.set(k, sub.vals[k])
			}
		}
	}
	if one, ok := o.get("oneOf"); ok {
		o.del("oneOf")
		o.set("anyOf", one)
	}
	if any_, ok := o.get("anyOf"); ok {
		a, ok := any_.([]any)
		if !ok {
			return notStrict(path, "anyOf is not a list")
		}
		for i, x := range a {
			sub, ok := x.(*object)
			if !ok {
				return notStrict(path.child("/anyOf/"+strconv.Itoa(i)), "not a schema object")
			}
			if err := st.node(sub, path.child("/anyOf/"+strconv.Itoa(i)), depth); err != nil {
				return err
			}
		}
	}

	_, hasType := o.get("type")
	_, hasRef := o.get("$ref")
	_, hasAny := o.get("anyOf")
	_, hasEnum := o.get("enum")
	_, hasConst := o.get("const")
	if !hasType && !hasRef && !hasAny && !hasEnum && !hasConst && o.vals["properties"] == nil {
		return notStrict(path, "a schema without a type (an interface value?) is not supported")
	}

	if isType(o, "object") {
		if depth+1 > maxDepth {
			return notStrict(path, fmt.Sprintf("more than %d levels of nested objects", maxDepth))
		}
		if ap, ok := o.get("additionalProperties"); ok && ap != false {
			return notStrict(path, "additionalProperties (a map) is not supported; use a struct or a list of key/value objects")
		}
		o.set("additionalProperties", false)
		props := newObject()
		if p, ok := o.get("properties"); ok {
			if props, ok = p.(*object); !ok {
				return notStrict(path, "properties is not an object")
			}
		}
		required := map[string]bool{}
		if r, ok := o.getOr("required").([]any); ok {
			for _, x := range r {
				if s, ok := x.(string); ok {
					required[s] = true
				}
			}
		}
		all := make([]any, 0, len(props.keys))
		for _, k := range props.keys {
			st.props++
			sub, ok := props.vals[k].(*object)
			if !ok {
				if props.vals[k] == true {
					return notStrict(path.child("/properties/"+k), "a schema without a type (an interface value?) is not supported")
				}
				return notStrict(path.child("/properties/"+k), "not a schema object")
			}
			if err := st.node(sub, path.child("/properties/"+k), depth+1); err != nil {
				return err
			}
			if !required[k] {
				props.vals[k] = nullable(sub)
			}
			all = append(all, k)
		}
		o.set("properties", props)
		o.set("required", all)
	}
	if isType(o, "array") {
		if it, ok := o.get("items"); ok {
			sub, ok := it.(*object)
			if !ok {
				return notStrict(path.child("/items"), "not a schema object")
			}
			if err := st.node(sub, path.child("/items"), depth); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *object) getOr(k string) any { return o.vals[k] }

func single(a []any) (*object, bool) {
	if len(a) != 1 {
		return nil, false
	}
	o, ok := a[0].(*object)
	return o, ok
}

// nullable lets s also be null: by its type list where it has one, else by
// an anyOf with null.
func nullable(s *object) *object {
	if isNull(s) {
		return s
	}
	switch t := s.vals["type"].(type) {
	case string:
		s.set("type", []any{t, "null"})
		addNullEnum(s)
		return s
	case []any:
		if !slices.Contains(t, any("null")) {
			s.set("type", append(t, "null"))
		}
		addNullEnum(s)
		return s
	}
	if a, ok := s.vals["anyOf"].([]any); ok && len(s.keys) <= 2 {
		for _, x := range a {
			if o, ok := x.(*object); ok && isNull(o) {
				return s
			}
		}
	}
	w := newObject()
	if d := s.str("description"); d != "" {
		w.set("description", d)
	}
	null := newObject()
	null.set("type", "null")
	w.set("anyOf", []any{s, null})
	return w
}

func isNull(o *object) bool {
	t, ok := o.vals["type"].(string)
	return ok && t == "null"
}

func addNullEnum(s *object) {
	if e, ok := s.vals["enum"].([]any); ok && !slices.Contains(e, nil) {
		s.set("enum", append(e, nil))
	}
}
