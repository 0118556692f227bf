package mirascope_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func streamPartials[T any](t *testing.T, answer string) ([]T, T, error) {
	t.Helper()
	s, err := mirascope.StreamExtract[T](context.Background(), mock.New(mock.Chunks(oneByteChunks(answer)...)), AskLibrarian{"x"})
	require.NoError(t, err)
	var got []T
	var snaps []string
	for v, err := range s.Partials() {
		require.NoError(t, err)
		got = append(got, v)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		snaps = append(snaps, string(b))
	}
	for i, g := range got {
		b, err := json.Marshal(g)
		require.NoError(t, err)
		require.Equal(t, snaps[i], string(b), "partial %d changed after it was yielded", i)
	}
	v, _, err := s.Result()
	return got, v, err
}

// One byte per chunk: every partial differs from the one before, the last
// is the answer, and the values yielded earlier are left as they were
// (streamPartials checks that).
func TestStreamExtractOneByteChunks(t *testing.T) {
	answer := `{"title": "Dune \ud83d\udc1b caf\u00e9", "author": "Frank Herbert", "year": 1965, "genres": ["sf", "épopée"]}`
	got, v, err := streamPartials[Novel](t, answer)
	require.NoError(t, err)
	want := Novel{Title: "Dune 🐛 café", Author: "Frank Herbert", Year: 1965, Genres: []string{"sf", "épopée"}}
	assert.Equal(t, want, v)
	require.NotEmpty(t, got)
	assert.Equal(t, want, got[len(got)-1])
	for i, g := range got {
		assert.NotContains(t, g.Title, "\uFFFD", "half an escape or a surrogate is never shown")
		assert.True(t, strings.HasPrefix(want.Title, g.Title), g.Title)
		for _, genre := range g.Genres {
			assert.NotContains(t, genre, "\uFFFD", "half a UTF-8 sequence is never shown")
		}
		if i > 0 {
			assert.NotEqual(t, got[i-1], g)
		}
	}
	assert.Equal(t, Novel{}, got[0], "the first partial is the opened object")
}

type nest struct {
	A any `json:"a"`
}

// Nesting deeper than encoding/json allows crashes nothing: the partial
// values stop, and Result reports the answer as invalid JSON, the error
// that Extract would also return.
func TestStreamExtractDeepNesting(t *testing.T) {
	deep := `{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`
	got, _, err := streamPartials[nest](t, deep)
	var xerr *mirascope.ExtractError
	require.ErrorAs(t, err, &xerr)
	var se *json.SyntaxError
	assert.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), "exceeded max depth")
	assert.NotEmpty(t, got)

	ok := `{"a":` + strings.Repeat("[", 5000) + `"x"` + strings.Repeat("]", 5000) + `}`
	got, v, err := streamPartials[nest](t, ok)
	require.NoError(t, err)
	var want nest
	require.NoError(t, json.Unmarshal([]byte(ok), &want))
	assert.Equal(t, want, v)
	assert.Equal(t, want, got[len(got)-1])
	_, _, err = mirascope.Extract[nest](context.Background(), mock.New(mock.Text(deep)), AskLibrarian{"x"})
	assert.True(t, errors.As(err, &se), "Extract fails the same way")
}

// A T that travels wrapped as {"value": …} fills in unwrapped.
func TestStreamExtractWrappedPartials(t *testing.T) {
	got, v, err := streamPartials[[]string](t, `{"value": ["Dune", "Emma"]}`)
	require.NoError(t, err)
	assert.Equal(t, []string{"Dune", "Emma"}, v)
	require.NotEmpty(t, got)
	assert.Nil(t, got[0], "the opened wrapper")
	assert.Contains(t, got, []string{"Du"})
	assert.Equal(t, []string{"Dune", "Emma"}, got[len(got)-1])

	n, _, err := streamPartials[int](t, `{"value": 1965}`)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 19, 196, 1965}, n)
}
