package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope/otel/otelsetup"
)

// Every registered backend runs offline in every style, whole and streamed:
// CI proves each tab of the seed works on each provider.
func TestOffline(t *testing.T) {
	require.NotEmpty(t, backends)
	for _, name := range names() {
		for _, style := range []string{"shorthand", "messages", "template", "params"} {
			for _, stream := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/stream=%v", name, style, stream), func(t *testing.T) {
					rec := tracetest.NewSpanRecorder()
					var stdout, stderr bytes.Buffer
					a := args{provider: name, style: style, genre: "fantasy", stream: stream, offline: true}
					err := run(context.Background(), &stdout, &stderr, a, otelsetup.WithProcessors(rec))
					require.NoError(t, err)
					assert.NotEmpty(t, strings.TrimSpace(stdout.String()), "the answer is printed")
					assert.Contains(t, stderr.String(), "offline")

					spans := rec.Ended()
					require.Len(t, spans, 1)
					attrs := map[string]string{}
					for _, kv := range spans[0].Attributes() {
						attrs[string(kv.Key)] = kv.Value.String()
					}
					assert.Equal(t, backends[name].model, attrs["gen_ai.request.model"])
					assert.NotEmpty(t, attrs["gen_ai.provider.name"])
					assert.Equal(t, "fantasy", attrs["mirascope.prompt.field.genre"])
					assert.NotEmpty(t, attrs["gen_ai.usage.output_tokens"], "usage reaches the span")
				})
			}
		}
	}
}

func TestUnknown(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &out, &out, args{provider: "nope", style: "shorthand", genre: "fantasy"})
	assert.ErrorContains(t, err, `unknown provider "nope"`)
	err = run(context.Background(), &out, &out, args{provider: "openai", style: "nope", genre: "fantasy"})
	assert.EqualError(t, err, `unknown style "nope": choose shorthand, messages, template or params`)
}
