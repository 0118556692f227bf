package openai_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
)

// batchTelemetry records what otel.Traced exports around a batch.
type batchTelemetry struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
	mp     *sdkmetric.MeterProvider
}

func newBatchTelemetry(t *testing.T) *batchTelemetry {
	b := &batchTelemetry{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	b.tp = sdktrace.NewTracerProvider(sdktrace.WithSyncer(b.spans))
	b.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(b.reader))
	t.Cleanup(func() {
		_ = b.tp.Shutdown(context.Background())
		_ = b.mp.Shutdown(context.Background())
	})
	return b
}

func (b *batchTelemetry) traced(p mirascope.Provider) mirascope.Provider {
	return otel.Traced(p, otel.WithTracerProvider(b.tp), otel.WithMeterProvider(b.mp))
}

// tokens is the token-usage histogram's sums and count by token type.
func (b *batchTelemetry) tokens(t *testing.T) (sum map[string]int64, count map[string]uint64) {
	var rm metricdata.ResourceMetrics
	require.NoError(t, b.reader.Collect(context.Background(), &rm))
	sum, count = map[string]int64{}, map[string]uint64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			assert.NotEqual(t, "gen_ai.client.operation.duration", m.Name, "a result's span lasts the reading, not the service's work")
			if m.Name != "gen_ai.client.token.usage" {
				continue
			}
			h, ok := m.Data.(metricdata.Histogram[int64])
			require.True(t, ok)
			for _, p := range h.DataPoints {
				tt, _ := p.Attributes.Value("gen_ai.token.type")
				sum[tt.AsString()] += p.Sum
				count[tt.AsString()] += p.Count
			}
		}
	}
	return sum, count
}

func spanAttrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		out[kv.Key] = kv.Value
	}
	return out
}

// A batch through otel.Traced(openai) against the Batch API fake: one
// span for the submission (job id, size, provider); one chat span per
// result read, with the response's attributes and usage, linked to the
// submission's span, the failed line's an error; token metrics per
// answered result. Polling and the file downloads make no chat spans.
// Results read after Resume (a new traced provider) are not linked.
func TestBatchWireTraced(t *testing.T) {
	_, srv := newFakeBatches(t)
	tel := newBatchTelemetry(t)
	ctx := context.Background()
	job, err := batch.Submit(ctx, tel.traced(newOpenAI(srv.URL)), []ask{{"one"}, {"FAIL two"}, {"three"}})
	require.NoError(t, err)
	require.NoError(t, job.Wait(ctx, fastPoll))

	spans := tel.spans.GetSpans()
	require.Len(t, spans, 1, "the submission's span alone")
	submit := spans[0]
	assert.Equal(t, "batch ask", submit.Name)
	assert.Equal(t, trace.SpanKindClient, submit.SpanKind)
	a := spanAttrs(submit)
	assert.Equal(t, "batch_1", a["mirascope.batch.id"].AsString())
	assert.Equal(t, int64(3), a["mirascope.batch.size"].AsInt64())
	assert.Equal(t, "openai", a["gen_ai.provider.name"].AsString())
	assert.Equal(t, codes.Unset, submit.Status.Code)

	read := func(job *batch.Job) []tracetest.SpanStub {
		tel.spans.Reset()
		n := 0
		for _, err := range job.Results(ctx) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, 3, n)
		spans := tel.spans.GetSpans()
		require.Len(t, spans, 3, "one chat span per result")
		return spans
	}
	failed := 0
	for _, s := range read(job) {
		assert.Equal(t, trace.SpanKindClient, s.SpanKind)
		require.Len(t, s.Links, 1)
		assert.Equal(t, submit.SpanContext.SpanID(), s.Links[0].SpanContext.SpanID(), "linked to the submission")
		assert.Equal(t, submit.SpanContext.TraceID(), s.Links[0].SpanContext.TraceID())
		a := spanAttrs(s)
		assert.Equal(t, "chat", a["gen_ai.operation.name"].AsString())
		assert.Equal(t, "openai", a["gen_ai.provider.name"].AsString())
		assert.Equal(t, "batch_1", a["mirascope.batch.id"].AsString())
		if s.Status.Code == codes.Error {
			failed++
			assert.Contains(t, s.Status.Description, "refused")
			_, hasUsage := a["gen_ai.usage.input_tokens"]
			assert.False(t, hasUsage)
			continue
		}
		assert.Regexp(t, `^chatcmpl-[02]$`, a["gen_ai.response.id"].AsString())
		assert.Equal(t, "gpt-4o-mini-2024-07-18", a["gen_ai.response.model"].AsString())
		assert.Equal(t, []string{"stop"}, a["gen_ai.response.finish_reasons"].AsStringSlice())
		assert.Equal(t, int64(12), a["gen_ai.usage.input_tokens"].AsInt64())
		assert.Equal(t, int64(5), a["gen_ai.usage.output_tokens"].AsInt64())
	}
	assert.Equal(t, 1, failed, "the failed line's span, and only it, is an error")
	sum, count := tel.tokens(t)
	assert.Equal(t, map[string]int64{"input": 24, "output": 10}, sum)
	assert.Equal(t, map[string]uint64{"input": 2, "output": 2}, count, "the two answered results")

	again, err := batch.Resume(ctx, tel.traced(newOpenAI(srv.URL)), job.ID())
	require.NoError(t, err)
	for _, s := range read(again) {
		assert.Empty(t, s.Links, "a resumed job's submission is unknown")
		assert.Equal(t, "batch_1", spanAttrs(s)["mirascope.batch.id"].AsString())
	}
	sum, _ = tel.tokens(t)
	assert.Equal(t, map[string]int64{"input": 48, "output": 20}, sum, "metrics for every result read")
}
