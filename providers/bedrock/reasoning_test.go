package bedrock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/bedrock"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const claudeThinking = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

// Thinking on a Claude model: the budget in additionalModelRequestFields,
// maxTokens above it; the reasoning block and its signature, and the
// redacted block, come back in Message.Reasoning and are sent back first,
// unchanged, on a fresh provider over a history stored as JSON.
func TestThinkingSentBack(t *testing.T) {
	s := sequence(t, "converse_thinking_tool.json", "converse_tool_answer.json")
	req := &mirascope.Request{Model: claudeThinking,
		Messages: []prompt.Message{prompt.User("Recommend a fantasy book from the library.")},
		Tools:    []mirascope.Tool{searchBooks}}
	mirascope.WithReasoningBudget(2048)(req)
	first, err := newProvider(t, s).Call(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "The user wants fantasy; search the library.", first.Reasoning)
	assert.Equal(t, []prompt.Reasoning{
		{Text: "The user wants fantasy; search the library.", Signature: "ErcBCkgIBhABGAIiQBedrockSig0a1b2c3d4e5f6"},
		{Redacted: "UmVkYWN0ZWRCeXRlcw=="},
	}, first.Message.Reasoning)

	stored, err := json.Marshal(append(req.Messages, first.Message, prompt.ToolResult("tooluse_Think01", `{"books":["Mistborn"]}`)))
	require.NoError(t, err)
	again := *req
	again.Messages = nil
	require.NoError(t, json.Unmarshal(stored, &again.Messages))
	_, err = newProvider(t, s).Call(context.Background(), &again)
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	var body struct {
		Messages        []map[string]any `json:"messages"`
		InferenceConfig map[string]any   `json:"inferenceConfig"`
		Fields          map[string]any   `json:"additionalModelRequestFields"`
	}
	require.NoError(t, json.Unmarshal(reqs[1].Body, &body))
	assert.Equal(t, map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": float64(2048)}}, body.Fields)
	assert.Equal(t, float64(2048+bedrock.ThinkingAnswerTokens), body.InferenceConfig["maxTokens"])
	content := body.Messages[1]["content"].([]any)
	require.Len(t, content, 3)
	assert.Equal(t, map[string]any{"reasoningContent": map[string]any{"reasoningText": map[string]any{
		"text": "The user wants fantasy; search the library.", "signature": "ErcBCkgIBhABGAIiQBedrockSig0a1b2c3d4e5f6"}}}, content[0])
	assert.Equal(t, map[string]any{"reasoningContent": map[string]any{"redactedContent": "UmVkYWN0ZWRCeXRlcw=="}}, content[1])
	assert.Contains(t, content[2], "toolUse")
}

// A stream yields the reasoning text apart from the content, and the block
// with its signature.
func TestStreamThinking(t *testing.T) {
	body := eventStream(t, "stream_thinking.jsonl")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		streamHeaders(w)
		replaytest.WritePieces(w, time.Millisecond, body)
	})
	st, err := mirascope.Stream(context.Background(), newProvider(t, s), recommend{"fantasy"},
		mirascope.WithModel(claudeThinking), mirascope.WithReasoning(mirascope.ReasoningLow))
	require.NoError(t, err)
	var content, reasoning string
	for c, err := range st.Chunks() {
		require.NoError(t, err)
		content += c.Content
		reasoning += c.Reasoning
	}
	assert.Equal(t, "Try Mistborn.", content)
	assert.Equal(t, "Fantasy, so Mistborn.", reasoning)
	assert.Equal(t, []prompt.Reasoning{{Text: "Fantasy, so Mistborn.", Signature: "ErcBStreamSig"}}, st.Response().Message.Reasoning)
}

// Models without a mapped thinking control refuse, before any request.
func TestThinkingRefused(t *testing.T) {
	s := sequence(t)
	_, err := mirascope.Call(context.Background(), newProvider(t, s), recommend{"fantasy"},
		mirascope.WithModel("amazon.nova-pro-v1:0"), mirascope.WithReasoning(mirascope.ReasoningLow))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "WithReasoning", ue.Parameter)
}
