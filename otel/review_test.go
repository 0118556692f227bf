package otel_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// streamFunc is a provider whose Stream is any function, to play a badly
// behaved service.
type streamFunc struct {
	fn func(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error]
}

func (p *streamFunc) Info() mirascope.ProviderInfo {
	return mirascope.ProviderInfo{Name: "custom", Model: "m-1"}
}
func (p *streamFunc) Call(context.Context, *mirascope.Request) (*mirascope.Response, error) {
	return nil, errors.New("not used")
}
func (p *streamFunc) Stream(ctx context.Context, req *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
	return p.fn(ctx, req)
}

// TestOutputMessagesFinishReason: the GenAI output-messages schema requires
// finish_reason on every output message, also when the service named none.
func TestOutputMessagesFinishReason(t *testing.T) {
	t.Run("call without finish reason", func(t *testing.T) {
		h := newHarness(t)
		p := &textCall{info: mirascope.ProviderInfo{Name: "custom", Model: "m"}, fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) {
			return &mirascope.Response{Content: "hi"}, nil
		}}
		_, err := mirascope.Call(context.Background(), h.traced(p), Shorthand{Genre: "x"})
		require.NoError(t, err)
		assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"hi"}],"finish_reason":"stop"}]`,
			attrs(h.only(t).Attributes)["gen_ai.output.messages"].AsString())
	})
	t.Run("stream fails midway", func(t *testing.T) {
		h := newHarness(t)
		p := mock.New(mock.Chunks(&mirascope.Chunk{Content: "par"}, &mirascope.Chunk{Content: "tial"}).FailAfter(1, errors.New("boom")))
		s, err := mirascope.Stream(context.Background(), h.traced(p), Shorthand{Genre: "x"})
		require.NoError(t, err)
		for range s.Chunks() {
		}
		assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"par"}],"finish_reason":"error"}]`,
			attrs(h.only(t).Attributes)["gen_ai.output.messages"].AsString())
	})
}

// failing is a provider whose error text echoes the request, as some
// services' validation errors do.
func echoingError(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return nil, &mirascope.ProviderError{Provider: "custom", StatusCode: 400,
		Message: fmt.Sprintf("invalid input %q", req.Messages[0].Content)}
}

// TestErrorTextRedacted: a provider error whose text holds a redacted value
// must not carry it into the span's status or exception event.
func TestErrorTextRedacted(t *testing.T) {
	const secret = "sk-live-SECRET-1234"
	const email = "reader@example.com"
	h := newHarness(t)
	p := &textCall{info: mirascope.ProviderInfo{Name: "custom", Model: "m"}, fn: echoingError}
	_, err := mirascope.Call(context.Background(), h.traced(p),
		SecretTemplate{Genre: "mystery", APIKey: secret, Author: Author{Name: "Ann", Email: email}})
	require.Error(t, err)
	s := h.only(t)
	assert.Equal(t, codes.Error, s.Status.Code)
	for _, x := range []string{secret, email} {
		assert.NotContains(t, s.Status.Description, x)
		for _, e := range s.Events {
			for _, kv := range e.Attributes {
				assert.NotContains(t, kv.Value.String(), x, "event %s %s", e.Name, kv.Key)
			}
		}
	}
	assert.Contains(t, s.Status.Description, "[REDACTED]")
	assert.Contains(t, s.Status.Description, "mystery", "only the secrets are masked")
	assertNowhere(t, s.Attributes, secret, email)
}

// TestPooledBuffersIntact: many calls, sequential and concurrent, through
// Call and Stream (completed and broken off); every exported span still
// carries its own values once all are done.
func TestPooledBuffersIntact(t *testing.T) {
	h := newHarness(t)
	p := h.traced(mock.New(mock.Chunks(&mirascope.Chunk{Content: "a"}, &mirascope.Chunk{Content: "b", FinishReason: "stop"})))
	const n = 400
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			genre := fmt.Sprintf("genre-%04d", i)
			switch i % 3 {
			case 0:
				_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: genre, Count: i, Tags: []string{genre}})
				assert.NoError(t, err)
			case 1:
				s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: genre, Count: i, Tags: []string{genre}})
				assert.NoError(t, err)
				for range s.Chunks() {
				}
			case 2:
				s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: genre, Count: i, Tags: []string{genre}})
				assert.NoError(t, err)
				for range s.Chunks() {
					break
				}
			}
		}()
	}
	wg.Wait()
	spans := h.spans.GetSpans()
	require.Len(t, spans, n)
	seen := map[int64]bool{}
	for _, s := range spans {
		a := attrs(s.Attributes)
		count := a["mirascope.prompt.field.count"].AsInt64()
		genre := fmt.Sprintf("genre-%04d", count)
		require.False(t, seen[count], "count %d twice", count)
		seen[count] = true
		assert.Equal(t, genre, a["mirascope.prompt.field.genre"].AsString())
		assert.Equal(t, []string{genre}, a["mirascope.prompt.field.tags"].AsStringSlice())
		assert.Contains(t, a["gen_ai.input.messages"].AsString(), genre)
		assert.Equal(t, "chat", a["gen_ai.operation.name"].AsString())
		assert.Equal(t, "RecommendBook", a["mirascope.prompt.name"].AsString())
		for _, kv := range s.Attributes {
			assert.True(t, kv.Valid(), "attribute %q", kv.Key)
		}
	}
}

// TestStreamProviderIgnoresFalse: a provider whose iterator keeps yielding
// after yield returned false. The span ends once, and the caller gets what
// an untraced range over such a provider gives.
func TestStreamProviderIgnoresFalse(t *testing.T) {
	bad := &streamFunc{fn: func(context.Context, *mirascope.Request) iter.Seq2[*mirascope.Chunk, error] {
		return func(yield func(*mirascope.Chunk, error) bool) {
			for range 3 {
				yield(&mirascope.Chunk{Content: "x"}, nil) // result ignored
			}
		}
	}}
	h := newHarness(t)
	p := h.traced(bad).(mirascope.Streamer)
	func() {
		defer func() { _ = recover() }()
		for range p.Stream(context.Background(), &mirascope.Request{Messages: nil}) {
			break
		}
	}()
	require.Len(t, h.spans.GetSpans(), 1)
}

// TestErrorTextCaptureOff: with content capture off the span records no
// field value or message, the error's text included.
func TestErrorTextCaptureOff(t *testing.T) {
	h := newHarness(t)
	p := &textCall{info: mirascope.ProviderInfo{Name: "custom", Model: "m"}, fn: echoingError}
	_, err := mirascope.Call(context.Background(), h.traced(p, otel.WithContentCapture(false)), Shorthand{Genre: "gothic-horror"})
	require.Error(t, err)
	s := h.only(t)
	assert.Equal(t, `mirascope: custom: HTTP 400: invalid input "[REDACTED]"`, s.Status.Description)
	for _, e := range s.Events {
		for _, kv := range e.Attributes {
			assert.NotContains(t, kv.Value.String(), "gothic-horror", "event %s %s", e.Name, kv.Key)
		}
	}
	assert.Equal(t, "400", attrs(s.Attributes)["error.type"].AsString())
}

// TestMetricExemplarsLinkSpan: the metrics are recorded in the call's span
// context, so that their exemplars point at the call's span, not at the
// caller's.
func TestMetricExemplarsLinkSpan(t *testing.T) {
	h := newHarness(t)
	ctx, parent := h.tp.Tracer("test").Start(context.Background(), "parent")
	_, err := mirascope.Call(ctx, h.traced(mock.New(mock.Text("ok"))), Shorthand{Genre: "x"})
	require.NoError(t, err)
	parent.End()
	var call sdktrace.ReadOnlySpan
	for _, s := range h.spans.GetSpans().Snapshots() {
		if s.Name() == "Shorthand" {
			call = s
		}
	}
	require.NotNil(t, call)
	m := h.metrics(t)
	points := histFloat(t, m["gen_ai.client.operation.duration"])
	require.Len(t, points, 1)
	require.NotEmpty(t, points[0].Exemplars)
	id := call.SpanContext().SpanID()
	assert.Equal(t, id[:], points[0].Exemplars[0].SpanID)
}

// TestOutputEchoRedacted: a model that repeats a redacted value does not
// carry it into gen_ai.output.messages or the legacy completion event, for
// a call and for a stream.
func TestOutputEchoRedacted(t *testing.T) {
	const secret = "sk-live-SECRET-1234"
	const email = "reader@example.com"
	echo := "Using " + secret + " for " + email + "."
	in := SecretTemplate{Genre: "mystery", APIKey: secret, Author: Author{Name: "Ann", Email: email}}
	check := func(t *testing.T, h *harness) {
		s := h.only(t)
		a := attrs(s.Attributes)
		assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"Using [REDACTED] for [REDACTED]."}],"finish_reason":"stop"}]`,
			a["gen_ai.output.messages"].AsString())
		assertNowhere(t, s.Attributes, secret, email)
		require.NotEmpty(t, s.Events)
		for _, e := range s.Events {
			assertNowhere(t, e.Attributes, secret, email)
		}
	}
	t.Run("call", func(t *testing.T) {
		h := newHarness(t)
		_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Text(echo)), otel.WithLegacyAttributes()), in)
		require.NoError(t, err)
		check(t, h)
	})
	t.Run("stream", func(t *testing.T) {
		h := newHarness(t)
		s, err := mirascope.Stream(context.Background(), h.traced(mock.New(mock.Text(echo)), otel.WithLegacyAttributes()), in)
		require.NoError(t, err)
		for _, err := range s.Chunks() {
			require.NoError(t, err)
		}
		assert.Equal(t, echo, s.Response().Content, "the caller's answer is untouched")
		check(t, h)
	})
}

// TestCallWithoutUsage: a response that reports no usage records none,
// rather than zeros that would read as a free call.
func TestCallWithoutUsage(t *testing.T) {
	h := newHarness(t)
	p := h.traced(&textCall{info: mirascope.ProviderInfo{Name: "custom", Model: "m"},
		fn: func(context.Context, *mirascope.Request) (*mirascope.Response, error) {
			return &mirascope.Response{Content: "ok", Model: "m"}, nil
		}})
	_, err := mirascope.Call(context.Background(), p, RecommendGenre{Genre: "fantasy"})
	require.NoError(t, err)
	a := attrs(h.only(t).Attributes)
	assert.NotContains(t, a, "gen_ai.usage.input_tokens")
	assert.NotContains(t, a, "gen_ai.usage.output_tokens")
	_, ok := h.metrics(t)["gen_ai.client.token.usage"]
	assert.False(t, ok, "no token metric without usage")
}
