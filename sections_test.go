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
	_, err := mirascope.Call(ctx, p, libSearch{})
	require.NoError(t, err)
	require.Len(t, p.Requests(), 1)
	assert.Equal(t, []prompt.Message{prompt.System("You search a library.")}, p.Requests()[0].Messages)

	p = mock.New(mock.Text("unused"))
	_, err = mirascope.Call(ctx, p, onlyQuery{Query: " "})
	require.ErrorIs(t, err, prompt.ErrNoMessages)
	_, err = mirascope.Stream(ctx, p, onlyQuery{})
	require.ErrorIs(t, err, prompt.ErrNoMessages)
	assert.Empty(t, p.Requests())
}
