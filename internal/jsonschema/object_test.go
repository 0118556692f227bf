package jsonschema

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckObject(t *testing.T) {
	for _, tc := range []struct{ schema, want string }{
		{`{"type":"object","properties":{"a":{"type":"string"}}}`, ""},
		{`{"properties":{}}`, ""},
		{`{"type":"array","items":{"type":"string"}}`, `the schema's type is "array": a structured answer is an object`},
		{`{"type":["object","null"]}`, `the schema's type is ["object","null"]: a structured answer is an object`},
		{`[]`, "the schema is not a JSON object"},
		{`null`, "the schema is not a JSON object"},
		{`{"type":`, "the schema is not a JSON object"},
		{``, "the schema is not a JSON object"},
	} {
		err := CheckObject([]byte(tc.schema))
		if tc.want == "" {
			assert.NoError(t, err, tc.schema)
		} else {
			assert.EqualError(t, err, tc.want, tc.schema)
		}
	}
}

func TestArguments(t *testing.T) {
	for _, tc := range []struct{ schema, want, err string }{
		{``, `{"type":"object","properties":{}}`, ""},
		{`{"type":"object","properties":{"a":{"type":"string"}}}`, `{"type":"object","properties":{"a":{"type":"string"}}}`, ""},
		{`[1]`, "", "the schema is not a JSON object"},
		{`null`, "", "the schema is not a JSON object"},
	} {
		got, err := Arguments([]byte(tc.schema))
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, tc.schema)
			continue
		}
		assert.NoError(t, err, tc.schema)
		assert.Equal(t, tc.want, string(got))
	}
}

func TestCheckArguments(t *testing.T) {
	for _, tc := range []struct{ schema, want string }{
		{``, ""},
		{`{"properties":{}}`, ""},
		{`{"type":"object","properties":{"a":{"type":"string"}}}`, ""},
		{`[1]`, "its parameters schema is not a JSON object"},
		{`null`, "its parameters schema is not a JSON object"},
		{`{"type":"string"}`, `its parameters schema's type is "string": a tool's arguments are an object`},
		{`{"type":["object","null"]}`, `its parameters schema's type is ["object","null"]: a tool's arguments are an object`},
	} {
		err := CheckArguments([]byte(tc.schema))
		if tc.want == "" {
			assert.NoError(t, err, tc.schema)
		} else {
			assert.EqualError(t, err, tc.want, tc.schema)
		}
	}
}
