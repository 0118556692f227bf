package jsonschema

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDrop(t *testing.T) {
	in := `{"type":"object","properties":{
		"title":{"type":"string","minLength":1,"description":"The title."},
		"minimum":{"type":"integer","minimum":0,"maximum":10},
		"tags":{"type":"array","items":{"type":"string","maxLength":20},"maxItems":3},
		"either":{"anyOf":[{"type":"number","multipleOf":0.5},{"type":"null"}]},
		"ref":{"$ref":"#/$defs/year"}
	},"$defs":{"year":{"type":"integer","minimum":1450}},"required":["title"],"additionalProperties":false}`
	got, err := Drop(json.RawMessage(in), "minimum", "maximum", "minLength", "maxLength", "maxItems", "multipleOf")
	require.NoError(t, err)
	// Property order is kept; a property named like a keyword is a property.
	assert.Equal(t, `{"type":"object","properties":{`+
		`"title":{"type":"string","description":"The title. (minLength: 1)"},`+
		`"minimum":{"type":"integer","description":"(minimum: 0, maximum: 10)"},`+
		`"tags":{"type":"array","items":{"type":"string","description":"(maxLength: 20)"},"description":"(maxItems: 3)"},`+
		`"either":{"anyOf":[{"type":"number","description":"(multipleOf: 0.5)"},{"type":"null"}]},`+
		`"ref":{"$ref":"#/$defs/year"}`+
		`},"$defs":{"year":{"type":"integer","description":"(minimum: 1450)"}},"required":["title"],"additionalProperties":false}`, string(got))

	_, err = Drop(json.RawMessage(`{"type":`), "minimum")
	assert.ErrorContains(t, err, "jsonschema: invalid schema")
}
