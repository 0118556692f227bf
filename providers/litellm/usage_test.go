package litellm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/litellm"
)

const dir = "../../testdata/litellm"

func ask() *mirascope.Request {
	return &mirascope.Request{Messages: []prompt.Message{prompt.User("Recommend a book.")}}
}

// For an Anthropic-backed model the proxy counts cache reads and writes
// inside prompt_tokens and names the writes in cache_creation_input_tokens
// (and prompt_tokens_details.cache_creation_tokens): Usage carries both, in
// a call and a stream.
func TestUsageCacheWrites(t *testing.T) {
	anthropic := string(oaitest.Fixture(t, dir, "call_cached_anthropic.json"))
	// Older proxies name the writes at the top level only; newer ones in
	// the details too. Either is read.
	topOnly := strings.Replace(anthropic, `"cache_creation_tokens": 412,`, "", 1)
	detailsOnly := strings.Replace(anthropic, `"cache_creation_input_tokens": 412,`, "", 1)
	require.NotEqual(t, anthropic, topOnly)
	require.NotEqual(t, anthropic, detailsOnly)
	want := mirascope.Usage{InputTokens: 2346, OutputTokens: 21, CacheReadTokens: 1920, CacheWriteTokens: 412}
	for _, tt := range []struct {
		name, body string
		want       mirascope.Usage
	}{
		{"anthropic-backed", anthropic, want},
		{"top level only", topOnly, want},
		{"details only", detailsOnly, want},
		{"openai-backed", string(oaitest.Fixture(t, dir, "call_cached.json")),
			mirascope.Usage{InputTokens: 2060, OutputTokens: 14, CacheReadTokens: 1920}},
		{"hostile values", strings.NewReplacer(`"cache_creation_input_tokens": 412`, `"cache_creation_input_tokens": -5`,
			`"cache_creation_tokens": 412`, `"cache_creation_tokens": "412"`).Replace(anthropic),
			mirascope.Usage{InputTokens: 2346, OutputTokens: 21, CacheReadTokens: 1920}},
		{"overflowing", strings.Replace(detailsOnly, `"cache_creation_tokens": 412`, `"cache_creation_tokens": 1e400`, 1),
			mirascope.Usage{InputTokens: 2346, OutputTokens: 21, CacheReadTokens: 1920}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := oaitest.NewServer(t, false, oaitest.JSON(200, nil, []byte(tt.body)))
			resp, err := litellm.New("claude-sonnet-4-5", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL)).Call(context.Background(), ask())
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.Usage)
		})
	}

	for _, split := range []bool{false, true} {
		srv := oaitest.NewServer(t, false, oaitest.SSE(nil, oaitest.Fixture(t, dir, "stream_cached_anthropic.sse"), split))
		p := litellm.New("claude-sonnet-4-5", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
		var last *mirascope.Usage // each report is the total so far
		for c, err := range p.Stream(context.Background(), ask()) {
			require.NoError(t, err)
			if c.Usage != nil {
				last = c.Usage
			}
		}
		require.NotNil(t, last)
		assert.Equal(t, mirascope.Usage{InputTokens: 2346, OutputTokens: 9, CacheReadTokens: 1920, CacheWriteTokens: 412}, *last)
	}
}
