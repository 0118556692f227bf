package google

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// filesURI is where the Gemini API's Files API keeps an uploaded file: a
// file named files/abc is sent as filesURI+"abc".
const filesURI = "https://generativelanguage.googleapis.com/v1beta/files/"

// userParts is a user message's parts: its parts in order, else its text.
// An empty text part is left out (the API refuses an empty text part); a
// message of nothing else is one empty text part, as an empty Content.
func (p *Provider) userParts(m prompt.Message) ([]*genai.Part, error) {
	out := make([]*genai.Part, 0, len(m.Parts))
	for _, part := range m.Parts {
		if part.Media == nil && part.Text == "" {
			continue
		}
		gp, err := p.part(part)
		if err != nil {
			return nil, err
		}
		out = append(out, gp)
	}
	if len(out) == 0 {
		out = append(out, &genai.Part{Text: m.Content})
	}
	return out, nil
}

// part maps one part: text as text, bytes as inlineData, a URL or an
// uploaded file as fileData. Which kinds and sources the service takes at
// all lower.Prepare has checked.
func (p *Provider) part(part prompt.Part) (*genai.Part, error) {
	m := part.Media
	if m == nil {
		return &genai.Part{Text: part.Text}, nil
	}
	switch {
	case m.FileID != "":
		return &genai.Part{FileData: &genai.FileData{FileURI: fileURI(m.FileID), MIMEType: m.MIMEType}}, nil
	case m.URL != "":
		t := m.MIMEType
		if t == "" {
			t = typeByExtension(m.URL)
		}
		if t == "" && p.vertex != nil {
			// Vertex AI requires fileData.mimeType; the Gemini API finds
			// it. The URL stays out of the error: a signed URL is a secret.
			from := "an http(s) URL"
			if strings.HasPrefix(strings.ToLower(m.URL), "gs:") {
				from = "a gs:// URL"
			}
			return nil, &mirascope.UnsupportedError{
				Provider:  p.info.Name,
				Parameter: fmt.Sprintf("%s from %s of no known type", m.Kind, from),
				Reason:    "Vertex AI needs the MIME type of a file URI, and the URL's extension does not tell it; set Media.MIMEType",
			}
		}
		return &genai.Part{FileData: &genai.FileData{FileURI: m.URL, MIMEType: t}}, nil
	}
	// lower.Prepare has decoded a data: URL and sniffed a missing type.
	return &genai.Part{InlineData: &genai.Blob{MIMEType: m.MIMEType, Data: m.Data}}, nil
}

// fileURI is the fileData.fileUri of an uploaded file: its URI (genai's
// File.URI) as it is, its name (File.Name, "files/abc") or bare id as the
// Files API's URI.
func fileURI(id string) string {
	if strings.Contains(id, "://") {
		return id
	}
	return filesURI + strings.TrimPrefix(id, "files/")
}

// extensionTypes are the media types a URL's extension tells, for the media
// Gemini reads; a small fixed table, so the answer does not depend on the
// machine's mime.types.
var extensionTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
	".gif": "image/gif", ".heic": "image/heic", ".heif": "image/heif",
	".mp3": "audio/mpeg", ".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg",
	".aac": "audio/aac", ".aiff": "audio/aiff", ".m4a": "audio/mp4",
	".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/markdown",
	".csv": "text/csv", ".html": "text/html",
}

// typeByExtension is the media type the extension of u's path tells, or "".
func typeByExtension(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return extensionTypes[strings.ToLower(path.Ext(parsed.Path))]
}
