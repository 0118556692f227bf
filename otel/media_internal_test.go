package otel

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/prompt"
)

func TestMediaSummary(t *testing.T) {
	tests := []struct {
		m    prompt.Media
		want string
	}{
		{prompt.Media{Kind: prompt.MediaImage, URL: "https://example.com/a.png"}, "https://example.com/a.png"},
		{prompt.Media{Kind: prompt.MediaImage, URL: "gs://bucket/a.png"}, "gs://bucket/a.png"},
		{prompt.Media{Kind: prompt.MediaDocument, FileID: "file-1"}, "file-1"},
		{prompt.Media{Kind: prompt.MediaImage, MIMEType: "image/png", Data: make([]byte, 2097152)}, "image/png, 2097152 bytes"},
		{prompt.Media{Kind: prompt.MediaAudio, Data: []byte("abc")}, "audio, 3 bytes"},
		{prompt.Media{Kind: prompt.MediaImage, URL: "data:image/png;base64,AAAA"}, "image/png, 3 bytes"},
		{prompt.Media{Kind: prompt.MediaImage, URL: "DATA:image/png;base64,AAA="}, "image/png, 2 bytes"},
		{prompt.Media{Kind: prompt.MediaImage, URL: "data:image/png;base64,AA=="}, "image/png, 1 bytes"},
		{prompt.Media{Kind: prompt.MediaImage, MIMEType: "image/webp", URL: "data:;base64,AAAA"}, "image/webp, 3 bytes"},
		{prompt.Media{Kind: prompt.MediaDocument, URL: "data:text/plain,hello"}, "text/plain, 5 bytes"},
		{prompt.Media{Kind: prompt.MediaDocument, URL: "data:,hello%20world"}, "document, 13 bytes"},
		{prompt.Media{Kind: prompt.MediaImage, URL: "https://x/\xff"}, "https://x/\uFFFD"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, mediaSummary(&tt.m), "%+v", tt.m)
	}
}

// TestAppendMedia: every source as its semconv part; a data: URL's
// payload as it is; JSON-unsafe text escaped.
func TestAppendMedia(t *testing.T) {
	tests := []struct {
		m    prompt.Media
		want string
	}{
		{prompt.Media{Kind: prompt.MediaImage, MIMEType: "image/png", Data: []byte{0, 1, 2, 250}},
			`{"type":"blob","modality":"image","mime_type":"image/png","content":"AAEC+g=="}`},
		{prompt.Media{Kind: prompt.MediaAudio, URL: "data:audio/mp3;base64,SUQz"},
			`{"type":"blob","modality":"audio","mime_type":"audio/mp3","content":"SUQz"}`},
		{prompt.Media{Kind: prompt.MediaImage, URL: `https://x/"a"`},
			`{"type":"uri","modality":"image","uri":"https://x/\"a\""}`},
		{prompt.Media{Kind: prompt.MediaDocument, MIMEType: "application/pdf", FileID: "file-9"},
			`{"type":"file","modality":"document","mime_type":"application/pdf","file_id":"file-9"}`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(appendMedia(nil, &tt.m)))
	}
}

func TestWithoutBytes(t *testing.T) {
	img := prompt.ImageData([]byte("abcd"), "image/png")
	url := prompt.ImageURL("https://example.com/a.png")
	in := map[string]any{"a": img, "b": []any{url, img}, "c": []any{url, 3}, "d": "text", "e": []any{1, 2}}
	got, ok := withoutBytes(in, 0)
	assert.True(t, ok)
	assert.Equal(t, map[string]any{"a": "image/png, 4 bytes", "b": []string{"https://example.com/a.png", "image/png, 4 bytes"},
		"c": []any{"https://example.com/a.png", 3}, "d": "text", "e": []any{1, 2}}, got)
	assert.Equal(t, img, in["a"], "the snapshot is not changed")

	plain := map[string]any{"x": []any{1, "y"}}
	got, ok = withoutBytes(plain, 0)
	assert.False(t, ok)
	assert.Equal(t, plain, got)
}
