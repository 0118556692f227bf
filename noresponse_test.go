package mirascope_test

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
)

// silent answers nothing: Call returns (nil, nil), and, as a Streamer, its
// stream ends without a chunk or an error. A broken provider or decorator.
type silent struct{ calls int }

func (*silent) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "silent"} }

func (s *silent) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	s.calls++
	return nil, nil
}

// silentStreamer streams nothing; its Call answers, so that only the
// stream is at fault.
type silentStreamer struct{ silent }

func (*silentStreamer) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return &mirascope.Response{Content: `{"title":"x","year":2000}`}, nil
}

func (*silentStreamer) Stream(context.Context, *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		yield(nil, nil) // a nil chunk is skipped, not an answer
	}
}

// requireNoResponse: err is the one error of a provider that answered
// nothing, a *ProviderError naming it.
func requireNoResponse(t *testing.T, err error) {
	t.Helper()
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "silent", pe.Provider)
	assert.Contains(t, pe.Message, "neither a response nor an error")
}

type silentBook struct {
	Title string `json:"title"`
	Year  int    `json:"year"`
}

// A provider whose Call returns (nil, nil) is a *ProviderError at every
// entry point, never a nil *Response to dereference nor a panic.
func TestProviderAnswersNothing(t *testing.T) {
	ctx := context.Background()
	p := RecommendBook{Genre: "fantasy"}

	t.Run("Call", func(t *testing.T) {
		resp, err := mirascope.Call(ctx, &silent{}, p)
		requireNoResponse(t, err)
		assert.Nil(t, resp)
	})
	t.Run("Extract", func(t *testing.T) {
		s := &silent{}
		v, resp, err := mirascope.Extract[silentBook](ctx, s, p, mirascope.WithMaxReasks(2))
		requireNoResponse(t, err)
		assert.Nil(t, resp)
		assert.Zero(t, v)
		assert.Equal(t, 1, s.calls, "a broken provider is not asked again")
	})
	t.Run("Extract with tools", func(t *testing.T) {
		lookup := mirascope.NewTool("lookup", "", func(context.Context, GetAuthor) (string, error) { return "x", nil })
		_, resp, err := mirascope.Extract[silentBook](ctx, &silent{}, p, mirascope.WithTools(lookup))
		requireNoResponse(t, err)
		assert.Nil(t, resp)
	})
	t.Run("Run", func(t *testing.T) {
		tr, err := mirascope.Run(ctx, &silent{}, p)
		requireNoResponse(t, err)
		require.NotNil(t, tr)
		assert.Nil(t, tr.Response)
		assert.Zero(t, tr.Turns)
	})
	t.Run("Stream", func(t *testing.T) {
		st, err := mirascope.Stream(ctx, &silent{}, p)
		require.NoError(t, err)
		var errs []error
		for c, err := range st.Chunks() {
			assert.Nil(t, c)
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		requireNoResponse(t, errs[0])
		requireNoResponse(t, st.Err())
		assert.NotNil(t, st.Response())
	})
	t.Run("StreamExtract", func(t *testing.T) {
		st, err := mirascope.StreamExtract[silentBook](ctx, &silent{}, p)
		require.NoError(t, err)
		_, resp, err := st.Result()
		requireNoResponse(t, err)
		assert.NotNil(t, resp)
	})
}

// A Streamer whose stream ends with neither a chunk nor an error answered
// nothing, as a Call returning (nil, nil): Stream and StreamExtract report
// the same *ProviderError.
func TestStreamerStreamsNothing(t *testing.T) {
	ctx := context.Background()
	p := RecommendBook{Genre: "fantasy"}

	st, err := mirascope.Stream(ctx, &silentStreamer{}, p)
	require.NoError(t, err)
	var errs []error
	for c, err := range st.Chunks() {
		assert.Nil(t, c)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	requireNoResponse(t, errs[0])
	requireNoResponse(t, st.Err())

	xs, err := mirascope.StreamExtract[silentBook](ctx, &silentStreamer{}, p)
	require.NoError(t, err)
	n := 0
	for _, err := range xs.Partials() {
		requireNoResponse(t, err)
		n++
	}
	assert.Equal(t, 1, n)
	_, _, err = xs.Result()
	requireNoResponse(t, err)
}

// A stream that sent a chunk answered something, however little: no error.
func TestStreamerOneEmptyChunk(t *testing.T) {
	st, err := mirascope.Stream(context.Background(), oneEmptyChunk{}, RecommendBook{Genre: "fantasy"})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}
	require.NoError(t, st.Err())
	assert.Empty(t, st.Response().Content)
}

type oneEmptyChunk struct{}

func (oneEmptyChunk) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "one"} }

func (oneEmptyChunk) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return &mirascope.Response{}, nil
}

func (oneEmptyChunk) Stream(context.Context, *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) { yield(&mirascope.Chunk{}, nil) }
}
