package anthropic_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestStream(t *testing.T) {
	raw := fixture(t, "stream.sse")
	tests := []struct {
		name   string
		pieces [][]byte
	}{
		{"whole", [][]byte{raw}},
		{"split across reads", replaytest.SplitEvents(raw, []byte("\n\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.Stream(tt.pieces...))
			p := newProvider(s)

			st, err := mirascope.Stream(bg, p, librarian{Genre: "fantasy"}, mirascope.WithMaxTokens(100))
			require.NoError(t, err)
			var chunks []*mirascope.Chunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				chunks = append(chunks, c)
			}

			r := s.Requests()[0]
			assert.Equal(t, "/v1/messages", r.Path)
			assert.Equal(t, true, r.JSON["stream"])
			assert.Equal(t, float64(100), r.JSON["max_tokens"])
			assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))

			require.Len(t, chunks, 4)
			assert.Equal(t, "msg_01ABCstream", chunks[0].ID)
			assert.Equal(t, testModel, chunks[0].Model)
			assert.Equal(t, &mirascope.Usage{InputTokens: 20, OutputTokens: 1, CacheReadTokens: 5, CacheWriteTokens: 3}, chunks[0].Usage)
			assert.Equal(t, "I recommend", chunks[1].Content)
			assert.Equal(t, ` "The Name of the Wind".`, chunks[2].Content)
			assert.Equal(t, "end_turn", chunks[3].FinishReason)
			assert.Equal(t, &mirascope.Usage{InputTokens: 20, OutputTokens: 17, CacheReadTokens: 5, CacheWriteTokens: 3}, chunks[3].Usage)

			final := st.Response()
			assert.Equal(t, `I recommend "The Name of the Wind".`, final.Content)
			assert.Equal(t, "msg_01ABCstream", final.ID)
			assert.Equal(t, testModel, final.Model)
			assert.Equal(t, []string{"end_turn"}, final.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 20, OutputTokens: 17, CacheReadTokens: 5, CacheWriteTokens: 3}, final.Usage)
			assert.Equal(t, prompt.Assistant(final.Content), final.Message)
			assert.NoError(t, st.Err())
		})
	}
}

func TestStreamErrorEvent(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream_error.sse")))
	p := newProvider(s)
	st, err := mirascope.Stream(bg, p, recommend{Genre: "fantasy"})
	require.NoError(t, err)
	var errs []error
	var text string
	for c, err := range st.Chunks() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		text += c.Content
	}
	require.Len(t, errs, 1)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, errs[0], &pe)
	assert.Equal(t, 529, pe.StatusCode)
	assert.Equal(t, "overloaded_error", pe.Type)
	assert.Equal(t, "Overloaded", pe.Message)
	assert.Equal(t, "req_011CStream", pe.RequestID)
	assert.True(t, pe.Retryable)
	assert.Equal(t, "I recommend", text)
	assert.Equal(t, "I recommend", st.Response().Content)
}

func TestStreamCut(t *testing.T) {
	raw := fixture(t, "stream.sse")
	cut := raw[:bytes.Index(raw, []byte("event: message_delta"))+30]
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"ends mid-event", replay.Stream(cut)},
		{"connection dropped mid-event", replaytest.Drop(cut)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, tt.handler)
			p := newProvider(s)
			st, err := mirascope.Stream(bg, p, recommend{Genre: "fantasy"})
			require.NoError(t, err)
			var last error
			n := 0
			for _, err := range st.Chunks() {
				if err != nil {
					last = err
					n++
				}
			}
			require.Equal(t, 1, n)
			var pe *mirascope.ProviderError
			require.ErrorAs(t, last, &pe)
			assert.True(t, pe.Retryable)
			assert.Equal(t, `I recommend "The Name of the Wind".`, st.Response().Content)
		})
	}
}

func TestStreamCancel(t *testing.T) {
	raw := fixture(t, "stream.sse")
	first := raw[:bytes.Index(raw, []byte("event: content_block_delta"))]
	hold, closed := replaytest.Hold(nil, first)
	s := replaytest.NewServer(t, hold)
	p := newProvider(s)

	t.Run("break", func(t *testing.T) {
		st, err := mirascope.Stream(bg, p, recommend{Genre: "fantasy"})
		require.NoError(t, err)
		for c, err := range st.Chunks() {
			require.NoError(t, err)
			require.Equal(t, "msg_01ABCstream", c.ID)
			break
		}
		replaytest.WaitClosed(t, closed)
	})

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(bg)
		defer cancel()
		st, err := mirascope.Stream(ctx, p, recommend{Genre: "fantasy"})
		require.NoError(t, err)
		var got error
		for c, err := range st.Chunks() {
			if err != nil {
				got = err
				break
			}
			if c.ID != "" {
				cancel()
			}
		}
		require.ErrorIs(t, got, context.Canceled)
		var pe *mirascope.ProviderError
		require.ErrorAs(t, got, &pe)
		<-closed
	})
}
