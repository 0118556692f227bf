package otelsetup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers/mock"
)

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

// TestJaegerEndToEnd sends 500 traced calls through Configure, exporting
// OTLP/HTTP as the standard environment names it, to a real Jaeger, then
// reads every span back through Jaeger's query API and checks its
// attributes, with their types. .ci/jaeger.sh starts Jaeger and sets
// MIRASCOPE_JAEGER_OTLP (host:port of the OTLP/HTTP receiver) and
// MIRASCOPE_JAEGER_QUERY (base URL of the query API).
func TestJaegerEndToEnd(t *testing.T) {
	query, service := jaegerEnv(t)
	const n = 500
	begin := time.Now().Add(-time.Minute)
	shutdown, err := otelsetup.Configure()
	require.NoError(t, err)
	m := mock.New(mock.Respond(&mirascope.Response{Content: "Read Dune.", Model: "mock-model-2024", FinishReasons: []string{"stop"},
		Usage: mirascope.Usage{InputTokens: 11, OutputTokens: 3}}))
	m.SetInfo(mirascope.ProviderInfo{Name: "mock", Model: "mock-model", ServerAddress: "mock.invalid", ServerPort: 443})
	p := otel.Traced(m)
	ctx := context.Background()
	for i := range n {
		b := RecommendBook{Genre: fmt.Sprintf("genre-%d", i), Count: i, Rating: float64(i) + 0.5, Tags: []string{"t" + strconv.Itoa(i), "x"}, Adult: i%2 == 0}
		if i%5 == 0 {
			s, err := mirascope.Stream(ctx, p, b, mirascope.WithTemperature(0.25))
			require.NoError(t, err)
			for _, err := range s.Chunks() {
				require.NoError(t, err)
			}
			continue
		}
		_, err := mirascope.Call(ctx, p, b, mirascope.WithTemperature(0.25))
		require.NoError(t, err)
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, shutdown(sctx), "shutdown flushes every span")

	spans := jaegerSpans(t, query, service, begin, n)
	require.Len(t, spans, n, "every span reached Jaeger")
	seen := map[int64]bool{}
	for _, s := range spans {
		assert.Equal(t, "RecommendBook", s.Name)
		assert.Equal(t, 3, s.Kind, "SPAN_KIND_CLIENT")
		a := s.attrs()
		i, err := strconv.ParseInt(a["mirascope.prompt.field.count"].IntValue, 10, 64)
		require.NoError(t, err, "count is an int")
		require.False(t, seen[i], "span %d twice", i)
		seen[i] = true
		assert.Equal(t, fmt.Sprintf("genre-%d", i), *a["mirascope.prompt.field.genre"].StringValue)
		assert.Equal(t, float64(i)+0.5, *a["mirascope.prompt.field.rating"].DoubleValue)
		assert.Equal(t, i%2 == 0, *a["mirascope.prompt.field.adult"].BoolValue)
		tags := a["mirascope.prompt.field.tags"].ArrayValue
		require.NotNil(t, tags)
		require.Len(t, tags.Values, 2)
		assert.Equal(t, "t"+strconv.Itoa(int(i)), *tags.Values[0].StringValue)
		assert.Equal(t, "chat", *a["gen_ai.operation.name"].StringValue)
		assert.Equal(t, "mock", *a["gen_ai.provider.name"].StringValue)
		assert.Equal(t, "mock-model", *a["gen_ai.request.model"].StringValue)
		assert.Equal(t, "mock-model-2024", *a["gen_ai.response.model"].StringValue)
		assert.Equal(t, 0.25, *a["gen_ai.request.temperature"].DoubleValue)
		assert.Equal(t, "443", a["server.port"].IntValue)
		assert.Equal(t, "11", a["gen_ai.usage.input_tokens"].IntValue)
		assert.Equal(t, "3", a["gen_ai.usage.output_tokens"].IntValue)
		assert.Contains(t, *a["gen_ai.input.messages"].StringValue, fmt.Sprintf("Recommend %d genre-%d books", i, i))
		assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"Read Dune."}],"finish_reason":"stop"}]`, *a["gen_ai.output.messages"].StringValue)
		if i%5 == 0 {
			assert.Equal(t, true, *a["gen_ai.request.stream"].BoolValue)
			assert.NotNil(t, a["gen_ai.response.time_to_first_chunk"].DoubleValue)
		} else {
			assert.NotContains(t, a, "gen_ai.request.stream")
		}
	}
}

// jaegerEnv points the standard OTLP environment at the Jaeger that
// .ci/jaeger.sh started, under a service name of the test's own, and returns
// the query API's base URL and that name; it skips the test when there is no
// Jaeger.
func jaegerEnv(t *testing.T) (query, service string) {
	otlp, query := os.Getenv("MIRASCOPE_JAEGER_OTLP"), os.Getenv("MIRASCOPE_JAEGER_QUERY")
	if otlp == "" || query == "" {
		t.Skip("MIRASCOPE_JAEGER_OTLP and MIRASCOPE_JAEGER_QUERY are unset: no Jaeger to send to (.ci/run starts one with .ci/jaeger.sh)")
	}
	cleanEnv(t)
	service = fmt.Sprintf("mirascope-%s-%d", strings.NewReplacer("/", "-", "=", "-").Replace(strings.ToLower(t.Name())), time.Now().UnixNano())
	t.Setenv("OTEL_SERVICE_NAME", service)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+otlp)
	t.Setenv("OTEL_METRICS_EXPORTER", "none") // Jaeger takes traces only
	return query, service
}

// TestJaegerBurst: 10,000 traced calls at once, from 50 goroutines and from
// 1,000, all reach Jaeger (the SDK's default batching delivered a quarter of
// them).
func TestJaegerBurst(t *testing.T) {
	for _, g := range []int{50, 1000} {
		t.Run(fmt.Sprintf("goroutines=%d", g), func(t *testing.T) {
			query, service := jaegerEnv(t)
			const n = 10_000
			begin := time.Now().Add(-time.Minute)
			shutdown, err := otelsetup.Configure()
			require.NoError(t, err)
			burst(t, n, g)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			require.NoError(t, shutdown(ctx), "nothing lost")
			spans := jaegerSpans(t, query, service, begin, n)
			assert.Len(t, spans, n, "every span of the burst reached Jaeger")
		})
	}
}

// TestJaegerPoisonedSpan: one span in 200 carrying a field that is not
// valid UTF-8 and a huge value does not cost the others their export, nor
// itself.
func TestJaegerPoisonedSpan(t *testing.T) {
	query, service := jaegerEnv(t)
	const n = 200
	begin := time.Now().Add(-time.Minute)
	shutdown, err := otelsetup.Configure()
	require.NoError(t, err)
	p := otel.Traced(answer{})
	huge := strings.Repeat("x", 16<<20)
	for i := range n {
		b := RecommendBook{Genre: fmt.Sprintf("genre-%d", i), Count: i}
		if i == n/2 {
			b.Genre = "caf\xe9 " + huge
		}
		_, err := mirascope.Call(context.Background(), p, b)
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, shutdown(ctx), "nothing lost")
	spans := jaegerSpans(t, query, service, begin, n)
	require.Len(t, spans, n, "every span reached Jaeger, the poisoned one too")
	for _, s := range spans {
		a := s.attrs()
		if a["mirascope.prompt.field.count"].IntValue != strconv.Itoa(n/2) {
			continue
		}
		genre := *a["mirascope.prompt.field.genre"].StringValue
		assert.True(t, strings.HasPrefix(genre, "caf\uFFFD "), "invalid UTF-8 replaced: %.20q", genre)
		assert.Less(t, len(genre), 1<<20, "the huge value was cut")
	}
}

// OTLP JSON as Jaeger's /api/v3 returns it (int64 values as strings).
type otlpValue struct {
	StringValue *string  `json:"stringValue"`
	IntValue    string   `json:"intValue"`
	DoubleValue *float64 `json:"doubleValue"`
	BoolValue   *bool    `json:"boolValue"`
	ArrayValue  *struct {
		Values []otlpValue `json:"values"`
	} `json:"arrayValue"`
}

type otlpSpan struct {
	Name       string `json:"name"`
	Kind       int    `json:"kind"`
	Attributes []struct {
		Key   string    `json:"key"`
		Value otlpValue `json:"value"`
	} `json:"attributes"`
}

func (s otlpSpan) attrs() map[string]otlpValue {
	m := map[string]otlpValue{}
	for _, a := range s.Attributes {
		m[a.Key] = a.Value
	}
	return m
}

// jaegerSpans polls Jaeger's query API until it holds want spans of the
// service (ingestion is asynchronous), or 30 seconds pass.
func jaegerSpans(t *testing.T, base, service string, since time.Time, want int) []otlpSpan {
	t.Helper()
	q := url.Values{
		"query.service_name":   {service},
		"query.start_time_min": {since.UTC().Format(time.RFC3339Nano)},
		"query.start_time_max": {time.Now().Add(time.Minute).UTC().Format(time.RFC3339Nano)},
		"query.num_traces":     {strconv.Itoa(want * 2)},
	}
	u := base + "/api/v3/traces?" + q.Encode()
	var spans []otlpSpan
	deadline := time.Now().Add(30 * time.Second)
	for {
		spans = spans[:0]
		res, err := http.Get(u)
		require.NoError(t, err)
		var body struct {
			Result struct {
				ResourceSpans []struct {
					Resource struct {
						Attributes []struct {
							Key   string    `json:"key"`
							Value otlpValue `json:"value"`
						} `json:"attributes"`
					} `json:"resource"`
					ScopeSpans []struct {
						Scope struct {
							Name    string `json:"name"`
							Version string `json:"version"`
						} `json:"scope"`
						Spans []otlpSpan `json:"spans"`
					} `json:"scopeSpans"`
				} `json:"resourceSpans"`
			} `json:"result"`
		}
		status := res.StatusCode
		err = json.NewDecoder(res.Body).Decode(&body)
		_ = res.Body.Close()
		if status == http.StatusOK {
			require.NoError(t, err)
			for _, rs := range body.Result.ResourceSpans {
				for _, ss := range rs.ScopeSpans {
					assert.Equal(t, otel.ScopeName, ss.Scope.Name)
					assert.Equal(t, otel.Version, ss.Scope.Version)
					spans = append(spans, ss.Spans...)
				}
			}
		}
		if len(spans) >= want || time.Now().After(deadline) {
			return spans
		}
		time.Sleep(250 * time.Millisecond)
	}
}
