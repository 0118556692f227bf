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
}

func (secretSystem) Template() string { return "SYSTEM: {key}\nUSER: {query}" }

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
		{"empty user", search{}, []prompt.Message{prompt.System("You search a library.")}},
		{"white space user", search{Query: " \n\t "}, []prompt.Message{prompt.System("You search a library.")}},
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

	r, err = prompt.Render(secretSystem{Key: "sk-1", Query: " "})
	require.NoError(t, err)
	assert.Equal(t, []prompt.Message{prompt.System("sk-1")}, r.Messages)
	assert.Equal(t, []prompt.Message{prompt.System(prompt.RedactedText)}, r.MaskedMessages())
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
