package oaitest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// Media is what a service takes besides images by URL or bytes, restated
// from its documentation for the media checks (the Caps say it once more,
// in lower).
type Media struct {
	// Audio: input_audio parts, wav and mp3.
	Audio bool
	// Documents: file parts, PDF bytes or a file id.
	Documents bool
	// Detail: image_url carries the detail hint.
	Detail bool
	// ImageTypes and DocumentTypes are the types the service takes; nil: any.
	ImageTypes, DocumentTypes []string
	// Mistral: Mistral's chunks, besides images: input_audio the base64
	// bytes alone (of any type), a document by http(s) URL as
	// document_url; a document as bytes or a file id is refused.
	Mistral bool
}

// Sample media: the first bytes of a PNG, a PDF and a WAV file, enough for
// the MIME type to be sniffed.
var (
	PNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 17)...)
	PDF = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	WAV = append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), bytes.Repeat([]byte{1}, 28)...)
	MP3 = append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{2}, 20)...)
	OGG = append([]byte("OggS\x00\x02"), bytes.Repeat([]byte{3}, 22)...)
)

// MediaRequest is a messages-style prompt mixing text, an image by URL with
// a detail hint, an image as bytes, and what else the service takes: a PDF
// as bytes and by file id, a WAV and an MP3.
func MediaRequest(m Media) *mirascope.Request {
	hinted := prompt.ImageURL("https://example.com/cover.png")
	hinted.Media.Detail = "high"
	parts := []prompt.Part{prompt.Text("Describe the cover."), hinted, prompt.ImageData(PNG, "")}
	if m.Documents {
		parts = append(parts, prompt.Text("Summarise the paper."), prompt.DocumentData(PDF, ""),
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-abc123"}})
	}
	if m.Audio {
		parts = append(parts, prompt.Text("Transcribe the clips."), prompt.AudioData(WAV, ""), prompt.AudioData(MP3, "audio/mpeg"))
	}
	if m.Mistral {
		parts = append(parts, prompt.Text("Summarise the paper."), prompt.DocumentURL("https://example.com/paper.pdf"),
			prompt.Text("Transcribe the clips."), prompt.AudioData(WAV, ""), prompt.AudioData(OGG, "audio/ogg"))
	}
	return &mirascope.Request{Messages: []prompt.Message{prompt.System("You are a librarian."), prompt.UserParts(parts...)}}
}

// wantMediaMessage is the user message MediaRequest must put on the wire,
// written out field by field.
func wantMediaMessage(m Media) map[string]any {
	image := map[string]any{"url": "https://example.com/cover.png"}
	if m.Detail {
		image["detail"] = "high"
	}
	b64 := base64.StdEncoding.EncodeToString
	content := []any{
		map[string]any{"type": "text", "text": "Describe the cover."},
		map[string]any{"type": "image_url", "image_url": image},
		map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/png;base64," + b64(PNG)}},
	}
	if m.Documents {
		content = append(content,
			map[string]any{"type": "text", "text": "Summarise the paper."},
			map[string]any{"type": "file", "file": map[string]any{"file_data": "data:application/pdf;base64," + b64(PDF), "filename": "document.pdf"}},
			map[string]any{"type": "file", "file": map[string]any{"file_id": "file-abc123"}},
		)
	}
	if m.Audio {
		content = append(content,
			map[string]any{"type": "text", "text": "Transcribe the clips."},
			map[string]any{"type": "input_audio", "input_audio": map[string]any{"data": b64(WAV), "format": "wav"}},
			map[string]any{"type": "input_audio", "input_audio": map[string]any{"data": b64(MP3), "format": "mp3"}},
		)
	}
	if m.Mistral {
		content = append(content,
			map[string]any{"type": "text", "text": "Summarise the paper."},
			map[string]any{"type": "document_url", "document_url": "https://example.com/paper.pdf"},
			map[string]any{"type": "text", "text": "Transcribe the clips."},
			map[string]any{"type": "input_audio", "input_audio": b64(WAV)},
			map[string]any{"type": "input_audio", "input_audio": b64(OGG)},
		)
	}
	return map[string]any{"role": "user", "content": content}
}

// MediaMessages is the messages array MediaRequest(m) must put on the wire.
func MediaMessages(t testing.TB, m Media) string {
	want, err := json.Marshal([]any{map[string]any{"role": "system", "content": "You are a librarian."}, wantMediaMessage(m)})
	require.NoError(t, err)
	return string(want)
}

// testMedia: every medium the service takes goes out as its wire type, as
// a call and as a stream; every one it does not is refused before any
// request.
func (s *Service) testMedia(t *testing.T) {
	want := MediaMessages(t, s.Media)
	t.Run("call", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
		req := MediaRequest(s.Media)
		before := *req.Messages[1].Parts[2].Media
		_, err := s.provider(srv).Call(context.Background(), req)
		require.NoError(t, err)
		seen := srv.Requests()
		require.Len(t, seen, 1)
		var body map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(seen[0].Body, &body))
		assert.JSONEq(t, want, string(body["messages"]))
		assert.Equal(t, before, *req.Messages[1].Parts[2].Media, "the request must not be modified")
	})
	t.Run("stream", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, SSE(s.Header, Fixture(t, s.Dir, "stream.sse"), false))
		for _, err := range s.provider(srv).(mirascope.Streamer).Stream(context.Background(), MediaRequest(s.Media)) {
			require.NoError(t, err)
		}
		seen := srv.Requests()
		require.Len(t, seen, 1)
		var body map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(seen[0].Body, &body))
		assert.JSONEq(t, want, string(body["messages"]))
	})

	t.Run("template", func(t *testing.T) {
		s.clearEnv(t)
		srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
		req, err := mirascope.NewRequest(coverTemplate{Cover: prompt.ImageData(PNG, "").WithDetail("low"), Back: "https://example.com/back.png", Genre: "fantasy"})
		require.NoError(t, err)
		_, err = s.provider(srv).Call(context.Background(), req)
		require.NoError(t, err)
		seen := srv.Requests()
		require.Len(t, seen, 1)
		var body map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(seen[0].Body, &body))
		front := map[string]any{"url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(PNG)}
		if s.Media.Detail {
			front["detail"] = "low"
		}
		want, err := json.Marshal([]any{map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "text", "text": "Describe this fantasy book cover:"},
			map[string]any{"type": "image_url", "image_url": front},
			map[string]any{"type": "text", "text": "and its back:"},
			map[string]any{"type": "image_url", "image_url": map[string]any{"url": "https://example.com/back.png"}},
		}}})
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(body["messages"]))
	})

	type refusal struct {
		name  string
		part  prompt.Part
		param string
	}
	refusals := []refusal{
		{"image by file id", prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, FileID: "file-abc123"}}, "image from a file id"},
		{"image on gs://", prompt.ImageURL("gs://bucket/cover.png"), "image from a gs:// URL"},
		{"image on s3://", prompt.ImageURL("s3://bucket/cover.png"), "image from an s3:// URL"},
		{"audio by URL", prompt.Part{Media: &prompt.Media{Kind: prompt.MediaAudio, URL: "https://example.com/clip.wav"}}, "audio from an http(s) URL"},
	}
	if !s.Media.Mistral {
		refusals = append(refusals, refusal{"document by URL", prompt.DocumentURL("https://example.com/paper.pdf"), "document from an http(s) URL"})
	} else {
		refusals = append(refusals, refusal{"document by file id", prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-abc123"}}, "document from a file id"})
	}
	if !s.Media.Documents {
		refusals = append(refusals, refusal{"PDF", prompt.DocumentData(PDF, ""), "document from bytes"})
	} else if s.Media.DocumentTypes != nil {
		refusals = append(refusals, refusal{"Word document", prompt.DocumentData([]byte("x"), "application/msword"), "document of type application/msword"})
	}
	switch {
	case s.Media.Mistral: // any type of audio
	case !s.Media.Audio:
		refusals = append(refusals, refusal{"WAV", prompt.AudioData(WAV, ""), "audio from bytes"})
	default:
		refusals = append(refusals, refusal{"Ogg", prompt.AudioData([]byte("x"), "audio/ogg"), "audio of type audio/ogg"})
	}
	if s.Media.ImageTypes != nil {
		for _, mt := range []string{"image/tiff", "image/webp", "image/gif"} {
			if !contains(s.Media.ImageTypes, mt) {
				refusals = append(refusals, refusal{mt, prompt.ImageData([]byte("x"), mt), "image of type " + mt})
			}
		}
	}
	for _, tc := range refusals {
		t.Run("refused "+tc.name, func(t *testing.T) {
			s.clearEnv(t)
			srv := s.server(t, JSON(200, s.Header, Fixture(t, s.Dir, "call.json")))
			p := s.provider(srv)
			req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Text("What is this?"), tc.part)}}
			_, err := p.Call(context.Background(), req)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, s.Name, ue.Provider)
			assert.Equal(t, tc.param, ue.Parameter)
			assert.Contains(t, ue.Reason, "Chat Completions takes ")
			for _, err := range p.(mirascope.Streamer).Stream(context.Background(), req) {
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, tc.param, ue.Parameter)
			}
			assert.Empty(t, srv.Requests(), "no request goes out")
		})
	}
}

// coverTemplate places an image given as a Part and one given as a URL
// string with the template's media specs.
type coverTemplate struct {
	Cover prompt.Part `prompt:"cover"`
	Back  string      `prompt:"back"`
	Genre string      `prompt:"genre"`
}

func (coverTemplate) Template() string {
	return "Describe this {genre} book cover: {cover:image} and its back: {back:image}"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
