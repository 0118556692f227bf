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

// A cache breakpoint is a valid part after content in a user or system
// message; elsewhere it marks nothing, and the message is refused.
func TestCheckMessagesCacheBreakpoint(t *testing.T) {
	bp := prompt.CacheBreakpoint()
	assert.Equal(t, prompt.Part{CacheBreakpoint: true}, bp)
	require.NoError(t, prompt.CheckMessages([]prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("long rules"), bp}},
		prompt.UserParts(prompt.Text("big doc"), bp, prompt.Text("question"), bp),
	}))
	for name, tc := range map[string]struct {
		m    prompt.Message
		want string
	}{
		"first":     {prompt.UserParts(bp, prompt.Text("q")), "prompt: messages[0].Parts[0]: a cache breakpoint first in a message marks nothing in it: put it at the end of the message before"},
		"assistant": {prompt.Message{Role: prompt.RoleAssistant, Parts: []prompt.Part{prompt.Text("a"), bp}}, "prompt: messages[0].Parts[1]: a cache breakpoint in an assistant message: put it in a user or system message"},
	} {
		t.Run(name, func(t *testing.T) {
			err := prompt.CheckMessages([]prompt.Message{tc.m})
			require.ErrorIs(t, err, prompt.ErrInvalidMessage)
			assert.EqualError(t, err, tc.want)
		})
	}
}
