package otel_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// TestStreamRecordsInputAsSent: a prompt changed after Stream returned is
// recorded as it was sent, not as it became.
func TestStreamRecordsInputAsSent(t *testing.T) {
	h := newHarness(t)
	m := mock.New(mock.Text("Dune."))
	p := RecommendBook{Genre: "fantasy", Tags: []string{"dragons"}}
	s, err := mirascope.Stream(context.Background(), h.traced(m), &p)
	require.NoError(t, err)
	p.Genre, p.Tags[0] = "horror", "ghosts"
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	a := attrs(h.only(t).Attributes)
	sent := m.Requests()[0].Messages[len(m.Requests()[0].Messages)-1].Content
	assert.Contains(t, sent, "fantasy")
	assert.Contains(t, sent, "dragons")
	assert.Equal(t, attribute.StringValue("fantasy"), a["mirascope.prompt.field.genre"])
	assert.Equal(t, attribute.StringSliceValue([]string{"dragons"}), a["mirascope.prompt.field.tags"])
	assert.Contains(t, a["gen_ai.input.messages"].AsString(), "fantasy")
	assert.NotContains(t, a["gen_ai.input.messages"].AsString(), "horror")
}

// TestStreamRedactedRecordsInputAsSent: the masked rendering of a prompt
// with a redacted field is the one of the values sent too.
func TestStreamRedactedRecordsInputAsSent(t *testing.T) {
	h := newHarness(t)
	p := SecretTemplate{Genre: "fantasy", APIKey: "sk-live-1", Author: Author{Name: "Ann", Email: "ann@example.com"}}
	s, err := mirascope.Stream(context.Background(), h.traced(mock.New(mock.Text("ok"))), &p)
	require.NoError(t, err)
	p.Genre, p.APIKey = "horror", "sk-live-2"
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	a := attrs(h.only(t).Attributes)
	in := a["gen_ai.input.messages"].AsString()
	assert.Contains(t, in, "fantasy")
	assert.NotContains(t, in, "horror")
	assertNowhere(t, h.only(t).Attributes, "sk-live-1", "sk-live-2")
}

// TestStreamConcurrentMutation: changing the prompt while the stream runs
// is no data race in the tracer (run with -race).
func TestStreamConcurrentMutation(t *testing.T) {
	h := newHarness(t)
	p := RecommendBook{Genre: "fantasy", Tags: []string{"dragons", "friends"}}
	s, err := mirascope.Stream(context.Background(), h.traced(mock.New(mock.Text("Dune, and more."))), &p)
	require.NoError(t, err)
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Go(func() {
		<-start
		for i := range 200 {
			p.Genre = string(rune('a' + i%26))
			p.Tags[i%2] = p.Genre
		}
	})
	close(start)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	wg.Wait()
	a := attrs(h.only(t).Attributes)
	assert.Equal(t, attribute.StringValue("fantasy"), a["mirascope.prompt.field.genre"])
}
