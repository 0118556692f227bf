package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type Book struct {
	Title  string `json:"title" validate:"required"`
	Author string `json:"author"`
}

// TestExtractAttemptsShareATrace: the attempts of one Extract (here without
// tools, where each used to be a root trace of its own) are children of one
// invoke_agent span, and the chat span of a refused answer says so, with
// why when content is captured, without an Error status: the call
// succeeded, the answer was refused.
func TestExtractAttemptsShareATrace(t *testing.T) {
	for _, capture := range []bool{true, false} {
		h := newHarness(t)
		m := mock.New(mock.Text(`{"title":"Dune"}`), mock.Text(`{"title":"Dune","author":"Frank Herbert"}`))
		traced := h.traced(m, otel.WithContentCapture(capture))
		book, _, err := mirascope.Extract[Book](context.Background(), traced, SecretTexter{Genre: "sf", APIKey: "sk-live-EXTRACT"}, mirascope.WithMaxReasks(1))
		require.NoError(t, err)
		assert.Equal(t, "Frank Herbert", book.Author)

		spans := h.spans.GetSpans()
		require.Len(t, spans, 3)
		first, second, run := spans[0], spans[1], spans[2]
		assert.Equal(t, "invoke_agent SecretTexter", run.Name)
		for i, s := range []int{0, 1} {
			chat := spans[s]
			assert.Equal(t, run.SpanContext.TraceID(), chat.SpanContext.TraceID(), "attempt %d shares the trace", i+1)
			assert.Equal(t, run.SpanContext.SpanID(), chat.Parent.SpanID(), "attempt %d is a child of the run", i+1)
			assert.Equal(t, codes.Unset, chat.Status.Code)
			assert.Equal(t, int64(i+1), attrs(chat.Attributes)["mirascope.extract.attempt"].AsInt64())
		}
		a1, a2 := attrs(first.Attributes), attrs(second.Attributes)
		assert.True(t, a1["mirascope.extract.rejected"].AsBool())
		_, ok := a2["mirascope.extract.rejected"]
		assert.False(t, ok, "the accepted answer is not marked")
		reason, ok := a1["mirascope.extract.rejection"]
		if capture {
			assert.Contains(t, reason.AsString(), "$.author")
		} else {
			assert.False(t, ok, "the reason may quote the answer: capture only")
		}
		for _, s := range spans {
			assertNowhere(t, s.Attributes, "sk-live-EXTRACT")
		}
	}
}
