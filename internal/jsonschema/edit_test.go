package jsonschema

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Edit visits every schema with its path, and keeps key order.
func TestEditPathsAndOrder(t *testing.T) {
	in := `{"type":"object","properties":{"z":{"type":"string","format":"x"},"a":{"type":"array","items":{"anyOf":[{"type":"integer"},{"pattern":"^a"}]}}},"$defs":{"B":{"type":"object"}}}`
	var paths []string
	out, err := Edit(json.RawMessage(in), func(p *Path, k Keywords) error {
		paths = append(paths, p.String())
		if _, ok := k.String("format"); ok {
			k.Delete("format")
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"$", "$.z", "$.a", "$.a.items", "$.a.items.anyOf[0]", "$.a.items.anyOf[1]", "$.$defs.B"}, paths)
	assert.Equal(t, `{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"array","items":{"anyOf":[{"type":"integer"},{"pattern":"^a"}]}}},"$defs":{"B":{"type":"object"}}}`, string(out))
}

func TestFind(t *testing.T) {
	kw, path, err := Find(json.RawMessage(`{"type":"object","properties":{"a":{"type":"string"},"b":{"allOf":[{"not":{}}]}}}`), "oneOf", "not", "allOf")
	require.NoError(t, err)
	assert.Equal(t, "allOf", kw)
	assert.Equal(t, "$.b", path)
	kw, _, err = Find(json.RawMessage(`{"type":"object"}`), "allOf")
	require.NoError(t, err)
	assert.Empty(t, kw)
	_, _, err = Find(json.RawMessage(`{"type":`), "allOf")
	assert.Error(t, err)
}
