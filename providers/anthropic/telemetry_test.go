package anthropic_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// The SDK would emit its own span to the global provider and send the
// caller's trace context; the provider turns both off.
func TestNoSDKSpan(t *testing.T) {
	tp, exp := replaytest.Tracer()
	prevTP, prevProp := otelapi.GetTracerProvider(), otelapi.GetTextMapPropagator()
	otelapi.SetTracerProvider(tp)
	otelapi.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { otelapi.SetTracerProvider(prevTP); otelapi.SetTextMapPropagator(prevProp) })

	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call.json"), nil))
	ctx, span := tp.Tracer("test").Start(bg, "caller")
	_, err := mirascope.Call(ctx, newProvider(s), recommend{Genre: "fantasy"})
	span.End()
	require.NoError(t, err)

	spans := exp.GetSpans()
	require.Len(t, spans, 1)
	assert.Equal(t, "caller", spans[0].Name)
	assert.Empty(t, s.Requests()[0].Header.Get("Traceparent"))
}
