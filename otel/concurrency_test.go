package otel_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// TestConcurrentCalls: 1,000 concurrent traced calls (half of them streams)
// on one provider give exactly 1,000 spans, each with its own field values
// and messages. Run with -race.
func TestConcurrentCalls(t *testing.T) {
	const n = 1000
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("a fine book")))
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			b := RecommendBook{Genre: fmt.Sprintf("genre-%d", i), Count: i, Rating: float64(i) / 2, Tags: []string{fmt.Sprint("t", i)}}
			if i%2 == 0 {
				_, err := mirascope.Call(context.Background(), p, b)
				errs <- err
				return
			}
			s, err := mirascope.Stream(context.Background(), p, b)
			if err != nil {
				errs <- err
				return
			}
			for _, err := range s.Chunks() {
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	spans := h.spans.GetSpans()
	require.Len(t, spans, n)
	seen := make(map[int64]bool, n)
	for _, s := range spans {
		a := attrs(s.Attributes)
		i := a["mirascope.prompt.field.count"].AsInt64()
		require.False(t, seen[i], "one span per call: %d seen twice", i)
		seen[i] = true
		assert.Equal(t, fmt.Sprintf("genre-%d", i), a["mirascope.prompt.field.genre"].AsString())
		assert.Equal(t, float64(i)/2, a["mirascope.prompt.field.rating"].AsFloat64())
		assert.Equal(t, []string{fmt.Sprint("t", i)}, a["mirascope.prompt.field.tags"].AsStringSlice())
		assert.Contains(t, a["gen_ai.input.messages"].AsString(), fmt.Sprintf("Recommend %d genre-%d books", i, i))
		_, stream := a["gen_ai.request.stream"]
		assert.Equal(t, i%2 == 1, stream)
	}
	assert.Len(t, seen, n)
}
