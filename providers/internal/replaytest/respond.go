package replaytest

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// Responder answers the way one provider does: the headers it sends with
// every JSON answer and with every stream.
type Responder struct {
	// Header goes with every JSON answer; its Content-Type, if any,
	// replaces application/json.
	Header map[string]string
	// StreamHeader goes with every stream; its Content-Type, if any,
	// replaces text/event-stream.
	StreamHeader map[string]string
	// Pause is how long Stream waits after flushing each piece.
	Pause time.Duration
}

// JSON answers with status and body, with the Responder's headers and then
// header, which wins.
func (rs Responder) JSON(status int, body []byte, header map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setHeader(w, "application/json", rs.Header, header)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// Stream answers 200 with a stream written in pieces, flushing after each
// so that the client's reads end where the pieces do.
func (rs Responder) Stream(pieces ...[]byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setHeader(w, "text/event-stream", rs.StreamHeader)
		w.WriteHeader(http.StatusOK)
		WritePieces(w, rs.Pause, pieces...)
	}
}

func setHeader(w http.ResponseWriter, contentType string, headers ...map[string]string) {
	for _, h := range headers {
		for k, v := range h {
			w.Header().Set(k, v)
		}
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", contentType)
	}
}

// WritePieces writes each piece and flushes it, then waits pause.
func WritePieces(w http.ResponseWriter, pause time.Duration, pieces ...[]byte) {
	f := w.(http.Flusher)
	for _, p := range pieces {
		_, _ = w.Write(p)
		f.Flush()
		if pause > 0 {
			time.Sleep(pause)
		}
	}
}

// CutAt cuts body at the given offsets (an offset past the end counts as
// the end), for tests whose reads must end inside frames or events.
func CutAt(body []byte, offsets ...int) [][]byte {
	var out [][]byte
	prev := 0
	for _, c := range append(offsets, len(body)) {
		c = min(c, len(body))
		out = append(out, body[prev:c])
		prev = c
	}
	return out
}

// SplitEvents cuts a stream whose events end with sep in the middle of
// every event.
func SplitEvents(body, sep []byte) [][]byte {
	var out [][]byte
	for _, ev := range bytes.SplitAfter(body, sep) {
		if len(ev) == 0 {
			continue
		}
		half := len(ev) / 2
		out = append(out, ev[:half], ev[half:])
	}
	return out
}

// Drop answers 200 with an event stream that writes body, then drops the
// connection without ending the chunked body.
func Drop(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
		w.(http.Flusher).Flush()
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	}
}

// Hold returns a handler that answers 200 with header (Content-Type
// text/event-stream unless header sets one) and first, then waits until the
// client goes away, and the channel it reports each such close on.
func Hold(header map[string]string, first []byte) (http.HandlerFunc, <-chan struct{}) {
	gone := make(chan struct{}, 16)
	return func(w http.ResponseWriter, r *http.Request) {
		setHeader(w, "text/event-stream", header)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(first)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		gone <- struct{}{}
	}, gone
}

// WaitClosed fails the test unless gone reports a closed connection within
// five seconds.
func WaitClosed(t testing.TB, gone <-chan struct{}) {
	t.Helper()
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("server did not see the connection close")
	}
}
