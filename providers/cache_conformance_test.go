package providers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// cachedLibrarian marks its cacheable prefixes with the template spec.
type cachedLibrarian struct{}

func (cachedLibrarian) Template() string {
	return "SYSTEM: Long rules. {:cache_control}\nUSER: A long document. {:cache_control} Which book?"
}

// Cache breakpoints, by hand or by {:cache_control}, are accepted by every
// provider, in calls and streams: Anthropic marks the block before each
// with cache_control, Bedrock adds a cachePoint, and the services that cache
// prefixes on their own get nothing more than the text.
func TestCacheBreakpointsAcceptedEverywhere(t *testing.T) {
	bp := prompt.CacheBreakpoint()
	byHand := &mirascope.Request{Messages: []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("Long rules."), bp}},
		prompt.UserParts(prompt.Text("A long document."), bp, prompt.Text("Which book?")),
	}}
	fromTemplate, err := mirascope.NewRequest(cachedLibrarian{})
	require.NoError(t, err)
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			for name, req := range map[string]*mirascope.Request{"by hand": byHand, "template": fromTemplate} {
				srv := newErrorServer(t, s, 400, "stop here", nil, false)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL), req)
				for _, err := range []error{callErr, streamErr} {
					// The service's own answer: nothing refused it first.
					pe := requireProviderError(t, err)
					assert.Equal(t, 400, pe.StatusCode, name)
				}
				for i := 0; i < 2; i++ {
					body := srv.body(i)
					for _, text := range []string{"Long rules.", "A long document.", "Which book?"} {
						assert.Contains(t, body, text, name)
					}
					switch s.name {
					case "anthropic":
						assert.Equal(t, 2, strings.Count(body, `"cache_control":{"type":"ephemeral"}`), name)
					case "aws.bedrock":
						assert.Equal(t, 2, strings.Count(body, `"cachePoint":{"type":"default"}`), name)
					default:
						assert.NotContains(t, strings.ToLower(body), "cache", name)
					}
				}
			}
		})
	}
}
