package cohere_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// Usage counts what the model read and wrote (usage.tokens), as the GenAI
// conventions count a prompt: with the tokens Cohere adds to it, which it
// does not bill (usage.billed_units, the fallback when tokens are absent).
func TestUsageCountsTokensNotBilledUnits(t *testing.T) {
	for _, tt := range []struct {
		name, usage string
		want        mirascope.Usage
	}{
		{"both", `{"billed_units":{"input_tokens":12,"output_tokens":15},"tokens":{"input_tokens":218,"output_tokens":17}}`,
			mirascope.Usage{InputTokens: 218, OutputTokens: 17}},
		{"billed only", `{"billed_units":{"input_tokens":12,"output_tokens":15}}`,
			mirascope.Usage{InputTokens: 12, OutputTokens: 15}},
		{"tokens lack output", `{"billed_units":{"input_tokens":12,"output_tokens":15},"tokens":{"input_tokens":218}}`,
			mirascope.Usage{InputTokens: 218, OutputTokens: 15}},
		{"tokens only", `{"tokens":{"input_tokens":218,"output_tokens":17}}`,
			mirascope.Usage{InputTokens: 218, OutputTokens: 17}},
		{"none", `{}`, mirascope.Usage{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"id":"u1","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"ok"}]},"usage":` + tt.usage + `}`
			s := replaytest.NewServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			})
			resp, err := newProvider(s).Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}})
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.Usage)
		})
	}
}
