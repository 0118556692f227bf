package jsonschema

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// Keys are compared as encoding/json reads them: escapes decoded. Paths
// quote what is not an identifier.
func TestCheckKeys(t *testing.T) {
	typ := reflect.TypeFor[checkShelf]()
	assert.NoError(t, Check(typ, []byte(`{"b\u006f\u006fks":[]}`)))
	assert.EqualError(t, Check(typ, []byte(`{"books":[],"index":{"\u00e9 \"q\"":{}}}`)), `$.index["é \"q\""].title: required, missing`)
	assert.EqualError(t, Check(typ, []byte(`{"books":[],"b\u00e9":1}`)), `$["bé"]: unknown field, not in the schema`)
}

// Malformed or cut data is an error, never a panic or a read past the end.
func TestCheckMalformed(t *testing.T) {
	typ := reflect.TypeFor[checkShelf]()
	doc := `{"books":[{"title":"a\"b","author":"x","year":-1.5e3,"nick":"n","maybe":null,"tags":["t",true,false]}],"any":{"k":[1,{}]}}`
	require.NoError(t, Check(typ, []byte(doc)))
	for i := range len(doc) {
		assert.Error(t, Check(typ, []byte(doc[:i])), doc[:i])
	}
	for _, bad := range []string{`{"books":[]}x`, `{"books" []}`, `{"books":[1 2]}`, `{"books":[],}`, `nul`, `{"books":[]`, `]`, `{"books":tru}`} {
		assert.Error(t, Check(typ, []byte(bad)), bad)
	}
}

// BenchmarkCheck is the schema check Extract and tools run after
// encoding/json decoded an answer, on an answer of about 1 MiB.
func BenchmarkCheck(b *testing.B) {
	item := `{"title":"The Left Hand of Darkness","author":"Ursula K. Le Guin","year":1969,"nick":"LHD","maybe":"","tags":["science fiction","anthropology"]},`
	doc := []byte(`{"books":[` + strings.Repeat(item, (1<<20)/len(item)) + item[:len(item)-1] + `]}`)
	typ := reflect.TypeFor[checkShelf]()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for range b.N {
		if err := Check(typ, doc); err != nil {
			b.Fatal(err)
		}
	}
}
