package jsonschema

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Drop removes the given keywords from every schema within schema (its
// properties, items, $defs, anyOf members and the like), keeping property
// order, and states each removed value in that schema's description, as
// [Strict] does. It is for services that reject keywords the answer is
// checked against after decoding anyway, such as numeric and length bounds:
// the model still reads them, and nothing is lost.
func Drop(schema json.RawMessage, keywords ...string) (json.RawMessage, error) {
	v, err := parse(schema)
	if err != nil {
		return nil, fmt.Errorf("jsonschema: invalid schema: %w", err)
	}
	dropIn(v, keywords)
	return marshal(v)
}

// Where subschemas sit: under a keyword whose value is a schema, a list of
// schemas, or an object of named schemas.
var (
	schemaKeys     = []string{"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"}
	schemaListKeys = []string{"anyOf", "allOf", "oneOf", "prefixItems", "items"}
	schemaMapKeys  = []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)

func dropIn(v any, keywords []string) {
	o, ok := v.(*object)
	if !ok {
		return
	}
	var hints []string
	for _, k := range keywords {
		if x, ok := o.get(k); ok {
			b, _ := marshal(x)
			hints = append(hints, k+": "+string(b))
			o.del(k)
		}
	}
	if len(hints) > 0 {
		d := o.str("description")
		if d != "" {
			d += " "
		}
		o.set("description", d+"("+strings.Join(hints, ", ")+")")
	}
	for _, k := range schemaKeys {
		dropIn(o.vals[k], keywords)
	}
	for _, k := range schemaListKeys {
		if l, ok := o.vals[k].([]any); ok {
			for _, x := range l {
				dropIn(x, keywords)
			}
		}
	}
	for _, k := range schemaMapKeys {
		if m, ok := o.vals[k].(*object); ok {
			for _, name := range m.keys {
				dropIn(m.vals[name], keywords)
			}
		}
	}
}
