// Package oaitest is the test harness the OpenAI-compatible providers share:
// an httptest server that records what the real openai-go client sent and
// replays recorded answers from testdata/<provider>/, and a suite of
// table-driven checks every provider runs against its own fixtures. The
// recording server and the stream handlers build on replaytest, which the
// other providers' tests share.
package oaitest

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// Seen is one request as the server received it.
type Seen = replaytest.Request

// Server records requests and answers them with its handlers in order; the
// last handler repeats.
type Server struct {
	*replaytest.Server
	mu       sync.Mutex
	n        int
	handlers []http.HandlerFunc
	// Closed receives once for every request whose connection the client
	// dropped while the handler was still writing.
	Closed chan struct{}
}

// NewServer starts a server (TLS when tls is true) answering with handlers.
func NewServer(t testing.TB, tls bool, handlers ...http.HandlerFunc) *Server {
	t.Helper()
	s := &Server{handlers: handlers, Closed: make(chan struct{}, 16)}
	start := replaytest.NewServer
	if tls {
		start = replaytest.NewTLSServer
	}
	s.Server = start(t, func(w http.ResponseWriter, r *http.Request) {
		s.next()(w, r)
	})
	return s
}

// next is the handler for the next request.
func (s *Server) next() http.HandlerFunc {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := min(s.n, len(s.handlers)-1)
	s.n++
	return s.handlers[i]
}

// Fixture reads testdata/<dir>/<name>.
func Fixture(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return b
}

// JSON answers with status, headers and body.
func JSON(status int, header http.Header, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// SSE answers with an event stream, flushing after every event, or after
// every piece when split is set (half an event, flush, the rest).
func SSE(header http.Header, body []byte, split bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		f := w.(http.Flusher)
		for _, ev := range bytes.SplitAfter(body, []byte("\n\n")) {
			if len(ev) == 0 {
				continue
			}
			if split {
				half := len(ev) / 2
				_, _ = w.Write(ev[:half])
				f.Flush()
				_, _ = w.Write(ev[half:])
			} else {
				_, _ = w.Write(ev)
			}
			f.Flush()
		}
	}
}

// Hold writes the first event of body, then waits until the client goes away
// and reports it on s.Closed.
func (s *Server) Hold(header http.Header, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		first, _, _ := bytes.Cut(body, []byte("\n\n"))
		_, _ = w.Write(append(first, '\n', '\n'))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		s.Closed <- struct{}{}
	}
}

// Cut writes the first event and half of the second, then drops the
// connection without ending the chunked body.
func Cut(body []byte) http.HandlerFunc {
	evs := bytes.SplitAfter(body, []byte("\n\n"))
	cut := evs[0]
	if len(evs) > 1 {
		cut = append(cut[:len(cut):len(cut)], evs[1][:len(evs[1])/2]...)
	}
	return replaytest.Drop(cut)
}
