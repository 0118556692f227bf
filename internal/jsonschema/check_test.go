package jsonschema

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

type checkBook struct {
	Title  string   `json:"title"`
	Author string   `json:"author"`
	Year   *int     `json:"year"`
	Note   string   `json:"note,omitempty"`
	Nick   *string  `json:"nick" validate:"required"`
	Maybe  string   `json:"maybe" jsonschema:"nullable"`
	Tags   []string `json:"tags,omitempty"`
}

type checkShelf struct {
	Books []checkBook            `json:"books"`
	Index map[string]checkBook   `json:"index,omitempty"`
	Any   any                    `json:"any,omitempty"`
	Kids  []checkShelf           `json:"kids,omitempty"`
	Loose map[string]interface{} `json:"loose,omitempty"`
}

// Check refuses what encoding/json lets through and the schema does not,
// with the JSON path of the first such place.
func TestCheck(t *testing.T) {
	const ok = `{"title":"Dune","author":"FH","year":null,"nick":"x","maybe":null}`
	tests := []struct {
		typ        reflect.Type
		data, want string
	}{
		{reflect.TypeFor[checkBook](), ok, ""},
		{reflect.TypeFor[checkBook](), `{"title":"Dune","year":1,"nick":"x","maybe":""}`, `$.author: required, missing`},
		{reflect.TypeFor[checkBook](), `{"title":"Dune","author":null,"year":1,"nick":"x","maybe":""}`, `$.author: required, got null`},
		{reflect.TypeFor[checkBook](), `{"title":"Dune","author":"a","nick":"x","maybe":""}`, ``},
		{reflect.TypeFor[checkBook](), `{"title":"Dune","author":"a","year":1,"nick":null,"maybe":""}`, `$.nick: required, got null`},
		{reflect.TypeFor[checkBook](), `{"title":"Dune","Author":"a","year":1,"nick":"x","maybe":""}`, `$.Author: unknown field, not in the schema`},
		{reflect.TypeFor[checkBook](), `{"title":"Dune","author":"a","year":1,"nick":"x","maybe":"","note":null,"tags":null}`, ``},
		{reflect.TypeFor[checkShelf](), `{"books":[` + ok + `,{"title":"x","author":"y","year":1,"nick":"x","maybe":"","isbn":1}]}`, `$.books[1].isbn: unknown field, not in the schema`},
		{reflect.TypeFor[checkShelf](), `{"books":[],"index":{"a b":{"title":"x"}}}`, `$.index["a b"].author: required, missing`},
		{reflect.TypeFor[checkShelf](), `{"books":[],"any":{"x":[null,{"y":1}]},"loose":{"q":null}}`, ``},
		{reflect.TypeFor[checkShelf](), `{"books":[],"kids":[{"books":[]},{"kids":[]}]}`, `$.kids[1].books: required, missing`},
		{reflect.TypeFor[checkShelf](), `{"books":null}`, `$.books: required, got null`},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			err := Check(tt.typ, []byte(tt.data))
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tt.want)
			assert.IsType(t, &ValueError{}, err)
		})
	}
}
