package mcptools_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/mcptools"
)

// A listed tool with a 1 MB name gets a model name within the limit; the
// span and errors name it cut short.
func TestHugeToolName(t *testing.T) {
	name := strings.Repeat("n", 1<<20)
	s := listing(func(string) *mcp.ListToolsResult {
		return &mcp.ListToolsResult{Tools: []*mcp.Tool{{Name: name, InputSchema: objectSchema}}}
	})
	tools, err := mcptools.Tools(context.Background(), connect(t, s))
	require.NoError(t, err)
	assert.LessOrEqual(t, len(tools[0].Definition().Name), 64)
}

// A server that never answers: Call returns when ctx ends. The SDK's
// ClientSession.Close waits for the calls in flight, so a Close racing
// waiting calls returns once their contexts end (calls made with
// context.Background() to a silent server would hold Close forever).
func TestSilentServerAndConcurrentClose(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	s := newServer(nil)
	addRaw(s, "wait", func(ctx context.Context, _ *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		select {
		case <-block:
		case <-ctx.Done():
		}
		return textResult("late"), nil
	})
	cs := connect(t, s)
	tools, err := mcptools.Tools(context.Background(), cs)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = tools[0].Call(ctx, "{}")
	require.ErrorIs(t, err, context.DeadlineExceeded)

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	callCtx, stop := context.WithCancel(context.Background())
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _, err := tools[0].Call(callCtx, "{}"); errs <- err }()
	}
	time.Sleep(20 * time.Millisecond)
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = cs.Close() }()
	}
	time.Sleep(20 * time.Millisecond)
	stop()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		buf := make([]byte, 1<<20)
		t.Fatalf("calls still wait after Close\n%s", buf[:runtime.Stack(buf, true)])
	}
	close(errs)
	for err := range errs {
		assert.Error(t, err)
	}
}

func BenchmarkHugeContent(b *testing.B) {
	for _, n := range []int{1 << 10, 100 << 10, 1 << 20} {
		text := strings.Repeat("x", n)
		s := newServer(nil)
		addRaw(s, "big", func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}, StructuredContent: map[string]any{"t": text}}, nil
		})
		b.Run(fmt.Sprintf("bytes=%d", n), func(b *testing.B) {
			st, ct := mcp.NewInMemoryTransports()
			ss, err := s.Connect(context.Background(), st, nil)
			require.NoError(b, err)
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "v0"}, nil).Connect(context.Background(), ct, nil)
			require.NoError(b, err)
			defer func() { _ = cs.Close(); _ = ss.Wait() }()
			tools, err := mcptools.Tools(context.Background(), cs)
			require.NoError(b, err)
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				if _, err := tools[0].Call(context.Background(), "{}"); err != nil {
					b.Fatalf("%T %v", err, err)
				}
			}
		})
	}
}
