package jsonschema

import (
	"encoding/json"
	"fmt"
)

// Close gives every object schema within schema that says nothing of
// additionalProperties the value false, keeping key order, for services
// whose structured output accepts closed objects only. An object that
// states additionalProperties (a map's value schema, say) keeps it.
func Close(schema json.RawMessage) (json.RawMessage, error) {
	v, err := parse(schema)
	if err != nil {
		return nil, fmt.Errorf("jsonschema: invalid schema: %w", err)
	}
	walk(v, func(o *object) {
		if _, ok := o.get("additionalProperties"); !ok && isType(o, "object") {
			o.set("additionalProperties", false)
		}
	})
	return marshal(v)
}

// walk calls fn on v, if it is a schema object, and on every schema within.
func walk(v any, fn func(*object)) {
	o, ok := v.(*object)
	if !ok {
		return
	}
	fn(o)
	for _, k := range schemaKeys {
		walk(o.vals[k], fn)
	}
	for _, k := range schemaListKeys {
		if l, ok := o.vals[k].([]any); ok {
			for _, x := range l {
				walk(x, fn)
			}
		}
	}
	for _, k := range schemaMapKeys {
		if m, ok := o.vals[k].(*object); ok {
			for _, name := range m.keys {
				walk(m.vals[name], fn)
			}
		}
	}
}
