package main

import (
	"bytes"
	"context"
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
	err := run(context.Background(), &stdout, &stderr, "Who wrote The Name of the Wind and The Wise Man's Fear?", true, otelsetup.WithProcessors(rec))
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
