package cohere_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

func answering(t *testing.T) *replaytest.Server {
	return replaytest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") == "text/event-stream" {
			respHeaders(w, "text/event-stream")
			_, _ = w.Write(fixture(t, "stream.sse"))
			return
		}
		respHeaders(w, "application/json")
		_, _ = w.Write(fixture(t, "call.json"))
	})
}

// Text and images, by URL (with the detail hint) and as bytes, go out as
// Chat v2 content blocks, as a call and as a stream.
func TestMediaParts(t *testing.T) {
	t.Setenv("CO_API_KEY", "")
	hinted := prompt.ImageURL("https://example.com/cover.png")
	hinted.Media.Detail = "low"
	req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(
		prompt.Text("Compare these covers."), hinted, prompt.ImageData(oaitest.PNG, ""),
		prompt.ImageURL("data:image/jpeg;base64,/9j/4AAQ"), prompt.Text("Be brief."),
	)}}
	want := `[{"role":"user","content":[
		{"type":"text","text":"Compare these covers."},
		{"type":"image_url","image_url":{"url":"https://example.com/cover.png","detail":"low"}},
		{"type":"image_url","image_url":{"url":"data:image/png;base64,` + base64.StdEncoding.EncodeToString(oaitest.PNG) + `"}},
		{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
		{"type":"text","text":"Be brief."}]}]`
	s := answering(t)
	p := newProvider(s)
	_, err := p.Call(context.Background(), req)
	require.NoError(t, err)
	for _, err := range p.Stream(context.Background(), req) {
		require.NoError(t, err)
	}
	reqs := s.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		var body map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(r.Body, &body))
		assert.JSONEq(t, want, string(body["messages"]))
	}
	assert.Equal(t, "https://example.com/cover.png", req.Messages[0].Parts[1].Media.URL, "the request is not modified")
}

// What Chat v2 does not take is refused before any request.
func TestMediaRefused(t *testing.T) {
	t.Setenv("CO_API_KEY", "")
	for _, tc := range []struct {
		part         prompt.Part
		param, cause string
	}{
		{prompt.DocumentData(oaitest.PDF, ""), "document from bytes", "Chat v2 takes no document"},
		{prompt.DocumentURL("https://example.com/paper.pdf"), "document from an http(s) URL", "Chat v2 takes no document"},
		{prompt.AudioData(oaitest.WAV, ""), "audio from bytes", "Chat v2 takes no audio"},
		{prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, FileID: "file-1"}}, "image from a file id",
			"Chat v2 takes an image as an http(s) URL or bytes (or a data: URL); pass the bytes with prompt.ImageData"},
		{prompt.ImageURL("gs://bucket/a.png"), "image from a gs:// URL",
			"Chat v2 takes an image as an http(s) URL or bytes (or a data: URL); the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		{prompt.ImageURL("s3://bucket/a.png"), "image from an s3:// URL",
			"Chat v2 takes an image as an http(s) URL or bytes (or a data: URL); the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		{prompt.ImageData([]byte("x"), "image/tiff"), "image of type image/tiff",
			"Chat v2 takes images of type image/jpeg, image/png, image/gif, image/webp"},
		{prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "https://example.com/a.png", Detail: "original"}}, `image detail "original"`,
			"Chat v2 takes detail auto, low, high"},
	} {
		t.Run(tc.param, func(t *testing.T) {
			s := answering(t)
			p := newProvider(s)
			req := &mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Text("What is this?"), tc.part)}}
			want := &mirascope.UnsupportedError{Provider: "cohere", Parameter: tc.param, Reason: tc.cause}
			_, err := p.Call(context.Background(), req)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, want, ue)
			for _, err := range p.Stream(context.Background(), req) {
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, want, ue)
			}
			assert.Empty(t, s.Requests(), "no request goes out")
		})
	}
}

type coverTemplate struct {
	Cover prompt.Part `prompt:"cover"`
	Back  string      `prompt:"back"`
	Genre string      `prompt:"genre"`
}

func (coverTemplate) Template() string {
	return "Describe this {genre} book cover: {cover:image} and its back: {back:image}"
}

// A template's media specs put the images where they stand.
func TestMediaTemplate(t *testing.T) {
	t.Setenv("CO_API_KEY", "")
	s := answering(t)
	req, err := mirascope.NewRequest(coverTemplate{Cover: prompt.ImageData(oaitest.PNG, "").WithDetail("high"), Back: "https://example.com/back.png", Genre: "fantasy"})
	require.NoError(t, err)
	_, err = newProvider(s).Call(context.Background(), req)
	require.NoError(t, err)
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(s.Requests()[0].Body, &body))
	assert.JSONEq(t, `[{"role":"user","content":[
		{"type":"text","text":"Describe this fantasy book cover:"},
		{"type":"image_url","image_url":{"url":"data:image/png;base64,`+base64.StdEncoding.EncodeToString(oaitest.PNG)+`","detail":"high"}},
		{"type":"text","text":"and its back:"},
		{"type":"image_url","image_url":{"url":"https://example.com/back.png"}}]}]`, string(body["messages"]))
}
