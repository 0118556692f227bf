package prompt_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/template"
)

type shorthand struct{ Genre string }

func (s shorthand) Prompt() string { return "Recommend a " + s.Genre + " book." }

type chat struct {
	Genre string `prompt:"genre"`
}

func (c chat) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You are a librarian."), prompt.User("Recommend a " + c.Genre + " book.")}
}

type literal struct{ Genre string }

func (l literal) Messages() []prompt.Message {
	return []prompt.Message{{Role: prompt.RoleUser, Content: "Recommend a " + l.Genre + " book."}}
}

type tmpl struct {
	Genre string `prompt:"genre"`
}

func (tmpl) Template() string { return "Recommend a {genre} book." }

func TestFourStyles(t *testing.T) {
	want := prompt.User("Recommend a fantasy book.")
	for _, tt := range []struct {
		p            any
		name, source string
		fieldName    string
	}{
		{shorthand{Genre: "fantasy"}, "shorthand", "", "Genre"},
		{chat{Genre: "fantasy"}, "chat", "", "genre"},
		{literal{Genre: "fantasy"}, "literal", "", "Genre"},
		{tmpl{Genre: "fantasy"}, "tmpl", "Recommend a {genre} book.", "genre"},
		{&tmpl{Genre: "fantasy"}, "tmpl", "Recommend a {genre} book.", "genre"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := prompt.Render(tt.p)
			require.NoError(t, err)
			assert.Equal(t, tt.name, r.Name)
			assert.Equal(t, tt.source, r.Template)
			assert.Equal(t, want, r.Messages[len(r.Messages)-1])
			require.Len(t, r.Fields, 1)
			assert.Equal(t, tt.fieldName, r.Fields[0].Name)
			assert.Equal(t, "fantasy", r.Fields[0].Value)
			assert.False(t, r.HasRedacted())
		})
	}
}

type Author struct {
	Name  string `prompt:"name"`
	Email string `prompt:"email,redact"`
}

type Base struct {
	Audience string `prompt:"audience"`
	Skipped  string `prompt:"-"`
	internal string
}

type rich struct {
	Base
	Author  Author            `prompt:"author"`
	Editor  *Author           `prompt:"editor"`
	Books   []string          `prompt:"books"`
	Shelves [][]string        `prompt:"shelves"`
	Meta    map[string]int    `prompt:"meta"`
	Count   int               `prompt:"count"`
	Ratio   float64           `prompt:"ratio"`
	OK      bool              `prompt:"ok"`
	When    time.Time         `prompt:"when"`
	History []prompt.Message  `prompt:"history"`
	Tags    map[string]string `prompt:"-"`
}

func (rich) Template() string {
	return `
		SYSTEM: For {audience} readers, by {author.name} <{author.email}>; editor {editor.name}.
		MESSAGES: {history}
		USER:
		{books:list}
		---
		{shelves:lists}
		---
		{books} {meta:json} {count} {ratio} {ok} {when} {author:json}
	`
}

func richValue() rich {
	return rich{
		Base:    Base{Audience: "young", Skipped: "no", internal: "no"},
		Author:  Author{Name: "Le Guin", Email: "ursula@example.com"},
		Books:   []string{"A Wizard of Earthsea", "The Dispossessed"},
		Shelves: [][]string{{"a", "b"}, {"c"}},
		Meta:    map[string]int{"n": 1},
		Count:   3, Ratio: 0.5, OK: true,
		When:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		History: []prompt.Message{prompt.User("Hi"), prompt.Assistant("Hello")},
	}
}

func TestRichTemplate(t *testing.T) {
	r, err := prompt.Render(richValue())
	require.NoError(t, err)
	require.Len(t, r.Messages, 4)
	assert.Equal(t, prompt.System("For young readers, by Le Guin <ursula@example.com>; editor ."), r.Messages[0])
	assert.Equal(t, prompt.User("Hi"), r.Messages[1])
	assert.Equal(t, prompt.Assistant("Hello"), r.Messages[2])
	assert.Equal(t, "A Wizard of Earthsea\nThe Dispossessed\n---\na\nb\n\nc\n---\n"+
		`A Wizard of Earthsea, The Dispossessed {"n":1} 3 0.5 true 2026-01-02 03:04:05 +0000 UTC {"Name":"Le Guin","Email":"ursula@example.com"}`,
		r.Messages[3].Content)

	var names []string
	for _, f := range r.Fields {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"audience", "author", "editor", "books", "shelves", "meta", "count", "ratio", "ok", "when", "history"}, names)
	assert.True(t, r.HasRedacted())

	// Redaction: nested masks, and the template re-rendered masked.
	author := r.Fields[1]
	assert.False(t, author.Redacted)
	assert.Equal(t, map[string]any{"name": "Le Guin", "email": prompt.RedactedText}, author.Masked())
	masked := r.MaskedMessages()
	require.Len(t, masked, 4)
	assert.Equal(t, "For young readers, by Le Guin <[REDACTED]>; editor .", masked[0].Content)
	assert.Contains(t, masked[3].Content, `{"email":"[REDACTED]","name":"Le Guin"}`)
	assert.NotContains(t, fmt.Sprint(masked), "ursula@example.com")
}

type secretShorthand struct {
	Key string `prompt:"key,redact"`
}

func (s secretShorthand) Prompt() string { return "key is " + s.Key }

func TestRedactedNonTemplateOmitsContent(t *testing.T) {
	r, err := prompt.Render(secretShorthand{Key: "sk-1"})
	require.NoError(t, err)
	assert.Equal(t, "key is sk-1", r.Messages[0].Content)
	assert.True(t, r.HasRedacted())
	assert.Nil(t, r.MaskedMessages())
	assert.Equal(t, prompt.RedactedText, r.Fields[0].Masked())
}

type secretValidated struct {
	Key   string `prompt:"key,redact" validate:"startswith=sk-"`
	Inner struct {
		Pin string `prompt:"pin,redact" validate:"len=4"`
	} `prompt:"inner"`
}

func (secretValidated) Prompt() string { return "x" }

func TestValidationNeverPrintsRedacted(t *testing.T) {
	v := secretValidated{Key: "pk-live-123"}
	v.Inner.Pin = "12345"
	_, err := prompt.Render(v)
	require.ErrorIs(t, err, prompt.ErrValidation)
	assert.EqualError(t, err, `prompt: secretValidated.Key: failed "startswith=sk-" (got [REDACTED]); secretValidated.Inner.Pin: failed "len=4" (got [REDACTED])`)
	assert.NotContains(t, err.Error(), "pk-live")
	assert.NotContains(t, err.Error(), "12345")
}

type typoRule struct {
	Genre string `validate:"requird"`
}

func (typoRule) Prompt() string { return "x" }

func TestMistypedRuleIsAnError(t *testing.T) {
	_, err := prompt.Render(typoRule{})
	require.ErrorIs(t, err, prompt.ErrInvalidField)
	assert.Contains(t, err.Error(), "requird")
	assert.Contains(t, err.Error(), "Genre")
	assert.ErrorIs(t, prompt.Check(typoRule{}), prompt.ErrInvalidField)
}

type dup struct {
	A string `prompt:"x"`
	B string `prompt:"x"`
}

func (dup) Prompt() string { return "" }

type badName struct {
	A string `prompt:"not-ok"`
}

func (badName) Prompt() string { return "" }

type splicedAsText struct {
	History []prompt.Message
}

func (splicedAsText) Template() string { return "USER: {History}" }

type spliceString struct{ H string }

func (spliceString) Template() string { return "MESSAGES: {H}" }

type nestedUnknown struct {
	Author Author `prompt:"author"`
	N      int
}

func (nestedUnknown) Template() string { return "{author.nme} {N.x}" }

func TestDefinitionErrors(t *testing.T) {
	for _, tt := range []struct {
		p      any
		target error
		want   string
	}{
		{dup{}, prompt.ErrInvalidField, `prompt: dup.B: two fields are named "x": rename one with a prompt tag`},
		{badName{}, prompt.ErrInvalidField, `prompt: badName.A: invalid prompt name "not-ok": use letters, digits and _`},
		{splicedAsText{}, template.ErrSyntax, "prompt: splicedAsText.History: template 1:7: {History} is a []prompt.Message: splice it with MESSAGES: {History} on a line of its own"},
		{spliceString{}, template.ErrSyntax, "prompt: spliceString.H: template 1:11: MESSAGES: {H} needs a []prompt.Message field, not string"},
		{nestedUnknown{}, template.ErrUnknownVariable, "prompt: nestedUnknown.author.nme: template 1:1: unknown variable {author.nme} (fields: name, email)"},
	} {
		t.Run(fmt.Sprintf("%T", tt.p), func(t *testing.T) {
			_, err := prompt.Render(tt.p)
			require.ErrorIs(t, err, tt.target)
			assert.EqualError(t, err, tt.want)
			var pe *prompt.Error
			require.True(t, errors.As(err, &pe))
			// The same error, every time: it is part of the cached plan.
			_, again := prompt.Render(tt.p)
			assert.Equal(t, err.Error(), again.Error())
			assert.EqualError(t, prompt.Check(tt.p), tt.want)
		})
	}
}

func TestCheck(t *testing.T) {
	// A zero value passes: Check looks at the type, not at the values.
	require.NoError(t, prompt.Check(secretValidated{}))
	require.NoError(t, prompt.Check(richValue()))
	require.ErrorIs(t, prompt.Check(42), prompt.ErrNotPrompt)
}

type isbnPrompt struct {
	ISBN string `prompt:"isbn" validate:"isbn13digits"`
}

func (isbnPrompt) Template() string { return "Tell me about {isbn}." }

func init() {
	if err := prompt.RegisterValidation("isbn13digits", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return len(s) == 13 && strings.Trim(s, "0123456789") == ""
	}); err != nil {
		panic(err)
	}
}

func TestRegisterValidation(t *testing.T) {
	_, err := prompt.Render(isbnPrompt{ISBN: "9780553283686"})
	require.NoError(t, err)
	_, err = prompt.Render(isbnPrompt{ISBN: "x"})
	assert.EqualError(t, err, `prompt: isbnPrompt.ISBN: failed "isbn13digits" (got "x")`)
}

// varying returns a different template each time: the plan keeps one.
type varying struct{ N int }

func (v varying) Template() string { return fmt.Sprintf("n=%d {N}", v.N) }

func TestVaryingTemplateStaysCorrect(t *testing.T) {
	for i := range 100 {
		r, err := prompt.Render(varying{N: i})
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("n=%d %d", i, i), r.Messages[0].Content)
	}
}

func TestConcurrentRender(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			for j := range 50 {
				g := fmt.Sprintf("g%d-%d", i, j)
				r, err := prompt.Render(tmpl{Genre: g})
				if err != nil || r.Messages[0].Content != "Recommend a "+g+" book." {
					t.Errorf("got %v, %v", r, err)
				}
				if _, err := prompt.Render(varying{N: j}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

type ptrFields struct {
	Name *string `prompt:"name"`
	N    *int    `prompt:"n"`
}

func (ptrFields) Template() string { return "[{name}] [{n}]" }

func TestNilPointerFieldsPrintNothing(t *testing.T) {
	r, err := prompt.Render(ptrFields{})
	require.NoError(t, err)
	assert.Equal(t, "[] []", r.Messages[0].Content)
	s, n := "x", 7
	r, err = prompt.Render(&ptrFields{Name: &s, N: &n})
	require.NoError(t, err)
	assert.Equal(t, "[x] [7]", r.Messages[0].Content)
}

func TestValueCapturedAtRender(t *testing.T) {
	p := &tmpl{Genre: "fantasy"}
	r, err := prompt.Render(p)
	require.NoError(t, err)
	p.Genre = "changed"
	assert.Equal(t, "fantasy", r.Fields[0].Value)
}

type team struct {
	Authors []Author            `prompt:"authors" validate:"dive"`
	Groups  [][]Author          `prompt:"groups"`
	ByRole  map[string]*Author  `prompt:"by_role"`
	Lead    *Author             `prompt:"lead"`
	Plain   []string            `prompt:"plain"`
	Extra   map[string][]Author `prompt:"-"`
}

func (team) Template() string {
	return "A: {authors}\nL:\n{authors:list}\nG:\n{groups:lists}\nJ: {authors:json}\nM: {by_role}\nP: {lead}\nS: {plain}"
}

// TestRedactedInsideContainers: a secret in a slice, slice of slices or map
// of structs is masked wherever the value is recorded.
func TestRedactedInsideContainers(t *testing.T) {
	a := Author{Name: "Le Guin", Email: "ursula@example.com"}
	b := Author{Name: "Butler", Email: "octavia@example.com"}
	v := team{Authors: []Author{a, b}, Groups: [][]Author{{a}, {b}}, ByRole: map[string]*Author{"editor": &b}, Lead: &a, Plain: []string{"x"}}
	r, err := prompt.Render(v)
	require.NoError(t, err)
	assert.True(t, r.HasRedacted())
	assert.Contains(t, r.Messages[0].Content, "ursula@example.com", "the real value reaches the model")

	masked := r.MaskedMessages()
	require.Len(t, masked, 1)
	got := masked[0].Content
	assert.NotContains(t, got, "ursula@example.com")
	assert.NotContains(t, got, "octavia@example.com")
	assert.Equal(t, `A: {"email":"[REDACTED]","name":"Le Guin"}, {"email":"[REDACTED]","name":"Butler"}
L:
{"email":"[REDACTED]","name":"Le Guin"}
{"email":"[REDACTED]","name":"Butler"}
G:
{"email":"[REDACTED]","name":"Le Guin"}

{"email":"[REDACTED]","name":"Butler"}
J: [{"email":"[REDACTED]","name":"Le Guin"},{"email":"[REDACTED]","name":"Butler"}]
M: {"editor":{"email":"[REDACTED]","name":"Butler"}}
P: {"email":"[REDACTED]","name":"Le Guin"}
S: x`, got)

	byName := map[string]prompt.Field{}
	for _, f := range r.Fields {
		byName[f.Name] = f
	}
	assert.Equal(t, []any{
		map[string]any{"name": "Le Guin", "email": prompt.RedactedText},
		map[string]any{"name": "Butler", "email": prompt.RedactedText},
	}, byName["authors"].Masked())
	assert.Equal(t, map[string]any{"editor": map[string]any{"name": "Butler", "email": prompt.RedactedText}}, byName["by_role"].Masked())
	assert.Equal(t, []string{"x"}, byName["plain"].Masked())
	assert.NotContains(t, fmt.Sprint(byName["groups"].Masked()), "example.com")
}

type validatedTeam struct {
	Authors []secretValidated `prompt:"authors" validate:"dive"`
}

func (validatedTeam) Prompt() string { return "x" }

func TestValidationRedactedInsideSlice(t *testing.T) {
	_, err := prompt.Render(validatedTeam{Authors: []secretValidated{{Key: "pk-live-9"}}})
	require.ErrorIs(t, err, prompt.ErrValidation)
	assert.NotContains(t, err.Error(), "pk-live-9")
	assert.Contains(t, err.Error(), `validatedTeam.Authors[0].Key: failed "startswith=sk-" (got [REDACTED])`)
}
