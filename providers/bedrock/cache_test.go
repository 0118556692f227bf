package bedrock_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// A cache breakpoint is a cachePoint block after the system block or the
// user part before it.
func TestCachePoints(t *testing.T) {
	s := sequence(t, "converse.json")
	bp := prompt.CacheBreakpoint()
	req := &mirascope.Request{Messages: []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("Long rules."), bp}},
		prompt.UserParts(prompt.Text("A long document."), bp, prompt.Text("A question?")),
	}}
	_, err := newProvider(t, s).Call(context.Background(), req)
	require.NoError(t, err)
	var body struct {
		System   []map[string]any `json:"system"`
		Messages []map[string]any `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
	point := map[string]any{"cachePoint": map[string]any{"type": "default"}}
	assert.Equal(t, []map[string]any{{"text": "Long rules."}, point}, body.System)
	assert.Equal(t, []any{map[string]any{"text": "A long document."}, point, map[string]any{"text": "A question?"}}, body.Messages[0]["content"])
}
