package mirascope_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Shelf checks itself on a pointer receiver.
type Shelf struct {
	Label string `json:"label" validate:"min=2"`
	Count int    `json:"count"`
}

func (s *Shelf) Validate() error {
	if s.Count < 0 {
		return errors.New("count is negative")
	}
	return nil
}

// Extract[*T] validates as Extract[T] does: tags, then Validate on *T.
func TestExtractPointerValidates(t *testing.T) {
	tests := []struct{ answer, want string }{
		{`{"label":"A","count":1}`, `mirascope: extract *mirascope_test.Shelf: 1 attempt failed; last: $.label: failed rule "min=2" (got "A")`},
		{`{"label":"AB","count":-1}`, `mirascope: extract *mirascope_test.Shelf: 1 attempt failed; last: $: Validate: count is negative`},
		{`null`, `mirascope: extract *mirascope_test.Shelf: 1 attempt failed; last: $: expected an object, got null`},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			got, _, err := mirascope.Extract[*Shelf](context.Background(), mock.New(mock.Text(tt.answer)), AskLibrarian{"x"})
			require.EqualError(t, err, tt.want)
			assert.Nil(t, got)
		})
	}
	got, _, err := mirascope.Extract[*Shelf](context.Background(), mock.New(mock.Text(`{"label":"AB","count":2}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, &Shelf{Label: "AB", Count: 2}, got)
}

// A bare null is not an object: a tool does not run on zero arguments.
func TestToolNullArguments(t *testing.T) {
	ran := false
	tool := mirascope.NewTool("shelve", "", func(_ context.Context, s Shelf) (string, error) { ran = true; return "", nil })
	_, err := tool.Call(context.Background(), " null ")
	require.EqualError(t, err, "mirascope: invalid arguments for tool shelve: $: expected an object, got null")
	assert.False(t, ran)
}

// Decoding errors tell the model the path and the kind expected, without
// Go type names, and still unwrap to encoding/json's errors.
func TestDecodeErrorText(t *testing.T) {
	type leaf struct {
		N int  `json:"n"`
		S int8 `json:"s,omitempty"`
	}
	type inner struct {
		N int               `json:"n"`
		S int8              `json:"s,omitempty"`
		U uint              `json:"u,omitempty"`
		B uint16            `json:"b,omitempty"`
		L []leaf            `json:"l,omitempty"`
		K map[string]string `json:"k,omitempty"`
		C map[uint8]int     `json:"c,omitempty"`
	}
	type outer struct {
		Inner inner `json:"inner"`
	}
	tests := []struct{ answer, want string }{
		{`{"inner":{"n":"x"}}`, `$.inner.n: expected an integer, got string`},
		{`{"inner":{"n":1.5}}`, `$.inner.n: expected an integer, got number 1.5`},
		{"\n  {\"inner\": {\"l\": [{\"n\": 1}, {\"n\": true}]}}", `$.inner.l[1].n: expected an integer, got bool`},
		{`{"inner":{"n":1,"s":200}}`, `$.inner.s: expected an integer from -128 to 127, got number 200`},
		{`{"inner":{"n":1,"u":-1}}`, `$.inner.u: expected a non-negative integer, got number -1`},
		{`{"inner":{"n":1,"b":70000}}`, `$.inner.b: expected an integer from 0 to 65535, got number 70000`},
		{`{"inner":{"n":1,"l":[{"n":1},{"n":2,"s":"x"}]}}`, `$.inner.l[1].s: expected an integer from -128 to 127, got string`},
		{`{"inner":{"n":1,"l":[{"n":1},{"n":{"a":[1]}}]}}`, `$.inner.l[1].n: expected an integer, got object`},
		{`{"inner":{"n":1,"l":[[1]]}}`, `$.inner.l[0]: expected an object, got array`},
		{`{"inner":{"n":1,"k":{"a b":true}}}`, `$.inner.k["a b"]: expected a string, got bool`},
		{`{"inner":{"n":1,"c":{"1":1,"300":2}}}`, `$.inner.c["300"]: expected an integer from 0 to 255, got number 300`},
		{`{"inner":{"n":1,"m":2}}`, `$.inner.m: unknown field, not in the schema`},
		{`{"inner":}`, `$.inner: invalid JSON at offset 9: invalid character '}' looking for beginning of value`},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			_, _, err := mirascope.Extract[outer](context.Background(), mock.New(mock.Text(tt.answer)), AskLibrarian{"x"})
			var xe *mirascope.ExtractError
			require.ErrorAs(t, err, &xe)
			require.Len(t, xe.Attempts, 1)
			assert.EqualError(t, xe.Attempts[0].Err, tt.want)
			assert.False(t, errors.Is(err, prompt.ErrValidation))
		})
	}
	_, _, err := mirascope.Extract[outer](context.Background(), mock.New(mock.Text(`{"inner":{"n":"x"}}`)), AskLibrarian{"x"})
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "inner.n", te.Field)
}

// Strict structured output makes optional fields nullable; a null sent for
// one decodes as the field's zero value.
func TestExtractNullOptionalFields(t *testing.T) {
	type answer struct {
		Title string            `json:"title"`
		Year  *int              `json:"year"`
		Note  string            `json:"note,omitempty"`
		Due   time.Time         `json:"due,omitzero"`
		Tags  []string          `json:"tags,omitempty"`
		Meta  map[string]string `json:"meta,omitempty"`
		Box   *Shelf            `json:"box"`
	}
	got, _, err := mirascope.Extract[answer](context.Background(),
		mock.New(mock.Text(`{"title":"Dune","year":null,"note":null,"due":null,"tags":null,"meta":null,"box":null}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, answer{Title: "Dune"}, got)
}

// A tool taking a pointer validates its arguments as one taking the value.
func TestToolPointerInValidates(t *testing.T) {
	tool := mirascope.NewTool("shelve", "", func(_ context.Context, s *Shelf) (string, error) { return s.Label, nil })
	_, err := tool.Call(context.Background(), `{"label":"A","count":1}`)
	require.EqualError(t, err, `mirascope: invalid arguments for tool shelve: $.label: failed rule "min=2" (got "A")`)
	require.ErrorIs(t, err, prompt.ErrValidation)
	_, err = tool.Call(context.Background(), `{"label":"AB","count":-1}`)
	require.EqualError(t, err, `mirascope: invalid arguments for tool shelve: $: Validate: count is negative`)
	out, err := tool.Call(context.Background(), `{"label":"AB","count":1}`)
	require.NoError(t, err)
	assert.Equal(t, "AB", out)
}
