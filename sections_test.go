package mirascope_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type libSearch struct {
	Query string `prompt:"query"`
}

func (libSearch) Template() string { return "SYSTEM: You search a library.\nUSER: {query}" }

type onlyQuery struct {
	Query string `prompt:"query"`
}

func (onlyQuery) Template() string { return "USER: {query}" }

// An empty section never reaches a provider, and a prompt with nothing
// left is refused before any request.
func TestBlankSectionIsNotSent(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text("Which book?"))
	_, err := mirascope.Call(ctx, p, libSearch{Query: "dune"})
	require.NoError(t, err)
	require.Len(t, p.Requests(), 1)
	assert.Equal(t, []prompt.Message{prompt.System("You search a library."), prompt.User("dune")}, p.Requests()[0].Messages)

	// System messages alone: no service answers them (Anthropic refuses
	// a request without a user turn), so none is sent.
	p = mock.New(mock.Text("unused"))
	_, err = mirascope.Call(ctx, p, libSearch{})
	require.ErrorIs(t, err, prompt.ErrNoMessages)
	assert.EqualError(t, err, "prompt: libSearch: renders to system messages only: a call needs a user or assistant message, and a section that renders empty or white space is left out")
	_, err = mirascope.Stream(ctx, p, libSearch{Query: " "})
	require.ErrorIs(t, err, prompt.ErrNoMessages)
	_, err = mirascope.Call(ctx, p, libSearch{Query: "dune"}, func(r *mirascope.Request) { r.Messages = r.Messages[:1] })
	require.ErrorIs(t, err, prompt.ErrNoMessages, "an option that leaves system messages alone")
	assert.Empty(t, p.Requests())

	_, err = mirascope.Call(ctx, p, onlyQuery{Query: " "})
	require.ErrorIs(t, err, prompt.ErrNoMessages)
	_, err = mirascope.Stream(ctx, p, onlyQuery{})
	require.ErrorIs(t, err, prompt.ErrNoMessages)
	assert.Empty(t, p.Requests())
}
