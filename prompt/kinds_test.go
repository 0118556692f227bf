package prompt_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

type withFunc struct {
	Name string
	F    func()
}

// kinds holds every kind a template cannot print; Tmpl picks the one the
// template prints.
type kinds struct {
	C    chan int           `prompt:"c"`
	F    func()             `prompt:"f"`
	U    unsafe.Pointer     `prompt:"u"`
	X    complex128         `prompt:"x"`
	M    map[float64]string `prompt:"m"`
	L    []chan int         `prompt:"l"`
	W    withFunc           `prompt:"w"`
	A    any                `prompt:"a"`
	OK   string             `prompt:"ok"`
	Tmpl string             `prompt:"-"`
}

func (k kinds) Template() string { return k.Tmpl }

// TestUnprintableKinds: a variable the template prints must be printable;
// the struct may hold other kinds the template leaves alone.
func TestUnprintableKinds(t *testing.T) {
	tests := []struct {
		tmpl, want string
	}{
		{"{c}", "prompt: kinds.c: template 1:1: {c} is a chan int: a template cannot print a chan; format it into a string field, or leave it out of the template"},
		{"{f}", "prompt: kinds.f: template 1:1: {f} is a func(): a template cannot print a func; format it into a string field, or leave it out of the template"},
		{"{u}", "prompt: kinds.u: template 1:1: {u} is a unsafe.Pointer: a template cannot print a unsafe.Pointer; format it into a string field, or leave it out of the template"},
		{"{x}", "prompt: kinds.x: template 1:1: {x} is a complex128: a template cannot print complex numbers (JSON has none); format it into a string field, or leave it out of the template"},
		{"{m:json}", "prompt: kinds.m: template 1:1: {m} is a map[float64]string: a template cannot print a map with float64 keys (only strings, integers and TextMarshalers); format it into a string field, or leave it out of the template"},
		{"{l:list}", "prompt: kinds.l: template 1:1: {l} is a []chan int: a template cannot print a chan; format it into a string field, or leave it out of the template"},
		{"{w}", "prompt: kinds.w: template 1:1: {w} is a prompt_test.withFunc: a template cannot print a func (in prompt_test.withFunc.F); format it into a string field, or leave it out of the template"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			k := kinds{Tmpl: tt.tmpl}
			err := prompt.Check(k)
			require.ErrorIs(t, err, prompt.ErrInvalidField)
			assert.EqualError(t, err, tt.want)
			_, err = prompt.Render(k)
			require.ErrorIs(t, err, prompt.ErrInvalidField)
			assert.EqualError(t, err, tt.want)
		})
	}
	t.Run("not printed", func(t *testing.T) {
		k := kinds{Tmpl: "{ok} {w.Name}", OK: "fine", W: withFunc{Name: "n"}}
		require.NoError(t, prompt.Check(k))
		r, err := prompt.Render(k)
		require.NoError(t, err)
		assert.Equal(t, "fine n", r.Messages[0].Content)
	})
	t.Run("dynamic value", func(t *testing.T) {
		// Only the value says what an interface holds: an error at render.
		k := kinds{Tmpl: "{a}", A: make(chan int)}
		require.NoError(t, prompt.Check(k))
		_, err := prompt.Render(k)
		require.ErrorIs(t, err, prompt.ErrInvalidValue)
		assert.EqualError(t, err, "prompt: kinds.a: template 1:1: {a}: json: unsupported type: chan int")
	})
}

type codeErr struct{ code int }

func (e *codeErr) Error() string { return fmt.Sprintf("code %d", e.code) }

type textual struct {
	Err   error    `prompt:"err"`
	Coded *codeErr `prompt:"coded"`
	None  error    `prompt:"none"`
	Raw   []byte   `prompt:"raw"`
	Bad   []byte   `prompt:"bad"`
	Raws  [][]byte `prompt:"raws"`
}

func (textual) Template() string { return "{err} | {coded} | {none} | {raw} | {bad} | {raws:list}" }

// TestErrorsAndBytes: an error prints its Error(), a []byte its text, and a
// tracer records exactly what the prompt printed.
func TestErrorsAndBytes(t *testing.T) {
	r, err := prompt.Render(textual{
		Err: errors.New("boom"), Coded: &codeErr{7},
		Raw: []byte("hi"), Bad: []byte("caf\xe9"), Raws: [][]byte{[]byte("a"), []byte("b")},
	})
	require.NoError(t, err)
	assert.Equal(t, "boom | code 7 |  | hi | caf\uFFFD | a\nb", r.Messages[0].Content)
	masked := map[string]any{}
	for _, f := range r.Fields {
		masked[f.Name] = f.Masked()
	}
	assert.Equal(t, map[string]any{
		"err": "boom", "coded": "code 7", "none": nil, "raw": "hi", "bad": "caf\uFFFD", "raws": []any{"a", "b"},
	}, masked)
}

type plainAuthor struct {
	Name  string `prompt:"name"`
	Email string `prompt:"email"`
}

type twoAuthors struct {
	Plain  plainAuthor `prompt:"plain"`
	Secret Author      `prompt:"secret"`
}

func (twoAuthors) Prompt() string { return "hi" }

// TestMaskedStructKeys: a nested struct is recorded under its prompt names
// whether or not one of its variables is redacted.
func TestMaskedStructKeys(t *testing.T) {
	r, err := prompt.Render(twoAuthors{
		Plain:  plainAuthor{Name: "Le Guin", Email: "u@example.com"},
		Secret: Author{Name: "Butler", Email: "o@example.com"},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "Le Guin", "email": "u@example.com"}, r.Fields[0].Masked())
	assert.Equal(t, map[string]any{"name": "Butler", "email": prompt.RedactedText}, r.Fields[1].Masked())
}

type mutable struct {
	History []prompt.Message `prompt:"history"`
	Books   []string         `prompt:"books"`
	Meta    map[string]int   `prompt:"meta"`
	Lead    *Author          `prompt:"lead"`
	Key     string           `prompt:"key,redact"`
}

func (mutable) Template() string {
	return "MESSAGES: {history}\nUSER: {books} {meta:json} {lead.name} <{lead.email}> {key}"
}

// TestRenderedIsSelfContained: once Render returns, what a tracer reads no
// longer depends on the prompt value: changing it afterwards, even
// concurrently, changes nothing recorded.
func TestRenderedIsSelfContained(t *testing.T) {
	p := &mutable{History: []prompt.Message{prompt.User("Hi")}, Books: []string{"Dune"}, Meta: map[string]int{"n": 1}, Lead: &Author{Name: "Le Guin", Email: "u@example.com"}, Key: "sk-1"}
	r, err := prompt.Render(p)
	require.NoError(t, err)

	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 100 {
			p.History[0].Content = "changed"
			p.Books[0] = fmt.Sprint("changed", i)
			p.Meta["n"] = i
			p.Lead.Name = "changed"
		}
	})
	for range 100 {
		assert.Equal(t, []prompt.Message{prompt.User("Hi"), prompt.User("Dune {\"n\":1} Le Guin <[REDACTED]> [REDACTED]")}, r.MaskedMessages())
		assert.Equal(t, []prompt.Message{prompt.User("Hi")}, r.Fields[0].Masked(), "a history stays a []prompt.Message")
		assert.Equal(t, []string{"Dune"}, r.Fields[1].Masked())
		assert.Equal(t, map[string]int{"n": 1}, r.Fields[2].Masked())
		assert.Equal(t, map[string]any{"name": "Le Guin", "email": prompt.RedactedText}, r.Fields[3].Masked())
	}
	wg.Wait()
	assert.Equal(t, "Dune {\"n\":1} Le Guin <u@example.com> sk-1", r.Messages[1].Content)
}

type keptHistory struct {
	History []prompt.Message
}

func (k *keptHistory) Messages() []prompt.Message { return k.History }

// TestMessagesCopied: a Messager returning a slice it keeps, or a history
// spliced in, shares nothing with the Rendered.
func TestMessagesCopied(t *testing.T) {
	call := []prompt.ToolCall{{ID: "1", Name: "f", Arguments: `{"a":1}`}}
	k := &keptHistory{History: []prompt.Message{{Role: prompt.RoleAssistant, ToolCalls: call}}}
	r, err := prompt.Render(k)
	require.NoError(t, err)
	k.History[0].Content = "changed"
	call[0].Arguments = "changed"
	assert.Equal(t, []prompt.Message{{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "1", Name: "f", Arguments: `{"a":1}`}}}}, r.Messages)

	call[0].Arguments = `{"a":1}`
	m := &mutable{History: []prompt.Message{{Role: prompt.RoleAssistant, ToolCalls: call}}, Key: "k"}
	r, err = prompt.Render(m)
	require.NoError(t, err)
	call[0].Arguments = "changed"
	assert.Equal(t, `{"a":1}`, r.Messages[0].ToolCalls[0].Arguments)
	assert.Equal(t, `{"a":1}`, r.MaskedMessages()[0].ToolCalls[0].Arguments)
}
