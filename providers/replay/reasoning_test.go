package replay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// A cassette keeps a response's reasoning (the text, and the blocks with
// their signature and redacted data), a stream's reasoning pieces, the
// reasoning sent back and a cache breakpoint, so a replayed tool loop sends
// what the recorded one sent.
func TestReasoningReplays(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	blocks := []prompt.Reasoning{{Text: "Think.", Signature: "c2ln"}, {Redacted: "b3BhcXVl"}}
	answer := &mirascope.Response{Content: "Dune.", Reasoning: "Think.",
		Message: prompt.Message{Role: prompt.RoleAssistant, Content: "Dune.", Reasoning: blocks}}
	history := []prompt.Message{
		prompt.UserParts(prompt.Text("A long document."), prompt.CacheBreakpoint(), prompt.Text("A book?")),
		{Role: prompt.RoleAssistant, Content: "Let me think.", Reasoning: blocks},
		prompt.User("Another?"),
	}
	session := func(p mirascope.Provider) (*mirascope.Response, *mirascope.Response) {
		req := &mirascope.Request{Messages: history}
		mirascope.WithReasoningBudget(2048)(req)
		resp, err := p.Call(ctx, req)
		require.NoError(t, err)
		st, err := mirascope.Stream(ctx, p, RecommendBook{Genre: "scifi"}, mirascope.WithReasoning(mirascope.ReasoningHigh))
		require.NoError(t, err)
		for _, err := range st.Chunks() {
			require.NoError(t, err)
		}
		return resp, st.Response()
	}

	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestReasoning")
	var recorded, recordedStream *mirascope.Response
	rec.run(func() {
		recorded, recordedStream = session(replay.New(rec, mock.New(mock.Respond(answer), mock.Respond(answer))))
	})
	require.Empty(t, rec.errors())
	assert.Equal(t, blocks, recorded.Message.Reasoning)

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestReasoning")
	play.run(func() {
		resp, streamed := session(replay.New(play, mock.New()))
		assert.Equal(t, "Think.", resp.Reasoning)
		assert.Equal(t, blocks, resp.Message.Reasoning)
		assert.Equal(t, recordedStream.Reasoning, streamed.Reasoning)
		assert.Equal(t, blocks, streamed.Message.Reasoning)
	})
	require.Empty(t, play.errors())
}
