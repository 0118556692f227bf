package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// echoTool answers with its arguments, as a tool quoting its input does.
type echoTool struct{ weatherTool }

func (echoTool) Call(_ context.Context, args string) (string, error) { return "got " + args, nil }

// TestStreamThenCallToolsMasksRedacted: a by-hand loop that streams and then
// runs the tools gets execute_tool spans masked of the prompt's redacted
// values, as a Call or a Run does. The tracer learns them from the request
// it is handed, not from a process-wide map filled on the Call path only
// (which left this path recording the secret in clear).
func TestStreamThenCallToolsMasksRedacted(t *testing.T) {
	const secret = "sk-live-STREAMED-SECRET"
	for _, name := range []string{"stream", "call"} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			m := mock.New(mock.ToolCalls(mock.ToolCall("weather", map[string]string{"city": secret})))
			traced := h.traced(m, otel.WithContentCapture(true))
			p := SecretTemplate{Genre: "fantasy", APIKey: secret, Author: Author{Name: "Ann"}}
			ctx := context.Background()
			var resp *mirascope.Response
			if name == "stream" {
				s, err := mirascope.Stream(ctx, traced, p)
				require.NoError(t, err)
				for _, err := range s.Chunks() {
					require.NoError(t, err)
				}
				resp = s.Response()
			} else {
				var err error
				resp, err = mirascope.Call(ctx, traced, p)
				require.NoError(t, err)
			}
			require.Len(t, resp.ToolCalls, 1)
			out := mirascope.CallTools(ctx, resp, echoTool{})
			require.Len(t, out, 1)
			assert.Contains(t, out[0].Content, secret, "the tool itself sees its input")

			spans := h.spans.GetSpans()
			require.Len(t, spans, 2)
			tool := spans[1]
			assert.Equal(t, "execute_tool weather", tool.Name)
			a := attrs(tool.Attributes)
			assert.Equal(t, `{"city":"[REDACTED]"}`, a["gen_ai.tool.call.arguments"].AsString())
			assert.Equal(t, `got {"city":"[REDACTED]"}`, a["gen_ai.tool.call.result"].AsString())
			for _, s := range spans {
				assertNowhere(t, s.Attributes, secret)
			}
		})
	}
}
