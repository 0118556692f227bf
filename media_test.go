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

type mixedMessage struct{}

func (mixedMessage) Messages() []prompt.Message {
	return []prompt.Message{{Role: prompt.RoleUser, Content: "look", Parts: []prompt.Part{prompt.ImageURL("https://example.com/a.png")}}}
}

type describeCover struct {
	Cover prompt.Part `prompt:"cover"`
}

func (describeCover) Template() string { return "Describe {cover:image}" }

// An invalid message never reaches a provider: whether a Messages method
// returns it or an option puts it in the request.
func TestInvalidMessagesAreRefusedBeforeAnyRequest(t *testing.T) {
	p := mock.New(mock.Text("unused"))
	_, err := mirascope.Call(context.Background(), p, mixedMessage{})
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)

	breaks := func(r *mirascope.Request) { r.Messages[0].Content = "and also this" }
	_, err = mirascope.Call(context.Background(), p, describeCover{Cover: prompt.ImageURL("https://example.com/a.png")}, breaks)
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)
	assert.EqualError(t, err, "prompt: messages[0] has both Content and Parts: put the text in a prompt.Text part")

	_, err = mirascope.Stream(context.Background(), p, mixedMessage{})
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)
	_, err = mirascope.Run(context.Background(), p, mixedMessage{})
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)
	assert.Empty(t, p.Requests())

	// A valid one does.
	_, err = mirascope.Call(context.Background(), p, describeCover{Cover: prompt.ImageURL("https://example.com/a.png")})
	require.NoError(t, err)
	require.Len(t, p.Requests(), 1)
	assert.Equal(t, []prompt.Part{prompt.Text("Describe"), prompt.ImageURL("https://example.com/a.png")}, p.Requests()[0].Messages[0].Parts)
}
