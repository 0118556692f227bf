package otel

import (
	"strings"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
)

// OTLP carries strings as protobuf strings, which must be valid UTF-8: one
// invalid byte anywhere fails the encoding of the whole export batch. So
// every string a span or a metric records passes through validString (or
// appendString, for JSON), which costs a scan and allocates only for text
// that needs mending.

// validString returns s with each invalid UTF-8 byte sequence replaced by
// U+FFFD.
func validString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// validStrings is validString over a slice, copied only when an element
// changes.
func validStrings(s []string) []string {
	var out []string
	for i, x := range s {
		if utf8.ValidString(x) {
			continue
		}
		if out == nil {
			out = append([]string(nil), s...)
		}
		out[i] = strings.ToValidUTF8(x, "\uFFFD")
	}
	if out == nil {
		return s
	}
	return out
}

// validAttrs mends, in place, the string attributes built from text this
// package did not encode itself. String slices are mended where they are
// built (an attribute.Value does not lend its slice without a copy).
func validAttrs(kvs []attribute.KeyValue) {
	for i := range kvs {
		if kvs[i].Value.Type() == attribute.STRING {
			if s := kvs[i].Value.AsString(); !utf8.ValidString(s) {
				kvs[i].Value = attribute.StringValue(strings.ToValidUTF8(s, "\uFFFD"))
			}
		}
	}
}
