package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
)

// Offline, both samples go out through the real OpenAI client in the shape
// OpenAI takes (the replay server refuses anything else), both answers are
// printed, and each call has its span, which never holds the bytes.
func TestOffline(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), &stdout, &stderr, args{offline: true}, otelsetup.WithProcessors(rec)))
	out := stdout.String()
	assert.Contains(t, out, "image (image/png, 162 bytes): A plain navy-blue book cover")
	assert.Contains(t, out, "document (application/pdf, 844 bytes): An autumn reading list")
	assert.Contains(t, stderr.String(), "offline")

	spans := rec.Ended()
	require.Len(t, spans, 2)
	for _, s := range spans {
		attrs := map[string]string{}
		for _, kv := range s.Attributes() {
			attrs[string(kv.Key)] = kv.Value.String()
			if kv.Key == "gen_ai.input.messages" {
				continue // captured content: the media as semconv blob parts
			}
			for _, sample := range [][]byte{sampleCover, sampleList} {
				assert.NotContains(t, kv.Value.String(), base64.StdEncoding.EncodeToString(sample)[:40], "no bytes in another attribute")
			}
		}
		assert.Equal(t, "openai", attrs["gen_ai.provider.name"])
		assert.Equal(t, model, attrs["gen_ai.request.model"])
		assert.NotEmpty(t, attrs["gen_ai.usage.input_tokens"])
	}
	field := func(i int, name string) string {
		for _, kv := range spans[i].Attributes() {
			if string(kv.Key) == "mirascope.prompt.field."+name {
				return kv.Value.String()
			}
		}
		return ""
	}
	assert.Equal(t, "image/png, 162 bytes", field(0, "image"))
	assert.Equal(t, "application/pdf, 844 bytes", field(1, "document"))
	// Content capture is on by default: the media are semconv blob parts.
	for i, want := range []string{`"modality":"image","mime_type":"image/png"`, `"modality":"document","mime_type":"application/pdf"`} {
		for _, kv := range spans[i].Attributes() {
			if kv.Key == "gen_ai.input.messages" {
				assert.Contains(t, kv.Value.String(), `{"type":"blob",`+want)
			}
		}
	}

	// With capture off, no attribute holds the bytes.
	t.Setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "false")
	rec = tracetest.NewSpanRecorder()
	require.NoError(t, run(context.Background(), &stdout, &stderr, args{offline: true}, otelsetup.WithProcessors(rec)))
	require.Len(t, rec.Ended(), 2)
	for _, s := range rec.Ended() {
		for _, kv := range s.Attributes() {
			for _, sample := range [][]byte{sampleCover, sampleList} {
				assert.NotContains(t, kv.Value.String(), base64.StdEncoding.EncodeToString(sample)[:40], kv.Key)
			}
		}
	}

}

// A file OpenAI does not take is refused before any request, saying how.
func TestRefusedBeforeAnyRequest(t *testing.T) {
	dir := t.TempDir()
	tiff := filepath.Join(dir, "a.tiff")
	require.NoError(t, os.WriteFile(tiff, []byte("II*\x00\x08\x00\x00\x00"), 0o600))
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, args{offline: true, image: tiff}, otelsetup.WithProcessors(tracetest.NewSpanRecorder()))
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "image of type image/tiff", ue.Parameter)
	assert.True(t, strings.HasPrefix(ue.Reason, "Chat Completions takes images of type"), ue.Reason)
}
