package cohere_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"

	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestThroughOtelTraced(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") == "text/event-stream" {
			respHeaders(w, "text/event-stream")
			_, _ = w.Write(fixture(t, "stream.sse"))
			return
		}
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call.json"))
	})
	for _, want := range []struct {
		stream  bool
		in, out int64
	}{{false, 218, 15}, {true, 218, 11}} {
		attrs := replaytest.Traced(t, newProvider(s), want.stream, recommend{"fantasy"})
		assert.Equal(t, "cohere", attrs["gen_ai.provider.name"].AsString())
		assert.Equal(t, "command-a-03-2025", attrs["gen_ai.request.model"].AsString())
		assert.Equal(t, "command-a-03-2025", attrs["gen_ai.response.model"].AsString())
		assert.Equal(t, want.in, attrs["gen_ai.usage.input_tokens"].AsInt64())
		assert.Equal(t, want.out, attrs["gen_ai.usage.output_tokens"].AsInt64())
		assert.Equal(t, "127.0.0.1", attrs["server.address"].AsString())
	}
}

func TestThroughOtelTracedToolCalls(t *testing.T) {
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") == "text/event-stream" {
			respHeaders(w, "text/event-stream")
			_, _ = w.Write(fixture(t, "stream_tool.sse"))
			return
		}
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call_tool.json"))
	})
	attrs := replaytest.Traced(t, newProvider(s), false, recommend{"fantasy"}, mirascope.WithTools(searchBooks))
	assert.Equal(t, []string{"TOOL_CALL"}, attrs["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.JSONEq(t, `[{"role":"assistant","parts":[{"type":"text","content":"I will look up the books in the fantasy genre."},`+
		`{"type":"tool_call","id":"search_books_x3kq8z1p2w4e","name":"search_books","arguments":{"genre":"fantasy"}}],"finish_reason":"tool_call"}]`,
		attrs["gen_ai.output.messages"].AsString())

	attrs = replaytest.Traced(t, newProvider(s), true, recommend{"fantasy"}, mirascope.WithTools(searchBooks))
	assert.Equal(t, []string{"TOOL_CALL"}, attrs["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.JSONEq(t, `[{"role":"assistant","parts":[{"type":"text","content":"I will search for fantasy books."},`+
		`{"type":"tool_call","id":"search_books_9p4w2n7c1x5d","name":"search_books","arguments":{"genre":"fantasy"}},`+
		`{"type":"tool_call","id":"search_books_m3k8v6q0z2ht","name":"search_books","arguments":{"genre":"science fiction"}}],"finish_reason":"tool_call"}]`,
		attrs["gen_ai.output.messages"].AsString())
}
