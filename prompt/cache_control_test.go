package prompt_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/template"
)

// cachedRules marks the end of a long system prompt, and a point in the
// middle of the user's turn, as cacheable prefixes.
type cachedRules struct {
	Rules    string `prompt:"rules"`
	Question string `prompt:"question,redact"`
	Cover    []byte `prompt:"cover"`
}

func (cachedRules) Template() string {
	return `
	SYSTEM:
	{rules}
	{:cache_control}
	USER: Context first. {:cache_control} Now: {question} {cover:image}`
}

func TestCacheControlSpecPlacesABreakpoint(t *testing.T) {
	require.NoError(t, prompt.Check(cachedRules{}))
	r, err := prompt.Render(cachedRules{Rules: "Be a librarian.", Question: "which book?", Cover: pngBytes})
	require.NoError(t, err)
	require.Len(t, r.Messages, 2)
	// At the end of a SYSTEM section: the section becomes Parts, the
	// text then the marker.
	assert.Equal(t, prompt.Message{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("Be a librarian."), prompt.CacheBreakpoint()}}, r.Messages[0])
	// In the middle of a USER section: the marker where it stands, among
	// text and media.
	assert.Equal(t, []prompt.Part{prompt.Text("Context first."), prompt.CacheBreakpoint(), prompt.Text("Now: which book?"), prompt.ImageData(pngBytes, "")},
		r.Messages[1].Parts)
	require.NoError(t, prompt.CheckMessages(r.Messages))

	// What a tracer records keeps the marker and masks the secret.
	masked := r.MaskedMessages()
	require.Len(t, masked, 2)
	assert.Equal(t, r.Messages[0], masked[0])
	assert.Equal(t, []prompt.Part{prompt.Text("Context first."), prompt.CacheBreakpoint(), prompt.Text("Now: [REDACTED]"), prompt.ImageData(pngBytes, "")},
		masked[1].Parts)
	// The marker names no field.
	assert.Len(t, r.Fields, 3)
}

type cacheFirst struct{}

func (cacheFirst) Template() string { return "SYSTEM: {:cache_control}\nUSER: hi" }

type cacheAfterNothing struct {
	Rules string `prompt:"rules"`
}

func (cacheAfterNothing) Template() string { return "SYSTEM: {rules} {:cache_control}\nUSER: hi" }

type cacheInAssistant struct{}

func (cacheInAssistant) Template() string { return "USER: hi\nASSISTANT: ok {:cache_control}" }

type cacheNamed struct {
	X string `prompt:"x"`
}

func (cacheNamed) Template() string { return "USER: {x:cache_control}" }

func TestCacheControlSpecMisuse(t *testing.T) {
	// A marker after values that rendered to nothing marks no prefix:
	// refused at render, before any call.
	require.NoError(t, prompt.Check(cacheAfterNothing{}))
	_, err := prompt.Render(cacheAfterNothing{})
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)
	var pe *prompt.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "cacheAfterNothing", pe.Type)
	_, err = prompt.Render(cacheAfterNothing{Rules: "r"})
	require.NoError(t, err)

	// Statically misplaced: refused by Check.
	for _, p := range []any{cacheFirst{}, cacheInAssistant{}, cacheNamed{}} {
		err := prompt.Check(p)
		require.ErrorIs(t, err, template.ErrSyntax)
		_, err = prompt.Render(p)
		require.ErrorIs(t, err, template.ErrSyntax)
	}
}

// manyMarkers is a template of n text-and-marker pairs.
type manyMarkers struct{ src string }

func (m manyMarkers) Template() string { return m.src }

// Many markers render in one pass: a part per text and per marker.
func TestCacheControlSpecManyMarkers(t *testing.T) {
	const n = 20000
	r, err := prompt.Render(manyMarkers{src: "USER: " + strings.Repeat("x {:cache_control} ", n)})
	require.NoError(t, err)
	require.Len(t, r.Messages, 1)
	parts := r.Messages[0].Parts
	require.Len(t, parts, 2*n)
	assert.Equal(t, prompt.Text("x"), parts[2*n-2])
	assert.Equal(t, prompt.CacheBreakpoint(), parts[2*n-1])
}
