package bedrock_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
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
	tp, exp := replaytest.Tracer()
	p := otel.Traced(newProvider(t, s), otel.WithTracerProvider(tp))

	_, err := mirascope.Call(context.Background(), p, recommend{"fantasy"})
	require.NoError(t, err)
	st, err := mirascope.Stream(context.Background(), p, recommend{"fantasy"})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}

	spans := exp.GetSpans()
	require.Len(t, spans, 2)
	for i, want := range []struct{ in, out, read int64 }{{1042, 17, 1024}, {1106, 11, 1024}} {
		attrs := replaytest.Attrs(spans[i].Attributes)
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
