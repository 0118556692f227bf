package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
	"slices"
)

var (
	//go:embed recorded/thinking_tool_calls.json
	thinkingToolCalls []byte
	//go:embed recorded/thinking_answer.json
	thinkingAnswer []byte
)

// block is a content block of the Messages API, as far as the replay reads it.
type block struct {
	Type      string `json:"type"`
	Thinking  string `json:"thinking"`
	Signature string `json:"signature"`
	Data      string `json:"data"`
}

// replayThinking answers the Anthropic client as the service did with
// thinking on: the thinking and the tool calls first, then the answer. As
// the service does, it refuses a tool turn whose assistant message does not
// send back, unchanged and before its tool_use blocks, the thinking block
// with its signature and the redacted one: a loop that dropped them fails
// here as it would there.
func replayThinking() http.Handler {
	var recorded struct {
		Content []block `json:"content"`
	}
	if err := json.Unmarshal(thinkingToolCalls, &recorded); err != nil {
		panic(err)
	}
	want := recorded.Content[:2] // the thinking and the redacted thinking
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Thinking struct {
				Type string `json:"type"`
			} `json:"thinking"`
			Tools []struct {
				Name string `json:"name"`
			} `json:"tools"`
			Messages []struct {
				Role    string  `json:"role"`
				Content []block `json:"content"`
			} `json:"messages"`
		}
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		refuse := func(msg string) {
			w.WriteHeader(http.StatusBadRequest)
			out, _ := json.Marshal(map[string]any{"type": "error", "error": map[string]string{"type": "invalid_request_error", "message": msg}})
			_, _ = w.Write(out)
		}
		if json.Unmarshal(b, &body) != nil || len(body.Tools) != 1 || body.Tools[0].Name != "get_author" || body.Thinking.Type != "enabled" {
			refuse("the replay expects the get_author tool, with thinking enabled")
			return
		}
		if len(body.Messages) < 3 {
			_, _ = w.Write(thinkingToolCalls)
			return
		}
		sent := body.Messages[len(body.Messages)-2]
		if sent.Role != "assistant" || len(sent.Content) < 3 || !slices.Equal(sent.Content[:2], want) {
			refuse("messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found another block. When `thinking` is enabled, a final `assistant` message must start with a thinking block.")
			return
		}
		_, _ = w.Write(thinkingAnswer)
	})
}
