package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope/otel/otelsetup"
)

// The extraction runs offline through the real OpenAI client: the first
// answer fails Book's Validate, the re-ask carries why, the second passes.
func TestOffline(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, "The Name of the Wind", true, false, otelsetup.WithProcessors(rec))
	require.NoError(t, err)
	assert.Equal(t, "The Name of the Wind by Patrick Rothfuss (2007), ISBN 9780756404079, [fantasy]\n", stdout.String())
	assert.Contains(t, stderr.String(), "offline")

	spans := rec.Ended()
	require.Len(t, spans, 3, "one chat span per attempt, under one invoke_agent span")
	assert.Equal(t, "invoke_agent DescribeBook", spans[2].Name())
	for i, s := range spans[:2] {
		assert.Equal(t, spans[2].SpanContext().SpanID(), s.Parent().SpanID(), "attempt %d is a child of the run", i+1)
		attrs := map[string]string{}
		for _, kv := range s.Attributes() {
			attrs[string(kv.Key)] = kv.Value.String()
		}
		assert.Equal(t, "json", attrs["gen_ai.output.type"], i)
		assert.Equal(t, "gpt-4o-mini", attrs["gen_ai.request.model"], i)
	}
	first := map[string]string{}
	for _, kv := range spans[0].Attributes() {
		first[string(kv.Key)] = kv.Value.String()
	}
	assert.Equal(t, "true", first["mirascope.extract.rejected"], "the refused answer says so")
	second := map[string]string{}
	for _, kv := range spans[1].Attributes() {
		second[string(kv.Key)] = kv.Value.String()
	}
	assert.Contains(t, second["gen_ai.input.messages"], `Validate: isbn 9780756404074 has check digit 4, want 9`, "the re-ask says what was wrong")
}

func TestBookValidate(t *testing.T) {
	assert.NoError(t, Book{ISBN: "9780756404079"}.Validate())
	assert.EqualError(t, Book{ISBN: "9780756404074"}.Validate(), "isbn 9780756404074 has check digit 4, want 9")
	assert.EqualError(t, Book{ISBN: "97807"}.Validate(), `isbn "97807" is not 13 digits`)
}

// Streamed, the partial values print as the JSON arrives, then the result.
func TestOfflineStream(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, "The Name of the Wind", true, true, otelsetup.WithProcessors(rec))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Greater(t, len(lines), 10)
	assert.Contains(t, lines, "… {Title:The Name Author: Year:0 ISBN: Genres:[]}")
	assert.Contains(t, lines, "… {Title:The Name of the Wind Author:Patrick Roth Year:0 ISBN: Genres:[]}")
	assert.Equal(t, "… {Title:The Name of the Wind Author:Patrick Rothfuss Year:2007 ISBN:9780756404079 Genres:[fantasy]}", lines[len(lines)-2])
	assert.Equal(t, "The Name of the Wind by Patrick Rothfuss (2007), ISBN 9780756404079, [fantasy]", lines[len(lines)-1])
	spans := rec.Ended()
	require.Len(t, spans, 1)
}
