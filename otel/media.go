package otel

import (
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

// Media in a span (content capture on):
//
//   - in the messages, a part in the GenAI conventions' form: bytes as
//     {"type":"blob","modality":…,"mime_type":…,"content":<base64>} (a
//     base64 data: URL too, its payload as it is), a URL as
//     {"type":"uri",…,"uri":…}, an uploaded file as
//     {"type":"file",…,"file_id":…};
//   - in a field's attribute, a short description (see mediaSummary),
//     never the bytes.
//
// A URL is recorded with the values of its signing parameters masked (see
// secrets.MaskURL): a signed URL grants access to its object.
//
// A payload (the base64, the URL, the file id) is never cut: cut, it would
// be garbage. One of at most smallPayload bytes is planned as part of its
// part's framing, as a tool call's id is; a larger one is recorded only
// when it fits in what the attribute's framing and texts, whole, leave of
// its bound, the first ones first, and is otherwise left out whole and
// counted in mirascope.content.dropped_parts. The decision is taken from
// sizes before anything is encoded, so an image that cannot fit costs
// nothing; one that fits is base64-encoded straight into the attribute's
// buffer.

// smallPayload is the largest payload planned as framing: URLs and file
// ids, and small blobs.
const smallPayload = 1 << 10

// mediaSource is where a media part's payload comes from.
type mediaSource uint8

const (
	fromData    mediaSource = iota // Media.Data, base64-encoded when written
	fromDataURL                    // the base64 payload of a data: URL, written as it is
	fromURL                        // Media.URL
	fromFileID                     // Media.FileID
)

// mediaPart is how m is recorded: its source, its payload as written
// (empty for fromData, whose payload is m.Data), its MIME type, and the
// payload's size in the attribute.
func mediaPart(m *prompt.Media) (src mediaSource, payload, mime string, size int) {
	mime = m.MIMEType
	switch {
	case len(m.Data) > 0:
		return fromData, "", mime, base64.StdEncoding.EncodedLen(len(m.Data))
	case m.URL != "":
		if t, data, ok := base64DataURL(m.URL); ok {
			if mime == "" {
				mime = t
			}
			return fromDataURL, data, mime, len(data)
		}
		return fromURL, m.URL, mime, len(m.URL)
	case m.FileID != "":
		return fromFileID, m.FileID, mime, len(m.FileID)
	}
	return fromData, "", mime, 0
}

// base64DataURL splits a data: URL whose payload is base64 into its MIME
// type and its payload; ok is false for any other URL.
func base64DataURL(url string) (mime, data string, ok bool) {
	head, data, ok := splitDataURL(url)
	if !ok {
		return "", "", false
	}
	head, isBase64 := strings.CutSuffix(head, ";base64")
	if !isBase64 {
		return "", "", false
	}
	mime, _, _ = strings.Cut(head, ";")
	return mime, data, true
}

// splitDataURL splits a data: URL into the media type and parameters
// before its comma and the payload after it; ok is false for any other URL.
func splitDataURL(url string) (head, payload string, ok bool) {
	if len(url) < 5 || !strings.EqualFold(url[:5], "data:") {
		return "", "", false
	}
	return strings.Cut(url[5:], ",")
}

// mediaSize is the size m's payload takes in an attribute.
func mediaSize(m *prompt.Media) int {
	_, _, _, size := mediaPart(m)
	return size
}

// appendMedia appends the part recording m, its payload whole.
func appendMedia(b []byte, m *prompt.Media) []byte {
	src, payload, mime, _ := mediaPart(m)
	switch src {
	case fromData, fromDataURL:
		b = append(b, `{"type":"blob","modality":`...)
	case fromURL:
		b = append(b, `{"type":"uri","modality":`...)
	default:
		b = append(b, `{"type":"file","modality":`...)
	}
	b = appendString(b, string(m.Kind), maxIdentifier)
	if mime != "" {
		b = append(b, `,"mime_type":`...)
		b = appendString(b, mime, maxIdentifier)
	}
	switch src {
	case fromData:
		b = append(b, `,"content":"`...)
		b = base64.StdEncoding.AppendEncode(b, m.Data)
		b = append(b, '"')
	case fromDataURL:
		b = append(b, `,"content":`...)
		b = appendString(b, payload, noLimit)
	case fromURL:
		b = append(b, `,"uri":`...)
		b = appendString(b, secrets.MaskURL(payload), noLimit)
	default:
		b = append(b, `,"file_id":`...)
		b = appendString(b, payload, noLimit)
	}
	return append(b, '}')
}

// mediaSummary is what a field's attribute records of m: its URL, its file
// id, or, for bytes (a data: URL's too), its MIME type (else its kind) and
// size, as in "image/png, 2097152 bytes".
func mediaSummary(m *prompt.Media) string {
	mime, n := m.MIMEType, len(m.Data)
	switch {
	case len(m.Data) > 0:
	case m.URL != "":
		head, payload, ok := splitDataURL(m.URL)
		if !ok {
			return validString(secrets.MaskURL(m.URL))
		}
		head, isBase64 := strings.CutSuffix(head, ";base64")
		if t, _, _ := strings.Cut(head, ";"); mime == "" {
			mime = t
		}
		n = len(payload)
		if isBase64 {
			n = base64.StdEncoding.DecodedLen(len(payload)) - strings.Count(payload[max(len(payload)-2, 0):], "=")
		}
	case m.FileID != "":
		return validString(m.FileID)
	}
	if mime == "" {
		mime = string(m.Kind)
	}
	return validString(mime) + ", " + strconv.Itoa(n) + " bytes"
}

// partSummary is what a field's attribute records of p: its text, or its
// media's summary.
func partSummary(p *prompt.Part) string {
	if p.Media == nil {
		return validString(p.Text)
	}
	return mediaSummary(p.Media)
}

// mediaValue is the attribute of a media field's value: a prompt.Part (or
// a pointer to one, or a Media) records its summary, a []prompt.Part the
// list of them; ok is false for any other value.
func mediaValue(v any) (_ attribute.Value, size int, ok bool) {
	var s string
	switch x := v.(type) {
	case prompt.Part:
		s = partSummary(&x)
	case *prompt.Part:
		if x == nil {
			return attribute.Value{}, 0, false
		}
		s = partSummary(x)
	case prompt.Media:
		s = mediaSummary(&x)
	case *prompt.Media:
		if x == nil {
			return attribute.Value{}, 0, false
		}
		s = mediaSummary(x)
	case []prompt.Part:
		out := make([]string, len(x))
		for i := range x {
			out[i] = partSummary(&x[i])
		}
		return attribute.StringSliceValue(out), stringsSize(out), true
	default:
		return attribute.Value{}, 0, false
	}
	return attribute.StringValue(s), len(s), true
}

// withoutBytes returns v, a field's recorded value, with every part in
// the maps and slices a snapshot makes of a nested struct or a slice (a
// struct's Part field, a []any of parts) replaced by its description (see
// partSummary), copying only what changes; ok reports whether anything
// did. A []any left holding only strings becomes a []string.
func withoutBytes(v any, depth int) (_ any, ok bool) {
	if depth > maxWalkDepth {
		return v, false
	}
	switch x := v.(type) {
	case prompt.Part:
		return partSummary(&x), true
	case *prompt.Part:
		if x != nil {
			return partSummary(x), true
		}
	case []prompt.Part:
		out := make([]string, len(x))
		for i := range x {
			out[i] = partSummary(&x[i])
		}
		return out, true
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			if r, changed := withoutBytes(e, depth+1); changed {
				if out == nil {
					out = maps.Clone(x)
				}
				out[k] = r
			}
		}
		if out != nil {
			return out, true
		}
	case []any:
		var out []any
		for i, e := range x {
			if r, changed := withoutBytes(e, depth+1); changed {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = r
			}
		}
		if out == nil {
			return v, false
		}
		strs := make([]string, len(out))
		for i, e := range out {
			s, isString := e.(string)
			if !isString {
				return out, true
			}
			strs[i] = s
		}
		return strs, true
	}
	return v, false
}

// maxWalkDepth bounds withoutBytes' walk, as a snapshot's depth is bounded.
const maxWalkDepth = 64

// isMedia reports whether a field's value is media (see mediaValue).
func isMedia(v any) bool {
	switch v.(type) {
	case prompt.Part, *prompt.Part, prompt.Media, *prompt.Media, []prompt.Part:
		return true
	}
	return false
}

// mediaLeaves are the texts of a media field's value an error may quote:
// its texts, URLs and file ids (not its bytes, a data: URL included, its
// kind or its MIME type, which say nothing secret and would
// mask every mention of "image").
func mediaLeaves(v any) []string {
	var out []string
	add := func(p *prompt.Part) {
		if p == nil {
			return
		}
		if p.Media == nil {
			out = append(out, p.Text)
			return
		}
		if _, _, ok := splitDataURL(p.Media.URL); !ok {
			out = append(out, p.Media.URL)
		}
		out = append(out, p.Media.FileID)
	}
	switch x := v.(type) {
	case prompt.Part:
		add(&x)
	case *prompt.Part:
		add(x)
	case prompt.Media:
		add(&prompt.Part{Media: &x})
	case *prompt.Media:
		if x != nil {
			add(&prompt.Part{Media: x})
		}
	case []prompt.Part:
		for i := range x {
			add(&x[i])
		}
	}
	return out
}
