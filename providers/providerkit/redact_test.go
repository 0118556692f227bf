package providerkit_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

func chunks(cs ...*mirascope.Chunk) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		for _, c := range cs {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// masked runs seq through r as a provider's Stream does.
func masked(r *providerkit.Redactor, seq iter.Seq2[*mirascope.Chunk, error]) iter.Seq2[*mirascope.Chunk, error] {
	return r.Stream(context.Background(), func(_ context.Context, yield func(*mirascope.Chunk, error) bool) {
		for c, err := range seq {
			if !yield(c, err) {
				return
			}
		}
	})
}

// oneByte splits text into chunks of one byte each.
func oneByte(text string) []*mirascope.Chunk {
	var out []*mirascope.Chunk
	for i := range len(text) {
		out = append(out, &mirascope.Chunk{Content: text[i : i+1]})
	}
	return out
}

// collect ranges over seq as a ResponseStream would, joining the texts.
func collect(t *testing.T, seq iter.Seq2[*mirascope.Chunk, error]) (content string, args map[int]string, n int, err error) {
	t.Helper()
	args = map[int]string{}
	var b strings.Builder
	for c, e := range seq {
		if e != nil {
			err = e
			continue
		}
		n++
		b.WriteString(c.Content)
		for _, tc := range c.ToolCalls {
			args[tc.Index] += tc.Arguments
		}
	}
	return b.String(), args, n, err
}

const streamKey = "sk-own-key-0123456789"

func TestRedactorStreamOneByteChunks(t *testing.T) {
	r := &providerkit.Redactor{}
	r.Add(streamKey)
	text := "a " + streamKey + " b " + streamKey + streamKey + " ends with sk-own"
	content, _, n, err := collect(t, masked(r, chunks(oneByte(text)...)))
	require.NoError(t, err)
	assert.Equal(t, "a [REDACTED] b [REDACTED][REDACTED] ends with sk-own", content,
		"what only began the key is given back at the end")
	assert.Equal(t, len(text), n, "the stream keeps its chunks")
}

func TestRedactorStreamToolArguments(t *testing.T) {
	r := &providerkit.Redactor{}
	r.Add(streamKey)
	half := len(streamKey) / 2
	seq := chunks(
		&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, ID: "c0", Name: "f", Arguments: `{"k":"` + streamKey[:half]}}},
		&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 1, ID: "c1", Name: "g", Arguments: `{"x":"sk-`}}},
		&mirascope.Chunk{ToolCalls: []mirascope.ToolCallChunk{{Index: 0, Arguments: streamKey[half:] + `"}`}}},
		&mirascope.Chunk{FinishReason: "tool_calls"},
	)
	_, args, n, err := collect(t, masked(r, seq))
	require.NoError(t, err)
	assert.Equal(t, `{"k":"[REDACTED]"}`, args[0])
	assert.Equal(t, `{"x":"sk-`, args[1], "kept back, then given back")
	assert.Equal(t, 4, n)
}

func TestRedactorStreamErrorAndBreak(t *testing.T) {
	r := &providerkit.Redactor{}
	r.Add(streamKey)
	boom := errors.New("boom")
	seq := func(yield func(*mirascope.Chunk, error) bool) {
		if yield(&mirascope.Chunk{Content: "x sk-own"}, nil) {
			yield(nil, boom)
		}
	}
	content, _, _, err := collect(t, masked(r, seq))
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "x sk-own", content, "what was kept back comes before the error")

	for range masked(r, chunks(oneByte(streamKey+streamKey)...)) {
		break // must not panic or yield again
	}
}

func TestRedactorResponse(t *testing.T) {
	r := &providerkit.Redactor{}
	r.Add(streamKey)
	tc := prompt.ToolCall{ID: "c1", Name: "f", Arguments: `{"k":"` + streamKey + `"}`}
	resp := r.Response(&mirascope.Response{Content: "k=" + streamKey, ToolCalls: []prompt.ToolCall{tc},
		Message: prompt.Message{Role: prompt.RoleAssistant, Content: "k=" + streamKey, ToolCalls: []prompt.ToolCall{tc}}})
	assert.Equal(t, "k=[REDACTED]", resp.Content)
	assert.Equal(t, "k=[REDACTED]", resp.Message.Content)
	assert.Equal(t, `{"k":"[REDACTED]"}`, resp.ToolCalls[0].Arguments)
	assert.Equal(t, `{"k":"[REDACTED]"}`, resp.Message.ToolCalls[0].Arguments)
	// Only the provider's own key: another credential shape in an answer is
	// the model's text.
	assert.Equal(t, "use sk-abcdefghijkl", r.Response(&mirascope.Response{Content: "use sk-abcdefghijkl"}).Content)
}

// BenchmarkRedactorStream: masking a streamed answer costs per chunk what
// the chunk holds, so one-byte chunks of a large answer stay linear.
func BenchmarkRedactorStream(b *testing.B) {
	r := &providerkit.Redactor{}
	r.Add(streamKey)
	for _, size := range []int{64 << 10, 1 << 20} {
		text := strings.Repeat("s ordinary text sk- ", size/20)
		b.Run(byteSize(size)+"_1byte", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				cs := oneByte(text)
				for range masked(r, chunks(cs...)) {
				}
			}
		})
	}
}

func byteSize(n int) string {
	if n >= 1<<20 {
		return "1MiB"
	}
	return "64KiB"
}
