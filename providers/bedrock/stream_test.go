package bedrock_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

var hi = &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}

// streamHeader is what ConverseStream answers with.
var streamHeader = map[string]string{
	"Content-Type":     "application/vnd.amazon.eventstream",
	"X-Amzn-Requestid": requestID,
}

func streamHeaders(w http.ResponseWriter) {
	for k, v := range streamHeader {
		w.Header().Set(k, v)
	}
	w.WriteHeader(200)
}

func TestStream(t *testing.T) {
	body := eventStream(t, "stream.jsonl")
	every := func(n int) []int {
		var c []int
		for i := n; i < len(body); i += n {
			c = append(c, i)
		}
		return c
	}
	tests := []struct {
		name string
		cuts []int
	}{
		{"whole", nil},
		{"split inside preludes, headers and payloads", every(37)},
		{"a few bytes at a time", every(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
				streamHeaders(w)
				replaytest.WritePieces(w, 2*time.Millisecond, replaytest.CutAt(body, tt.cuts...)...)
			})
			st, err := mirascope.Stream(context.Background(), newProvider(t, s), recommend{"fantasy"}, mirascope.WithMaxTokens(64))
			require.NoError(t, err)
			var chunks []*mirascope.Chunk
			for c, err := range st.Chunks() {
				require.NoError(t, err)
				chunks = append(chunks, c)
			}
			got := s.Requests()[0]
			assert.Equal(t, "/model/"+escaped+"/converse-stream", got.EscapedPath)
			assert.Contains(t, got.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+accessKey+"/")
			assert.Contains(t, got.Header.Get("Authorization"), "/us-east-1/bedrock/aws4_request")
			assert.JSONEq(t, `{"messages":[{"role":"user","content":[{"text":"Recommend a fantasy book."}]}],
				"inferenceConfig":{"maxTokens":64}}`, string(got.Body))

			require.Len(t, chunks, 6)
			assert.Equal(t, requestID, chunks[0].ID)
			assert.Equal(t, modelID, chunks[0].Model)
			assert.Equal(t, []string{"I recommend", ` "Mistborn"`, " by Brandon Sanderson."},
				[]string{chunks[1].Content, chunks[2].Content, chunks[3].Content})
			assert.Equal(t, "end_turn", chunks[4].FinishReason)
			assert.Nil(t, chunks[4].Usage, "usage arrives only in the metadata event")
			want := mirascope.Usage{InputTokens: 18 + 1024 + 64, OutputTokens: 11, CacheReadTokens: 1024, CacheWriteTokens: 64}
			assert.Equal(t, &want, chunks[5].Usage)
			_, ok := chunks[5].Raw.(*types.ConverseStreamOutputMemberMetadata)
			assert.True(t, ok)

			resp := st.Response()
			assert.Equal(t, `I recommend "Mistborn" by Brandon Sanderson.`, resp.Content)
			assert.Equal(t, requestID, resp.ID)
			assert.Equal(t, modelID, resp.Model)
			assert.Equal(t, []string{"end_turn"}, resp.FinishReasons)
			assert.Equal(t, want, resp.Usage)
		})
	}
}

func TestStreamException(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		streamHeaders(w)
		_, _ = w.Write(eventStream(t, "stream_exception.jsonl"))
	})
	var text string
	var last error
	for c, err := range newProvider(t, s).Stream(context.Background(), hi) {
		if err != nil {
			last = err
			break
		}
		text += c.Content
	}
	assert.Equal(t, "I recommend", text)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, last, &pe)
	assert.Equal(t, 0, pe.StatusCode, "an exception event comes with no status")
	assert.Equal(t, "ModelStreamErrorException", pe.Code)
	assert.Equal(t, "Model stream error: the model produced an invalid sequence.", pe.Message)
	assert.Equal(t, requestID, pe.RequestID, "taken from the response that opened the stream")
	assert.True(t, pe.Retryable)
	var mse *types.ModelStreamErrorException
	assert.ErrorAs(t, last, &mse)
	var ae smithy.APIError
	assert.ErrorAs(t, last, &ae)
}

func TestStreamCutMidFrame(t *testing.T) {
	body := eventStream(t, "stream.jsonl")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		streamHeaders(w)
		_, _ = w.Write(body[:len(body)-40]) // inside the metadata frame
	})
	var n int
	var last error
	for _, err := range newProvider(t, s).Stream(context.Background(), hi) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	assert.Equal(t, 5, n)
	var pe *mirascope.ProviderError
	require.ErrorAs(t, last, &pe)
	assert.ErrorIs(t, last, io.ErrUnexpectedEOF)
	assert.Equal(t, requestID, pe.RequestID)
}

func TestStreamBreakClosesConnection(t *testing.T) {
	body := eventStream(t, "stream.jsonl")
	hold, closed := replaytest.Hold(streamHeader, body[:200])
	s := replaytest.NewServer(t, hold)
	for _, err := range newProvider(t, s).Stream(context.Background(), hi) {
		require.NoError(t, err)
		break
	}
	replaytest.WaitClosed(t, closed)
}

func TestStreamCancelMidStream(t *testing.T) {
	body := eventStream(t, "stream.jsonl")
	hold, closed := replaytest.Hold(streamHeader, body[:200])
	s := replaytest.NewServer(t, hold)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	for _, err := range newProvider(t, s).Stream(ctx, hi) {
		if err != nil {
			last = err
			break
		}
		cancel()
	}
	require.Error(t, last)
	assert.ErrorIs(t, last, context.Canceled)
	var pe *mirascope.ProviderError
	assert.True(t, errors.As(last, &pe))
	replaytest.WaitClosed(t, closed)
}
