package cohere_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	cohere "github.com/cohere-ai/cohere-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestStream(t *testing.T) {
	body := fixture(t, "stream.sse")
	tests := []struct {
		name string
		cuts []int
	}{
		{"whole", nil},
		// every event cut in the middle of its data line, and one between
		// "data:" and its JSON, and one inside "[DONE]"
		{"split across reads", []int{10, 60, 250, 251, 400, 515, 700, 900, len(body) - 5}},
		{"one byte at a time", func() []int {
			var c []int
			for i := 1; i < len(body); i += 7 {
				c = append(c, i)
			}
			return c
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
				respHeaders(w, "text/event-stream")
				replaytest.WritePieces(w, 5*time.Millisecond, replaytest.CutAt(body, tt.cuts...)...)
			})
			st, err := mirascope.Stream(context.Background(), newProvider(s), recommend{"fantasy"}, mirascope.WithMaxTokens(64))
			require.NoError(t, err)
			var chunks []*mirascope.Chunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				chunks = append(chunks, c)
			}
			req := s.Requests()[0]
			assert.Equal(t, "/v2/chat", req.Path)
			assert.Equal(t, "text/event-stream", req.Header.Get("Accept"))
			assert.JSONEq(t, `{"model":"command-a-03-2025","stream":true,"max_tokens":64,
				"messages":[{"role":"user","content":"Recommend a fantasy book."}]}`, string(req.Body))

			require.Len(t, chunks, 5)
			assert.Equal(t, "8e4f2d7a-61b3-4c1e-9a2f-0d5b7c3e9f10", chunks[0].ID)
			assert.Equal(t, "command-a-03-2025", chunks[0].Model)
			var text []string
			for _, c := range chunks[1:4] {
				text = append(text, c.Content)
				assert.Nil(t, c.Usage)
			}
			assert.Equal(t, []string{"I recommend", ` "Mistborn"`, " by Brandon Sanderson."}, text)
			last := chunks[4]
			assert.Equal(t, "COMPLETE", last.FinishReason)
			assert.Equal(t, &mirascope.Usage{InputTokens: 218, OutputTokens: 11}, last.Usage)
			ev, ok := last.Raw.(*cohere.V2ChatStreamResponse)
			require.True(t, ok)
			assert.Equal(t, "message-end", ev.Type)

			resp := st.Response()
			assert.Equal(t, `I recommend "Mistborn" by Brandon Sanderson.`, resp.Content)
			assert.Equal(t, "8e4f2d7a-61b3-4c1e-9a2f-0d5b7c3e9f10", resp.ID)
			assert.Equal(t, "command-a-03-2025", resp.Model)
			assert.Equal(t, []string{"COMPLETE"}, resp.FinishReasons)
			assert.Equal(t, mirascope.Usage{InputTokens: 218, OutputTokens: 11}, resp.Usage)
		})
	}
}

func TestStreamCutMidEvent(t *testing.T) {
	body := fixture(t, "stream.sse")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "text/event-stream")
		_, _ = w.Write(body[:450]) // ends inside a content-delta event
	})
	var got []string
	var last error
	for c, err := range newProvider(s).Stream(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, c.Content)
	}
	var pe *mirascope.ProviderError
	require.ErrorAs(t, last, &pe)
	assert.ErrorIs(t, last, io.ErrUnexpectedEOF)
	assert.Equal(t, "cohere", pe.Provider)
	assert.Equal(t, "7f3c2a91b5e04d6a8c1e2f3a4b5c6d7e", pe.RequestID)
	assert.Equal(t, []string{"", "I recommend"}, got)
}

func TestStreamErrorInMessageEnd(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		respHeaders(w, "text/event-stream")
		_, _ = io.WriteString(w, "event: message-start\ndata: {\"id\":\"m1\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}\n\n"+
			"event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"error\":\"internal error while generating\",\"finish_reason\":\"ERROR\"}}\n\ndata: [DONE]\n\n")
	})
	var reasons []string
	var last error
	for c, err := range newProvider(s).Stream(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}) {
		if err != nil {
			last = err
			break
		}
		reasons = append(reasons, c.FinishReason)
	}
	assert.Equal(t, []string{"", "ERROR"}, reasons)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, last, &pe)
	assert.Equal(t, "internal error while generating", pe.Message)
	// One prefix, not "mirascope: cohere: cohere: …".
	assert.EqualError(t, last, "mirascope: cohere: the stream ended in an error ERROR: internal error while generating (request id 7f3c2a91b5e04d6a8c1e2f3a4b5c6d7e)")
}

// oneDelta is a stream's first event, after which the server holds the
// connection open.
const oneDelta = "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"one\"}}}}\n\n"

func TestStreamBreakClosesConnection(t *testing.T) {
	hold, closed := replaytest.Hold(cohereHeader, []byte(oneDelta))
	s := replaytest.NewServer(t, hold)
	for c, err := range newProvider(s).Stream(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}) {
		require.NoError(t, err)
		assert.Equal(t, "one", c.Content)
		break
	}
	replaytest.WaitClosed(t, closed)
}

func TestStreamCancelMidStream(t *testing.T) {
	hold, closed := replaytest.Hold(cohereHeader, []byte(oneDelta))
	s := replaytest.NewServer(t, hold)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	for c, err := range newProvider(s).Stream(ctx, &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}) {
		if err != nil {
			last = err
			break
		}
		assert.Equal(t, "one", c.Content)
		cancel()
	}
	require.Error(t, last)
	assert.ErrorIs(t, last, context.Canceled)
	var pe *mirascope.ProviderError
	assert.True(t, errors.As(last, &pe))
	replaytest.WaitClosed(t, closed)
}
