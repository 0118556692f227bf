package jsonschema

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type nested []nested

type tree map[string]tree

type forest struct {
	Trees []grove `json:"trees"`
}

type grove []forest

type deepArray [2]deepArrayItem

type deepArrayItem struct {
	Next *deepArray `json:"next"`
}

// A named slice or map that holds itself, directly or through a struct,
// gets $defs and $ref: before, deriving it overflowed the stack.
func TestForRecursiveSliceAndMap(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[nested](), `{"type":"array","items":{"$ref":"#"}}`},
		{reflect.TypeFor[tree](), `{"type":"object","additionalProperties":{"$ref":"#"}}`},
		{reflect.TypeFor[forest](), `{"type":"object","additionalProperties":false,"required":["trees"],
			"properties":{"trees":{"type":"array","items":{"$ref":"#/$defs/grove"}}},
			"$defs":{"grove":{"type":"array","items":{"$ref":"#"}}}}`},
		{reflect.TypeFor[deepArrayItem](), `{"type":"object","additionalProperties":false,
			"properties":{"next":{"$ref":"#/$defs/deepArray"}},
			"$defs":{"deepArray":{"type":"array","minItems":2,"maxItems":2,"items":{"$ref":"#"}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.typ.String(), func(t *testing.T) {
			got, err := For(tt.typ)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
			if tt.typ.Kind() == reflect.Struct {
				_, err = Strict(got)
				assert.NoError(t, err, "strict services take it too")
			}
		})
	}
}
