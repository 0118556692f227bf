package cohere_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const reasoningModel = "command-a-reasoning-08-2025"

func serve(t *testing.T, contentType, name string) *replaytest.Server {
	return replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, contentType)
		_, _ = w.Write(fixture(t, name))
	})
}

// A reasoning model takes thinking {type enabled, token_budget} (a level
// goes out as its budget), and its thinking is Response.Reasoning, and
// Chunk.Reasoning in a stream, apart from the answer.
func TestThinking(t *testing.T) {
	s := serve(t, "application/json", "call_thinking.json")
	resp, err := mirascope.Call(context.Background(), newProvider(s), recommend{"fantasy"},
		mirascope.WithModel(reasoningModel), mirascope.WithReasoning(mirascope.ReasoningMedium))
	require.NoError(t, err)
	assert.Equal(t, `Try "The Name of the Wind".`, resp.Content)
	assert.Equal(t, "A fantasy reader; a modern classic fits.", resp.Reasoning)
	assert.Equal(t, map[string]any{"type": "enabled", "token_budget": float64(4096)}, s.Requests()[0].JSON["thinking"])

	s = serve(t, "text/event-stream", "stream_thinking.sse")
	st, err := mirascope.Stream(context.Background(), newProvider(s), recommend{"fantasy"},
		mirascope.WithModel(reasoningModel), mirascope.WithReasoningBudget(2000))
	require.NoError(t, err)
	var content, reasoning string
	for c, err := range st.Chunks() {
		require.NoError(t, err)
		content += c.Content
		reasoning += c.Reasoning
	}
	assert.Equal(t, "Try Mistborn.", content)
	assert.Equal(t, "A modern classic.", reasoning)
	assert.Equal(t, map[string]any{"type": "enabled", "token_budget": float64(2000)}, s.Requests()[0].JSON["thinking"])
}

// The other models have no thinking: refused before any request.
func TestThinkingRefused(t *testing.T) {
	s := serve(t, "application/json", "call.json")
	_, err := mirascope.Call(context.Background(), newProvider(s), recommend{"fantasy"}, mirascope.WithReasoning(mirascope.ReasoningLow))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithReasoning", ue.Parameter)
	assert.Empty(t, s.Requests())
}
