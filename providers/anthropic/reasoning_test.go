package anthropic_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const thinkingModel = "claude-sonnet-4-5"

// freshEach is a provider that builds a new anthropic.Provider for every
// call, and hands it the conversation as stored JSON read back: nothing
// one call's provider value holds can reach the next call.
type freshEach struct{ url string }

func (f freshEach) Info() mirascope.ProviderInfo {
	return anthropic.New(thinkingModel, providers.WithAPIKey(testKey)).Info()
}

func (f freshEach) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	stored, err := json.Marshal(req.Messages)
	if err != nil {
		return nil, err
	}
	again := *req
	again.Messages = nil
	if err := json.Unmarshal(stored, &again.Messages); err != nil {
		return nil, err
	}
	p := anthropic.New(thinkingModel, providers.WithAPIKey(testKey), providers.WithBaseURL(f.url), providers.WithMaxRetries(0))
	return p.Call(ctx, &again)
}

// The must-show: a Run with a tool and thinking on, two turns, each on a
// fresh provider value over a history stored as JSON. The second request
// sends the first answer's thinking block with its signature, then its
// redacted_thinking block unchanged, then the tool_use, field by field.
func TestRunWithThinkingSendsReasoningBack(t *testing.T) {
	call, answer := fixture(t, "thinking_tool_call.json"), fixture(t, "thinking_answer.json")
	s := replaytest.NewServer(t, replaytest.Sequence(replay.JSON(200, call, nil), replay.JSON(200, answer, nil)))
	var asked []string
	tr, err := mirascope.Run(bg, freshEach{url: s.URL}, recommend{Genre: "fantasy"},
		mirascope.WithTools(authors(&asked)), mirascope.WithReasoningBudget(2048))
	require.NoError(t, err)
	assert.Equal(t, []string{"The Name of the Wind"}, asked)
	assert.Equal(t, "The Name of the Wind is by Patrick Rothfuss.", tr.Response.Content)
	assert.Equal(t, "The tool says Patrick Rothfuss.", tr.Response.Reasoning)
	assert.Equal(t, mirascope.Usage{InputTokens: 520 + 1200 + 610 + 1200, OutputTokens: 310 + 64,
		CacheReadTokens: 1200, CacheWriteTokens: 1200, ReasoningTokens: 240 + 30}, tr.Usage)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, map[string]any{"type": "enabled", "budget_tokens": float64(2048), "display": "summarized"}, r.JSON["thinking"])
		assert.Equal(t, float64(anthropic.DefaultMaxTokens+2048), r.JSON["max_tokens"], "the budget is added to the default")
	}
	var sent struct {
		Messages []struct {
			Role    string           `json:"role"`
			Content []map[string]any `json:"content"`
		} `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(reqs[1].Body, &sent))
	require.Len(t, sent.Messages, 3)
	assistant := sent.Messages[1]
	assert.Equal(t, "assistant", assistant.Role)
	require.Len(t, assistant.Content, 3)
	assert.Equal(t, map[string]any{
		"type":      "thinking",
		"thinking":  "The user wants the author of The Name of the Wind. I should call get_author.",
		"signature": "EuYBCkQYAiJAgCs1le6/Pol5Z4/JMomVOouGrWdhYNsH3ukzUECbB6iWrSQtsQuRHJID6lWV9fJ1dR9ZwJ0Ey2lJbXk4QzBmZhIMeF3vZ1GgTzMPxrkaGgyFq7vJ6mGnVpXv8YUiMDhZr4GzXY3qP5A8D+0lsOZqbd2cYs9XyE1Lm6bQx/8cVxg1Gv6xY0nEwIw3RhoGzFwqQ6Ky",
	}, assistant.Content[0])
	assert.Equal(t, map[string]any{
		"type": "redacted_thinking",
		"data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB8URj2pLmN2QvsCs7HeDqVsKmtDkpB2",
	}, assistant.Content[1])
	assert.Equal(t, map[string]any{
		"type": "tool_use", "id": "toolu_01ThinkAuthor7xQ9", "name": "get_author",
		"input": map[string]any{"title": "The Name of the Wind"},
	}, assistant.Content[2])
	assert.Equal(t, "tool_result", sent.Messages[2].Content[0]["type"])
}

// A stream yields thinking apart from the content, assembles the blocks
// with their signature and redacted data into Message.Reasoning, and
// counts thinking and cache tokens.
func TestStreamThinking(t *testing.T) {
	raw := fixture(t, "stream_thinking.sse")
	for name, pieces := range map[string][][]byte{"whole": {raw}, "split": replaytest.SplitEvents(raw, []byte("\n\n"))} {
		t.Run(name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.Stream(pieces...))
			st, err := mirascope.Stream(bg, newProvider(s), recommend{Genre: "fantasy"},
				mirascope.WithModel(thinkingModel), mirascope.WithReasoning(mirascope.ReasoningLow))
			require.NoError(t, err)
			var content, reasoning string
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				content += c.Content
				reasoning += c.Reasoning
			}
			assert.Equal(t, "Try The Name of the Wind.", content)
			assert.Equal(t, "A fantasy reader might like Rothfuss.", reasoning)
			r := st.Response()
			assert.Equal(t, reasoning, r.Reasoning)
			assert.Equal(t, []prompt.Reasoning{
				{Text: "A fantasy reader might like Rothfuss.", Signature: "EqQBCkgIARABGAIiQKc4Zz1vS3bU9cR2m"},
				{Redacted: "EmwKAhgBEgyRedactedStreamData"},
			}, r.Message.Reasoning)
			assert.Equal(t, mirascope.Usage{InputTokens: 940, OutputTokens: 85, CacheReadTokens: 900, ReasoningTokens: 60}, r.Usage)
			// A level on a budget-only model: the budget it maps to.
			assert.Equal(t, map[string]any{"type": "enabled", "budget_tokens": float64(1024), "display": "summarized"}, s.Requests()[0].JSON["thinking"])
		})
	}
}

// Models from Opus 4.7 on take adaptive thinking with an effort level only.
func TestAdaptiveThinking(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "thinking_answer.json"), nil))
	_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "fantasy"},
		mirascope.WithModel("claude-opus-4-7"), mirascope.WithReasoningBudget(20000), mirascope.WithMaxTokens(1000))
	require.NoError(t, err)
	r := s.Requests()[0].JSON
	assert.Equal(t, map[string]any{"type": "adaptive", "display": "summarized"}, r["thinking"])
	assert.Equal(t, map[string]any{"effort": "high"}, r["output_config"])
	assert.Equal(t, float64(1000), r["max_tokens"], "as set: adaptive thinking has no budget")
}

// Cache breakpoints: cache_control on the system block and the user part
// before each marker, and nowhere else.
func TestCacheBreakpointsOnTheWire(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	bp := prompt.CacheBreakpoint()
	req := &mirascope.Request{Messages: []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("Long rules."), bp, prompt.Text(" Today: Monday.")}},
		prompt.UserParts(prompt.Text("A long document."), bp, prompt.Text("A question?")),
	}}
	_, err := newProvider(s).Call(bg, req)
	require.NoError(t, err)
	body := s.Requests()[0].JSON
	eph := map[string]any{"type": "ephemeral"}
	assert.Equal(t, []any{
		map[string]any{"type": "text", "text": "Long rules.", "cache_control": eph},
		map[string]any{"type": "text", "text": " Today: Monday."},
	}, body["system"])
	assert.Equal(t, []any{
		map[string]any{"type": "text", "text": "A long document.", "cache_control": eph},
		map[string]any{"type": "text", "text": "A question?"},
	}, body["messages"].([]any)[0].(map[string]any)["content"])
}

// Every reasoning refusal comes before any request.
func TestReasoningRefusals(t *testing.T) {
	for name, tc := range map[string]struct {
		model string
		opts  []mirascope.CallOption
		param string
	}{
		"no thinking on claude 3.5": {testModel, []mirascope.CallOption{mirascope.WithReasoning(mirascope.ReasoningLow)}, "WithReasoning"},
		"budget below 1024":         {thinkingModel, []mirascope.CallOption{mirascope.WithReasoningBudget(512)}, "WithReasoningBudget"},
		"max_tokens not above":      {thinkingModel, []mirascope.CallOption{mirascope.WithReasoningBudget(2048), mirascope.WithMaxTokens(2048)}, "WithReasoningBudget"},
		"a word without a budget":   {thinkingModel, []mirascope.CallOption{mirascope.WithReasoning("xhigh")}, "WithReasoning"},
		"an unknown level":          {"claude-opus-4-7", []mirascope.CallOption{mirascope.WithReasoning("minimal")}, "WithReasoning"},
	} {
		t.Run(name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
			opts := append([]mirascope.CallOption{mirascope.WithModel(tc.model)}, tc.opts...)
			_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "fantasy"}, opts...)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tc.param, ue.Parameter)
			assert.Equal(t, "anthropic", ue.Provider)
			assert.Empty(t, s.Requests(), "nothing sent")
		})
	}
}
