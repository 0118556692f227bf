package jsonschema

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type addr struct {
	City string `json:"city" jsonschema:"the city, as written"`
}

type node struct {
	Name     string  `json:"name"`
	Children []*node `json:"children,omitempty"`
}

type Base struct {
	ID string `json:"id"`
}

type withEmbed struct {
	Base
	Note string `json:"note" jsonschema:"description=A note,minLength=2"`
}

type rulesType struct {
	Title  string         `json:"title" validate:"required,min=1,max=100"`
	Genre  string         `json:"genre" validate:"oneof=fantasy 'science fiction'"`
	Year   int            `json:"year" validate:"gte=1450,lt=2100"`
	Rating *float64       `json:"rating,omitempty" validate:"omitempty,gt=0,lte=5"`
	Tags   []string       `json:"tags" validate:"max=3,dive,min=2"`
	Email  string         `json:"email,omitempty" validate:"omitempty,email"`
	Site   string         `json:"site" validate:"url"`
	Stars  int            `json:"stars" validate:"oneof=1 2 3"`
	Code   string         `json:"code" validate:"len=3"`
	Meta   map[string]int `json:"meta" validate:"dive,gt=0"`
	Must   *string        `json:"must" validate:"required"`
	Either string         `json:"either" validate:"email|url"`
}

type misc struct {
	At     time.Time `json:"at"`
	Addr   addr      `json:"addr"`
	Opt    *addr     `json:"opt"`
	Bytes  []byte    `json:"bytes,omitempty"`
	Any    any       `json:"any,omitempty"`
	Hidden string    `json:"-"`
}

func TestFor(t *testing.T) {
	tests := []struct {
		name string
		typ  reflect.Type
		want string
	}{
		{"plain description", reflect.TypeFor[addr](),
			`{"properties":{"city":{"type":"string","description":"the city, as written"}},"additionalProperties":false,"type":"object","required":["city"]}`},
		{"embedded and key=value tags", reflect.TypeFor[withEmbed](),
			`{"properties":{"id":{"type":"string"},"note":{"type":"string","minLength":2,"description":"A note"}},"additionalProperties":false,"type":"object","required":["id","note"]}`},
		{"validate rules", reflect.TypeFor[rulesType](),
			`{"properties":{` +
				`"title":{"type":"string","maxLength":100,"minLength":1},` +
				`"genre":{"type":"string","enum":["fantasy","science fiction"]},` +
				`"year":{"type":"integer","exclusiveMaximum":2100,"minimum":1450},` +
				`"rating":{"type":"number","maximum":5,"exclusiveMinimum":0},` +
				`"tags":{"items":{"type":"string","minLength":2},"type":"array","maxItems":3},` +
				`"email":{"type":"string","format":"email"},` +
				`"site":{"type":"string","format":"uri"},` +
				`"stars":{"type":"integer","enum":[1,2,3]},` +
				`"code":{"type":"string","maxLength":3,"minLength":3},` +
				`"meta":{"additionalProperties":{"type":"integer","exclusiveMinimum":0},"type":"object"},` +
				`"must":{"type":"string"},` +
				`"either":{"type":"string"}` +
				`},"additionalProperties":false,"type":"object","required":["title","genre","year","tags","site","stars","code","meta","must","either"]}`},
		{"time, nested, pointer, bytes, any", reflect.TypeFor[misc](),
			`{"properties":{` +
				`"at":{"type":"string","format":"date-time"},` +
				`"addr":{"properties":{"city":{"type":"string","description":"the city, as written"}},"additionalProperties":false,"type":"object","required":["city"]},` +
				`"opt":{"properties":{"city":{"type":"string","description":"the city, as written"}},"additionalProperties":false,"type":"object","required":["city"]},` +
				`"bytes":{"type":"string","contentEncoding":"base64"},` +
				`"any":true` +
				`},"additionalProperties":false,"type":"object","required":["at","addr"]}`},
		{"unsigned", reflect.TypeFor[struct {
			N  uint     `json:"n"`
			P  uint8    `json:"p" validate:"gt=2"`
			Us []uint16 `json:"us"`
		}](),
			`{"properties":{"n":{"type":"integer","minimum":0},"p":{"type":"integer","exclusiveMinimum":2},"us":{"items":{"type":"integer","minimum":0},"type":"array"}},"additionalProperties":false,"type":"object","required":["n","p","us"]}`},
		{"recursive", reflect.TypeFor[node](),
			`{"properties":{"name":{"type":"string"},"children":{"items":{"$ref":"#"},"type":"array"}},"additionalProperties":false,"type":"object","required":["name"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := For(tt.typ)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
			again, err := For(tt.typ)
			require.NoError(t, err)
			assert.Same(t, &got[0], &again[0], "cached per type")
		})
	}
}

func TestForErrors(t *testing.T) {
	type badDive struct {
		N int `json:"n" validate:"dive,min=1"`
	}
	type badOneof struct {
		N int `json:"n" validate:"oneof=a b"`
	}
	_, err := For(reflect.TypeFor[badDive]())
	assert.EqualError(t, err, `jsonschema: jsonschema.badDive.N: validate dive on int, which is neither a slice nor a map`)
	_, err = For(reflect.TypeFor[badOneof]())
	assert.EqualError(t, err, `jsonschema: jsonschema.badOneof.N: validate "oneof=a b": "a" is not a number`)
	_, err = For(reflect.TypeFor[struct{ C chan int }]())
	assert.ErrorContains(t, err, "unsupported type chan int")
}

func TestStrict(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"optional becomes nullable, all required",
			`{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer","enum":[1,2]},"c":{"$ref":"#/$defs/X"}},"required":["a"],"$defs":{"X":{"type":"object","properties":{"x":{"type":"boolean"}}}}}`,
			`{"type":"object","properties":{"a":{"type":"string"},"b":{"type":["integer","null"],"enum":[1,2,null]},"c":{"anyOf":[{"$ref":"#/$defs/X"},{"type":"null"}]}},"required":["a","b","c"],"$defs":{"X":{"type":"object","properties":{"x":{"type":["boolean","null"]}},"additionalProperties":false,"required":["x"]}},"additionalProperties":false}`},
		{"unsupported keywords move to the description",
			`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"s":{"type":"string","description":"A name","minLength":1,"maxLength":5,"format":"uri","default":"x"},"e":{"type":"string","format":"email"},"l":{"type":"array","items":{"type":"string"},"uniqueItems":true,"maxItems":3}},"required":["s","e","l"],"additionalProperties":false}`,
			`{"type":"object","properties":{"s":{"type":"string","description":"A name (minLength: 1, maxLength: 5, format: uri)"},"e":{"type":"string","format":"email"},"l":{"type":"array","items":{"type":"string"},"maxItems":3,"description":"(uniqueItems: true)"}},"required":["s","e","l"],"additionalProperties":false}`},
		{"base64 stays a hint",
			`{"type":"object","properties":{"b":{"type":"string","contentEncoding":"base64"}},"required":["b"]}`,
			`{"type":"object","properties":{"b":{"type":"string","description":"(contentEncoding: \"base64\")"}},"required":["b"],"additionalProperties":false}`},
		{"oneOf becomes anyOf, single allOf merges",
			`{"type":"object","properties":{"u":{"oneOf":[{"type":"string"},{"type":"integer"}]},"m":{"allOf":[{"type":"object","properties":{"k":{"type":"string"}},"required":["k"]}],"description":"d"}},"required":["u","m"]}`,
			`{"type":"object","properties":{"u":{"anyOf":[{"type":"string"},{"type":"integer"}]},"m":{"description":"d","type":"object","properties":{"k":{"type":"string"}},"required":["k"],"additionalProperties":false}},"required":["u","m"],"additionalProperties":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Strict(json.RawMessage(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got), "key order is kept")
		})
	}
}

func TestStrictRefuses(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"map", `{"type":"object","properties":{"m":{"type":"object","additionalProperties":{"type":"integer"}}}}`,
			`jsonschema: schema cannot be made strict: at /properties/m: additionalProperties (a map) is not supported; use a struct or a list of key/value objects`},
		{"root not an object", `{"type":"array","items":{"type":"string"}}`,
			`jsonschema: schema cannot be made strict: at #: the root must be an object schema`},
		{"untyped", `{"type":"object","properties":{"x":{}}}`,
			`jsonschema: schema cannot be made strict: at /properties/x: a schema without a type (an interface value?) is not supported`},
		{"conditional", `{"type":"object","properties":{"x":{"type":"string","not":{"const":"a"}}}}`,
			`jsonschema: schema cannot be made strict: at /properties/x: not is not supported`},
		{"too deep", deep(11), `jsonschema: schema cannot be made strict: at /properties/p/properties/p/properties/p/properties/p/properties/p/properties/p/properties/p/properties/p/properties/p/properties/p: more than 10 levels of nested objects`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Strict(json.RawMessage(tt.in))
			require.ErrorIs(t, err, ErrNotStrict)
			assert.EqualError(t, err, tt.want)
		})
	}
	_, err := Strict(deepRaw(10))
	assert.NoError(t, err, "10 levels are allowed")
	_, err = Strict(json.RawMessage(`{"type":`))
	assert.EqualError(t, err, "jsonschema: invalid schema: unexpected EOF")
}

func deep(n int) string { return string(deepRaw(n)) }

func deepRaw(n int) json.RawMessage {
	s := `{"type":"string"}`
	for range n {
		s = `{"type":"object","properties":{"p":` + s + `}}`
	}
	return json.RawMessage(s)
}

// Derived schemas of ordinary Go types are accepted by Strict.
func TestForThenStrict(t *testing.T) {
	s, err := For(reflect.TypeFor[misc]())
	require.NoError(t, err)
	_, err = Strict(s)
	assert.EqualError(t, err, "jsonschema: schema cannot be made strict: at /properties/any: a schema without a type (an interface value?) is not supported")
	s, err = For(reflect.TypeFor[node]())
	require.NoError(t, err)
	got, err := Strict(s)
	require.NoError(t, err)
	assert.Equal(t, `{"properties":{"name":{"type":"string"},"children":{"items":{"$ref":"#"},"type":["array","null"]}},"additionalProperties":false,"type":"object","required":["name","children"]}`, string(got))
}
