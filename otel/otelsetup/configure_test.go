package otelsetup_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// cleanEnv clears the variables Configure reads and restores the global
// providers after the test.
func cleanEnv(t testing.TB) {
	for _, k := range []string{"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_SERVICE_NAME",
		"OTEL_RESOURCE_ATTRIBUTES", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "OTEL_EXPORTER_OTLP_PROTOCOL",
		"OTEL_EXPORTER_OTLP_INSECURE", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"} {
		t.Setenv(k, "")
	}
	tp, mp := otelapi.GetTracerProvider(), otelapi.GetMeterProvider()
	t.Cleanup(func() { otelapi.SetTracerProvider(tp); otelapi.SetMeterProvider(mp) })
}

// keep is an in-memory exporter whose spans survive shutdown.
type keep struct{ *tracetest.InMemoryExporter }

func (keep) Shutdown(context.Context) error { return nil }

type Shorthand struct {
	Genre string `prompt:"genre"`
}

func (s Shorthand) Prompt() string { return "Recommend a " + s.Genre + " book." }

// attrs maps attributes by key, keeping their typed values.
func attrs(kvs []attribute.KeyValue) map[string]attribute.Value {
	m := make(map[string]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value
	}
	return m
}

// TestConfigureProcessors: WithProcessors replaces the default, the
// providers become global (a Traced made before Configure uses them), the
// resource takes OTEL_SERVICE_NAME and WithResource, and shutdown flushes a
// batch.
func TestConfigureProcessors(t *testing.T) {
	cleanEnv(t)
	t.Setenv("OTEL_SERVICE_NAME", "from-env")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test")
	exp := tracetest.NewInMemoryExporter()
	reader := sdkmetric.NewManualReader()
	p := otel.Traced(mock.New(mock.Text("ok"))) // before Configure: resolved per call

	shutdown, err := otelsetup.Configure(
		otelsetup.WithProcessors(sdktrace.NewBatchSpanProcessor(keep{exp}), nil),
		otelsetup.WithMetricReaders(reader),
		otelsetup.WithResource(resource.NewSchemaless(attribute.String("team", "books"))),
	)
	require.NoError(t, err)
	_, err = mirascope.Call(context.Background(), p, Shorthand{Genre: "scifi"})
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	require.NotEmpty(t, rm.ScopeMetrics)
	assert.Equal(t, otel.ScopeName, rm.ScopeMetrics[0].Scope.Name)

	assert.Empty(t, exp.GetSpans(), "batched until flushed")
	require.NoError(t, shutdown(context.Background()))
	spans := exp.GetSpans()
	require.Len(t, spans, 1)
	assert.Equal(t, "Shorthand", spans[0].Name)
	res := attrs(spans[0].Resource.Attributes())
	assert.Equal(t, "from-env", res["service.name"].AsString())
	assert.Equal(t, "books", res["team"].AsString())
	assert.Equal(t, "test", res["deployment.environment.name"].AsString())
	assert.Equal(t, "go", res["telemetry.sdk.language"].AsString())
}

// TestConfigureResourceWins: WithResource's attributes win over the
// environment's.
func TestConfigureResourceWins(t *testing.T) {
	cleanEnv(t)
	t.Setenv("OTEL_SERVICE_NAME", "from-env")
	exp := tracetest.NewInMemoryExporter()
	shutdown, err := otelsetup.Configure(otelsetup.WithProcessors(sdktrace.NewSimpleSpanProcessor(keep{exp})),
		otelsetup.WithResource(resource.NewWithAttributes("https://opentelemetry.io/schemas/1.0.0", attribute.String("service.name", "explicit"))))
	require.NoError(t, err)
	_, err = mirascope.Call(context.Background(), otel.Traced(mock.New(mock.Text("ok"))), Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	require.NoError(t, shutdown(context.Background()))
	require.Len(t, exp.GetSpans(), 1)
	assert.Equal(t, "explicit", attrs(exp.GetSpans()[0].Resource.Attributes())["service.name"].AsString())
}

// TestConfigureConsole: with nothing configured, each span is printed to
// stdout as indented JSON.
func TestConfigureConsole(t *testing.T) {
	cleanEnv(t)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	shutdown, err := otelsetup.Configure()
	os.Stdout = stdout
	require.NoError(t, err)

	_, err = mirascope.Call(context.Background(), otel.Traced(mock.New(mock.Text("ok"))), Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	require.NoError(t, shutdown(context.Background()))
	require.NoError(t, w.Close())
	out, err := io.ReadAll(r)
	require.NoError(t, err)

	assert.True(t, strings.HasPrefix(string(out), "{\n\t\"Name\": \"Shorthand\""), "indented JSON:\n%s", out)
	var span struct {
		Name       string
		SpanKind   int
		Attributes []struct {
			Key   string
			Value struct {
				Type  string
				Value any
			}
		}
	}
	require.NoError(t, json.Unmarshal(out, &span))
	assert.Equal(t, "Shorthand", span.Name)
	assert.Equal(t, 3, span.SpanKind)
	found := false
	for _, a := range span.Attributes {
		if a.Key == "mirascope.prompt.field.genre" {
			found = true
			assert.Equal(t, "STRING", a.Value.Type)
			assert.Equal(t, "scifi", a.Value.Value)
		}
	}
	assert.True(t, found)
}

// TestConfigureEnvNone: OTEL_TRACES_EXPORTER=none is honoured (autoexport's
// no-op exporter) rather than falling back to the console.
func TestConfigureEnvNone(t *testing.T) {
	cleanEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	shutdown, err := otelsetup.Configure()
	os.Stdout = stdout
	require.NoError(t, err)
	_, err = mirascope.Call(context.Background(), otel.Traced(mock.New(mock.Text("ok"))), Shorthand{Genre: "scifi"})
	require.NoError(t, err)
	require.NoError(t, shutdown(context.Background()))
	require.NoError(t, w.Close())
	out, _ := io.ReadAll(r)
	assert.Empty(t, out)
}

// TestConfigureFailureReleases: when the metric exporter the environment
// names cannot be built, the span exporter Configure already built from the
// environment is shut down, not left running.
func TestConfigureFailureReleases(t *testing.T) {
	cleanEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("OTEL_METRICS_EXPORTER", "bogus")
	before := runtime.NumGoroutine()
	for range 5 {
		_, err := otelsetup.Configure()
		require.Error(t, err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left running")
}

func TestShutdownTwice(t *testing.T) {
	shutdown, err := otelsetup.Configure(otelsetup.WithProcessors(sdktrace.NewSimpleSpanProcessor(tracetest.NewInMemoryExporter())))
	require.NoError(t, err)
	require.NoError(t, shutdown(context.Background()))
	require.NoError(t, shutdown(context.Background()), "a deferred shutdown after an explicit one is not an error")
}
