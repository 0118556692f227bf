package cohere

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope/internal/jsonschema"
)

// Keywords Cohere's structured outputs do not support. The bounds are moved
// into the descriptions: the answer is still checked against them after
// decoding, so the schema on the wire only has to shape it. Composition other
// than anyOf has no such reading and is refused.
var (
	droppedKeywords = []string{
		"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
		"minItems", "maxItems", "minLength", "maxLength", "uniqueItems",
	}
	refusedKeywords  = []string{"allOf", "oneOf", "not"}
	supportedFormats = []string{"date-time", "uuid", "date", "time"}
	// patternUnsupported are the regular-expression constructs Cohere's
	// patterns cannot hold.
	patternUnsupported = []string{"^", "$", "(?=", "(?!"}
)

// responseSchema turns a Format's schema into response_format's json_schema
// under Cohere's documented rules: the root is an object, every object lists
// at least one required property, and the keywords above are dropped or
// refused. Numbers are kept as written.
func responseSchema(raw []byte) (map[string]any, error) {
	raw, err := jsonschema.Drop(raw, droppedKeywords...)
	if err != nil {
		return nil, unsupported("Format", err.Error())
	}
	root, err := decodeObject(raw)
	if err != nil {
		return nil, unsupported("Format", "the schema is not a JSON object: "+err.Error())
	}
	if t, _ := root["type"].(string); t != "object" {
		return nil, unsupported("Format", `Cohere's response_format needs a schema whose type is "object"`)
	}
	if err := cleanSchema(root, "$"); err != nil {
		return nil, err
	}
	return root, nil
}

func cleanSchema(s map[string]any, path string) error {
	for _, k := range refusedKeywords {
		if _, ok := s[k]; ok {
			return unsupported("Format", fmt.Sprintf("Cohere's response_format does not support %q (at %s)", k, path))
		}
	}
	if f, ok := s["format"].(string); ok && !slices.Contains(supportedFormats, f) {
		delete(s, "format")
	}
	if p, ok := s["pattern"].(string); ok && slices.ContainsFunc(patternUnsupported, func(c string) bool { return strings.Contains(p, c) }) {
		delete(s, "pattern")
	}
	props, _ := s["properties"].(map[string]any)
	if isObject(s) && len(props) > 0 {
		if req, _ := s["required"].([]any); len(req) == 0 {
			return unsupported("Format", fmt.Sprintf("Cohere's response_format needs every object to list at least one required property (the object at %s lists none)", path))
		}
	}
	for name, sub := range props {
		if m, ok := sub.(map[string]any); ok {
			if err := cleanSchema(m, path+"."+name); err != nil {
				return err
			}
		}
	}
	for _, k := range []string{"$defs", "definitions"} {
		defs, _ := s[k].(map[string]any)
		for name, sub := range defs {
			if m, ok := sub.(map[string]any); ok {
				if err := cleanSchema(m, path+"."+k+"."+name); err != nil {
					return err
				}
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties"} {
		if m, ok := s[k].(map[string]any); ok {
			if err := cleanSchema(m, path+"."+k); err != nil {
				return err
			}
		}
	}
	for _, k := range []string{"anyOf", "prefixItems", "items"} {
		list, _ := s[k].([]any)
		for i, sub := range list {
			if m, ok := sub.(map[string]any); ok {
				if err := cleanSchema(m, fmt.Sprintf("%s.%s[%d]", path, k, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func isObject(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "object"
	case []any:
		return slices.Contains(t, any("object"))
	}
	return false
}
