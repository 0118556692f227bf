package otel

import (
	"runtime"
	"slices"
	"sync"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// toolSecrets remembers, while a response is reachable, the redacted values
// of the request that produced its tool calls: mirascope.CallTools, called
// on that response outside a Run, gives StartTool only the call, and its
// span must be masked as the chat span was. Entries go when the response is
// collected.
var toolSecrets = struct {
	sync.Mutex
	m map[string]*secretsEntry
}{m: map[string]*secretsEntry{}}

type secretsEntry struct {
	secrets []string
	refs    int // responses holding a call of this key
}

func toolCallKey(tc prompt.ToolCall) string {
	return tc.ID + "\x00" + tc.Name + "\x00" + tc.Arguments
}

// rememberToolSecrets records secrets for resp's tool calls until resp is
// collected.
func rememberToolSecrets(resp *mirascope.Response, secrets []string) {
	if resp == nil || len(resp.ToolCalls) == 0 || len(secrets) == 0 {
		return
	}
	keys := make([]string, len(resp.ToolCalls))
	toolSecrets.Lock()
	for i, tc := range resp.ToolCalls {
		keys[i] = toolCallKey(tc)
		e := toolSecrets.m[keys[i]]
		if e == nil {
			e = &secretsEntry{}
			toolSecrets.m[keys[i]] = e
		}
		for _, s := range secrets { // masking more is safe; each once
			if !slices.Contains(e.secrets, s) {
				e.secrets = append(e.secrets, s)
			}
		}
		e.refs++
	}
	toolSecrets.Unlock()
	runtime.AddCleanup(resp, forgetToolSecrets, keys)
}

func forgetToolSecrets(keys []string) {
	toolSecrets.Lock()
	defer toolSecrets.Unlock()
	for _, k := range keys {
		if e := toolSecrets.m[k]; e != nil {
			if e.refs--; e.refs <= 0 {
				delete(toolSecrets.m, k)
			}
		}
	}
}

// secretsForCall returns the redacted values remembered for tc, if any.
func secretsForCall(tc prompt.ToolCall) []string {
	toolSecrets.Lock()
	defer toolSecrets.Unlock()
	if e := toolSecrets.m[toolCallKey(tc)]; e != nil {
		return e.secrets
	}
	return nil
}
