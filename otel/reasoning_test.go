package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// A Run whose first turn thinks (a visible block with its signature, and a
// redacted one) before calling a tool: the turn's output messages carry the
// thinking as a reasoning part before the tool call, the next turn's input
// messages carry it as sent back, and neither the signature nor the
// redacted data is recorded. Each chat span carries its reasoning and cache
// counts; the invoke_agent span sums them.
func TestReasoningPartsAndUsage(t *testing.T) {
	h := newHarness(t)
	call := prompt.ToolCall{ID: "c1", Name: "weather", Arguments: `{"city":"Paris"}`}
	think := &mirascope.Response{
		Reasoning: "The user wants Paris.",
		ToolCalls: []prompt.ToolCall{call}, FinishReasons: []string{"tool_use"},
		Message: prompt.Message{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{call},
			Reasoning: []prompt.Reasoning{{Text: "The user wants Paris.", Signature: "U0lHTkFUVVJF"}, {Redacted: "UkVEQUNURUQ="}}},
		Usage: mirascope.Usage{InputTokens: 100, OutputTokens: 30, CacheReadTokens: 80, CacheWriteTokens: 5, ReasoningTokens: 20},
	}
	answer := &mirascope.Response{Content: "Paris is mild.",
		Usage: mirascope.Usage{InputTokens: 140, OutputTokens: 4, CacheReadTokens: 90, ReasoningTokens: 2}}
	p := h.traced(mock.New(mock.Respond(think), mock.Respond(answer)), otel.WithContentCapture(true))
	_, err := mirascope.Run(context.Background(), p, RecommendBook{Genre: "travel"}, mirascope.WithTools(weather))
	require.NoError(t, err)

	names := byName(h.spans.GetSpans())
	chats := names["RecommendBook"]
	require.Len(t, chats, 2)
	first, second := attrs(chats[0].Attributes), attrs(chats[1].Attributes)
	assert.JSONEq(t, `[{"role":"assistant","parts":[
		{"type":"reasoning","content":"The user wants Paris."},
		{"type":"tool_call","id":"c1","name":"weather","arguments":{"city":"Paris"}}],"finish_reason":"tool_call"}]`,
		first["gen_ai.output.messages"].AsString())
	in := second["gen_ai.input.messages"].AsString()
	assert.Contains(t, in, `{"role":"assistant","parts":[{"type":"reasoning","content":"The user wants Paris."},{"type":"tool_call"`)
	for _, s := range []string{first["gen_ai.output.messages"].AsString(), in} {
		assert.NotContains(t, s, "U0lHTkFUVVJF", "no signature")
		assert.NotContains(t, s, "UkVEQUNURUQ=", "no redacted data")
	}
	assert.Equal(t, attribute.IntValue(20), first["gen_ai.usage.reasoning.output_tokens"])
	assert.Equal(t, attribute.IntValue(80), first["gen_ai.usage.cache_read.input_tokens"])
	assert.Equal(t, attribute.IntValue(5), first["gen_ai.usage.cache_creation.input_tokens"])
	_, ok := second["gen_ai.usage.cache_creation.input_tokens"]
	assert.False(t, ok, "none written: not recorded")

	ra := attrs(names["invoke_agent RecommendBook"][0].Attributes)
	assert.Equal(t, attribute.IntValue(240), ra["gen_ai.usage.input_tokens"])
	assert.Equal(t, attribute.IntValue(34), ra["gen_ai.usage.output_tokens"])
	assert.Equal(t, attribute.IntValue(170), ra["gen_ai.usage.cache_read.input_tokens"])
	assert.Equal(t, attribute.IntValue(5), ra["gen_ai.usage.cache_creation.input_tokens"])
	assert.Equal(t, attribute.IntValue(22), ra["gen_ai.usage.reasoning.output_tokens"])
}

// A stream records reasoning the same way: streamed thinking, kept apart
// from the content, is a reasoning part of the output message; thinking a
// service shows without blocks to send back (Response.Reasoning only) too.
func TestStreamReasoningPart(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Chunks(
		&mirascope.Chunk{Reasoning: "Hmm, ", ReasoningBlocks: []mirascope.ReasoningChunk{{Text: "Hmm, "}}},
		&mirascope.Chunk{Reasoning: "Dune.", ReasoningBlocks: []mirascope.ReasoningChunk{{Text: "Dune.", Signature: "c2ln"}}},
		&mirascope.Chunk{Content: "Try Dune.", FinishReason: "end_turn"},
	), mock.Respond(&mirascope.Response{Content: "Try Dune.", Reasoning: "shown only"})), otel.WithContentCapture(true))
	s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: "scifi"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	resp := s.Response()
	assert.Equal(t, "Hmm, Dune.", resp.Reasoning)
	assert.Equal(t, []prompt.Reasoning{{Text: "Hmm, Dune.", Signature: "c2ln"}}, resp.Message.Reasoning)
	_, err = mirascope.Call(context.Background(), p, RecommendBook{Genre: "scifi"})
	require.NoError(t, err)

	spans := h.spans.GetSpans()
	require.Len(t, spans, 2)
	for _, sp := range spans {
		out := attrs(sp.Attributes)["gen_ai.output.messages"].AsString()
		assert.Contains(t, out, `"parts":[{"type":"reasoning","content":`)
		assert.Contains(t, out, `{"type":"text","content":"Try Dune."}`)
		assert.NotContains(t, out, "c2ln")
	}
}

// A cache breakpoint is no content: the input messages record the parts
// around it only.
func TestCacheBreakpointNotRecorded(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("ok")), otel.WithContentCapture(true))
	req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Text("big doc"), prompt.CacheBreakpoint(), prompt.Text("question"))}}
	_, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"role":"user","parts":[{"type":"text","content":"big doc"},{"type":"text","content":"question"}]}]`,
		attrs(h.only(t).Attributes)["gen_ai.input.messages"].AsString())
}
