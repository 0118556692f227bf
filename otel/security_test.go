package otel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

const testAPIKey = "sk-test-RECOGNISABLE-KEY-0123456789"

// httpProvider is a user-written provider that talks HTTP with an API key in
// a header and retries once on a 5xx, counting its attempts.
type httpProvider struct {
	url, key string
	client   *http.Client
}

func (p *httpProvider) Info() mirascope.ProviderInfo {
	return mirascope.ProviderInfo{Name: "custom", Model: "m-1", ServerAddress: "127.0.0.1", ServerPort: 1}
}

func (p *httpProvider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	for attempt := 1; ; attempt++ {
		hr, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, strings.NewReader(`{"model":"m-1"}`))
		if err != nil {
			return nil, err
		}
		hr.Header.Set("Authorization", "Bearer "+p.key)
		hr.Header.Set("X-Api-Key", p.key)
		res, err := p.client.Do(hr)
		if err != nil {
			return nil, &mirascope.ProviderError{Provider: "custom", Err: err}
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode >= 500 && attempt == 1 {
			continue
		}
		if res.StatusCode != http.StatusOK {
			var e struct {
				Error struct{ Code, Message string }
			}
			_ = json.Unmarshal(body, &e)
			return nil, &mirascope.ProviderError{Provider: "custom", StatusCode: res.StatusCode, Code: e.Error.Code,
				Message: e.Error.Message, RequestID: res.Header.Get("X-Request-Id"), Attempts: attempt}
		}
		return &mirascope.Response{Content: string(body), Model: "m-1", ID: "r-1", Attempts: attempt}, nil
	}
}

// TestNoSecretsExported: with a recognisable key on the wire, nothing the
// tracing layer exports — span names, attributes, events, status, metric
// points, the error's text — contains it or the Authorization header.
func TestNoSecretsExported(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testAPIKey {
			http.Error(w, "no key", http.StatusBadRequest)
			return
		}
		calls++
		w.Header().Set("X-Request-Id", "req_123")
		switch {
		case strings.Contains(r.URL.Path, "ok"):
			fmt.Fprint(w, "fine")
		case calls%2 == 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"code":"invalid_api_key","message":"Incorrect API key provided: sk-tes****6789."}}`)
		}
	}))
	defer srv.Close()

	h := newHarness(t)
	var errs []error
	for _, path := range []string{"/ok", "/fail"} {
		p := h.traced(&httpProvider{url: srv.URL + path, key: testAPIKey, client: srv.Client()}, otel.WithLegacyAttributes())
		_, err := mirascope.Call(context.Background(), p, Shorthand{Genre: "scifi"})
		errs = append(errs, err)
		s, err := mirascope.Stream(context.Background(), p, Shorthand{Genre: "scifi"})
		require.NoError(t, err)
		for _, err := range s.Chunks() {
			errs = append(errs, err)
		}
	}

	var exported strings.Builder
	for _, s := range h.spans.GetSpans() {
		fmt.Fprintln(&exported, s.Name, s.Status.Description)
		for _, kv := range s.Attributes {
			fmt.Fprintln(&exported, kv.Key, kv.Value.String())
		}
		for _, e := range s.Events {
			fmt.Fprintln(&exported, e.Name)
			for _, kv := range e.Attributes {
				fmt.Fprintln(&exported, kv.Key, kv.Value.String())
			}
		}
	}
	for _, m := range h.metrics(t) {
		fmt.Fprintln(&exported, m.Name)
		switch d := m.Data.(type) {
		case metricdata.Histogram[float64]:
			for _, p := range d.DataPoints {
				fmt.Fprintln(&exported, p.Attributes.Encoded(nil))
			}
		case metricdata.Histogram[int64]:
			for _, p := range d.DataPoints {
				fmt.Fprintln(&exported, p.Attributes.Encoded(nil))
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			fmt.Fprintln(&exported, err.Error())
		}
	}
	out := exported.String()
	require.Contains(t, out, "invalid_api_key", "the failure was exported")
	require.Contains(t, out, "http.request.resend_count", "the retry was exported")
	for _, bad := range []string{testAPIKey, "RECOGNISABLE", "Bearer", "Authorization", "X-Api-Key"} {
		assert.NotContains(t, out, bad)
	}
}

// TestErrorTextCredentialsMasked: whatever a provider let through, a
// credential quoted in an error's text reaches neither the span's status
// nor its exception event.
func TestErrorTextCredentialsMasked(t *testing.T) {
	h := newHarness(t)
	fail := &mirascope.ProviderError{Provider: "openai", StatusCode: 401, Code: "invalid_api_key",
		Message: "Incorrect API key provided: sk-proj-AbCdEf0123456789xyz; sent Authorization: Bearer sk-proj-AbCdEf0123456789xyz"}
	_, err := mirascope.Call(context.Background(), h.traced(mock.New(mock.Fail(fail))), RecommendBook{Genre: "x"})
	require.Error(t, err)
	s := h.only(t)
	assert.Contains(t, s.Status.Description, "Incorrect API key provided: [REDACTED]")
	assert.NotContains(t, s.Status.Description, "AbCdEf0123456789xyz")
	require.NotEmpty(t, s.Events)
	for _, e := range s.Events {
		for _, kv := range e.Attributes {
			assert.NotContains(t, kv.Value.String(), "AbCdEf0123456789xyz", string(kv.Key))
		}
	}
}
