package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

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
