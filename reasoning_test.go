package mirascope_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func TestReasoningOptionsSetParams(t *testing.T) {
	req, err := mirascope.NewRequest(RecommendBook{Genre: "fantasy"}, mirascope.WithReasoning(mirascope.ReasoningHigh), mirascope.WithReasoningBudget(2048))
	require.NoError(t, err)
	require.NotNil(t, req.Params.Reasoning)
	assert.Equal(t, mirascope.ReasoningHigh, *req.Params.Reasoning)
	require.NotNil(t, req.Params.ReasoningBudget)
	assert.Equal(t, 2048, *req.Params.ReasoningBudget)
}

// A value no service could take is an *OptionError before any request.
func TestReasoningOptionsRefuseBadValues(t *testing.T) {
	for name, tc := range map[string]struct {
		opt  mirascope.CallOption
		want string
	}{
		"zero budget":     {mirascope.WithReasoningBudget(0), `mirascope: WithReasoningBudget(0): a budget is a positive number of thinking tokens`},
		"negative budget": {mirascope.WithReasoningBudget(-5), `mirascope: WithReasoningBudget(-5): a budget is a positive number of thinking tokens`},
		"empty level":     {mirascope.WithReasoning(""), `mirascope: WithReasoning(""): a level is ReasoningLow, ReasoningMedium, ReasoningHigh or a service's own word`},
	} {
		t.Run(name, func(t *testing.T) {
			p := mock.New(mock.Text("never"))
			_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"}, tc.opt)
			require.Error(t, err)
			assert.EqualError(t, err, tc.want)
			assert.ErrorIs(t, err, mirascope.ErrInvalidOption)
			var oe *mirascope.OptionError
			require.True(t, errors.As(err, &oe))
			assert.Empty(t, p.Requests(), "refused before any request")
		})
	}
}

// Reasoning text accumulates apart from content; reasoning blocks are
// assembled by index into Message.Reasoning, in index order.
func TestAccumulatorReasoning(t *testing.T) {
	var acc mirascope.Accumulator
	for _, c := range []*mirascope.Chunk{
		{Reasoning: "Let me ", ReasoningBlocks: []mirascope.ReasoningChunk{{Index: 0, Text: "Let me "}}},
		{ReasoningBlocks: []mirascope.ReasoningChunk{{Index: 1, Redacted: "b3BhcXVl"}}},
		{Reasoning: "think.", ReasoningBlocks: []mirascope.ReasoningChunk{{Index: 0, Text: "think."}}},
		{ReasoningBlocks: []mirascope.ReasoningChunk{{Index: 0, Signature: "c2ln"}}},
		{Content: "Dune."},
	} {
		acc.Add(c)
	}
	r := acc.Response()
	assert.Equal(t, "Dune.", r.Content)
	assert.Equal(t, "Let me think.", r.Reasoning)
	assert.Equal(t, []prompt.Reasoning{{Text: "Let me think.", Signature: "c2ln"}, {Redacted: "b3BhcXVl"}}, r.Message.Reasoning)

	// Chunks and the Accumulator stay inverses with reasoning.
	var again mirascope.Accumulator
	for _, c := range r.Chunks() {
		again.Add(c)
	}
	assert.Equal(t, r, again.Response())
}

// A Message, with parts, media, a cache breakpoint, reasoning and tool
// calls, survives encoding/json unchanged, so a stored conversation can be
// continued.
func TestMessageJSONRoundTrip(t *testing.T) {
	msgs := []prompt.Message{
		prompt.System("You recommend books."),
		prompt.UserParts(prompt.Text("big doc"), prompt.CacheBreakpoint(), prompt.ImageData([]byte{0x89, 'P', 'N', 'G', 0, 1}, "image/png"), prompt.Text("question")),
		{Role: prompt.RoleAssistant, Content: "Let me look.",
			Reasoning: []prompt.Reasoning{{Text: "thinking", Signature: "c2ln"}, {Redacted: "b3BhcXVl"}},
			ToolCalls: []prompt.ToolCall{{ID: "c1", Name: "f", Arguments: `{"x":1}`, Signature: "dHM="}}},
		{Role: prompt.RoleTool, Content: "boom", ToolCallID: "c1", IsError: true},
	}
	b, err := json.Marshal(msgs)
	require.NoError(t, err)
	var back []prompt.Message
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, msgs, back)
	assert.True(t, back[1].Parts[1].CacheBreakpoint)
}
