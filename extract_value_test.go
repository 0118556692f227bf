package mirascope_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Item 1: a slice or map type that holds itself.
type Nest []Nest

type Tree map[string]Tree

type Outline struct {
	Title string `json:"title"`
	Parts Nest   `json:"parts"`
	Index Tree   `json:"index,omitempty"`
}

// Deriving a schema for a self-referencing slice or map used to overflow the
// stack (a fatal error recover cannot catch). It refers to itself instead,
// and values of it decode and validate.
func TestRecursiveSliceAndMapTypes(t *testing.T) {
	ctx := context.Background()
	tool := mirascope.NewTool("outline", "", func(_ context.Context, o Outline) (int, error) { return len(o.Parts), nil })
	assert.JSONEq(t, `{"type":"object","additionalProperties":false,"required":["title","parts"],"properties":{
		"title":{"type":"string"},
		"parts":{"$ref":"#/$defs/Nest"},
		"index":{"$ref":"#/$defs/Tree"}},
		"$defs":{"Nest":{"type":"array","items":{"$ref":"#/$defs/Nest"}},
		         "Tree":{"type":"object","additionalProperties":{"$ref":"#/$defs/Tree"}}}}`,
		string(tool.Definition().Parameters))
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	out, err := tool.Call(ctx, `{"title":"t","parts":[[],[[]],`+deep+`],"index":{"a":{"b":{}}}}`)
	require.NoError(t, err)
	assert.Equal(t, "3", out)
	_, err = tool.Call(ctx, `{"title":"t","parts":[[[{}]]]}`)
	require.EqualError(t, err, "mirascope: invalid arguments for tool outline: $.parts[0][0][0]: expected an array, got object")

	got, _, err := mirascope.Extract[Outline](ctx, mock.New(mock.Text(`{"title":"t","parts":[[]],"index":{"x":{}}}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, Outline{Title: "t", Parts: Nest{Nest{}}, Index: Tree{"x": Tree{}}}, got)

	// The type itself as T: wrapped, see TestExtractNonStruct.
	p := mock.New(mock.Text(`{"value":[[],[[]]]}`))
	nest, _, err := mirascope.Extract[Nest](ctx, p, AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, Nest{{}, {{}}}, nest)
	assert.JSONEq(t, `{"type":"object","additionalProperties":false,"required":["value"],
		"properties":{"value":{"$ref":"#/$defs/Nest"}},
		"$defs":{"Nest":{"type":"array","items":{"$ref":"#/$defs/Nest"}}}}`, string(p.Requests()[0].Format.Schema))
	_, _, err = mirascope.Extract[Nest](ctx, mock.New(mock.Text(`{"value":[`+deep+`]}`)), AskLibrarian{"x"})
	require.NoError(t, err, "a deep value decodes and validates")
	tree, _, err := mirascope.Extract[Tree](ctx, mock.New(mock.Text(`{"value":{"a":{"b":{}}}}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, Tree{"a": Tree{"b": Tree{}}}, tree)
}

// Item 6: a panic in the user's Validate.
type Fragile struct {
	Name string `json:"name"`

	seen map[string]int // never made: the bug
}

func (f Fragile) Validate() error {
	f.seen[f.Name]++ // assignment to entry in nil map
	return nil
}

type MistypedRule struct {
	Name string `json:"name" validate:"requird"`
}

type DeepMistype struct {
	Inner *MistypedRule `json:"inner"`
}

// A panic in Validate is the program's bug: returned with its value and
// stack at once, never sent back to the model (which cost paid re-asks for
// a valid answer). A mistyped rule is a typed error, also never re-asked,
// and found before any request when a zero value reaches it.
func TestExtractValidatePanic(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text(`{"name":"x"}`))
	_, resp, err := mirascope.Extract[Fragile](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(2))
	var pe *mirascope.ValidatePanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "mirascope_test.Fragile", pe.Type)
	assert.Contains(t, string(pe.Stack), "Fragile.Validate")
	var re interface{ RuntimeError() }
	assert.ErrorAs(t, err, &re, "the panic value, a runtime error, is reachable")
	assert.EqualError(t, err, "mirascope: mirascope_test.Fragile.Validate panicked: assignment to entry in nil map")
	assert.Len(t, p.Requests(), 1, "not asked again")
	assert.Equal(t, `{"name":"x"}`, resp.Content)
	var xe *mirascope.ExtractError
	assert.False(t, errors.As(err, &xe))

	p = mock.New(mock.Text(`{"value":[{"name":"x"}]}`))
	_, _, err = mirascope.Extract[[]Fragile](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(2))
	require.ErrorAs(t, err, &pe, "each item's Validate too")

	s, err := mirascope.StreamExtract[Fragile](ctx, mock.New(mock.Text(`{"name":"x"}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	_, _, err = s.Result()
	require.ErrorAs(t, err, &pe)

	p = mock.New(mock.Text(`{"name":"x"}`))
	_, _, err = mirascope.Extract[MistypedRule](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(2))
	require.ErrorIs(t, err, prompt.ErrInvalidField)
	assert.EqualError(t, err, "mirascope: invalid validate tag on mirascope_test.MistypedRule: Undefined validation function 'requird' on field 'Name'")
	assert.Empty(t, p.Requests(), "found before any request")

	// Behind a nil pointer the zero value does not reach the rule: the
	// answer does, and the mistake is returned, not re-asked.
	p = mock.New(mock.Text(`{"inner":{"name":"x"}}`))
	_, _, err = mirascope.Extract[DeepMistype](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(2))
	require.ErrorIs(t, err, prompt.ErrInvalidField)
	assert.False(t, errors.As(err, &xe))
	assert.Len(t, p.Requests(), 1)
}

func TestToolValidatePanic(t *testing.T) {
	ran := false
	tool := mirascope.NewTool("fragile", "", func(context.Context, Fragile) (string, error) { ran = true; return "", nil })
	_, err := tool.Call(context.Background(), `{"name":"x"}`)
	var pe *mirascope.ToolPanicError
	require.ErrorAs(t, err, &pe, "a panic in the tool's own code, as if fn had panicked")
	assert.Equal(t, "fragile", pe.Tool)
	assert.Contains(t, string(pe.Stack), "Fragile.Validate")
	assert.False(t, ran)

	bad := mirascope.NewTool("bad", "", func(context.Context, MistypedRule) (string, error) { return "", nil })
	_, err = mirascope.Call(context.Background(), mock.New(mock.Text("x")), AskLibrarian{"x"}, mirascope.WithTools(bad))
	require.ErrorIs(t, err, mirascope.ErrInvalidTool)
	assert.EqualError(t, err, `mirascope: invalid tool "bad": invalid validate tag on mirascope_test.MistypedRule: Undefined validation function 'requird' on field 'Name'`)
}

// Item 7: Extract enforces the schema it sent.
func TestExtractRequiredKeys(t *testing.T) {
	ctx := context.Background()
	type Book struct {
		Title  string  `json:"title"`
		Author string  `json:"author"`
		Year   *int    `json:"year"`
		Note   string  `json:"note,omitempty"`
		Editor *string `json:"editor" validate:"required"`
		Series string  `json:"series" jsonschema:"nullable"`
	}
	tests := []struct{ answer, want string }{
		{`{"title":"Dune","editor":"e","series":""}`, `$.author: required, missing`},
		{`{"title":"Dune","author":null,"editor":"e","series":""}`, `$.author: required, got null`},
		{`{"title":"Dune","author":"FH","series":""}`, `$.editor: required, missing`},
		{`{"title":"Dune","author":"FH","editor":null,"series":""}`, `$.editor: required, got null`},
		{`{"title":"Dune","Author":"FH","editor":"e","series":""}`, `$.Author: unknown field, not in the schema`},
		{`{"title":"Dune","author":"FH","editor":"e","series":null,"year":null,"note":null}`, ``},
		{`{"title":"Dune","author":"FH","editor":"e","series":"s"}`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			_, _, err := mirascope.Extract[Book](ctx, mock.New(mock.Text(tt.answer)), AskLibrarian{"x"})
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var ve *mirascope.ValueError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.want, ve.Error())
		})
	}

	// The case: re-asked, and the second answer is taken.
	p := mock.New(mock.Text(`{"title":"Dune","year":1965,"genres":[]}`), mock.JSON(dune))
	got, _, err := mirascope.Extract[Novel](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(1))
	require.NoError(t, err)
	assert.Equal(t, dune, got)
	assert.Equal(t, prompt.User("Your answer is not valid: $.author: required, missing\nAnswer again with the corrected JSON only."), p.Requests()[1].Messages[2])
}

// What is required is read from the schema sent, nothing else: dropping a
// required key from a valid answer fails with its path, dropping any other
// key does not.
func TestExtractRequiredMatchesSchema(t *testing.T) {
	type Inner struct {
		A string   `json:"a"`
		B *string  `json:"b"`
		C []string `json:"c,omitempty"`
		D int      `json:"d,omitzero"`
		E *int     `json:"e,omitempty" validate:"required"`
		F string   `json:"f" jsonschema:"nullable"`
	}
	type Outer struct {
		Inner
		G Inner            `json:"g"`
		H map[string]Inner `json:"h"`
	}
	valid := `{"a":"x","b":"x","c":["x"],"d":1,"e":1,"f":"x"}`
	answer := `{"a":"x","b":"x","c":["x"],"d":1,"e":1,"f":"x","g":` + valid + `,"h":{"k":` + valid + `}}`
	p := mock.New(mock.Text(answer))
	_, _, err := mirascope.Extract[Outer](context.Background(), p, AskLibrarian{"x"})
	require.NoError(t, err)
	var schema struct {
		Required   []string `json:"required"`
		Properties map[string]struct {
			Required []string `json:"required"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(p.Requests()[0].Format.Schema, &schema))
	assert.ElementsMatch(t, []string{"a", "e", "f", "g", "h"}, schema.Required)
	assert.ElementsMatch(t, []string{"a", "e", "f"}, schema.Properties["g"].Required)
	for _, key := range []string{"a", "b", "c", "d", "e", "f"} {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(answer), &doc))
		delete(doc["g"].(map[string]any), key)
		b, _ := json.Marshal(doc)
		_, _, err := mirascope.Extract[Outer](context.Background(), mock.New(mock.Text(string(b))), AskLibrarian{"x"})
		if strings.Contains(strings.Join(schema.Properties["g"].Required, ","), key) {
			assert.EqualError(t, errors.Unwrap(err), "$.g."+key+": required, missing")
		} else {
			assert.NoError(t, err, key)
		}
	}
}

// Item 8: every problem has its path, in the text and in a *ValueError.
func TestValueErrorPaths(t *testing.T) {
	type Book struct {
		Title string `json:"title"`
		Year  int    `json:"year" validate:"gte=1450"`
		Nick  string `json:"nick,omitempty" validate:"min=2"`
	}
	type Shelf struct {
		Books []Book `json:"books" validate:"dive"`
	}
	tests := []struct {
		answer, path, text string
		cause              any
	}{
		{`{"books":[{"title":"a","year":1965,"nick":"ab"},{"title":"b","year":1965,"isbn":"x"}]}`,
			"$.books[1].isbn", "$.books[1].isbn: unknown field, not in the schema", nil},
		{`{"books":[{"title":"a","year":1965,"nick":"ab"},{"title":"b","year":"1965"}]}`,
			"$.books[1].year", "$.books[1].year: expected an integer, got string", new(*json.UnmarshalTypeError)},
		{`{"books":[{"title":"a","year":1965,"nick":"ab"},{"title":"b"}]}`,
			"$.books[1].year", "$.books[1].year: required, missing", nil},
		{`{"books":[{"title":"a","year":1965,"nick":"ab"},{"title":"b","year":1200,"nick":"ab"}]}`,
			"$.books[1].year", `$.books[1].year: failed rule "gte=1450" (got 1200)`, nil},
		{`{"books":[{"title":"a","year":1965,"nick":"ab"}]} {}`,
			"$", "$: invalid JSON: unexpected data after the value at offset 50", nil},
		{`{"books":[{"title":"a","year":1965,}]}`,
			"$.books[0]", "$.books[0]: invalid JSON at offset 35: invalid character '}' looking for beginning of object key string", new(*json.SyntaxError)},
		{`{"books":[{"title":"a","ye`,
			"$.books[0]", "$.books[0]: invalid JSON: the value is cut short", nil},
		// absent, not (got ""): the optional key was not written
		{`{"books":[{"title":"a","year":1965}]}`,
			"$.books[0].nick", `$.books[0].nick: failed rule "min=2" (absent)`, nil},
		{`{"books":[{"title":"a","year":1965,"nick":null}]}`,
			"$.books[0].nick", `$.books[0].nick: failed rule "min=2" (got "")`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			_, _, err := mirascope.Extract[Shelf](context.Background(), mock.New(mock.Text(tt.answer)), AskLibrarian{"x"})
			var ve *mirascope.ValueError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.path, ve.Path)
			assert.EqualError(t, errors.Unwrap(err), tt.text)
			if tt.cause != nil {
				assert.ErrorAs(t, err, tt.cause)
			}
		})
	}
	_, _, err := mirascope.Extract[Shelf](context.Background(), mock.New(mock.Text(`{"books":[{"title":"a","ye`)), AskLibrarian{"x"})
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	// Many problems: the first ten are stated, the rest counted.
	answer := `{"books":[` + strings.TrimSuffix(strings.Repeat(`{"title":"a","year":1,"nick":"ab"},`, 25), ",") + `]}`
	_, _, err = mirascope.Extract[Shelf](context.Background(), mock.New(mock.Text(answer)), AskLibrarian{"x"})
	assert.ErrorIs(t, err, prompt.ErrValidation)
	assert.True(t, strings.HasSuffix(err.Error(), `$.books[9].year: failed rule "gte=1450" (got 1); and 15 more`), err.Error())

	tool := mirascope.NewTool("shelve", "", func(context.Context, Shelf) (string, error) { return "", nil })
	_, err = tool.Call(context.Background(), `{"books":[{"title":"a"}]}`)
	var ve *mirascope.ValueError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "$.books[0].year", ve.Path)
	assert.EqualError(t, err, "mirascope: invalid arguments for tool shelve: $.books[0].year: required, missing")
}

// Item 17: a T that is not a struct travels as {"value": T}.
func TestExtractNonStruct(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text(`{"value":[{"title":"Dune","author":"Frank Herbert","year":1965,"genres":["sf"]}]}`))
	books, resp, err := mirascope.Extract[[]Novel](ctx, p, AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, []Novel{dune}, books)
	assert.Contains(t, resp.Content, `"value"`)
	f := p.Requests()[0].Format
	assert.Equal(t, "response", f.Name)
	assert.JSONEq(t, `{"type":"object","additionalProperties":false,"required":["value"],"properties":{"value":{
		"type":"array","items":{"type":"object","additionalProperties":false,"properties":{
			"title":{"type":"string"},
			"author":{"type":"string","description":"the author's full name"},
			"year":{"type":"integer","minimum":1450,"maximum":2100},
			"genres":{"type":"array","items":{"type":"string"},"maxItems":3}},
			"required":["title","author","year","genres"]}}}}`, string(f.Schema))

	n, _, err := mirascope.Extract[int](ctx, mock.New(mock.Text(`{"value":42}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, 42, n)
	m, _, err := mirascope.Extract[map[string]int](ctx, mock.New(mock.Text(`{"value":{"a":1}}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"a": 1}, m)
	s, _, err := mirascope.Extract[*string](ctx, mock.New(mock.Text(`{"value":"x"}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, "x", *s)

	tests := []struct{ answer, want string }{
		{`[]`, `$: expected an object, got array`},
		{`{}`, `$.value: required, missing`},
		{`{"value":null}`, `$.value: required, got null`},
		{`{"value":[{"title":"Dune","author":"Frank Herbert","year":1965,"genres":[]},{"title":"Dune","author":"Frank Herbert","year":1200,"genres":[]}]}`,
			`$.value[1].year: failed rule "gte=1450" (got 1200)`},
		{`{"value":[{"title":"Dune","author":"dune","year":1965,"genres":[]}]}`,
			`$.value[0]: Validate: the title and the author are the same`},
		{`{"value":[{"title":"Dune","author":"Frank Herbert","genres":[]}]}`, `$.value[0].year: required, missing`},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			_, _, err := mirascope.Extract[[]Novel](ctx, mock.New(mock.Text(tt.answer)), AskLibrarian{"x"})
			var xe *mirascope.ExtractError
			require.ErrorAs(t, err, &xe)
			assert.EqualError(t, xe.Attempts[0].Err, tt.want)
		})
	}

	st, err := mirascope.StreamExtract[[]string](ctx, mock.New(mock.Chunks(
		&mirascope.Chunk{Content: `{"value":["a`}, &mirascope.Chunk{Content: `","b"`}, &mirascope.Chunk{Content: `]}`})), AskLibrarian{"x"})
	require.NoError(t, err)
	var partials [][]string
	for v, err := range st.Partials() {
		require.NoError(t, err)
		partials = append(partials, v)
	}
	assert.Equal(t, [][]string{{"a"}, {"a", "b"}}, partials)
	v, _, err := st.Result()
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, v)
}
