package otel_test

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/mirascope-go/mirascope"
)

type hello struct{}

func (hello) Prompt() string { return "hi" }

// silentStreamer answers no call and streams only nil chunks.
type silentStreamer struct{ textCall }

func (silentStreamer) Stream(context.Context, *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return func(yield func(*mirascope.Chunk, error) bool) {
		for range 3 {
			if !yield(nil, nil) {
				return
			}
		}
	}
}

// A provider answering neither a response nor an error fails the call at
// mirascope's entry points; its span records that failure, not a success
// with no answer, in a call and in a stream.
func TestNoAnswerIsASpanError(t *testing.T) {
	info := mirascope.ProviderInfo{Name: "silent", Model: "m"}
	nothing := func(context.Context, *mirascope.Request) (*mirascope.Response, error) { return nil, nil }

	h := newHarness(t)
	_, err := mirascope.Call(context.Background(), h.traced(&textCall{info: info, fn: nothing}), hello{})
	var pe *mirascope.ProviderError
	require.ErrorAs(t, err, &pe)
	s := h.only(t)
	assert.Equal(t, codes.Error, s.Status.Code)

	h = newHarness(t)
	st, err := mirascope.Stream(context.Background(), h.traced(&silentStreamer{textCall{info: info, fn: nothing}}), hello{})
	require.NoError(t, err)
	for _, err = range st.Chunks() {
	}
	require.ErrorAs(t, err, &pe)
	s = h.only(t)
	assert.Equal(t, codes.Error, s.Status.Code)
	assert.Equal(t, pe.Error(), s.Status.Description)
}
