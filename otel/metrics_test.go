package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func TestMetrics(t *testing.T) {
	h := newHarness(t)
	m := mock.New(mock.Respond(&mirascope.Response{Content: "ok", Model: "gpt-4o-2024", Usage: mirascope.Usage{InputTokens: 10, OutputTokens: 70}}))
	m.SetInfo(mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o", ServerAddress: "api.openai.com", ServerPort: 443})
	p := h.traced(m)
	for range 3 {
		_, err := mirascope.Call(context.Background(), p, Shorthand{Genre: "scifi"})
		require.NoError(t, err)
	}
	s, err := mirascope.Stream(context.Background(), p, Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}

	ms := h.metrics(t)
	base := []attribute.KeyValue{
		attribute.String("gen_ai.operation.name", "chat"),
		attribute.String("gen_ai.provider.name", "openai"),
		attribute.String("gen_ai.request.model", "gpt-4o"),
		attribute.String("gen_ai.response.model", "gpt-4o-2024"),
		attribute.String("server.address", "api.openai.com"),
		attribute.Int("server.port", 443),
	}

	tokens := ms["gen_ai.client.token.usage"]
	assert.Equal(t, "{token}", tokens.Unit)
	pts := histInt(t, tokens)
	require.Len(t, pts, 2)
	byType := map[string]int64{}
	for _, p := range pts {
		tt, ok := p.Attributes.Value("gen_ai.token.type")
		require.True(t, ok)
		byType[tt.AsString()] = p.Sum
		assert.Equal(t, uint64(4), p.Count)
		assert.Equal(t, []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}, p.Bounds)
		want := attribute.NewSet(append(base, attribute.String("gen_ai.token.type", tt.AsString()))...)
		assert.True(t, want.Equals(&p.Attributes), p.Attributes.Encoded(attribute.DefaultEncoder()))
	}
	assert.Equal(t, map[string]int64{"input": 40, "output": 280}, byType)

	dur := ms["gen_ai.client.operation.duration"]
	assert.Equal(t, "s", dur.Unit)
	dpts := histFloat(t, dur)
	require.Len(t, dpts, 1)
	assert.Equal(t, uint64(4), dpts[0].Count)
	assert.Equal(t, []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}, dpts[0].Bounds)
	want := attribute.NewSet(base...)
	assert.True(t, want.Equals(&dpts[0].Attributes))

	ttfc := histFloat(t, ms["gen_ai.client.operation.time_to_first_chunk"])
	require.Len(t, ttfc, 1)
	assert.Equal(t, uint64(1), ttfc[0].Count, "streams only")
}
