package jsonschema

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClose(t *testing.T) {
	in := `{"type":"object","properties":{
		"title":{"type":"string"},
		"author":{"type":"object","properties":{"name":{"type":"string"}}},
		"tags":{"type":"object","additionalProperties":{"type":"string"}},
		"shelves":{"type":"array","items":{"properties":{"n":{"type":"integer"}}}},
		"either":{"anyOf":[{"$ref":"#/$defs/year"},{"type":"null"}]}
	},"$defs":{"year":{"type":["object","null"],"properties":{"y":{"type":"integer"}}}},"required":["title"]}`
	got, err := Close(json.RawMessage(in))
	require.NoError(t, err)
	// Order is kept; a map keeps its value schema; a schema with
	// properties and no type is an object.
	assert.Equal(t, `{"type":"object","properties":{`+
		`"title":{"type":"string"},`+
		`"author":{"type":"object","properties":{"name":{"type":"string"}},"additionalProperties":false},`+
		`"tags":{"type":"object","additionalProperties":{"type":"string"}},`+
		`"shelves":{"type":"array","items":{"properties":{"n":{"type":"integer"}},"additionalProperties":false}},`+
		`"either":{"anyOf":[{"$ref":"#/$defs/year"},{"type":"null"}]}`+
		`},"$defs":{"year":{"type":["object","null"],"properties":{"y":{"type":"integer"}},"additionalProperties":false}},"required":["title"],"additionalProperties":false}`, string(got))

	_, err = Close(json.RawMessage(`[`))
	assert.ErrorContains(t, err, "jsonschema: invalid schema")
}
