package bedrock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope"

	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestThroughOtelTraced(t *testing.T) {
	stream := eventStream(t, "stream.jsonl")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/converse-stream") {
			streamHeaders(w)
			_, _ = w.Write(stream)
			return
		}
		jsonReply(w, 200, fixture(t, "converse.json"))
	})
	for _, want := range []struct {
		stream        bool
		in, out, read int64
	}{{false, 1042, 17, 1024}, {true, 1106, 11, 1024}} {
		attrs := replaytest.Traced(t, newProvider(t, s), want.stream, recommend{"fantasy"})
		assert.Equal(t, "aws.bedrock", attrs["gen_ai.provider.name"].AsString())
		assert.Equal(t, modelID, attrs["gen_ai.request.model"].AsString())
		assert.Equal(t, modelID, attrs["gen_ai.response.model"].AsString())
		assert.Equal(t, requestID, attrs["gen_ai.response.id"].AsString())
		assert.Equal(t, want.in, attrs["gen_ai.usage.input_tokens"].AsInt64())
		assert.Equal(t, want.out, attrs["gen_ai.usage.output_tokens"].AsInt64())
		assert.Equal(t, want.read, attrs["gen_ai.usage.cache_read.input_tokens"].AsInt64())
		assert.Equal(t, "127.0.0.1", attrs["server.address"].AsString())
	}
}

func TestThroughOtelTracedToolCalls(t *testing.T) {
	stream := eventStream(t, "stream_tool.jsonl")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/converse-stream") {
			streamHeaders(w)
			_, _ = w.Write(stream)
			return
		}
		jsonReply(w, 200, fixture(t, "converse_tool.json"))
	})
	attrs := replaytest.Traced(t, newProvider(t, s), false, recommend{"fantasy"}, mirascope.WithTools(searchBooks))
	assert.Equal(t, []string{"tool_use"}, attrs["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.JSONEq(t, `[{"role":"assistant","parts":[{"type":"text","content":"Let me search for fantasy books."},`+
		`{"type":"tool_call","id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"search_books","arguments":{"genre":"fantasy"}}],"finish_reason":"tool_call"}]`,
		attrs["gen_ai.output.messages"].AsString())

	attrs = replaytest.Traced(t, newProvider(t, s), true, recommend{"fantasy"}, mirascope.WithTools(searchBooks, listGenres))
	assert.Equal(t, []string{"tool_use"}, attrs["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.JSONEq(t, `[{"role":"assistant","parts":[{"type":"text","content":"Let me search the library."},`+
		`{"type":"tool_call","id":"tooluse_Qm8v3RkTSl2xN0pWc7yHbA","name":"search_books","arguments":{"genre":"fantasy"}},`+
		`{"type":"tool_call","id":"tooluse_7fJd0aXqR5mZkV2eLs9uPw","name":"list_genres","arguments":{}}],"finish_reason":"tool_call"}]`,
		attrs["gen_ai.output.messages"].AsString())
}
