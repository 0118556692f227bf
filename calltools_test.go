package mirascope_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// The model writes the tool name: a 1 MB one is echoed back bounded, as
// valid UTF-8, whatever bytes it holds.
func TestUnknownToolNameEchoBounded(t *testing.T) {
	names := map[string]string{
		"ascii":   strings.Repeat("x", 1<<20),
		"escapes": strings.Repeat("\x01\"", 1<<19),
		"runes":   strings.Repeat("é", 1<<19),
		"invalid": strings.Repeat("\xff", 1<<20),
		"split":   strings.Repeat("a", 124) + "日本" + strings.Repeat("b", 1<<20),
	}
	for name, toolName := range names {
		t.Run(name, func(t *testing.T) {
			resp := &mirascope.Response{ToolCalls: []prompt.ToolCall{{ID: "c1", Name: toolName, Arguments: "{}"}}}
			msgs := mirascope.CallTools(context.Background(), resp, echoTool{})
			require.Len(t, msgs, 1)
			text := msgs[0].Content
			assert.True(t, msgs[0].IsError)
			assert.True(t, utf8.ValidString(text))
			const prefix, suffix = "Error: unknown tool ", ": the tools are echo"
			require.True(t, strings.HasPrefix(text, prefix), text)
			require.True(t, strings.HasSuffix(text, suffix), text)
			echoed := strings.TrimSuffix(strings.TrimPrefix(text, prefix), suffix)
			assert.LessOrEqual(t, len(echoed), 128, "the echoed name is bounded")
			assert.True(t, strings.HasSuffix(echoed, `…"`), echoed)
			assert.Greater(t, len(echoed), 64, "and still says what the name began with")
		})
	}
	// A name within the bound is echoed as before.
	resp := &mirascope.Response{ToolCalls: []prompt.ToolCall{{ID: "c1", Name: "shelve", Arguments: "{}"}}}
	msgs := mirascope.CallTools(context.Background(), resp, echoTool{})
	assert.Equal(t, `Error: unknown tool "shelve": the tools are echo`, msgs[0].Content)
}

// 10,000 calls in one turn run at most MaxToolConcurrency at a time, still
// concurrently, and their results come in the model's order.
func TestCallToolsConcurrencyBounded(t *testing.T) {
	var running, peak atomic.Int64
	tool := mirascope.NewTool("work", "Works a little", func(ctx context.Context, in GetAuthor) (string, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(50 * time.Microsecond)
		running.Add(-1)
		return "done " + in.Title, nil
	})
	const n = 10000
	resp := &mirascope.Response{}
	for i := range n {
		resp.ToolCalls = append(resp.ToolCalls, prompt.ToolCall{
			ID: fmt.Sprint("c", i), Name: "work", Arguments: fmt.Sprintf(`{"title":"t%d"}`, i)})
	}
	msgs := mirascope.CallTools(context.Background(), resp, tool)
	require.Len(t, msgs, n)
	for i, m := range msgs {
		require.Equal(t, fmt.Sprint("c", i), m.ToolCallID)
		require.Equal(t, fmt.Sprint("done t", i), m.Content)
	}
	t.Logf("peak concurrency %d", peak.Load())
	assert.LessOrEqual(t, peak.Load(), int64(mirascope.MaxToolConcurrency))
	assert.Greater(t, peak.Load(), int64(1), "the calls still run concurrently")
}

// A cancelled context answers the calls not yet started without running
// them.
func TestCallToolsCancelledBeforeStart(t *testing.T) {
	var ran atomic.Int64
	release := make(chan struct{})
	tool := mirascope.NewTool("block", "Blocks", func(ctx context.Context, _ struct{}) (string, error) {
		ran.Add(1)
		<-release
		return "late", nil
	})
	resp := &mirascope.Response{}
	for i := range 100 {
		resp.ToolCalls = append(resp.ToolCalls, prompt.ToolCall{ID: fmt.Sprint(i), Name: "block", Arguments: "{}"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ran.Load() < mirascope.MaxToolConcurrency {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	msgs := mirascope.CallTools(ctx, resp, tool)
	close(release)
	require.Len(t, msgs, 100)
	for _, m := range msgs {
		assert.Equal(t, "Error: context canceled", m.Content)
	}
	time.Sleep(10 * time.Millisecond)
	assert.LessOrEqual(t, ran.Load(), int64(mirascope.MaxToolConcurrency), "calls not started are not run")
}

type strictIn struct {
	Name string `json:"name" validate:"max=10"`
}

// What was wrong with the model's arguments is told, not its 1 MB
// arguments read back.
func TestArgumentsErrorEchoBounded(t *testing.T) {
	tool := mirascope.NewTool("strict", "Checks", func(context.Context, strictIn) (string, error) { return "ok", nil })
	big := strings.Repeat("é", 1<<19)
	for _, args := range []string{`{"` + big + `":1}`, `{"name":"` + big + `"}`} {
		resp := &mirascope.Response{ToolCalls: []prompt.ToolCall{{ID: "1", Name: "strict", Arguments: args}}}
		msgs := mirascope.CallTools(context.Background(), resp, tool)
		require.Len(t, msgs, 1)
		assert.True(t, msgs[0].IsError)
		assert.LessOrEqual(t, len(msgs[0].Content), 5<<10)
		assert.True(t, utf8.ValidString(msgs[0].Content))
		assert.Contains(t, msgs[0].Content, "invalid arguments for tool strict")
	}
}
