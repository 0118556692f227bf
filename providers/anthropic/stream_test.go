package anthropic_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// splitEvents cuts a stream in the middle of every event.
func splitEvents(b []byte) [][]byte {
	var out [][]byte
	for _, ev := range bytes.SplitAfter(b, []byte("\n\n")) {
		if len(ev) == 0 {
			continue
		}
		half := len(ev) / 2
		out = append(out, ev[:half], ev[half:])
	}
	return out
}

func TestStream(t *testing.T) {
	raw := fixture(t, "stream.sse")
	tests := []struct {
		name   string
		pieces [][]byte
	}{
		{"whole", [][]byte{raw}},
		{"split across reads", splitEvents(raw)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, sse(tt.pieces...))
			p := newProvider(s)

			st, err := mirascope.Stream(bg, p, librarian{Genre: "fantasy"}, mirascope.WithMaxTokens(100))
			require.NoError(t, err)
			var chunks []*mirascope.Chunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				chunks = append(chunks, c)
			}

			r := s.requests()[0]
			assert.Equal(t, "/v1/messages", r.Path)
			assert.Equal(t, true, r.Body["stream"])
			assert.Equal(t, float64(100), r.Body["max_tokens"])
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
	s := newServer(t, sse(fixture(t, "stream_error.sse")))
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
		{"ends mid-event", sse(cut)},
		{"connection dropped mid-event", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(200)
			_, _ = w.Write(cut)
			w.(http.Flusher).Flush()
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.handler)
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
	closed := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		_, _ = w.Write(first)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the client went away
		close(closed)
	})
	p := newProvider(s)

	t.Run("break", func(t *testing.T) {
		st, err := mirascope.Stream(bg, p, recommend{Genre: "fantasy"})
		require.NoError(t, err)
		for c, err := range st.Chunks() {
			require.NoError(t, err)
			require.Equal(t, "msg_01ABCstream", c.ID)
			break
		}
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatal("server did not see the connection close")
		}
	})

	t.Run("cancel", func(t *testing.T) {
		closed = make(chan struct{})
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
