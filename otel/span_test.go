package otel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type Author struct {
	Name  string `prompt:"name"`
	Email string `prompt:"email,redact"`
}

type RecommendBook struct {
	Genre  string   `prompt:"genre"`
	Count  int      `prompt:"count"`
	Rating float64  `prompt:"rating"`
	Tags   []string `prompt:"tags"`
	Adult  bool     `prompt:"adult"`
}

func (RecommendBook) Template() string {
	return "SYSTEM: You are a librarian.\nUSER: Recommend {count} {genre} books rated {rating}+ about {tags:list}."
}

type SecretTemplate struct {
	Genre  string `prompt:"genre"`
	APIKey string `prompt:"api_key,redact"`
	Author Author `prompt:"author"`
}

func (SecretTemplate) Template() string {
	return "Recommend a {genre} book for {author.name} <{author.email}> using {api_key}."
}

type SecretTexter struct {
	Genre  string `prompt:"genre"`
	APIKey string `prompt:"api_key,redact"`
}

func (s SecretTexter) Prompt() string { return "Recommend a " + s.Genre + " book using " + s.APIKey }

type Shorthand struct {
	Genre string `prompt:"genre"`
}

func (s Shorthand) Prompt() string { return "Recommend a " + s.Genre + " book." }

func TestCallSpan(t *testing.T) {
	h := newHarness(t)
	m := mock.New(mock.Respond(&mirascope.Response{
		Content: "Read \"Mistborn\".", Model: "claude-3-5-sonnet-20240620", ID: "msg_01",
		FinishReasons: []string{"end_turn"},
		Usage:         mirascope.Usage{InputTokens: 12, OutputTokens: 268, CacheReadTokens: 4, ReasoningTokens: 7},
	}))
	m.SetInfo(mirascope.ProviderInfo{Name: "anthropic", Model: "claude-default", ServerAddress: "api.anthropic.com", ServerPort: 443})
	p := h.traced(m)

	resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "fantasy", Count: 2, Rating: 4.5, Tags: []string{"dragons", "magic"}, Adult: true},
		mirascope.WithModel("claude-3-5-sonnet-20240620"), mirascope.WithMaxTokens(256), mirascope.WithTemperature(0.7),
		mirascope.WithTopP(0.9), mirascope.WithStop("END"), mirascope.WithSeed(42))
	require.NoError(t, err)
	assert.Equal(t, "Read \"Mistborn\".", resp.Content)

	s := h.only(t)
	assert.Equal(t, "RecommendBook", s.Name)
	assert.Equal(t, trace.SpanKindClient, s.SpanKind)
	assert.Equal(t, codes.Unset, s.Status.Code)
	assert.Equal(t, otel.ScopeName, s.InstrumentationScope.Name)
	assert.Equal(t, otel.Version, s.InstrumentationScope.Version)
	assert.Equal(t, "https://opentelemetry.io/schemas/1.41.0", s.InstrumentationScope.SchemaURL)
	assert.Empty(t, s.Events)
	assert.Equal(t, map[string]attribute.Value{
		"gen_ai.operation.name":                attribute.StringValue("chat"),
		"gen_ai.provider.name":                 attribute.StringValue("anthropic"),
		"gen_ai.request.model":                 attribute.StringValue("claude-3-5-sonnet-20240620"),
		"server.address":                       attribute.StringValue("api.anthropic.com"),
		"server.port":                          attribute.IntValue(443),
		"gen_ai.request.max_tokens":            attribute.IntValue(256),
		"gen_ai.request.temperature":           attribute.Float64Value(0.7),
		"gen_ai.request.top_p":                 attribute.Float64Value(0.9),
		"gen_ai.request.stop_sequences":        attribute.StringSliceValue([]string{"END"}),
		"gen_ai.request.seed":                  attribute.Int64Value(42),
		"mirascope.prompt.name":                attribute.StringValue("RecommendBook"),
		"mirascope.prompt.template":            attribute.StringValue(RecommendBook{}.Template()),
		"mirascope.prompt.field.genre":         attribute.StringValue("fantasy"),
		"mirascope.prompt.field.count":         attribute.Int64Value(2),
		"mirascope.prompt.field.rating":        attribute.Float64Value(4.5),
		"mirascope.prompt.field.tags":          attribute.StringSliceValue([]string{"dragons", "magic"}),
		"mirascope.prompt.field.adult":         attribute.BoolValue(true),
		"gen_ai.system_instructions":           attribute.StringValue(`[{"type":"text","content":"You are a librarian."}]`),
		"gen_ai.input.messages":                attribute.StringValue(`[{"role":"user","parts":[{"type":"text","content":"Recommend 2 fantasy books rated 4.5+ about dragons\nmagic."}]}]`),
		"gen_ai.response.id":                   attribute.StringValue("msg_01"),
		"gen_ai.response.model":                attribute.StringValue("claude-3-5-sonnet-20240620"),
		"gen_ai.response.finish_reasons":       attribute.StringSliceValue([]string{"end_turn"}),
		"gen_ai.usage.input_tokens":            attribute.IntValue(12),
		"gen_ai.usage.output_tokens":           attribute.IntValue(268),
		"gen_ai.usage.cache_read.input_tokens": attribute.IntValue(4),
		"gen_ai.usage.reasoning.output_tokens": attribute.IntValue(7),
		"gen_ai.output.messages":               attribute.StringValue(`[{"role":"assistant","parts":[{"type":"text","content":"Read \"Mistborn\"."}],"finish_reason":"stop"}]`),
	}, attrs(s.Attributes))
}

// TestCallErrorPaths: every failure ends the one span with status Error, an
// error.type from the documented set and the error recorded.
func TestCallErrorPaths(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()

	tests := []struct {
		name     string
		ctx      context.Context
		err      error
		wantType string
	}{
		{"service code", context.Background(), &mirascope.ProviderError{Provider: "openai", StatusCode: 429, Code: "rate_limit_exceeded", Message: "slow down"}, "rate_limit_exceeded"},
		{"http status", context.Background(), &mirascope.ProviderError{Provider: "openai", StatusCode: 503}, "503"},
		{"free-text code falls back to status", context.Background(), &mirascope.ProviderError{StatusCode: 400, Code: "this is not an identifier"}, "400"},
		{"wrapped provider error", context.Background(), errors.Join(errors.New("outer"), &mirascope.ProviderError{StatusCode: 401}), "401"},
		{"plain error", context.Background(), errors.New("boom"), "_OTHER"},
		{"provider error without status", context.Background(), &mirascope.ProviderError{Err: errors.New("dial tcp: refused")}, "_OTHER"},
		{"canceled", canceled, context.Canceled, "canceled"},
		{"deadline", expired, context.DeadlineExceeded, "timeout"},
		{"sdk error under canceled ctx", canceled, errors.New("request failed"), "canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			p := h.traced(&textCall{info: mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o"},
				fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) { return nil, tt.err }})
			req := &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}
			resp, err := p.Call(tt.ctx, req)
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.True(t, err == tt.err, "the error passes through unchanged")

			s := h.only(t)
			assert.Equal(t, "chat gpt-4o", s.Name, "no prompt: the semconv name")
			assert.Equal(t, codes.Error, s.Status.Code)
			assert.Equal(t, tt.err.Error(), s.Status.Description)
			a := attrs(s.Attributes)
			assert.Equal(t, attribute.StringValue(tt.wantType), a["error.type"])
			assert.NotContains(t, a, "gen_ai.response.id")
			assert.NotContains(t, a, "gen_ai.usage.input_tokens")
			require.Len(t, s.Events, 1)
			assert.Equal(t, "exception", s.Events[0].Name)

			d := h.metrics(t)["gen_ai.client.operation.duration"]
			pts := histFloat(t, d)
			require.Len(t, pts, 1)
			et, ok := pts[0].Attributes.Value("error.type")
			require.True(t, ok)
			assert.Equal(t, tt.wantType, et.AsString())
			assert.NotContains(t, h.metrics(t), "gen_ai.client.token.usage", "no usage on failure")
		})
	}
}

func TestCallPanicEndsSpan(t *testing.T) {
	h := newHarness(t)
	p := h.traced(&textCall{info: mirascope.ProviderInfo{Name: "x"},
		fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) { panic("provider bug") }})
	assert.PanicsWithValue(t, "provider bug", func() {
		_, _ = p.Call(context.Background(), &mirascope.Request{})
	})
	s := h.only(t)
	assert.Equal(t, codes.Error, s.Status.Code)
	assert.Equal(t, attribute.StringValue("_OTHER"), attrs(s.Attributes)["error.type"])
}

func TestTracedShape(t *testing.T) {
	m := mock.New(mock.Text("hi"))
	p := otel.Traced(m)
	_, ok := p.(mirascope.Streamer)
	assert.True(t, ok, "a streaming provider stays a Streamer")
	assert.Same(t, m, p.(interface{ Unwrap() mirascope.Provider }).Unwrap())
	assert.Equal(t, m.Info(), p.Info())

	c := &textCall{info: mirascope.ProviderInfo{Name: "c"}}
	pc := otel.Traced(c)
	_, ok = pc.(mirascope.Streamer)
	assert.False(t, ok, "a call-only provider does not become a Streamer")
	assert.Same(t, c, pc.(interface{ Unwrap() mirascope.Provider }).Unwrap())

	assert.Nil(t, otel.Traced(nil))
}

func TestSpanNames(t *testing.T) {
	tests := []struct {
		name string
		opts []otel.Option
		p    any
		want string
	}{
		{"prompt type", nil, Shorthand{Genre: "scifi"}, "Shorthand"},
		{"pointer prompt", nil, &Shorthand{Genre: "scifi"}, "Shorthand"},
		{"semconv formatter", []otel.Option{otel.WithSpanNameFormatter(otel.ChatSpanName)}, Shorthand{Genre: "scifi"}, "chat mock-model"},
		{"custom", []otel.Option{otel.WithSpanNameFormatter(func(i mirascope.ProviderInfo, r *mirascope.Request) string {
			return i.Name + "/" + r.Prompt.Name
		})}, Shorthand{Genre: "scifi"}, "mock/Shorthand"},
		{"nil formatter keeps default", []otel.Option{otel.WithSpanNameFormatter(nil)}, Shorthand{Genre: "scifi"}, "Shorthand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("ok")), tt.opts...), tt.p)
			require.NoError(t, err)
			assert.Equal(t, tt.want, h.only(t).Name)
		})
	}
}

func TestParentChild(t *testing.T) {
	h := newHarness(t)
	ctx, parent := h.tp.Tracer("app").Start(context.Background(), "handler")
	_, err := mirascope.Call(ctx, h.traced(mock.New(mock.Text("ok"))), Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	parent.End()
	spans := h.spans.GetSpans()
	require.Len(t, spans, 2)
	child := spans[0]
	assert.Equal(t, "Shorthand", child.Name)
	assert.Equal(t, parent.SpanContext().TraceID(), child.SpanContext.TraceID())
	assert.Equal(t, parent.SpanContext().SpanID(), child.Parent.SpanID())
}

// TestResendCount: the requests a provider counts on its answer
// (Response.Attempts) or its error (ProviderError.Attempts), as it returns
// them and not through a side channel, become http.request.resend_count.
func TestResendCount(t *testing.T) {
	for _, attempts := range []int{0, 1, 3} {
		for _, fail := range []bool{false, true} {
			h := newHarness(t)
			p := h.traced(&textCall{info: mirascope.ProviderInfo{Name: "x"}, fn: func(ctx context.Context, _ *mirascope.Request) (*mirascope.Response, error) {
				if fail {
					return nil, fmt.Errorf("wrapped: %w", &mirascope.ProviderError{Provider: "x", StatusCode: 503, Attempts: attempts})
				}
				return &mirascope.Response{Content: "ok", Attempts: attempts}, nil
			}})
			_, err := p.Call(context.Background(), &mirascope.Request{})
			require.Equal(t, fail, err != nil)
			v, ok := attrs(h.only(t).Attributes)["http.request.resend_count"]
			if attempts <= 1 {
				assert.False(t, ok, "no retries, no attribute")
			} else {
				assert.Equal(t, attribute.IntValue(attempts-1), v)
			}
		}
	}
}

// TestResendCountStreamed: a stream's count comes on its first chunk.
func TestResendCountStreamed(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Chunks(&mirascope.Chunk{Content: "o", Attempts: 2}, &mirascope.Chunk{Content: "k"})))
	s, err := mirascope.Stream(context.Background(), p, Shorthand{Genre: "x"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	assert.Equal(t, 2, s.Response().Attempts)
	assert.Equal(t, attribute.IntValue(1), attrs(h.only(t).Attributes)["http.request.resend_count"])
}

func TestLegacyAttributes(t *testing.T) {
	h := newHarness(t)
	_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text("Read Dune.")), otel.WithLegacyAttributes()), Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	s := h.only(t)
	a := attrs(s.Attributes)
	assert.Equal(t, attribute.StringValue("mock"), a["gen_ai.system"])
	assert.Equal(t, attribute.IntValue(4), a["gen_ai.usage.prompt_tokens"])
	assert.Equal(t, attribute.IntValue(2), a["gen_ai.usage.completion_tokens"])
	require.Len(t, s.Events, 2)
	assert.Equal(t, "gen_ai.content.prompt", s.Events[0].Name)
	assert.Equal(t, []attribute.KeyValue{attribute.String("gen_ai.prompt", `{"content":"Recommend a scifi book.","role":"user"}`)}, s.Events[0].Attributes)
	assert.Equal(t, "gen_ai.content.completion", s.Events[1].Name)
	assert.Equal(t, []attribute.KeyValue{attribute.String("gen_ai.completion", `{"content":"Read Dune.","role":"assistant"}`)}, s.Events[1].Attributes)

	// Without the option none of them.
	h2 := newHarness(t)
	_, err = mirascope.Call(context.Background(), h2.traced(mock.New(mock.Text("Read Dune."))), Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	s2 := h2.only(t)
	assert.NotContains(t, attrs(s2.Attributes), "gen_ai.system")
	assert.NotContains(t, attrs(s2.Attributes), "gen_ai.usage.prompt_tokens")
	assert.Empty(t, s2.Events)
}

// TestNotSampled: a span the sampler drops costs no attribute building, and
// the metrics are still recorded.
func TestNotSampled(t *testing.T) {
	h := newHarness(t)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()), sdktrace.WithSyncer(h.spans))
	p := otel.Traced(mock.New(mock.Text("ok")), otel.WithTracerProvider(tp), otel.WithMeterProvider(h.mp))
	_, err := mirascope.Call(context.Background(), p, Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	s, err := mirascope.Stream(context.Background(), p, Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	for _, err := range s.Chunks() {
		require.NoError(t, err)
	}
	assert.Empty(t, h.spans.GetSpans())
	assert.Equal(t, uint64(2), histFloat(t, h.metrics(t)["gen_ai.client.operation.duration"])[0].Count)
}

// TestManyFields: more attributes than the pooled buffer holds are all
// recorded, and the next call's span holds only its own.
func TestManyFields(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("ok")))
	rp := &prompt.Rendered{Name: "Wide"}
	for i := range 40 {
		rp.Fields = append(rp.Fields, prompt.Field{Name: fmt.Sprint("f", i), Value: i})
	}
	_, err := p.Call(context.Background(), &mirascope.Request{Prompt: rp, Messages: []prompt.Message{prompt.User("x")}})
	require.NoError(t, err)
	_, err = p.Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{prompt.User("y")}})
	require.NoError(t, err)
	spans := h.spans.GetSpans()
	require.Len(t, spans, 2)
	a := attrs(spans[0].Attributes)
	for i := range 40 {
		assert.Equal(t, attribute.Int64Value(int64(i)), a[fmt.Sprint("mirascope.prompt.field.f", i)])
	}
	for k := range attrs(spans[1].Attributes) {
		assert.NotContains(t, k, "mirascope.prompt.field.")
	}
}
