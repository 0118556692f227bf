package mirascope_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func collect(t *testing.T, s *mirascope.ResponseStream) ([]string, error) {
	t.Helper()
	var got []string
	for c, err := range s.Chunks() {
		if err != nil {
			return got, err
		}
		got = append(got, c.Content)
	}
	return got, nil
}

func TestStreamWordByWord(t *testing.T) {
	p := mock.New(mock.Text("Read The Name of the Wind."))
	s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	assert.Empty(t, p.Requests(), "nothing is sent before ranging")
	got, err := collect(t, s)
	require.NoError(t, err)
	assert.Equal(t, []string{"Read", " The", " Name", " of", " the", " Wind."}, got)
	resp := s.Response()
	assert.Equal(t, "Read The Name of the Wind.", resp.Content)
	assert.Equal(t, []string{"stop"}, resp.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 4, OutputTokens: 6}, resp.Usage)
	assert.Equal(t, "mock-model", resp.Model)
	assert.Equal(t, "mock-1", resp.ID)

	_, err = collect(t, s)
	assert.ErrorIs(t, err, mirascope.ErrStreamConsumed)
}

func TestStreamBreakKeepsPartial(t *testing.T) {
	s, err := mirascope.Stream(context.Background(), mock.New(mock.Text("one two three")), RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	for c, err := range s.Chunks() {
		require.NoError(t, err)
		if strings.TrimSpace(c.Content) == "two" {
			break
		}
	}
	assert.Equal(t, "one two", s.Response().Content)
	assert.Nil(t, s.Response().FinishReasons)
}

func TestStreamFailsMidway(t *testing.T) {
	boom := errors.New("connection reset")
	s, err := mirascope.Stream(context.Background(), mock.New(mock.FailAfter(2, boom)), RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	got, err := collect(t, s)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"chunk", " 1"}, got)
	assert.Equal(t, "chunk 1", s.Response().Content)
	assert.ErrorIs(t, s.Err(), boom)
}

func TestStreamCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := mirascope.Stream(ctx, mock.New(mock.Text("a b c d")), RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	var n int
	var last error
	for _, err := range s.Chunks() {
		if err != nil {
			last = err
			break
		}
		n++
		cancel()
	}
	assert.Equal(t, 1, n)
	assert.ErrorIs(t, last, context.Canceled)
}

// callOnly is a provider without Streamer.
type callOnly struct{ m *mock.Provider }

func (c callOnly) Info() mirascope.ProviderInfo { return c.m.Info() }
func (c callOnly) Call(ctx context.Context, r *mirascope.Request) (*mirascope.Response, error) {
	return c.m.Call(ctx, r)
}

func TestStreamWithoutStreamerYieldsOneChunk(t *testing.T) {
	var p mirascope.Provider = callOnly{mock.New(mock.Text("whole answer"))}
	_, ok := p.(mirascope.Streamer)
	require.False(t, ok)
	s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	got, err := collect(t, s)
	require.NoError(t, err)
	assert.Equal(t, []string{"whole answer"}, got)
	assert.Equal(t, "whole answer", s.Response().Content)
	assert.Equal(t, []string{"stop"}, s.Response().FinishReasons)
}

func TestChunksUsageIsRunningTotal(t *testing.T) {
	p := mock.New(mock.Chunks(
		&mirascope.Chunk{ID: "msg_1", Model: "m", Usage: &mirascope.Usage{InputTokens: 12}},
		&mirascope.Chunk{Content: "Hi"},
		&mirascope.Chunk{Content: "!", FinishReason: "end_turn", Usage: &mirascope.Usage{InputTokens: 12, OutputTokens: 3}},
	))
	s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	_, err = collect(t, s)
	require.NoError(t, err)
	r := s.Response()
	assert.Equal(t, "Hi!", r.Content)
	assert.Equal(t, "msg_1", r.ID)
	assert.Equal(t, []string{"end_turn"}, r.FinishReasons)
	assert.Equal(t, mirascope.Usage{InputTokens: 12, OutputTokens: 3}, r.Usage)
}

type shelfPrompt struct {
	Books []string `prompt:"books"`
	Key   string   `prompt:"key,redact"`
}

func (shelfPrompt) Template() string { return "Given {books}, recommend one. Key {key}." }

// TestStreamRequestFixedAtStream: the request a stream sends and what a
// tracer reads of its prompt are both fixed when Stream returns; changing
// the prompt before ranging changes neither.
func TestStreamRequestFixedAtStream(t *testing.T) {
	p := &shelfPrompt{Books: []string{"Dune"}, Key: "sk-1"}
	m := mock.New(mock.Text("Read Dune."))
	s, err := mirascope.Stream(context.Background(), m, p)
	require.NoError(t, err)
	p.Books[0], p.Key = "Emma", "sk-2"
	_, err = collect(t, s)
	require.NoError(t, err)

	require.Len(t, m.Requests(), 1)
	req := m.Requests()[0]
	assert.Equal(t, "Given Dune, recommend one. Key sk-1.", req.Messages[0].Content)
	assert.Equal(t, "Given Dune, recommend one. Key [REDACTED].", req.Prompt.MaskedMessages()[0].Content)
	assert.Equal(t, []string{"Dune"}, req.Prompt.Fields[0].Masked())
}
