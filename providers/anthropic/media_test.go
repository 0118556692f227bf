package anthropic_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// A one-pixel PNG's first bytes and a tiny PDF: enough for the MIME type to
// be sniffed, and distinct on the wire.
var (
	cover = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	paper = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
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

// describeCover is a template placing an image where it stands.
type describeCover struct {
	Cover []byte `prompt:"cover" validate:"required"`
	Genre string `prompt:"genre"`
}

func (describeCover) Template() string { return "Describe this {genre} book cover: {cover:image}" }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestMediaMessages(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := newProvider(s)

	resp, err := mirascope.Call(bg, p, coverReview{Cover: cover, Paper: paper})
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	body := reqs[0].JSON
	assert.Equal(t, []any{map[string]any{"type": "text", "text": "You are a librarian."}}, body["system"])
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "text", "text": "Does this cover"},
			map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": b64(cover)}},
			map[string]any{"type": "text", "text": "suit this paper?"},
			map[string]any{"type": "document", "source": map[string]any{"type": "base64", "media_type": "application/pdf", "data": b64(paper)}},
		}},
	}, body["messages"])
	assert.Equal(t, "The cover is a plain red square; the paper is a one-page PDF about bookbinding. The cover suits it.", resp.Content)
}

func TestMediaTemplate(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := newProvider(s)

	_, err := mirascope.Call(bg, p, describeCover{Cover: cover, Genre: "fantasy"})
	require.NoError(t, err)

	body := s.Requests()[0].JSON
	assert.NotContains(t, body, "system")
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "text", "text": "Describe this fantasy book cover:"},
			map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": b64(cover)}},
		}},
	}, body["messages"])
}

// A stream sends the parts as a call does.
func TestMediaStream(t *testing.T) {
	s := replaytest.NewServer(t, replay.Stream(fixture(t, "stream.sse")))
	p := newProvider(s)

	st, err := mirascope.Stream(bg, p, describeCover{Cover: cover, Genre: "fantasy"})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}
	body := s.Requests()[0].JSON
	assert.Equal(t, true, body["stream"])
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "text", "text": "Describe this fantasy book cover:"},
			map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": b64(cover)}},
		}},
	}, body["messages"])
}

// Every source the Messages API takes: URLs, file ids, a data: URL (sent
// as base64), a plain-text document, and media in the user turn that
// carries tool results.
func TestMediaSources(t *testing.T) {
	s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
	p := newProvider(s)

	notes := []byte("Chapter 1: the binding.\n")
	req := &mirascope.Request{Messages: []prompt.Message{
		prompt.UserParts(
			prompt.Text(""), // left out: the API refuses empty text
			prompt.ImageURL("https://example.com/cover.png"),
			prompt.DocumentURL("https://example.com/paper.pdf"),
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, FileID: "file_011CImage"}},
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file_011CDoc"}},
			prompt.ImageURL("data:image/png;base64,"+b64(cover)),
			prompt.DocumentData(notes, "text/plain"),
		),
		{Role: prompt.RoleAssistant, ToolCalls: []prompt.ToolCall{{ID: "toolu_1", Name: "scan", Arguments: `{}`}}},
		prompt.ToolResult("toolu_1", "scanned"),
		prompt.UserParts(prompt.Text("And this one?"), prompt.ImageData(cover, "image/png")),
	}}
	_, err := p.Call(bg, req)
	require.NoError(t, err)

	body := s.Requests()[0].JSON
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "image", "source": map[string]any{"type": "url", "url": "https://example.com/cover.png"}},
			map[string]any{"type": "document", "source": map[string]any{"type": "url", "url": "https://example.com/paper.pdf"}},
			map[string]any{"type": "image", "source": map[string]any{"type": "file", "file_id": "file_011CImage"}},
			map[string]any{"type": "document", "source": map[string]any{"type": "file", "file_id": "file_011CDoc"}},
			map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": b64(cover)}},
			map[string]any{"type": "document", "source": map[string]any{"type": "text", "media_type": "text/plain", "data": string(notes)}},
		}},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": "scan", "input": map[string]any{}}}},
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": false, "content": []any{map[string]any{"type": "text", "text": "scanned"}}},
			map[string]any{"type": "text", "text": "And this one?"},
			map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": b64(cover)}},
		}},
	}, body["messages"])
}

// What the Messages API does not take is refused before any request, on
// Call and on Stream.
func TestMediaRefused(t *testing.T) {
	media := func(m prompt.Media) prompt.Part { return prompt.Part{Media: &m} }
	tests := []struct {
		name  string
		part  prompt.Part
		param string
		msg   string
	}{
		{"audio", prompt.AudioData([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), "audio/mpeg"), "audio from bytes",
			"mirascope: anthropic: audio from bytes is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) takes no audio"},
		{"image from gs", prompt.ImageURL("gs://bucket/cover.png"), "image from a gs:// URL", ""},
		{"image from s3", prompt.ImageURL("s3://bucket/cover.png"), "image from an s3:// URL", ""},
		{"document from s3", prompt.DocumentURL("s3://bucket/paper.pdf"), "document from an s3:// URL", ""},
		{"bmp image", prompt.ImageData([]byte("BM\x1e\x00\x00\x00\x00\x00\x00\x00\x1a\x00\x00\x00"), "image/bmp"), "image of type image/bmp", ""},
		{"docx document", prompt.DocumentData([]byte("PK\x03\x04"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
			"document of type application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"text document by URL", media(prompt.Media{Kind: prompt.MediaDocument, URL: "https://example.com/notes.txt", MIMEType: "text/plain"}),
			"document of type text/plain from an http(s) URL",
			"mirascope: anthropic: document of type text/plain from an http(s) URL is not supported: the Messages API takes a document by URL only as a PDF; pass the text with prompt.DocumentData"},
		{"text document not UTF-8", prompt.DocumentData([]byte("caf\xe9"), "text/plain"), "document of type text/plain",
			"mirascope: anthropic: document of type text/plain is not supported: the Messages API takes a plain-text document as UTF-8, and these bytes are not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replaytest.NewServer(t, replay.JSON(200, fixture(t, "call_media.json"), nil))
			p := newProvider(s)
			req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Text("Look:"), tt.part)}}

			_, err := p.Call(bg, req)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, "anthropic", ue.Provider)
			assert.Equal(t, tt.param, ue.Parameter)
			if tt.msg != "" {
				assert.EqualError(t, err, tt.msg)
			}

			st, err := mirascope.Stream(bg, p, conversation{req.Messages})
			require.NoError(t, err)
			for _, err := range st.Chunks() {
				require.ErrorAs(t, err, &ue)
			}
			assert.Empty(t, s.Requests(), "no request may be sent")
		})
	}
}

// conversation is a prompt of the given messages.
type conversation struct{ msgs []prompt.Message }

func (c conversation) Messages() []prompt.Message { return c.msgs }
