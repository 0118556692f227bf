package oaicompat

import (
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// The thinking an OpenAI-compatible service returns beside the answer
// (reasoning_content: xAI, DeepSeek, Mistral through LiteLLM; reasoning:
// Groq's parsed format) is Response.Reasoning, and Chunk.Reasoning in a
// stream, never Content; nothing of it is sent back.
func TestReasoningContent(t *testing.T) {
	plan, err := lower.Prepare(&mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}, lower.XAI)
	require.NoError(t, err)
	c := &Core{}
	for field, body := range map[string]string{
		"reasoning_content": `{"id":"r1","object":"chat.completion","created":1,"model":"grok-3-mini","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Dune.","reasoning_content":"A classic fits."}}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`,
		"reasoning":         `{"id":"r1","object":"chat.completion","created":1,"model":"qwen/qwen3-32b","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Dune.","reasoning":"A classic fits."}}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`,
	} {
		t.Run(field, func(t *testing.T) {
			var cc openai.ChatCompletion
			require.NoError(t, json.Unmarshal([]byte(body), &cc))
			r := c.response(&cc, plan)
			assert.Equal(t, "Dune.", r.Content)
			assert.Equal(t, "A classic fits.", r.Reasoning)
			assert.Empty(t, r.Message.Reasoning, "nothing to send back")
		})
	}
	var ck openai.ChatCompletionChunk
	require.NoError(t, json.Unmarshal([]byte(`{"id":"r1","object":"chat.completion.chunk","created":1,"model":"grok-3-mini","choices":[{"index":0,"delta":{"reasoning_content":"Thinking…"}}]}`), &ck))
	ch := c.chunk(&ck)
	assert.Equal(t, "Thinking…", ch.Reasoning)
	assert.Empty(t, ch.Content)

	// Absent, null or not a string: no reasoning.
	for _, body := range []string{`{"content":"x"}`, `{"content":"x","reasoning_content":null}`, `{"content":"x","reasoning":{"a":1}}`} {
		var m openai.ChatCompletionMessage
		require.NoError(t, json.Unmarshal([]byte(body), &m))
		assert.Empty(t, reasoningText(m.JSON.ExtraFields), body)
	}
}
