package replay_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// A tool call's signature (Gemini's thoughtSignature) is reasoning state the
// service wants back: a cassette keeps it, on calls, on streamed pieces and
// in the requests whose history carries it, so a replayed conversation can
// be continued as the recorded one was.
func TestToolCallSignaturesAreKept(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	call := prompt.ToolCall{ID: "call_1", Name: "get_author", Arguments: `{"title":"Dune"}`, Signature: "c2lnbmF0dXJlLTE="}
	session := func(p mirascope.Provider) (resp, streamed *mirascope.Response) {
		resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		// The history goes back with the signature on its call.
		msgs := append(RecommendBook{Genre: "scifi"}.messages(), resp.Message, prompt.ToolResult(call.ID, "Frank Herbert"))
		_, err = p.Call(ctx, &mirascope.Request{Messages: msgs})
		require.NoError(t, err)
		s, err := mirascope.Stream(ctx, p, RecommendBook{Genre: "fantasy"})
		require.NoError(t, err)
		for _, err := range s.Chunks() {
			require.NoError(t, err)
		}
		return resp, s.Response()
	}

	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestSignatures")
	rec.run(func() {
		session(replay.New(rec, mock.New(mock.ToolCalls(call), mock.Text("Frank Herbert wrote it."), mock.ToolCalls(call))))
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestSignatures.json"))
	require.NoError(t, err)
	// The response, its message, the next request's history, the stream.
	assert.GreaterOrEqual(t, strings.Count(string(file), `"signature": "c2lnbmF0dXJlLTE="`), 4)

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestSignatures")
	var resp, streamed *mirascope.Response
	play.run(func() { resp, streamed = session(replay.New(play, mock.New(mock.Fail(errors.New("not replayed"))))) })
	require.Empty(t, play.errors())
	assert.Equal(t, call.Signature, resp.ToolCalls[0].Signature)
	assert.Equal(t, call.Signature, resp.Message.ToolCalls[0].Signature)
	assert.Equal(t, call.Signature, streamed.ToolCalls[0].Signature)
	assert.Equal(t, call.Signature, streamed.Message.ToolCalls[0].Signature)
}

func (r RecommendBook) messages() []prompt.Message {
	return []prompt.Message{prompt.User("Recommend a " + r.Genre + " book.")}
}
