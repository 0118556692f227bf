package google_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// Gemini 3 takes a thinking level, and includeThoughts brings the thought
// summary back as Response.Reasoning, apart from the answer.
func TestThinkingLevel(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_thinking.json"), nil))
	resp, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"},
		mirascope.WithModel("gemini-3-pro-preview"), mirascope.WithReasoning(mirascope.ReasoningHigh))
	require.NoError(t, err)
	assert.Equal(t, `Try "Dune" by Frank Herbert.`, resp.Content)
	assert.Equal(t, "**Weighing the request**\n\nA science-fiction classic with strong world-building fits.", resp.Reasoning)
	assert.Equal(t, 100, resp.Usage.ReasoningTokens)
	cfg := s.Requests()[0].JSON["generationConfig"].(map[string]any)
	assert.Equal(t, map[string]any{"includeThoughts": true, "thinkingLevel": "HIGH"}, cfg["thinkingConfig"])
}

// Gemini 2.5 takes a budget; a stream yields the thoughts as
// Chunk.Reasoning.
func TestThinkingBudgetStream(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream_thinking.sse")))
	st, err := mirascope.Stream(bg, newProvider(s), recommend{Genre: "scifi"},
		mirascope.WithModel("gemini-2.5-flash"), mirascope.WithReasoningBudget(2048))
	require.NoError(t, err)
	var content, reasoning string
	for c, err := range st.Chunks() {
		require.NoError(t, err)
		content += c.Content
		reasoning += c.Reasoning
	}
	assert.Equal(t, `Try "Dune".`, content)
	assert.Equal(t, "**Choosing** a classic.", reasoning)
	assert.Equal(t, reasoning, st.Response().Reasoning)
	cfg := s.Requests()[0].JSON["generationConfig"].(map[string]any)
	assert.Equal(t, map[string]any{"includeThoughts": true, "thinkingBudget": float64(2048)}, cfg["thinkingConfig"])
}

// Gemini 2.0 does not think, and a level Gemini 3 lacks is refused; both
// before any request.
func TestThinkingRefusals(t *testing.T) {
	for name, opts := range map[string][]mirascope.CallOption{
		"gemini 2.0":    {mirascope.WithModel("gemini-2.0-flash-001"), mirascope.WithReasoning(mirascope.ReasoningLow)},
		"unknown level": {mirascope.WithModel("gemini-3-pro-preview"), mirascope.WithReasoning("xhigh")},
	} {
		t.Run(name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
			_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "scifi"}, opts...)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "WithReasoning", ue.Parameter)
			assert.Empty(t, s.Requests())
		})
	}
}
