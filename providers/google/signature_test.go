package google_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// A call's thoughtSignature lives in the message, not in the provider that
// saw it: a history stored as JSON and continued on a fresh provider value
// (another process, a replay) sends it back, as Gemini 3 requires. The
// provider used to keep signatures in a cache of its own, so a fresh one
// sent the call without it.
func TestThoughtSignatureTravelsInTheHistory(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(map[bool]string{false: "call", true: "stream"}[streamed], func(t *testing.T) {
			first := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_call.json"), nil))
			if streamed {
				first = replaytest.NewServer(t, replay.Stream(fixture(t, "stream_tool.sse")))
			}
			// Traced, so the otel layer is shown to keep the signature too.
			tp, _ := replaytest.Tracer()
			p := otel.Traced(newProvider(first), otel.WithTracerProvider(tp))
			opts := []mirascope.CallOption{mirascope.WithModel("gemini-3-pro-preview"), mirascope.WithTools(replaytest.GetAuthor, replaytest.ListGenres)}
			var resp *mirascope.Response
			if streamed {
				s, err := mirascope.Stream(bg, p, askAuthors{}, opts...)
				require.NoError(t, err)
				for _, err := range s.Chunks() {
					require.NoError(t, err)
				}
				resp = s.Response()
			} else {
				var err error
				resp, err = mirascope.Call(bg, p, askAuthors{}, opts...)
				require.NoError(t, err)
			}
			want := "Q2lRQjBlMlVKR1F2V0dtWnFKc3Zr" // as tool_call.json sends it
			if streamed {
				want = "Q2lRQjBlMlVKU3RyZWFtU2ln" // as stream_tool.sse sends it
			}
			require.NotEmpty(t, resp.Message.ToolCalls)
			assert.Equal(t, want, resp.Message.ToolCalls[0].Signature)

			// Stored, loaded, continued elsewhere.
			history := append(askAuthors{}.Messages(), resp.Message)
			for _, tc := range resp.Message.ToolCalls {
				history = append(history, prompt.ToolResult(tc.ID, "Patrick Rothfuss"))
			}
			stored, err := json.Marshal(history)
			require.NoError(t, err)
			assert.Contains(t, string(stored), `"Signature":"`+want+`"`)
			var loaded []prompt.Message
			require.NoError(t, json.Unmarshal(stored, &loaded))
			assert.Equal(t, history, loaded, "a message round-trips through encoding/json")

			second := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_answer.json"), nil))
			_, err = newProvider(second).Call(bg, &mirascope.Request{Model: "gemini-3-pro-preview", Messages: loaded,
				Tools: []mirascope.Tool{replaytest.GetAuthor, replaytest.ListGenres}})
			require.NoError(t, err)
			model := second.Requests()[0].JSON["contents"].([]any)[1].(map[string]any)
			assert.Equal(t, "model", model["role"])
			parts := model["parts"].([]any)
			call := parts[len(parts)-len(resp.Message.ToolCalls)].(map[string]any)
			assert.Equal(t, want, call["thoughtSignature"], "the signature goes back from the message")
			for _, p := range parts[len(parts)-len(resp.Message.ToolCalls)+1:] {
				assert.NotContains(t, p, "thoughtSignature", "a call without one sends none")
			}
		})
	}
}

// A signature that is not the base64 Gemini gave is refused before any
// request, naming the call.
func TestThoughtSignatureNotBase64(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "tool_answer.json"), nil))
	msgs := append(askAuthors{}.Messages(),
		prompt.Message{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "c1", Name: "get_author", Arguments: `{}`, Signature: "not base64!"}}},
		prompt.ToolResult("c1", "x"))
	_, err := newProvider(s).Call(bg, &mirascope.Request{Messages: msgs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `mirascope: gcp.gemini: prompt.ToolCall is not supported: tool call "c1" (get_author): signature is not the base64 thoughtSignature Gemini gave`)
	var ue *mirascope.UnsupportedError
	assert.ErrorAs(t, err, &ue)
	assert.Empty(t, s.Requests())
}
