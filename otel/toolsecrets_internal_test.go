package otel

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// TestToolSecretsForgotten: what a response's tool calls are masked of is
// held only while the response is reachable, so a long-running process does
// not accumulate redacted values.
func TestToolSecretsForgotten(t *testing.T) {
	tc := prompt.ToolCall{ID: "gc-1", Name: "t", Arguments: `{"k":"forgotten-secret"}`}
	func() {
		resp := &mirascope.Response{ToolCalls: []prompt.ToolCall{tc}}
		rememberToolSecrets(resp, []string{"forgotten-secret"})
		require.Equal(t, []string{"forgotten-secret"}, secretsForCall(tc))
		runtime.KeepAlive(resp)
	}()
	assert.Eventually(t, func() bool {
		runtime.GC()
		return secretsForCall(tc) == nil
	}, 5*time.Second, 10*time.Millisecond)
}

// TestToolSecretsShared: responses repeating a call share its entry, which
// holds each secret once and lasts while any of them is reachable.
func TestToolSecretsShared(t *testing.T) {
	tc := prompt.ToolCall{ID: "shared-1", Name: "t", Arguments: `{}`}
	a := &mirascope.Response{ToolCalls: []prompt.ToolCall{tc}}
	b := &mirascope.Response{ToolCalls: []prompt.ToolCall{tc}}
	rememberToolSecrets(a, []string{"s1"})
	rememberToolSecrets(b, []string{"s1", "s2"})
	assert.Equal(t, []string{"s1", "s2"}, secretsForCall(tc))
	runtime.KeepAlive(a)
	forgetToolSecrets([]string{toolCallKey(tc)}) // as a's cleanup would
	assert.Equal(t, []string{"s1", "s2"}, secretsForCall(tc), "b still holds it")
	runtime.KeepAlive(b)
}
