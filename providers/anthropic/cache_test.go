package anthropic_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// WithCacheTTL sets the lifetime on every breakpoint's cache_control, and
// WithCachedTools ends a cacheable prefix after the last tool.
func TestCacheTTLAndCachedTools(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	var asked []string
	req := &mirascope.Request{Messages: []prompt.Message{
		prompt.UserParts(prompt.Text("A long document."), prompt.CacheBreakpoint(), prompt.Text("A question?")),
	}, Tools: []mirascope.Tool{authors(&asked)}}
	anthropic.WithCacheTTL(anthropic.CacheTTL1h)(req)
	anthropic.WithCachedTools()(req)
	_, err := newProvider(s).Call(bg, req)
	require.NoError(t, err)
	body := s.Requests()[0].JSON
	hour := map[string]any{"type": "ephemeral", "ttl": "1h"}
	assert.Equal(t, hour, body["tools"].([]any)[0].(map[string]any)["cache_control"])
	assert.Equal(t, hour, body["messages"].([]any)[0].(map[string]any)["content"].([]any)[0].(map[string]any)["cache_control"])
}

func TestCacheTTLRefused(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	_, err := mirascope.Call(bg, newProvider(s), recommend{Genre: "fantasy"}, anthropic.WithCacheTTL("2h"))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.EqualError(t, err, `mirascope: anthropic: anthropic.WithCacheTTL is not supported: the API keeps a cache entry "5m" or "1h", not "2h"`)
	assert.Empty(t, s.Requests())
}

// cachedRecommend marks its cacheable prefixes with the template spec.
type cachedRecommend struct {
	Genre string `prompt:"genre"`
}

func (cachedRecommend) Template() string {
	return "SYSTEM: Long rules. {:cache_control}\nUSER: A long document. {:cache_control} A {genre} book?"
}

// {:cache_control} in a template puts cache_control on the block before
// it: the end of the system prompt, and the user's text up to the marker.
func TestCacheControlTemplateSpecOnTheWire(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	_, err := mirascope.Call(bg, newProvider(s), cachedRecommend{Genre: "fantasy"})
	require.NoError(t, err)
	body := s.Requests()[0].JSON
	eph := map[string]any{"type": "ephemeral"}
	assert.Equal(t, []any{
		map[string]any{"type": "text", "text": "Long rules.", "cache_control": eph},
	}, body["system"])
	assert.Equal(t, []any{
		map[string]any{"type": "text", "text": "A long document.", "cache_control": eph},
		map[string]any{"type": "text", "text": "A fantasy book?"},
	}, body["messages"].([]any)[0].(map[string]any)["content"])
}
