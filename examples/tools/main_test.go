package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope/otel/otelsetup"
)

// The loop runs offline through the real OpenAI client: two turns, two tool
// runs, all under one invoke_agent span.
func TestOffline(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, "Who wrote The Name of the Wind and The Wise Man's Fear?", true, false, otelsetup.WithProcessors(rec))
	require.NoError(t, err)
	assert.Equal(t, "Both books are by Patrick Rothfuss: The Name of the Wind (the first book of The Kingkiller Chronicle) and its sequel, The Wise Man's Fear.\n"+
		"(2 turns, 259 input and 89 output tokens)\n", stdout.String())
	assert.Contains(t, stderr.String(), "offline")

	spans := rec.Ended()
	require.Len(t, spans, 5)
	agent := spans[len(spans)-1]
	assert.Equal(t, "invoke_agent AskLibrarian", agent.Name())
	var names []string
	for _, s := range spans[:4] {
		names = append(names, s.Name())
		assert.Equal(t, agent.SpanContext().SpanID(), s.Parent().SpanID(), "%s is under the run", s.Name())
	}
	assert.Equal(t, []string{"AskLibrarian", "execute_tool get_author", "execute_tool get_author", "AskLibrarian"}, names)
	for _, s := range spans[1:3] {
		attrs := map[string]string{}
		for _, kv := range s.Attributes() {
			attrs[string(kv.Key)] = kv.Value.String()
		}
		assert.Equal(t, "get_author", attrs["gen_ai.tool.name"])
		assert.Equal(t, "Patrick Rothfuss", attrs["gen_ai.tool.call.result"])
	}
}

// With thinking on, the loop runs offline through the real Anthropic client
// against recorded answers: the second request sends the thinking block,
// its signature and the redacted block back before the tool calls (the
// replay refuses it otherwise), and the reasoning reaches the output and
// the spans.
func TestOfflineThinking(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "")
	rec := tracetest.NewSpanRecorder()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, "Who wrote The Name of the Wind and The Wise Man's Fear?", false, true, otelsetup.WithProcessors(rec))
	require.NoError(t, err)
	assert.Equal(t, "thinking: The catalog gives Patrick Rothfuss for both; the second is the sequel of the first.\n"+
		"Both are by Patrick Rothfuss: The Name of the Wind and its sequel, The Wise Man's Fear.\n"+
		"(2 turns, 1573 input and 250 output tokens, 80 of them thinking)\n", stdout.String())
	assert.Contains(t, stderr.String(), "offline: no ANTHROPIC_API_KEY")

	spans := rec.Ended()
	require.Len(t, spans, 5)
	var names []string
	for _, s := range spans {
		names = append(names, s.Name())
	}
	assert.Equal(t, []string{"AskLibrarian", "execute_tool get_author", "execute_tool get_author", "AskLibrarian", "invoke_agent AskLibrarian"}, names)
	for i, want := range map[int]int64{0: 61, 3: 19, 4: 80} {
		var got int64 = -1
		for _, kv := range spans[i].Attributes() {
			if kv.Key == "gen_ai.usage.reasoning.output_tokens" {
				got = kv.Value.AsInt64()
			}
		}
		assert.Equal(t, want, got, spans[i].Name())
	}
}

// The replay refuses a tool turn that drops the thinking blocks, as the
// service does: the offline run proves they were sent back.
func TestReplayThinkingRefusesADroppedBlock(t *testing.T) {
	srv := httptest.NewServer(replayThinking())
	defer srv.Close()
	body := `{"thinking":{"type":"enabled","budget_tokens":4096},"tools":[{"name":"get_author"}],"messages":[` +
		`{"role":"user","content":[{"type":"text","text":"q"}]},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"get_author","input":{}},{"type":"tool_use","id":"u","name":"get_author","input":{}},{"type":"text","text":"x"}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"Patrick Rothfuss"}]}]}`
	resp, err := http.Post(srv.URL+"/v1/messages", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
