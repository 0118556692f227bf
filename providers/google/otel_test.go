package google_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func TestTraced(t *testing.T) {
	tests := []struct {
		name    string
		handler []byte
		stream  bool
		input   int64
		output  int64
	}{
		{"call", fixture(t, "call.json"), false, 120, 30},
		{"stream", fixture(t, "stream.sse"), true, 9, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := replay.JSON(200, tt.handler, nil)
			if tt.stream {
				h = replay.Stream(tt.handler)
			}
			s := replaytest.NewServer(t, h)
			attrs := replaytest.Traced(t, newProvider(s), tt.stream, recommend{Genre: "scifi"})
			assert.Equal(t, "gcp.gemini", attrs["gen_ai.provider.name"].AsString())
			assert.Equal(t, testModel, attrs["gen_ai.request.model"].AsString())
			assert.Equal(t, testModel, attrs["gen_ai.response.model"].AsString())
			assert.Equal(t, tt.input, attrs["gen_ai.usage.input_tokens"].AsInt64())
			assert.Equal(t, tt.output, attrs["gen_ai.usage.output_tokens"].AsInt64())
			assert.Equal(t, "127.0.0.1", attrs["server.address"].AsString())
		})
	}
}
