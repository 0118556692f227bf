package otel_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// collector is an OTLP/HTTP trace receiver that decodes what arrives and,
// like a real collector, refuses a request body over its limit with 413.
type collector struct {
	*httptest.Server
	mu      sync.Mutex
	spans   int
	refused int
	maxBody int
}

func newCollector(t *testing.T, maxBody int) *collector {
	c := &collector{maxBody: maxBody}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, int64(c.maxBody)+1))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if len(body) > c.maxBody {
			c.mu.Lock()
			c.refused++
			c.mu.Unlock()
			http.Error(w, "request entity too large", http.StatusRequestEntityTooLarge)
			return
		}
		var req collectortrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n := 0
		for _, rs := range req.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				n += len(ss.Spans)
			}
		}
		c.mu.Lock()
		c.spans += n
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(nil)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *collector) counts() (spans, refused int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.spans, c.refused
}

// TestOTLPBatchSurvivesPoisonedSpan exports 200 traced calls, one of them
// poisoned, in one batch through the real OTLP/HTTP exporter (its protobuf
// transform included) to a collector that refuses bodies over 4 MiB: every
// span arrives.
func TestOTLPBatchSurvivesPoisonedSpan(t *testing.T) {
	cut := "Incorrect API key provided: caf\xc3" // an error body cut mid-rune
	huge := make([]string, 400)
	for i := range huge {
		huge[i] = strings.Repeat("y", 60<<10)
	}
	tests := []struct {
		name   string
		poison func(ctx context.Context, wrap func(mirascope.Provider) mirascope.Provider) error
	}{
		{"invalid UTF-8 field", func(ctx context.Context, wrap func(mirascope.Provider) mirascope.Provider) error {
			_, err := mirascope.Call(ctx, wrap(mock.New(mock.Text("fine"))), RecommendBook{Genre: "caf\xe9", Tags: []string{"\xff"}})
			return err
		}},
		{"invalid UTF-8 answer", func(ctx context.Context, wrap func(mirascope.Provider) mirascope.Provider) error {
			_, err := mirascope.Call(ctx, wrap(mock.New(mock.Respond(&mirascope.Response{
				Content: "na\xefve", ID: "id\xff", Model: "m\xff", FinishReasons: []string{"stop\xff"},
			}))), RecommendBook{Genre: "x"})
			return err
		}},
		{"error cut mid-rune", func(ctx context.Context, wrap func(mirascope.Provider) mirascope.Provider) error {
			_, err := mirascope.Call(ctx, wrap(mock.New(mock.Fail(errors.New(cut)))), RecommendBook{Genre: "x"})
			if err == nil {
				return errors.New("want the mock's error")
			}
			return nil
		}},
		{"24 MB of field values", func(ctx context.Context, wrap func(mirascope.Provider) mirascope.Provider) error {
			_, err := mirascope.Call(ctx, wrap(mock.New(mock.Text("fine"))), RecommendBook{Genre: "x", Tags: huge})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := newCollector(t, 4<<20)
			exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(col.URL+"/v1/traces"),
				otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
			require.NoError(t, err)
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp, sdktrace.WithMaxExportBatchSize(512)))
			wrap := func(p mirascope.Provider) mirascope.Provider {
				return otel.Traced(p, otel.WithTracerProvider(tp), otel.WithMeterProvider(noop.NewMeterProvider()))
			}
			p := wrap(mock.New(mock.Text("fine")))
			ctx := context.Background()
			for i := range 200 {
				if i == 100 {
					require.NoError(t, tt.poison(ctx, wrap))
					continue
				}
				_, err := mirascope.Call(ctx, p, RecommendBook{Genre: "fantasy"})
				require.NoError(t, err)
			}
			require.NoError(t, tp.Shutdown(context.Background()))
			spans, refused := col.counts()
			assert.Equal(t, 200, spans, "every span arrives")
			assert.Zero(t, refused, "no batch refused")
		})
	}
}
