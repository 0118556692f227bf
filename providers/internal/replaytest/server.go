package replaytest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Request is one request as the server received it.
type Request struct {
	Method string
	// Path is the decoded path, EscapedPath the path as it was sent.
	Path, EscapedPath string
	Query             string
	Header            http.Header
	// Body is the body as sent; JSON is that body decoded, nil when it is
	// not a JSON object.
	Body []byte
	JSON map[string]any
}

// Server records every request, then answers it with its handler. It is
// safe for concurrent use.
type Server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []Request
}

// NewServer starts a server answering with h and closes it when the test
// ends.
func NewServer(t testing.TB, h http.HandlerFunc) *Server {
	t.Helper()
	return start(t, h, httptest.NewServer)
}

// NewTLSServer is NewServer over TLS.
func NewTLSServer(t testing.TB, h http.HandlerFunc) *Server {
	t.Helper()
	return start(t, h, httptest.NewTLSServer)
}

func start(t testing.TB, h http.HandlerFunc, newServer func(http.Handler) *httptest.Server) *Server {
	s := &Server{}
	s.Server = newServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) record(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var decoded map[string]any
	_ = json.Unmarshal(body, &decoded)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, Request{
		Method: r.Method, Path: r.URL.Path, EscapedPath: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, JSON: decoded,
	})
}

// Requests returns what the server received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Fixture reads testdata/<provider>/<name> from a provider package's
// directory, failing the test when it cannot.
func Fixture(t testing.TB, provider, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", provider, name))
	require.NoError(t, err)
	return b
}

// ClosedURL returns the URL of a local port nothing listens on any more,
// for connection-refused tests.
func ClosedURL(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}
