package mirascope_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Response.Chunks and Accumulator are inverses: a response streamed whole
// and accumulated again is the response.
func TestChunksAndAccumulatorRoundTrip(t *testing.T) {
	calls := []prompt.ToolCall{
		{ID: "call_a", Name: "get_author", Arguments: `{"title":"Dune"}`, Signature: "c2lnLWE="},
		{ID: "call_b", Name: "list_genres", Arguments: `{}`},
	}
	for name, r := range map[string]mirascope.Response{
		"empty":      {},
		"text":       {Content: "Try Dune.", ID: "r1", Model: "m-1", FinishReasons: []string{"stop"}, Usage: mirascope.Usage{InputTokens: 3, OutputTokens: 2, ReasoningTokens: 1}, Raw: 42},
		"tool calls": {ID: "r2", Model: "m-2", FinishReasons: []string{"tool_calls"}, ToolCalls: calls},
		"choices":    {Content: "a", FinishReasons: []string{"stop", "length", "stop"}},
	} {
		t.Run(name, func(t *testing.T) {
			r.Message = prompt.Assistant(r.Content)
			r.Message.ToolCalls = r.ToolCalls
			var acc mirascope.Accumulator
			for _, c := range r.Chunks() {
				acc.Add(c)
			}
			acc.Add(nil)
			assert.Equal(t, &r, acc.Response())
		})
	}
}

// Pieces as a service streams them: text in bits, tool calls in pieces by
// index, interleaved; the last ID, model and usage win.
func TestAccumulatorAssemblesPieces(t *testing.T) {
	var acc mirascope.Accumulator
	assert.Equal(t, 0, acc.Len())
	for _, c := range []*mirascope.Chunk{
		{ID: "r1", Model: "m", Content: "Let"},
		{Content: " me", ToolCalls: []mirascope.ToolCallChunk{{Index: 1, ID: "b", Name: "g", Arguments: `{"x"`}}},
		{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, ID: "a", Name: "f", Signature: "c2ln"}, {Index: 1, Arguments: `:1}`}}},
		{FinishReason: "tool_calls", Usage: &mirascope.Usage{OutputTokens: 9}},
	} {
		acc.Add(c)
	}
	r := acc.Response()
	assert.Equal(t, 4, acc.Len())
	assert.Equal(t, "Let me", r.Content)
	assert.Equal(t, []prompt.ToolCall{{ID: "a", Name: "f", Signature: "c2ln"}, {ID: "b", Name: "g", Arguments: `{"x":1}`}}, r.ToolCalls)
	assert.Equal(t, r.ToolCalls, r.Message.ToolCalls)
	assert.Equal(t, prompt.RoleAssistant, r.Message.Role)
	// What was handed out is not changed by what comes later.
	acc.Add(&mirascope.Chunk{Content: "!", FinishReason: "stop"})
	assert.Equal(t, "Let me", r.Content)
	assert.Equal(t, []string{"tool_calls"}, r.FinishReasons)
}

// Scripted chunks joined for a Call keep their ID and model, as a stream's
// consumer sees them (the mock used to drop both), and their signatures.
func TestMockChunksCallKeepsIDAndModel(t *testing.T) {
	p := mock.New(mock.Chunks(
		&mirascope.Chunk{ID: "chatcmpl-1", Model: "gpt-x", Content: "Hi"},
		&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, ID: "c1", Name: "f", Arguments: "{}", Signature: "c2ln"}}},
		&mirascope.Chunk{FinishReason: "stop"},
	))
	resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	assert.Equal(t, "chatcmpl-1", resp.ID)
	assert.Equal(t, "gpt-x", resp.Model)
	assert.Equal(t, []prompt.ToolCall{{ID: "c1", Name: "f", Arguments: "{}", Signature: "c2ln"}}, resp.ToolCalls)
	assert.Equal(t, resp.ToolCalls, resp.Message.ToolCalls)

	// Streamed, the mock's scripted calls keep their signature too.
	s, err := mirascope.Stream(context.Background(), mock.New(mock.ToolCalls(prompt.ToolCall{Name: "f", Arguments: `{"a":1}`, Signature: "c2ln"})), RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	assert.Equal(t, "c2ln", s.Response().ToolCalls[0].Signature)
}

// A provider that cannot stream is streamed as its response's chunks, and
// Response is the provider's own (its Message as it came).
func TestStreamOfACallOnlyProvider(t *testing.T) {
	want := &mirascope.Response{Content: "Dune.", ID: "r9", Model: "m", FinishReasons: []string{"stop", "length"},
		ToolCalls: []prompt.ToolCall{{ID: "c", Name: "f", Arguments: "{}", Signature: "c2ln"}},
		Message:   prompt.Message{Role: prompt.RoleAssistant, Content: "Dune.", ToolCalls: []prompt.ToolCall{{ID: "c", Name: "f", Arguments: "{}", Signature: "c2ln"}}}}
	s, err := mirascope.Stream(context.Background(), callOnly{mock.New(mock.Respond(want))}, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	var chunks []*mirascope.Chunk
	for c, err := range s.Chunks() {
		require.NoError(t, err)
		chunks = append(chunks, c)
	}
	require.Len(t, chunks, 2, "the whole answer, then the second choice's finish reason")
	assert.Equal(t, "Dune.", chunks[0].Content)
	assert.Equal(t, "c2ln", chunks[0].ToolCalls[0].Signature)
	got := s.Response()
	assert.Equal(t, want.Message, got.Message)
	assert.Equal(t, want.FinishReasons, got.FinishReasons)
	assert.Equal(t, want.ToolCalls, got.ToolCalls)
}

// A long answer in 1-byte chunks, and many tool calls: accumulating is
// linear in what arrives.
func BenchmarkAccumulator(b *testing.B) {
	text := strings.Repeat("x", 1<<16)
	b.Run("1-byte chunks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var acc mirascope.Accumulator
			c := &mirascope.Chunk{}
			for i := range len(text) {
				c.Content = text[i : i+1]
				acc.Add(c)
			}
			_ = acc.Response()
		}
	})
	b.Run("4096 tool calls", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var acc mirascope.Accumulator
			for i := range 4096 {
				acc.Add(&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: i, ID: "c", Name: "f"}}})
			}
			for i := range 4096 {
				acc.Add(&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: i, Arguments: "{}"}}})
			}
			_ = acc.Response()
		}
	})
}
