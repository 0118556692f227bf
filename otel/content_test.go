package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

var contentKeys = []string{
	"mirascope.prompt.field.genre", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
}

// TestContentCapture: on by default; off by option or environment; an
// explicit option wins over the environment.
func TestContentCapture(t *testing.T) {
	tests := []struct {
		name string
		env  string
		opts []otel.Option
		want bool
	}{
		{"default on", "", nil, true},
		{"option off", "", []otel.Option{otel.WithContentCapture(false)}, false},
		{"env false", "false", nil, false},
		{"env NO_CONTENT", "NO_CONTENT", nil, false},
		{"env true", "true", nil, true},
		{"option on wins over env", "false", []otel.Option{otel.WithContentCapture(true)}, true},
		{"option off wins over env", "true", []otel.Option{otel.WithContentCapture(false)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", tt.env)
			h := newHarness(t)
			_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("ok")), tt.opts...),
				RecommendBook{Genre: "fantasy", Count: 1, Tags: []string{"x"}})
			require.NoError(t, err)
			a := attrs(h.only(t).Attributes)
			for _, k := range contentKeys {
				_, ok := a[k]
				assert.Equal(t, tt.want, ok, k)
			}
			// The prompt's name and template are code, not content.
			assert.Equal(t, attribute.StringValue("RecommendBook"), a["mirascope.prompt.name"])
			assert.Contains(t, a, "mirascope.prompt.template")
		})
	}
}

// TestRedaction follows DESIGN exactly: a redacted field is "[REDACTED]",
// nested too; a template's input is rendered again masked; other styles'
// input is omitted; the secret appears nowhere.
func TestRedaction(t *testing.T) {
	const secret = "sk-live-SECRET-1234"
	const email = "reader@example.com"
	t.Run("template", func(t *testing.T) {
		h := newHarness(t)
		_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("ok"))),
			SecretTemplate{Genre: "mystery", APIKey: secret, Author: Author{Name: "Ann", Email: email}})
		require.NoError(t, err)
		s := h.only(t)
		a := attrs(s.Attributes)
		assert.Equal(t, attribute.StringValue("[REDACTED]"), a["mirascope.prompt.field.api_key"])
		assert.Equal(t, attribute.StringValue(`{"email":"[REDACTED]","name":"Ann"}`), a["mirascope.prompt.field.author"])
		assert.Equal(t, attribute.StringValue("mystery"), a["mirascope.prompt.field.genre"])
		assert.Equal(t, attribute.StringValue(`[{"role":"user","parts":[{"type":"text","content":"Recommend a mystery book for Ann <[REDACTED]> using [REDACTED]."}]}]`),
			a["gen_ai.input.messages"])
		assertNowhere(t, s.Attributes, secret, email)
	})
	t.Run("texter", func(t *testing.T) {
		h := newHarness(t)
		_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("ok")), otel.WithLegacyAttributes()),
			SecretTexter{Genre: "mystery", APIKey: secret})
		require.NoError(t, err)
		s := h.only(t)
		a := attrs(s.Attributes)
		assert.Equal(t, attribute.StringValue("[REDACTED]"), a["mirascope.prompt.field.api_key"])
		assert.NotContains(t, a, "gen_ai.input.messages", "the user's method built the text: omitted")
		for _, e := range s.Events {
			assert.NotEqual(t, "gen_ai.content.prompt", e.Name)
		}
		assertNowhere(t, s.Attributes, secret)
	})
}

func assertNowhere(t *testing.T, kvs []attribute.KeyValue, secrets ...string) {
	t.Helper()
	for _, kv := range kvs {
		for _, s := range secrets {
			assert.NotContains(t, kv.Value.String(), s, string(kv.Key))
		}
	}
}
