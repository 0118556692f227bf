package bedrock_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

// A one-pixel PNG's first bytes, a tiny PDF and an empty WAV: enough for
// the MIME type to be sniffed, and distinct on the wire.
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

// describeCover is a template placing an image where it stands.
type describeCover struct {
	Cover []byte `prompt:"cover" validate:"required"`
	Genre string `prompt:"genre"`
}

func (describeCover) Template() string { return "Describe this {genre} book cover: {cover:image}" }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func media(m prompt.Media) prompt.Part { return prompt.Part{Media: &m} }

func mediaServer(t *testing.T) *replaytest.Server {
	return replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, fixture(t, "converse_media.json")) })
}

func TestMediaMessages(t *testing.T) {
	s := mediaServer(t)
	resp, err := mirascope.Call(context.Background(), newProvider(t, s), coverReview{Cover: cover, Paper: paper})
	require.NoError(t, err)

	got := s.Requests()
	require.Len(t, got, 1)
	assert.Equal(t, map[string]any{
		"messages": []any{
			map[string]any{"role": "user", "content": []any{
				map[string]any{"text": "Does this cover"},
				map[string]any{"image": map[string]any{"format": "png", "source": map[string]any{"bytes": b64(cover)}}},
				map[string]any{"text": "suit this paper?"},
				map[string]any{"document": map[string]any{"format": "pdf", "name": "document-1", "source": map[string]any{"bytes": b64(paper)}}},
			}},
		},
		"system": []any{map[string]any{"text": "You are a librarian."}},
	}, got[0].JSON)
	assert.Equal(t, "The cover is a plain red square; the paper is a one-page PDF about bookbinding. The cover suits it.", resp.Content)
}

func TestMediaTemplate(t *testing.T) {
	s := mediaServer(t)
	_, err := mirascope.Call(context.Background(), newProvider(t, s), describeCover{Cover: cover, Genre: "fantasy"})
	require.NoError(t, err)

	assert.Equal(t, map[string]any{
		"messages": []any{
			map[string]any{"role": "user", "content": []any{
				map[string]any{"text": "Describe this fantasy book cover:"},
				map[string]any{"image": map[string]any{"format": "png", "source": map[string]any{"bytes": b64(cover)}}},
			}},
		},
	}, s.Requests()[0].JSON)
}

// ConverseStream sends the parts as Converse does.
func TestMediaStream(t *testing.T) {
	body := eventStream(t, "stream.jsonl")
	s := replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		streamHeaders(w)
		_, _ = w.Write(body)
	})
	st, err := mirascope.Stream(context.Background(), newProvider(t, s), describeCover{Cover: cover, Genre: "fantasy"})
	require.NoError(t, err)
	for _, err := range st.Chunks() {
		require.NoError(t, err)
	}
	r := s.Requests()[0]
	assert.Equal(t, "/model/"+escaped+"/converse-stream", r.EscapedPath)
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{
			map[string]any{"text": "Describe this fantasy book cover:"},
			map[string]any{"image": map[string]any{"format": "png", "source": map[string]any{"bytes": b64(cover)}}},
		}},
	}, r.JSON["messages"])
}

// Converse takes every medium as bytes or by an s3:// URI; the format is
// the MIME type's, else the object key's extension's; documents are named
// document-1, document-2, … in the request's order.
func TestMediaSources(t *testing.T) {
	s := mediaServer(t)
	_, err := newProvider(t, s).Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{
		prompt.UserParts(
			prompt.Text(""), // left out: the API refuses empty text
			prompt.ImageURL("s3://books/covers/red.JPG"),
			media(prompt.Media{Kind: prompt.MediaImage, URL: "s3://books/covers/red", MIMEType: "image/webp"}),
			prompt.AudioData(clip, ""),
			media(prompt.Media{Kind: prompt.MediaAudio, URL: "s3://books/readings/ch1.mp3"}),
			prompt.DocumentURL("s3://books/papers/binding.pdf"),
			prompt.ImageURL("data:image/png;base64,"+b64(cover)),
		),
		prompt.Assistant("Noted."),
		prompt.UserParts(prompt.Text("And these notes?"), prompt.DocumentData([]byte("# Notes\n"), "text/markdown"),
			prompt.DocumentData([]byte("title,year\nDune,1965\n"), "text/csv")),
	}})
	require.NoError(t, err)

	s3 := func(uri string) map[string]any { return map[string]any{"s3Location": map[string]any{"uri": uri}} }
	assert.Equal(t, []any{
		map[string]any{"role": "user", "content": []any{
			map[string]any{"image": map[string]any{"format": "jpeg", "source": s3("s3://books/covers/red.JPG")}},
			map[string]any{"image": map[string]any{"format": "webp", "source": s3("s3://books/covers/red")}},
			map[string]any{"audio": map[string]any{"format": "wav", "source": map[string]any{"bytes": b64(clip)}}},
			map[string]any{"audio": map[string]any{"format": "mp3", "source": s3("s3://books/readings/ch1.mp3")}},
			map[string]any{"document": map[string]any{"format": "pdf", "name": "document-1", "source": s3("s3://books/papers/binding.pdf")}},
			map[string]any{"image": map[string]any{"format": "png", "source": map[string]any{"bytes": b64(cover)}}},
		}},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"text": "Noted."}}},
		map[string]any{"role": "user", "content": []any{
			map[string]any{"text": "And these notes?"},
			map[string]any{"document": map[string]any{"format": "md", "name": "document-2", "source": map[string]any{"bytes": b64([]byte("# Notes\n"))}}},
			map[string]any{"document": map[string]any{"format": "csv", "name": "document-3", "source": map[string]any{"bytes": b64([]byte("title,year\nDune,1965\n"))}}},
		}},
	}, s.Requests()[0].JSON["messages"])
}

// What Converse does not take is refused before any request, on Call and
// on Stream, saying what to do instead.
func TestMediaRefused(t *testing.T) {
	tests := []struct {
		name  string
		part  prompt.Part
		param string
		msg   string
	}{
		{"image from http", prompt.ImageURL("https://example.com/cover.png"), "image from an http(s) URL",
			"mirascope: aws.bedrock: image from an http(s) URL is not supported: Converse takes an image as bytes (or a data: URL) or an s3:// URL; the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		{"document from http", prompt.DocumentURL("https://example.com/paper.pdf"), "document from an http(s) URL", ""},
		{"image from gs", prompt.ImageURL("gs://books/cover.png"), "image from a gs:// URL", ""},
		{"file id", media(prompt.Media{Kind: prompt.MediaDocument, FileID: "file-123"}), "document from a file id", ""},
		{"bmp image", prompt.ImageData([]byte("BM\x1e\x00\x00\x00\x00\x00\x00\x00\x1a\x00\x00\x00"), "image/bmp"), "image of type image/bmp", ""},
		{"S3 object of no known type", prompt.ImageURL("s3://books/covers/red"), "image from an s3:// URL of no known type",
			"mirascope: aws.bedrock: image from an s3:// URL of no known type is not supported: Converse needs its format, and its key's extension names none; set Media.MIMEType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mediaServer(t)
			p := newProvider(t, s)
			msgs := []prompt.Message{prompt.UserParts(prompt.Text("Look:"), tt.part)}

			_, err := p.Call(context.Background(), &mirascope.Request{Messages: msgs})
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, "aws.bedrock", ue.Provider)
			assert.Equal(t, tt.param, ue.Parameter)
			if tt.msg != "" {
				assert.EqualError(t, err, tt.msg)
			}

			st, err := mirascope.Stream(context.Background(), p, conversation{msgs})
			require.NoError(t, err)
			for _, err := range st.Chunks() {
				require.ErrorAs(t, err, &ue)
			}
			assert.Empty(t, s.Requests(), "no request may be sent")
		})
	}
}

// Audio recorded as WebM (a browser's MediaRecorder), its type sniffed or
// declared, goes out as an audio block of format webm: sniffing names the
// container video/webm, which Converse would take for no audio format.
func TestMediaWebMAudio(t *testing.T) {
	webm := []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02")
	mka := []byte("\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02")
	s := mediaServer(t)
	_, err := newProvider(t, s).Call(context.Background(), &mirascope.Request{Messages: []prompt.Message{
		prompt.UserParts(prompt.Text("Transcribe these."), prompt.AudioData(webm, ""), prompt.AudioData(webm, "audio/webm"),
			media(prompt.Media{Kind: prompt.MediaAudio, Data: mka})),
	}})
	require.NoError(t, err)
	audio := func(format string, b []byte) map[string]any {
		return map[string]any{"audio": map[string]any{"format": format, "source": map[string]any{"bytes": b64(b)}}}
	}
	assert.Equal(t, []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"text": "Transcribe these."}, audio("webm", webm), audio("webm", webm), audio("mka", mka),
	}}}, s.Requests()[0].JSON["messages"])
}
