package mcptools_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/mcptools"
)

// TestMain makes the test binary an MCP server over stdio when the stdio
// test runs it again with serverEnv set.
func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		serveStdio()
		return
	}
	os.Exit(m.Run())
}

const serverEnv = "MCPTOOLS_TEST_STDIO_SERVER"

// serveStdio serves one tool, whose answer is the trace id its context
// carries, until the client closes stdin.
func serveStdio() {
	s := newServer(nil)
	err := mcptools.Serve(s, mirascope.NewTool("trace_id", "Returns the caller's trace id",
		func(ctx context.Context, _ struct{}) (string, error) {
			return trace.SpanContextFromContext(ctx).TraceID().String(), nil
		}))
	if err == nil {
		err = s.Run(context.Background(), &mcp.StdioTransport{})
	}
	if err != nil && !strings.Contains(err.Error(), "EOF") {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}

// A real subprocess over stdio: listed, called, the trace carried across.
func TestStdioSubprocess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	cmd.Stderr = os.Stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "stdio-test", Version: "v0"}, nil)
	cs, err := client.Connect(context.Background(), &mcp.CommandTransport{Command: cmd}, nil)
	require.NoError(t, err)
	defer cs.Close()

	tools, err := mcptools.Tools(context.Background(), cs)
	require.NoError(t, err)
	require.Len(t, tools, 1)
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{0xab, 1}, SpanID: trace.SpanID{2}, TraceFlags: trace.FlagsSampled})
	out, err := tools[0].Call(trace.ContextWithRemoteSpanContext(context.Background(), sc), `{}`)
	require.NoError(t, err)
	assert.Equal(t, sc.TraceID().String(), out)

	attrs := map[string]string{}
	for _, kv := range tools[0].(interface {
		SpanAttributes() []attribute.KeyValue
	}).SpanAttributes() {
		attrs[string(kv.Key)] = kv.Value.String()
	}
	assert.Equal(t, "pipe", attrs["network.transport"])
	assert.NotContains(t, attrs, "mcp.session.id")

	require.NoError(t, cs.Close())
	_, err = tools[0].Call(context.Background(), `{}`)
	assert.ErrorIs(t, err, mcp.ErrConnectionClosed)
}
