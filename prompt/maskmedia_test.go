package prompt_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/prompt"
)

// TestMaskMedia: a redacted field's media is replaced wherever a part
// holds it (the same Media, the same bytes, URL or file id), and the
// messages are copied, never changed in place.
func TestMaskMedia(t *testing.T) {
	data := []byte("secret image bytes")
	secret := prompt.ImageData(data, "image/png")
	url := prompt.ImageURL("https://example.com/private.png")
	file := prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-secret"}}
	r := &prompt.Rendered{Fields: []prompt.Field{
		{Name: "a", Value: secret, Redacted: true},
		{Name: "b", Value: []prompt.Part{url, file}, Redacted: true},
		{Name: "c", Value: prompt.ImageURL("https://example.com/public.png")},
		{Name: "d", Value: prompt.Media{Kind: prompt.MediaAudio, URL: "https://example.com/secret.wav"}, Redacted: true},
	}}
	public := prompt.ImageURL("https://example.com/public.png")
	copyOfBytes := prompt.ImageData(data, "image/png") // another Media, the same memory
	msgs := []prompt.Message{
		prompt.User("plain"),
		prompt.UserParts(prompt.Text("look"), secret, public, copyOfBytes, prompt.ImageURL("https://example.com/private.png"), file, prompt.Part{Media: &prompt.Media{Kind: prompt.MediaAudio, URL: "https://example.com/secret.wav"}}),
	}
	got := r.MaskMedia(msgs)
	red := prompt.Text(prompt.RedactedText)
	assert.Equal(t, []prompt.Part{prompt.Text("look"), red, public, red, red, red, red}, got[1].Parts)
	assert.Equal(t, secret, msgs[1].Parts[1], "the caller's messages are untouched")

	clean := []prompt.Message{prompt.UserParts(public)}
	assert.Same(t, &clean[0], &r.MaskMedia(clean)[0], "nothing to mask: no copy")
}
