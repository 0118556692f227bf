package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unsafe"

	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/prompt"
)

// A request's media is matched and stored by what identifies it, never by
// its bytes: a cassette of a call with a 2 MB image stays a few kilobytes,
// and a different image is a different request. Bytes are stored as their
// SHA-256 and size, with the MIME type; a data: URL as its header (up to
// the comma) and its payload's SHA-256 and size; a URL (http(s), gs://,
// s3://) and a file id as they are, a signed URL's signature masked (see
// secrets.MaskURL). An answer's media is stored whole: replaying it must
// give the bytes back.

// part is one piece of a message's content: a text, or media.
type part struct {
	Text     string `json:"text,omitempty"`
	Cache    bool   `json:"cache_breakpoint,omitempty"`
	Kind     string `json:"kind,omitempty"`
	MIMEType string `json:"mime_type,omitempty"`
	URL      string `json:"url,omitempty"`
	FileID   string `json:"file_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
	// SHA256 and Size stand for a request's bytes (or a data: URL's
	// payload), which are not stored.
	SHA256 string `json:"sha256,omitempty"`
	Size   int    `json:"size,omitempty"`
	// Data is an answer's bytes, stored whole.
	Data []byte `json:"data,omitempty"`
}

// fromParts records parts; digest replaces bytes by their SHA-256 and size
// (a request's), else they are kept (an answer's).
func fromParts(parts []prompt.Part, digest bool) []part {
	if len(parts) == 0 {
		return nil
	}
	out := make([]part, len(parts))
	for i, p := range parts {
		m := p.Media
		if m == nil {
			out[i] = part{Text: p.Text, Cache: p.CacheBreakpoint}
			continue
		}
		q := part{Cache: p.CacheBreakpoint, Kind: string(m.Kind), MIMEType: m.MIMEType, URL: secrets.MaskURL(m.URL), FileID: m.FileID, Detail: m.Detail, Data: m.Data}
		if digest {
			if head, payload, ok := dataURL(m.URL); ok {
				q.URL = head
				q.SHA256, q.Size = sum(payload), len(payload)
			}
			if m.Data != nil {
				q.SHA256, q.Size, q.Data = sum(m.Data), len(m.Data), nil
			}
		}
		out[i] = q
	}
	return out
}

func toParts(parts []part) []prompt.Part {
	if len(parts) == 0 {
		return nil
	}
	out := make([]prompt.Part, len(parts))
	for i, p := range parts {
		if p.Kind == "" {
			out[i] = prompt.Part{Text: p.Text, CacheBreakpoint: p.Cache}
			continue
		}
		out[i] = prompt.Part{CacheBreakpoint: p.Cache, Media: &prompt.Media{Kind: prompt.MediaKind(p.Kind), MIMEType: p.MIMEType, URL: p.URL,
			FileID: p.FileID, Detail: p.Detail, Data: p.Data}}
	}
	return out
}

// dataURL splits a data: URL into its header, up to and including the
// comma, and its payload.
func dataURL(url string) (head, payload string, ok bool) {
	if len(url) < 5 || !strings.EqualFold(url[:5], "data:") {
		return "", "", false
	}
	i := strings.IndexByte(url, ',')
	if i < 0 {
		return "", "", false
	}
	return url[:i+1], url[i+1:], true
}

func sum[T string | []byte](b T) string {
	s := sha256.Sum256([]byte(b))
	return hex.EncodeToString(s[:])
}

// redactedMedia lists the media of r's redacted fields.
func redactedMedia(r *prompt.Rendered) []*prompt.Media {
	if r == nil || !r.HasRedacted() {
		return nil
	}
	var out []*prompt.Media
	for i := range r.Fields {
		f := &r.Fields[i]
		if !f.Redacted {
			continue
		}
		switch x := f.Value.(type) {
		case prompt.Part:
			if x.Media != nil {
				out = append(out, x.Media)
			}
		case *prompt.Part:
			if x != nil && x.Media != nil {
				out = append(out, x.Media)
			}
		case []prompt.Part:
			for j := range x {
				if x[j].Media != nil {
					out = append(out, x[j].Media)
				}
			}
		}
	}
	return out
}

// maskMedia replaces every part of parts holding one of the secret media
// (the same Media, or one with the same bytes in memory, URL or file id)
// with the text [prompt.RedactedText], as a redacted text is masked: the
// cassette holds not even its digest, and a changed secret still matches.
// parts is copied when changed.
func maskMedia(parts []prompt.Part, secret []*prompt.Media) []prompt.Part {
	var out []prompt.Part
	for j, p := range parts {
		if p.Media == nil || !sameMedia(p.Media, secret) {
			continue
		}
		if out == nil {
			out = append([]prompt.Part(nil), parts...)
		}
		out[j] = prompt.Text(prompt.RedactedText)
	}
	if out == nil {
		return parts
	}
	return out
}

func sameMedia(m *prompt.Media, secret []*prompt.Media) bool {
	for _, s := range secret {
		switch {
		case m == s,
			len(m.Data) > 0 && len(s.Data) > 0 && unsafe.SliceData(m.Data) == unsafe.SliceData(s.Data),
			m.URL != "" && m.URL == s.URL,
			m.FileID != "" && m.FileID == s.FileID:
			return true
		}
	}
	return false
}
