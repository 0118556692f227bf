// Package replaytest is the test support the provider test suites share:
// an httptest server that records every request the real SDK client sent,
// handlers that replay recorded answers (a JSON body, an event stream
// written in pieces, a stream that stalls or drops its connection), the
// loader for testdata/<provider>/ fixtures, helpers for split-read and
// connection-close tests, and a tracer provider that keeps its spans in
// memory.
//
// It holds only what is the same for every provider; what one provider's
// answers look like (its content types, request-id headers, framing) stays
// in that provider's tests, passed in as a Responder or as plain handlers.
// It must not import any provider package, so that all of them can use it.
package replaytest
