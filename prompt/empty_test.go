package prompt_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

type search struct {
	Query string `prompt:"query"`
}

func (search) Template() string { return "SYSTEM: You search a library.\nUSER: {query}" }

type bare struct {
	Query string `prompt:"query"`
}

func (bare) Template() string { return "{query}" }

type secretSystem struct {
	Key   string `prompt:"key,redact"`
	Query string `prompt:"query"`
	Note  string `prompt:"note"`
}

func (secretSystem) Template() string { return "SYSTEM: {key}\nUSER: {query}\nASSISTANT: {note}" }

type spoken struct{ Text string }

func (s spoken) Prompt() string { return s.Text }

type explicit struct{}

func (explicit) Messages() []prompt.Message {
	return []prompt.Message{prompt.User("hi"), prompt.Assistant("")}
}

type splice struct {
	History []prompt.Message `prompt:"history"`
	Query   string           `prompt:"query"`
}

func (splice) Template() string { return "MESSAGES: {history}\nUSER: {query}" }

// A section that renders empty or white space is left out, as Mirascope
// does: services refuse an empty message.
func TestBlankSectionsAreLeftOut(t *testing.T) {
	tests := []struct {
		name string
		p    any
		want []prompt.Message
	}{
		{"filled user", search{Query: "dune"}, []prompt.Message{prompt.System("You search a library."), prompt.User("dune")}},
		{"values untrimmed", search{Query: " dune "}, []prompt.Message{prompt.System("You search a library."), prompt.User(" dune ")}},
		{"empty secret section", secretSystem{Query: "q"}, []prompt.Message{prompt.User("q")}},
		{"spliced history kept as given", splice{History: []prompt.Message{prompt.Assistant("")}, Query: "q"},
			[]prompt.Message{prompt.Assistant(""), prompt.User("q")}},
		{"messages kept as given", explicit{}, []prompt.Message{prompt.User("hi"), prompt.Assistant("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := prompt.Render(tt.p)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Messages)
		})
	}
}

// The masked rendering a tracer or a cassette records leaves out the same
// sections: a secret that is empty is not shown as "[REDACTED]" in a
// message never sent.
func TestMaskedLeavesOutTheSameSections(t *testing.T) {
	r, err := prompt.Render(secretSystem{Query: "q"})
	require.NoError(t, err)
	assert.Equal(t, r.Messages, r.MaskedMessages())

	r, err = prompt.Render(secretSystem{Key: "sk-1", Query: "q", Note: " "})
	require.NoError(t, err)
	assert.Equal(t, []prompt.Message{prompt.System("sk-1"), prompt.User("q")}, r.Messages)
	assert.Equal(t, []prompt.Message{prompt.System(prompt.RedactedText), prompt.User("q")}, r.MaskedMessages())
}

type systemOnly struct{}

func (systemOnly) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You search a library.")}
}

type systemHistory struct {
	History []prompt.Message `prompt:"history"`
	Query   string           `prompt:"query"`
}

func (systemHistory) Template() string {
	return "SYSTEM: You search a library.\nMESSAGES: {history}\nUSER: {query}"
}

// A prompt left with system messages alone (its user section blank) is
// refused as ErrNoMessages: services refuse a request without a user or
// assistant turn. Whatever the style: a Messages method or a spliced
// history of system messages alone is refused too.
func TestSystemAloneIsNoMessages(t *testing.T) {
	for _, p := range []any{search{}, search{Query: " \n\t "}, secretSystem{Key: "sk-1", Query: " "}} {
		_, err := prompt.Render(p)
		require.ErrorIs(t, err, prompt.ErrNoMessages, "%#v", p)
		var pe *prompt.Error
		require.ErrorAs(t, err, &pe)
		assert.NotContains(t, err.Error(), "sk-1")
	}
	_, err := prompt.Render(search{})
	assert.EqualError(t, err, "prompt: search: renders to system messages only: a call needs a user or assistant message, and a section that renders empty or white space is left out")
	_, err = prompt.Render(systemOnly{})
	assert.EqualError(t, err, "prompt: systemOnly: renders to system messages only: a call needs a user or assistant message")
	_, err = prompt.Render(systemHistory{History: []prompt.Message{prompt.System("Be brief.")}})
	require.ErrorIs(t, err, prompt.ErrNoMessages)

	r, err := prompt.Render(systemHistory{History: []prompt.Message{prompt.Assistant("Ask me.")}})
	require.NoError(t, err, "a history's assistant turn is a turn")
	assert.Equal(t, []prompt.Message{prompt.System("You search a library."), prompt.Assistant("Ask me.")}, r.Messages)
}

// A prompt whose every section is blank is a typed error from Render, so
// no request is ever made.
func TestAllSectionsBlankIsNoMessages(t *testing.T) {
	for _, p := range []any{bare{}, bare{Query: "\n "}, spoken{}, spoken{Text: "  "}, splice{}} {
		_, err := prompt.Render(p)
		require.ErrorIs(t, err, prompt.ErrNoMessages, "%#v", p)
		var pe *prompt.Error
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Error(), "renders to no messages: a call needs at least one, and a section that renders empty or white space is left out")
	}
}
