package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	otelapi "go.opentelemetry.io/otel"
)

// TestRunExportsOTLP runs the example against a local OTLP/HTTP receiver and
// checks the spans arrive there as protobuf.
func TestRunExportsOTLP(t *testing.T) {
	var (
		mu     sync.Mutex
		posts  int
		bodies [][]byte
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" && r.Header.Get("Content-Type") == "application/x-protobuf" {
			posts++
			bodies = append(bodies, body)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_SERVICE_NAME", "otlp-example-test")
	tp, mp := otelapi.GetTracerProvider(), otelapi.GetMeterProvider()
	t.Cleanup(func() { otelapi.SetTracerProvider(tp); otelapi.SetMeterProvider(mp) })

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	assert.Equal(t, "fantasy: The Name of the Wind, by Patrick Rothfuss.\nscifi: Dune, by Frank Herbert.\nmystery: The Big Sleep, by Raymond Chandler.\n", out.String())

	mu.Lock()
	defer mu.Unlock()
	require.Positive(t, posts, "spans were exported")
	all := bytes.Join(bodies, nil)
	for _, want := range []string{"RecommendBook", "otlp-example-test", "mirascope.prompt.field.genre", "mystery"} {
		assert.Contains(t, string(all), want)
	}
}
