package google_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestStream(t *testing.T) {
	raw := fixture(t, "stream.sse")
	for _, tt := range []struct {
		name   string
		pieces [][]byte
	}{{"whole", [][]byte{raw}}, {"split across reads", replaytest.SplitEvents(raw, []byte("\r\n\r\n"))}} {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.Stream(tt.pieces...))
			st, err := mirascope.Stream(bg, newProvider(s), librarian{Genre: "scifi"}, mirascope.WithMaxTokens(64))
			require.NoError(t, err)
			var chunks []*mirascope.Chunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				chunks = append(chunks, c)
			}
			r := s.Requests()[0]
			assert.Equal(t, "/v1beta/models/gemini-2.0-flash-001:streamGenerateContent", r.Path)
			assert.Equal(t, testKey, r.Header.Get("X-Goog-Api-Key"))
			assert.Equal(t, map[string]any{"maxOutputTokens": float64(64)}, r.JSON["generationConfig"])

			require.Len(t, chunks, 3)
			assert.Equal(t, "oodOaOu3M7KvnvgPl6-ioQM", chunks[0].ID)
			assert.Equal(t, "gemini-2.0-flash-001", chunks[0].Model)
			assert.Equal(t, "I recommend", chunks[0].Content)
			assert.Equal(t, &mirascope.Usage{InputTokens: 9}, chunks[0].Usage)
			assert.Equal(t, ` "Dune" by Frank Herbert.`, chunks[1].Content)
			assert.Equal(t, &mirascope.Usage{InputTokens: 9, OutputTokens: 4}, chunks[1].Usage)
			assert.Equal(t, "STOP", chunks[2].FinishReason)
			assert.Equal(t, &mirascope.Usage{InputTokens: 9, OutputTokens: 11}, chunks[2].Usage)

			final := st.Response()
			assert.Equal(t, `I recommend "Dune" by Frank Herbert.`, final.Content)
			assert.Equal(t, "oodOaOu3M7KvnvgPl6-ioQM", final.ID)
			assert.Equal(t, []string{"STOP"}, final.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 9, OutputTokens: 11}, final.Usage)
		})
	}
}

func TestStreamErrorEvent(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream_error.sse")))
	st, err := mirascope.Stream(bg, newProvider(s), recommend{Genre: "scifi"})
	require.NoError(t, err)
	var errs []error
	for _, err := range st.Chunks() {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, errs[0], &pe)
	assert.Equal(t, 503, pe.StatusCode)
	assert.Equal(t, "UNAVAILABLE", pe.Code)
	assert.Equal(t, "The model is overloaded. Please try again later.", pe.Message)
	assert.Equal(t, "goog-req-stream", pe.RequestID)
	assert.True(t, pe.Retryable)
	assert.Equal(t, "I recommend", st.Response().Content)
}

func TestStreamCut(t *testing.T) {
	raw := fixture(t, "stream.sse")
	mid := bytes.LastIndex(raw, []byte("data: ")) + 40
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"ends mid-event", replay.Stream(raw[:mid])},
		{"ends between events", replay.Stream(raw[:bytes.LastIndex(raw, []byte("data: "))])},
		{"connection dropped mid-event", replaytest.Drop(raw[:mid])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, tt.handler)
			st, err := mirascope.Stream(bg, newProvider(s), recommend{Genre: "scifi"})
			require.NoError(t, err)
			var errs []error
			for _, err := range st.Chunks() {
				if err != nil {
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1)
			var pe *mirascope.ProviderError
			require.ErrorAs(t, errs[0], &pe)
			assert.True(t, pe.Retryable)
			assert.Equal(t, `I recommend "Dune" by Frank Herbert.`, st.Response().Content)
			assert.NotContains(t, errs[0].Error(), testKey)
		})
	}
}

func TestStreamCancel(t *testing.T) {
	raw := fixture(t, "stream.sse")
	first := raw[:bytes.Index(raw, []byte("\r\n\r\n"))+4]
	hold, closed := replaytest.Hold(nil, first)
	s := replaytest.NewServer(t, hold)
	p := newProvider(s)

	t.Run("break", func(t *testing.T) {
		st, err := mirascope.Stream(bg, p, recommend{Genre: "scifi"})
		require.NoError(t, err)
		for _, err := range st.Chunks() {
			require.NoError(t, err)
			break
		}
		replaytest.WaitClosed(t, closed)
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(bg)
		defer cancel()
		st, err := mirascope.Stream(ctx, p, recommend{Genre: "scifi"})
		require.NoError(t, err)
		var got error
		for _, err := range st.Chunks() {
			if err != nil {
				got = err
				break
			}
			cancel()
		}
		require.ErrorIs(t, got, context.Canceled)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, got, &pe)
		<-closed
	})
}
