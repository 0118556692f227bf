package google_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// A one-pixel PNG's first bytes and a tiny PDF: enough for the MIME type to
// be sniffed, and distinct on the wire.
var (
	cover = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	paper = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	clip  = []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")
)

// coverReview is a prompt in the Messager style mixing text, an image and a
// PDF, the MIME types left to be sniffed.
type coverReview struct{ Cover, Paper []byte }

func (c coverReview) Messages() []prompt.Message {
	return []prompt.Message{
		prompt.System("You are a librarian."),
		prompt.UserParts(prompt.Text("Does this cover"), prompt.ImageData(c.Cover, ""), prompt.Text("suit this paper?"), prompt.DocumentData(c.Paper, "")),
	}
}

// conversation is a prompt of the given messages.
type conversation struct{ msgs []prompt.Message }

func (c conversation) Messages() []prompt.Message { return c.msgs }

// describeCover is a template placing an image, given by URL, where it
// stands.
type describeCover struct {
	Cover string `prompt:"cover" validate:"required"`
	Genre string `prompt:"genre"`
}

func (describeCover) Template() string { return "Describe this {genre} book cover: {cover:image}" }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func media(m prompt.Media) prompt.Part { return prompt.Part{Media: &m} }

func TestMediaMessages(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := newProvider(s)

	resp, err := mirascope.Call(bg, p, coverReview{Cover: cover, Paper: paper})
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, map[string]any{
		"contents": []any{
			map[string]any{"role": "user", "parts": []any{
				map[string]any{"text": "Does this cover"},
				map[string]any{"inlineData": map[string]any{"mimeType": "image/png", "data": b64(cover)}},
				map[string]any{"text": "suit this paper?"},
				map[string]any{"inlineData": map[string]any{"mimeType": "application/pdf", "data": b64(paper)}},
			}},
		},
		"systemInstruction": map[string]any{"role": "user", "parts": []any{map[string]any{"text": "You are a librarian."}}},
		"generationConfig":  map[string]any{},
	}, reqs[0].JSON)
	assert.Equal(t, "The cover is a plain red square; the paper is a one-page PDF about bookbinding. The cover suits it.", resp.Content)
}

func TestMediaTemplate(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := newProvider(s)

	_, err := mirascope.Call(bg, p, describeCover{Cover: "https://example.com/covers/red.png", Genre: "fantasy"})
	require.NoError(t, err)

	body := s.Requests()[0].JSON
	assert.NotContains(t, body, "systemInstruction")
	assert.Equal(t, []any{
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"text": "Describe this fantasy book cover:"},
			map[string]any{"fileData": map[string]any{"fileUri": "https://example.com/covers/red.png", "mimeType": "image/png"}},
		}},
	}, body["contents"])
}

// A stream sends the parts as a call does.
func TestMediaStream(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream.sse")))
	p := newProvider(s)

	st, err := mirascope.Stream(bg, p, coverReview{Cover: cover, Paper: paper})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}
	r := s.Requests()[0]
	assert.Equal(t, "/v1beta/models/gemini-2.0-flash-001:streamGenerateContent", r.Path)
	assert.Equal(t, []any{
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"text": "Does this cover"},
			map[string]any{"inlineData": map[string]any{"mimeType": "image/png", "data": b64(cover)}},
			map[string]any{"text": "suit this paper?"},
			map[string]any{"inlineData": map[string]any{"mimeType": "application/pdf", "data": b64(paper)}},
		}},
	}, r.JSON["contents"])
}

// The Gemini API takes media inline, by an http(s) URL (a public or signed
// URL, or a Files API URI) and by an uploaded file's name or URI; a URL's
// MIME type is its own, else its extension's, else left to the service.
func TestMediaSources(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := newProvider(s)

	_, err := p.Call(bg, &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(
		prompt.Text(""), // left out: the API refuses empty text
		prompt.ImageURL("https://example.com/covers/red.PNG?size=large"),
		prompt.DocumentURL("https://example.com/paper"),
		media(prompt.Media{Kind: prompt.MediaDocument, URL: "https://example.com/paper", MIMEType: "application/pdf"}),
		media(prompt.Media{Kind: prompt.MediaImage, FileID: "files/abc-123", MIMEType: "image/png"}),
		media(prompt.Media{Kind: prompt.MediaAudio, FileID: "https://generativelanguage.googleapis.com/v1beta/files/clip-9"}),
		prompt.ImageURL("data:image/png;base64,"+b64(cover)),
		prompt.AudioData(clip, ""),
	)}})
	require.NoError(t, err)

	assert.Equal(t, []any{
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"fileData": map[string]any{"fileUri": "https://example.com/covers/red.PNG?size=large", "mimeType": "image/png"}},
			map[string]any{"fileData": map[string]any{"fileUri": "https://example.com/paper"}},
			map[string]any{"fileData": map[string]any{"fileUri": "https://example.com/paper", "mimeType": "application/pdf"}},
			map[string]any{"fileData": map[string]any{"fileUri": "https://generativelanguage.googleapis.com/v1beta/files/abc-123", "mimeType": "image/png"}},
			map[string]any{"fileData": map[string]any{"fileUri": "https://generativelanguage.googleapis.com/v1beta/files/clip-9"}},
			map[string]any{"inlineData": map[string]any{"mimeType": "image/png", "data": b64(cover)}},
			map[string]any{"inlineData": map[string]any{"mimeType": "audio/wav", "data": b64(clip)}},
		}},
	}, s.Requests()[0].JSON["contents"])
}

// Vertex AI reads gs:// URIs and public URLs, and needs each one's MIME type.
func TestMediaVertex(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), google.WithVertex("my-project", "us-central1"))

	_, err := p.Call(bg, &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(
		prompt.Text("Compare"),
		prompt.ImageURL("gs://books/covers/red.jpg"),
		media(prompt.Media{Kind: prompt.MediaDocument, URL: "gs://books/papers/binding", MIMEType: "application/pdf"}),
		prompt.ImageURL("https://example.com/cover.webp"),
		prompt.DocumentData(paper, ""),
	)}})
	require.NoError(t, err)

	assert.Equal(t, []any{
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"text": "Compare"},
			map[string]any{"fileData": map[string]any{"fileUri": "gs://books/covers/red.jpg", "mimeType": "image/jpeg"}},
			map[string]any{"fileData": map[string]any{"fileUri": "gs://books/papers/binding", "mimeType": "application/pdf"}},
			map[string]any{"fileData": map[string]any{"fileUri": "https://example.com/cover.webp", "mimeType": "image/webp"}},
			map[string]any{"inlineData": map[string]any{"mimeType": "application/pdf", "data": b64(paper)}},
		}},
	}, s.Requests()[0].JSON["contents"])
}

// What the service does not take is refused before any request, on Call
// and on Stream.
func TestMediaRefused(t *testing.T) {
	tests := []struct {
		name   string
		vertex bool
		part   prompt.Part
		param  string
		msg    string
	}{
		{"gs on the Gemini API", false, prompt.ImageURL("gs://books/cover.png"), "image from a gs:// URL",
			"mirascope: gcp.gemini: image from a gs:// URL is not supported: the Gemini API takes an image as an http(s) URL or bytes (or a data: URL) or a file id; the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		{"s3", false, prompt.DocumentURL("s3://books/paper.pdf"), "document from an s3:// URL", ""},
		{"s3 on Vertex", true, prompt.ImageURL("s3://books/cover.png"), "image from an s3:// URL", ""},
		{"file id on Vertex", true, media(prompt.Media{Kind: prompt.MediaImage, FileID: "files/abc-123"}), "image from a file id",
			"mirascope: gcp.vertex_ai: image from a file id is not supported: Vertex AI takes an image as an http(s) URL or bytes (or a data: URL) or a gs:// URL; pass the bytes with prompt.ImageData"},
		{"no MIME type on Vertex", true, prompt.DocumentURL("gs://books/papers/binding"), "document from a gs:// URL of no known type",
			"mirascope: gcp.vertex_ai: document from a gs:// URL of no known type is not supported: Vertex AI needs the MIME type of a file URI, and the URL's extension does not tell it; set Media.MIMEType"},
		{"signed URL of no type on Vertex", true, prompt.ImageURL("https://storage.example.com/obj?X-Goog-Signature=c2VjcmV0"), "image from an http(s) URL of no known type", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
			p := newProvider(s)
			provider := google.Name
			if tt.vertex {
				p = google.New(testModel, providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), google.WithVertex("my-project", "us-central1"))
				provider = google.VertexName
			}
			msgs := []prompt.Message{prompt.UserParts(prompt.Text("Look:"), tt.part)}

			_, err := p.Call(bg, &mirascope.Request{Messages: msgs})
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, provider, ue.Provider)
			assert.Equal(t, tt.param, ue.Parameter)
			if tt.msg != "" {
				assert.EqualError(t, err, tt.msg)
			}
			assert.NotContains(t, err.Error(), "c2VjcmV0", "a signed URL's signature stays out of errors")

			st, err := mirascope.Stream(bg, p, conversation{msgs})
			require.NoError(t, err)
			for _, err := range st.Chunks() {
				require.ErrorAs(t, err, &ue)
			}
			assert.Empty(t, s.Requests(), "no request may be sent")
		})
	}
}
