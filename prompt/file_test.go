package prompt_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		return path
	}
	for _, tc := range []struct {
		name string
		data []byte
		kind prompt.MediaKind
		mime string
	}{
		{"cover.png", pngBytes, prompt.MediaImage, "image/png"},
		{"cover.bin", pngBytes, prompt.MediaImage, "image/png"}, // the content decides
		{"note.wav", wavBytes, prompt.MediaAudio, "audio/wav"},
		{"paper.pdf", pdfBytes, prompt.MediaDocument, "application/pdf"},
		{"notes.md", []byte("# Title\n\nSome words."), prompt.MediaDocument, "text/markdown"},
		{"table.CSV", []byte("a,b\n1,2\n"), prompt.MediaDocument, "text/csv"},
		{"plain", []byte("just words"), prompt.MediaDocument, "text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := prompt.File(write(tc.name, tc.data))
			require.NoError(t, err)
			assert.Equal(t, &prompt.Media{Kind: tc.kind, MIMEType: tc.mime, Data: tc.data}, p.Media)
			require.NoError(t, prompt.CheckMessages([]prompt.Message{prompt.UserParts(p)}))
		})
	}

	_, err := prompt.File(write("archive.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")))
	require.ErrorIs(t, err, prompt.ErrInvalidValue)
	assert.Contains(t, err.Error(), "archive.zip is application/zip, not an image, a sound or a document")

	_, err = prompt.File(write("empty.png", nil))
	require.ErrorIs(t, err, prompt.ErrInvalidValue)
	assert.Contains(t, err.Error(), "empty.png is empty")

	_, err = prompt.File(filepath.Join(dir, "missing.png"))
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestMediaHelpers(t *testing.T) {
	img := prompt.ImageURL("https://example.com/a.png")
	low := img.WithDetail("low")
	assert.Equal(t, "low", low.Media.Detail)
	assert.Empty(t, img.Media.Detail, "WithDetail leaves the original alone")
	assert.Equal(t, prompt.Text("x"), prompt.Text("x").WithDetail("high"))

	ref := prompt.FileRef(prompt.MediaDocument, "file-abc123", "application/pdf")
	assert.Equal(t, &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-abc123", MIMEType: "application/pdf"}, ref.Media)

	assert.Equal(t, &prompt.Media{Kind: prompt.MediaAudio, URL: "gs://b/a.mp3"}, prompt.AudioURL("gs://b/a.mp3").Media)
	// A data: URL's media type is its MIMEType.
	assert.Equal(t, "image/webp", prompt.ImageURL("data:image/webp;base64,UklGRg==").Media.MIMEType)
	assert.Equal(t, "application/pdf", prompt.DocumentURL("DATA:Application/PDF;name=a.pdf;base64,JVBERg==").Media.MIMEType)
}

func TestConcurrentMediaRender(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				r, err := prompt.Render(secretCover{Cover: prompt.ImageData(pngBytes, ""), Scans: [][]byte{pngBytes}, Note: "hush-hush"})
				if !assert.NoError(t, err) {
					return
				}
				assert.Len(t, r.Messages[1].Parts, 4, "goroutine %d", i)
				assert.Equal(t, prompt.RedactedText, r.MaskedMessages()[1].Parts[1].Text)
			}
		}()
	}
	wg.Wait()
}
