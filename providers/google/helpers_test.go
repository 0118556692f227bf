package google_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
)

const (
	testKey   = "gemini-test-key-123"
	testModel = "gemini-2.0-flash-001"
)

// recommend is a prompt in the Texter style.
type recommend struct{ Genre string }

func (r recommend) Prompt() string { return "Recommend a " + r.Genre + " book." }

// librarian is a prompt in the Messager style.
type librarian struct{ Genre string }

func (l librarian) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You are a librarian."), prompt.User("Recommend a " + l.Genre + " book.")}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "google", name))
	require.NoError(t, err)
	return b
}

// seen is what the server received.
type seen struct {
	Method, Path string
	Header       http.Header
	Body         map[string]any
}

// server replays responses and records every request.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newServer(t testing.TB, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(b, &body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

// respond writes a JSON body with headers.
func respond(status int, body []byte, headers map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// sse writes an event stream in pieces, flushing after each.
func sse(pieces ...[]byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Request-Id", "goog-req-stream")
		w.WriteHeader(http.StatusOK)
		for _, p := range pieces {
			_, _ = w.Write(p)
			w.(http.Flusher).Flush()
		}
	}
}

func newProvider(s *server, opts ...providers.Option) *google.Provider {
	base := []providers.Option{providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), providers.WithMaxRetries(0)}
	return google.New(testModel, append(base, opts...)...)
}

var bg = context.Background()
