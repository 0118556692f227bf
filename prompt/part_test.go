package prompt_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

func TestSniffMIMEType(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{[]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg"},
		{[]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "application/pdf"},
		{[]byte("RIFF\x24\x00\x00\x00WAVEfmt "), "audio/wav"},
		{[]byte("plain words"), "text/plain"},
		{nil, "text/plain"},
	} {
		assert.Equal(t, tc.want, prompt.SniffMIMEType(tc.data), "%q", tc.data)
	}
}

func TestPartConstructors(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	m := prompt.UserParts(prompt.Text("what is this?"), prompt.ImageData(png, ""), prompt.DocumentURL("https://example.com/a.pdf"), prompt.AudioData([]byte("x"), "audio/mp3"))
	require.Len(t, m.Parts, 4)
	assert.Equal(t, prompt.RoleUser, m.Role)
	assert.Empty(t, m.Content)
	assert.Equal(t, "what is this?", m.Parts[0].Text)
	assert.Equal(t, &prompt.Media{Kind: prompt.MediaImage, MIMEType: "image/png", Data: png}, m.Parts[1].Media)
	assert.Equal(t, &prompt.Media{Kind: prompt.MediaDocument, URL: "https://example.com/a.pdf"}, m.Parts[2].Media)
	assert.Equal(t, "audio/mp3", m.Parts[3].Media.MIMEType)

	// A stored conversation keeps its media.
	b, err := json.Marshal(m)
	require.NoError(t, err)
	var back prompt.Message
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, m, back)
}
