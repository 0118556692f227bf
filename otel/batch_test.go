package otel_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// batchSpans runs a batch of three prompts through a traced mock, the
// second failing, and returns the spans: the submission's, then one per
// result read, under a parent span.
func batchSpans(t *testing.T, resume bool) (h *harness, submit tracetest.SpanStub, results []tracetest.SpanStub, parent trace.SpanContext) {
	t.Helper()
	h = newHarness(t)
	ctx := context.Background()
	m := mock.New(
		mock.Respond(&mirascope.Response{Content: "a", ID: "r-0", Model: "gpt-4o-2024", FinishReasons: []string{"stop"},
			Usage: mirascope.Usage{InputTokens: 10, OutputTokens: 20}}),
		mock.Fail(errors.New("line failed")),
		mock.Respond(&mirascope.Response{Content: "c", Model: "gpt-4o-2024", Usage: mirascope.Usage{InputTokens: 1, OutputTokens: 2}}),
	)
	m.SetInfo(mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o"})
	p := h.traced(m)
	job, err := batch.Submit(ctx, p, []Shorthand{{"fantasy"}, {"scifi"}, {"mystery"}})
	require.NoError(t, err)
	require.Len(t, h.spans.GetSpans(), 1, "the submission's span only: no chat span per request")
	if resume {
		job, err = batch.Resume(ctx, h.traced(m), job.ID())
		require.NoError(t, err)
	}
	rctx, span := h.tp.Tracer("test").Start(ctx, "read")
	n := 0
	for r, err := range job.Results(rctx) {
		require.NoError(t, err)
		assert.Equal(t, r.Index == 1, r.Err != nil)
		n++
	}
	span.End()
	require.Equal(t, 3, n)
	spans := h.spans.GetSpans()
	require.Len(t, spans, 5)
	return h, spans[0], spans[1:4], spans[4].SpanContext
}

func TestBatchSubmitSpan(t *testing.T) {
	_, ok := otel.Traced(mock.New()).(providerkit.BatchObserver)
	require.True(t, ok, "batch finds the decorator's observer")
	_, submit, _, _ := batchSpans(t, false)
	assert.Equal(t, "batch Shorthand", submit.Name)
	assert.Equal(t, trace.SpanKindClient, submit.SpanKind)
	a := attrs(submit.Attributes)
	assert.Equal(t, "mock-batch-1", a["mirascope.batch.id"].AsString())
	assert.Equal(t, int64(3), a["mirascope.batch.size"].AsInt64())
	assert.Equal(t, "openai", a["gen_ai.provider.name"].AsString())
	assert.Equal(t, codes.Unset, submit.Status.Code)
}

func TestBatchResultSpans(t *testing.T) {
	h, submit, results, parent := batchSpans(t, false)
	byTokens := map[int64]tracetest.SpanStub{}
	for _, s := range results {
		assert.Equal(t, trace.SpanKindClient, s.SpanKind)
		assert.Equal(t, parent.SpanID(), s.Parent.SpanID(), "a child of the reader's span")
		require.Len(t, s.Links, 1)
		assert.Equal(t, submit.SpanContext.SpanID(), s.Links[0].SpanContext.SpanID(), "linked to the submission")
		a := attrs(s.Attributes)
		assert.Equal(t, "chat", a["gen_ai.operation.name"].AsString())
		assert.Equal(t, "mock-batch-1", a["mirascope.batch.id"].AsString())
		byTokens[a["gen_ai.usage.input_tokens"].AsInt64()] = s
	}
	ok, found := byTokens[10]
	require.True(t, found, "the first result's usage")
	a := attrs(ok.Attributes)
	assert.Equal(t, "r-0", a["gen_ai.response.id"].AsString())
	assert.Equal(t, "gpt-4o-2024", a["gen_ai.response.model"].AsString())
	assert.Equal(t, int64(20), a["gen_ai.usage.output_tokens"].AsInt64())
	assert.Equal(t, []string{"stop"}, a["gen_ai.response.finish_reasons"].AsStringSlice())
	assert.True(t, a["mirascope.usage.batch"].AsBool(), "priced at the batch rate")
	assert.Equal(t, codes.Unset, ok.Status.Code)

	failed := 0
	for _, s := range results {
		if s.Status.Code == codes.Error {
			failed++
			assert.Contains(t, s.Status.Description, "line failed")
			_, hasUsage := attrs(s.Attributes)["gen_ai.usage.input_tokens"]
			assert.False(t, hasUsage)
		}
	}
	assert.Equal(t, 1, failed, "the failed line's span, and only it, is an error")

	// Token metrics per result; no duration, which would be the reading's.
	ms := h.metrics(t)
	var in, out int64
	var count uint64
	for _, p := range histInt(t, ms["gen_ai.client.token.usage"]) {
		b, _ := p.Attributes.Value("mirascope.usage.batch")
		assert.True(t, b.AsBool(), "batch tokens are told apart on the metric")
		tt, _ := p.Attributes.Value("gen_ai.token.type")
		if tt.AsString() == "input" {
			in, count = p.Sum, p.Count
		} else {
			out = p.Sum
		}
	}
	assert.Equal(t, int64(11), in)
	assert.Equal(t, int64(22), out)
	assert.Equal(t, uint64(2), count, "the two answered results")
	_, dur := ms["gen_ai.client.operation.duration"]
	assert.False(t, dur)
}

func TestBatchResumedResultsHaveNoLink(t *testing.T) {
	_, _, results, _ := batchSpans(t, true)
	for _, s := range results {
		assert.Empty(t, s.Links, "a resumed job's submission is unknown")
		assert.Equal(t, "mock-batch-1", attrs(s.Attributes)["mirascope.batch.id"].AsString())
	}
}

// refusingBatcher is a mock whose service refuses every batch.
type refusingBatcher struct{ *mock.Provider }

func (refusingBatcher) SubmitBatch(context.Context, []providerkit.BatchRequest) (string, error) {
	return "", errors.New("quota exceeded")
}

func TestBatchSubmitFailureIsError(t *testing.T) {
	h := newHarness(t)
	_, err := batch.Submit(context.Background(), h.traced(refusingBatcher{mock.New()}), []Shorthand{{"scifi"}})
	require.Error(t, err)
	s := h.only(t)
	assert.Equal(t, "batch Shorthand", s.Name)
	assert.Equal(t, codes.Error, s.Status.Code)
	assert.Contains(t, s.Status.Description, "quota exceeded")
	_, hasID := attrs(s.Attributes)["mirascope.batch.id"]
	assert.False(t, hasID)
}

func TestUsageBatchOnlyWhenSet(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	m := mock.New(
		mock.Respond(&mirascope.Response{Content: "a", Usage: mirascope.Usage{InputTokens: 2, OutputTokens: 3}}),
		mock.Respond(&mirascope.Response{Content: "b", Usage: mirascope.Usage{Batch: true}}),
	)
	p := h.traced(m)
	_, err := mirascope.Call(ctx, p, Shorthand{"scifi"})
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)
	_, has := a["mirascope.usage.batch"]
	assert.False(t, has, "an online answer")
	for _, pt := range histInt(t, h.metrics(t)["gen_ai.client.token.usage"]) {
		_, has := pt.Attributes.Value("mirascope.usage.batch")
		assert.False(t, has)
	}

	// A flag with no tokens counted records no usage at all.
	h.spans.Reset()
	_, err = mirascope.Call(ctx, p, Shorthand{"scifi"})
	require.NoError(t, err)
	a = attrs(h.only(t).Attributes)
	_, has = a["gen_ai.usage.input_tokens"]
	assert.False(t, has)
	_, has = a["mirascope.usage.batch"]
	assert.False(t, has)
}
