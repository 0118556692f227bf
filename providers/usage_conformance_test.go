package providers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
)

// Usage carries the cache reads and writes of every provider that reports
// them, read from its recorded answer, and InputTokens counts the cached
// tokens too, as semconv does: where the service's own input count leaves
// them out (Anthropic's input_tokens, Bedrock's inputTokens) they are added
// to it; where it already holds them (OpenAI-wire prompt_tokens, Gemini's
// promptTokenCount) it is taken as it is. Mistral, Cohere and the Azure AI
// model inference API report no cache counts.
func TestUsageCacheCountsPerProvider(t *testing.T) {
	want := map[string]struct {
		fixture string
		usage   mirascope.Usage
	}{
		// prompt_tokens_details.cached_tokens, inside prompt_tokens.
		"openai":          {"openai/call.json", mirascope.Usage{InputTokens: 61, OutputTokens: 31, CacheReadTokens: 32}},
		"azure.ai.openai": {"azure/call_cached.json", mirascope.Usage{InputTokens: 2061, OutputTokens: 13, CacheReadTokens: 1920}},
		"groq":            {"groq/call_cached.json", mirascope.Usage{InputTokens: 2114, OutputTokens: 17, CacheReadTokens: 1536}},
		"x_ai":            {"xai/call.json", mirascope.Usage{InputTokens: 57, OutputTokens: 15 + 238, CacheReadTokens: 8, ReasoningTokens: 238}},
		// An Anthropic-backed model: the proxy adds reads and writes into
		// prompt_tokens and names the writes (cache_creation_input_tokens).
		"litellm": {"litellm/call_cached_anthropic.json", mirascope.Usage{InputTokens: 2346, OutputTokens: 21, CacheReadTokens: 1920, CacheWriteTokens: 412}},
		// input_tokens 12 + cache_read_input_tokens 5 + cache_creation_input_tokens 3.
		"anthropic": {"anthropic/call.json", mirascope.Usage{InputTokens: 12 + 5 + 3, OutputTokens: 17, CacheReadTokens: 5, CacheWriteTokens: 3}},
		// cachedContentTokenCount, inside promptTokenCount.
		"gcp.gemini": {"google/call.json", mirascope.Usage{InputTokens: 120, OutputTokens: 30, CacheReadTokens: 100, ReasoningTokens: 10}},
		// inputTokens 18 + cacheReadInputTokens 1024 + cacheWriteInputTokens 512.
		"aws.bedrock": {"bedrock/converse_cached.json", mirascope.Usage{InputTokens: 18 + 1024 + 512, OutputTokens: 17, CacheReadTokens: 1024, CacheWriteTokens: 512}},
		// No cache counts reported.
		"azure.ai.inference": {"azure/call.json", mirascope.Usage{InputTokens: 61, OutputTokens: 13}},
		"mistral_ai":         {"mistral/call.json", mirascope.Usage{InputTokens: 64, OutputTokens: 18}},
		"cohere":             {"cohere/call.json", mirascope.Usage{InputTokens: 218, OutputTokens: 15}}, // usage.tokens, not billed_units
	}
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			w, ok := want[s.name]
			require.True(t, ok, "every provider is listed")
			answer, err := os.ReadFile(filepath.Join("..", "testdata", w.fixture))
			require.NoError(t, err)
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
				rw.Header().Set("Content-Type", "application/json")
				_, _ = rw.Write(answer)
			}))
			defer srv.Close()
			resp, err := s.new(srv.URL).Call(context.Background(), hello())
			require.NoError(t, err)
			assert.Equal(t, w.usage, resp.Usage)
		})
	}
}
