package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// TestStreamPaths: every way a stream can end ends its span exactly once,
// with what was accumulated by then.
func TestStreamPaths(t *testing.T) {
	chunks := func() mock.Reply {
		return mock.Chunks(
			&mirascope.Chunk{Content: "Read ", ID: "resp-1", Model: "gpt-4o-2024", Usage: &mirascope.Usage{InputTokens: 9}},
			&mirascope.Chunk{Content: "Dune"},
			&mirascope.Chunk{Content: ".", FinishReason: "stop", Usage: &mirascope.Usage{InputTokens: 9, OutputTokens: 3}},
		)
	}
	boom := &mirascope.ProviderError{Provider: "openai", StatusCode: 500}

	tests := []struct {
		name      string
		reply     mock.Reply
		ctx       func() (context.Context, context.CancelFunc)
		consume   func(t *testing.T, s *mirascope.ResponseStream)
		wantText  string
		wantAttrs map[string]attribute.Value
		wantGone  []string // keys that must be absent
		wantCode  codes.Code
		wantTTFC  bool
	}{
		{
			name:  "exhausted",
			reply: chunks(),
			consume: func(t *testing.T, s *mirascope.ResponseStream) {
				for _, err := range s.Chunks() {
					require.NoError(t, err)
				}
			},
			wantText: "Read Dune.",
			wantAttrs: map[string]attribute.Value{
				"gen_ai.response.id":             attribute.StringValue("resp-1"),
				"gen_ai.response.model":          attribute.StringValue("gpt-4o-2024"),
				"gen_ai.response.finish_reasons": attribute.StringSliceValue([]string{"stop"}),
				"gen_ai.usage.input_tokens":      attribute.IntValue(9),
				"gen_ai.usage.output_tokens":     attribute.IntValue(3),
				"gen_ai.output.messages":         attribute.StringValue(`[{"role":"assistant","parts":[{"type":"text","content":"Read Dune."}],"finish_reason":"stop"}]`),
			},
			wantCode: codes.Unset,
			wantTTFC: true,
		},
		{
			name:  "caller breaks early",
			reply: chunks(),
			consume: func(t *testing.T, s *mirascope.ResponseStream) {
				for c, err := range s.Chunks() {
					require.NoError(t, err)
					if c.Content == "Dune" {
						break
					}
				}
			},
			wantText: "Read Dune",
			wantAttrs: map[string]attribute.Value{
				"gen_ai.response.id":         attribute.StringValue("resp-1"),
				"gen_ai.usage.input_tokens":  attribute.IntValue(9),
				"gen_ai.usage.output_tokens": attribute.IntValue(0),
				"gen_ai.output.messages":     attribute.StringValue(`[{"role":"assistant","parts":[{"type":"text","content":"Read Dune"}],"finish_reason":"stop"}]`),
			},
			wantGone: []string{"gen_ai.response.finish_reasons", "error.type"},
			wantCode: codes.Unset,
			wantTTFC: true,
		},
		{
			name:  "error mid-way",
			reply: mock.FailAfter(2, boom),
			consume: func(t *testing.T, s *mirascope.ResponseStream) {
				var got error
				for _, err := range s.Chunks() {
					if err != nil {
						got = err
					}
				}
				require.ErrorIs(t, got, boom)
			},
			wantText: "chunk 1",
			wantAttrs: map[string]attribute.Value{
				"error.type": attribute.StringValue("500"),
			},
			wantGone: []string{"gen_ai.response.finish_reasons", "gen_ai.usage.input_tokens"},
			wantCode: codes.Error,
			wantTTFC: true,
		},
		{
			name:  "error before any chunk",
			reply: mock.Fail(boom),
			consume: func(t *testing.T, s *mirascope.ResponseStream) {
				for _, err := range s.Chunks() {
					require.ErrorIs(t, err, boom)
				}
			},
			wantAttrs: map[string]attribute.Value{"error.type": attribute.StringValue("500")},
			wantGone:  []string{"gen_ai.output.messages", "gen_ai.response.time_to_first_chunk"},
			wantCode:  codes.Error,
		},
		{
			name:  "panic in the loop body",
			reply: chunks(),
			consume: func(t *testing.T, s *mirascope.ResponseStream) {
				assert.PanicsWithValue(t, "consumer bug", func() {
					for range s.Chunks() {
						panic("consumer bug")
					}
				})
			},
			wantText:  "Read ",
			wantAttrs: map[string]attribute.Value{"error.type": attribute.StringValue("_OTHER")},
			wantCode:  codes.Error,
			wantTTFC:  true,
		},
		{
			name:  "context cancelled mid-way",
			reply: chunks(),
			ctx:   func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			consume: func(t *testing.T, s *mirascope.ResponseStream) {
				var got error
				for c, err := range s.Chunks() {
					if c != nil && c.Content == "Read " {
						cancelStream()
					}
					if err != nil {
						got = err
					}
				}
				require.ErrorIs(t, got, context.Canceled)
			},
			wantText:  "Read ",
			wantAttrs: map[string]attribute.Value{"error.type": attribute.StringValue("canceled")},
			wantCode:  codes.Error,
			wantTTFC:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			ctx := context.Background()
			if tt.ctx != nil {
				var cancel context.CancelFunc
				ctx, cancel = tt.ctx()
				cancelStream = cancel
				defer cancel()
			}
			m := mock.New(tt.reply)
			m.SetInfo(mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o"})
			s, err := mirascope.Stream(ctx, h.traced(m), Shorthand{Genre: "scifi"})
			require.NoError(t, err)
			require.Empty(t, h.spans.GetSpans(), "no span before ranging starts")
			tt.consume(t, s)
			assert.Equal(t, tt.wantText, s.Response().Content)

			span := h.only(t)
			assert.Equal(t, "Shorthand", span.Name)
			assert.Equal(t, tt.wantCode, span.Status.Code)
			a := attrs(span.Attributes)
			assert.Equal(t, attribute.BoolValue(true), a["gen_ai.request.stream"])
			assert.Equal(t, attribute.StringValue("gpt-4o"), a["gen_ai.request.model"])
			for k, v := range tt.wantAttrs {
				assert.Equal(t, v, a[k], k)
			}
			for _, k := range tt.wantGone {
				assert.NotContains(t, a, k)
			}
			ttfc, ok := a["gen_ai.response.time_to_first_chunk"]
			assert.Equal(t, tt.wantTTFC, ok)
			if ok {
				assert.Equal(t, attribute.FLOAT64, ttfc.Type())
				assert.GreaterOrEqual(t, ttfc.AsFloat64(), 0.0)
			}
			ms := h.metrics(t)
			assert.Len(t, histFloat(t, ms["gen_ai.client.operation.duration"]), 1)
			if tt.wantTTFC {
				pts := histFloat(t, ms["gen_ai.client.operation.time_to_first_chunk"])
				require.Len(t, pts, 1)
				_, hasErr := pts[0].Attributes.Value("error.type")
				assert.False(t, hasErr, "time to first chunk carries no error.type")
			} else {
				assert.NotContains(t, ms, "gen_ai.client.operation.time_to_first_chunk")
			}
		})
	}
}

// cancelStream lets a table entry cancel its own stream's context.
var cancelStream context.CancelFunc

// TestStreamNonStreamer: mirascope.Stream over a traced call-only provider
// records one non-stream span through Call.
func TestStreamNonStreamer(t *testing.T) {
	h := newHarness(t)
	p := h.traced(&textCall{info: mirascope.ProviderInfo{Name: "x", Model: "m"}, fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) {
		return &mirascope.Response{Content: "whole"}, nil
	}})
	s, err := mirascope.Stream(context.Background(), p, Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	assert.NotContains(t, attrs(h.only(t).Attributes), "gen_ai.request.stream")
}

// TestStreamTwice: each ranging of the returned sequence is one request and
// one span.
func TestStreamTwice(t *testing.T) {
	h := newHarness(t)
	st := h.traced(mock.New(mock.Text("a b"))).(mirascope.Streamer)
	seq := st.Stream(context.Background(), &mirascope.Request{})
	for range 2 {
		for _, err := range seq {
			require.NoError(t, err)
		}
	}
	assert.Len(t, h.spans.GetSpans(), 2)
}
