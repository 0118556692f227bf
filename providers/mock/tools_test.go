package mock_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func TestToolCalls(t *testing.T) {
	p := mock.New(mock.ToolCalls(mock.ToolCall("a", map[string]int{"n": 1}), mock.ToolCall("b", `{"broken`)))
	r, err := p.Call(context.Background(), req("x"))
	require.NoError(t, err)
	want := []prompt.ToolCall{{ID: "call_1_0", Name: "a", Arguments: `{"n":1}`}, {ID: "call_1_1", Name: "b", Arguments: `{"broken`}}
	assert.Equal(t, want, r.ToolCalls)
	assert.Equal(t, want, r.Message.ToolCalls)
	assert.Equal(t, []string{"tool_calls"}, r.FinishReasons)

	var chunks []*mirascope.Chunk
	for c, err := range p.Stream(context.Background(), req("y")) {
		require.NoError(t, err)
		chunks = append(chunks, c)
	}
	assert.Equal(t, []mirascope.ToolCallChunk{{Index: 0, ID: "call_2_0", Name: "a"}}, chunks[0].ToolCalls)
	assert.Equal(t, []mirascope.ToolCallChunk{{Index: 0, Arguments: `{"n":1}`}}, chunks[1].ToolCalls)
	assert.Equal(t, "tool_calls", chunks[len(chunks)-1].FinishReason)

	// Chunks with tool-call pieces join into a Call's response.
	j, err := mock.New(mock.Chunks(chunks...)).Call(context.Background(), req("z"))
	require.NoError(t, err)
	assert.Equal(t, "call_2_0", j.ToolCalls[0].ID)
	assert.Equal(t, `{"broken`, j.ToolCalls[1].Arguments)
}

func TestJSON(t *testing.T) {
	r, err := mock.New(mock.JSON(struct {
		Title string `json:"title"`
	}{"Dune"})).Call(context.Background(), req("x"))
	require.NoError(t, err)
	assert.Equal(t, `{"title":"Dune"}`, r.Content)
}
