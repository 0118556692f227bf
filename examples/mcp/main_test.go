package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain is the server when the test starts its own binary again, as
// the program does.
func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "1" {
		if err := serve(context.Background(), os.Stdin, os.Stdout, os.Stderr); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

var spanLine = regexp.MustCompile(`(?m)^(client|server) (.+?) +(client|server|internal) +trace=(\w+) span=(\w+) parent=(\w+)$`)

// The loop runs across two processes, and every span is in one trace: the
// server's tools/call is the child of the client's, which is the child of
// execute_tool.
func TestOneTraceAcrossProcesses(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, self))
	text := out.String()
	assert.Contains(t, text, "tool result: Frank Herbert\nDune was written by Frank Herbert.\n")

	type span struct{ side, kind, trace, id, parent string }
	spans := map[string]span{}
	traces := map[string]bool{}
	for _, m := range spanLine.FindAllStringSubmatch(text, -1) {
		spans[m[1]+" "+m[2]+" "+m[3]] = span{m[1], m[3], m[4], m[5], m[6]}
		traces[m[4]] = true
	}
	require.Len(t, spanLine.FindAllString(text, -1), 6, text)
	assert.Len(t, traces, 1, "one trace:\n%s", text)
	server := spans["server tools/call get_author server"]
	client := spans["client tools/call get_author client"]
	exec := spans["client execute_tool get_author internal"]
	require.NotEmpty(t, server.id, text)
	assert.Equal(t, client.id, server.parent)
	assert.Equal(t, exec.id, client.parent)
}
