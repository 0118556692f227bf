package lower_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// The sources of the table: h http(s) URL, d data: URL, b bytes, f file id,
// g gs:// URL, s s3:// URL.
var mediaSources = []struct {
	code, name string
	media      func(kind prompt.MediaKind, mt string) *prompt.Media
}{
	{"h", "an http(s) URL", func(k prompt.MediaKind, _ string) *prompt.Media {
		return &prompt.Media{Kind: k, URL: "https://example.com/x"}
	}},
	{"d", "a data: URL", func(k prompt.MediaKind, mt string) *prompt.Media {
		return &prompt.Media{Kind: k, URL: "data:" + mt + ";base64," + base64.StdEncoding.EncodeToString([]byte("xyz"))}
	}},
	{"b", "bytes", func(k prompt.MediaKind, mt string) *prompt.Media {
		return &prompt.Media{Kind: k, MIMEType: mt, Data: []byte("xyz")}
	}},
	{"f", "a file id", func(k prompt.MediaKind, _ string) *prompt.Media { return &prompt.Media{Kind: k, FileID: "file-1"} }},
	{"g", "a gs:// URL", func(k prompt.MediaKind, _ string) *prompt.Media {
		return &prompt.Media{Kind: k, URL: "gs://bucket/x"}
	}},
	{"s", "an s3:// URL", func(k prompt.MediaKind, _ string) *prompt.Media {
		return &prompt.Media{Kind: k, URL: "s3://bucket/x"}
	}},
}

// mediaFacts restates, from the SDKs and the services' documentation, which
// sources each service takes per kind ("-": the kind not at all), so the
// table test checks the Caps against facts written twice.
var mediaFacts = map[string][3]string{ // image, audio, document
	"openai":             {"hdb", "db", "dbf"},
	"azure.ai.openai":    {"hdb", "db", "dbf"},
	"azure.ai.inference": {"hdb", "db", "-"},
	"litellm":            {"hdb", "db", "dbf"},
	"x_ai":               {"hdb", "-", "-"},
	"groq":               {"hdb", "-", "-"},
	"groq gpt-oss":       {"hdb", "-", "-"},
	"mistral_ai":         {"hdb", "db", "h"},
	"anthropic":          {"hdbf", "-", "hdbf"},
	"gcp.gemini":         {"hdbf", "hdbf", "hdbf"},
	"gcp.gemini 2":       {"hdbf", "hdbf", "hdbf"},
	"gcp.vertex_ai":      {"hdbg", "hdbg", "hdbg"},
	"aws.bedrock":        {"dbs", "dbs", "dbs"},
	"cohere":             {"hdb", "-", "-"},
}

var kinds = []prompt.MediaKind{prompt.MediaImage, prompt.MediaAudio, prompt.MediaDocument}

// A MIME type every service takes for the kind.
var okMIME = map[prompt.MediaKind]string{
	prompt.MediaImage: "image/png", prompt.MediaAudio: "audio/wav", prompt.MediaDocument: "application/pdf",
}

func sortedCaps() []string {
	names := make([]string, 0, len(lower.All))
	for n := range lower.All {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Every Caps × kind × source: accepted and ready to map, or refused before
// any request with an UnsupportedError naming the medium, the source and
// the service.
func TestMediaOverEveryCaps(t *testing.T) {
	require.Len(t, mediaFacts, len(lower.All))
	for _, n := range sortedCaps() {
		c := lower.All[n]
		facts, ok := mediaFacts[n]
		require.True(t, ok, n)
		for ki, kind := range kinds {
			for _, src := range mediaSources {
				name := fmt.Sprintf("%s/%s/%s", n, kind, src.code)
				m := src.media(kind, okMIME[kind])
				req := mirascope.Request{Messages: []prompt.Message{prompt.UserParts(prompt.Text("what is this?"), prompt.Part{Media: m})}}
				plan, err := lower.Prepare(&req, c)
				if !strings.Contains(facts[ki], src.code) {
					var ue *mirascope.UnsupportedError
					if assert.ErrorAs(t, err, &ue, name) {
						assert.Equal(t, c.Name, ue.Provider, name)
						assert.Equal(t, string(kind)+" from "+src.name, ue.Parameter, name)
						if facts[ki] == "-" {
							assert.Equal(t, c.API+" takes no "+string(kind), ue.Reason, name)
						} else {
							assert.Contains(t, ue.Reason, c.API+" takes ", name)
						}
						assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter, name)
					}
					continue
				}
				if !assert.NoError(t, err, name) {
					continue
				}
				got := plan.Turns[0].Message.Parts[1].Media
				switch src.code {
				case "d", "b":
					assert.Equal(t, []byte("xyz"), got.Data, name)
					assert.Empty(t, got.URL, name)
					assert.Equal(t, okMIME[kind], got.MIMEType, name)
				default:
					assert.Equal(t, m, got, name)
				}
				assert.Equal(t, "what is this?", plan.Turns[0].Message.Parts[0].Text, name)
			}
		}
	}
}

// Refusals say how, in the words of the service they come from.
func TestMediaRefusalWording(t *testing.T) {
	user := func(parts ...prompt.Part) mirascope.Request {
		return mirascope.Request{Messages: []prompt.Message{prompt.UserParts(parts...)}}
	}
	for _, tc := range []struct {
		caps lower.Caps
		req  mirascope.Request
		want string
	}{
		{lower.Bedrock, user(prompt.ImageURL("https://example.com/a.png")),
			"mirascope: aws.bedrock: image from an http(s) URL is not supported: Converse takes an image as bytes (or a data: URL) or an s3:// URL; the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		{lower.Anthropic, user(prompt.AudioData([]byte("RIFF"), "audio/wav")),
			"mirascope: anthropic: audio from bytes is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) takes no audio"},
		{lower.XAI, user(prompt.DocumentData([]byte("%PDF-1.7"), "")),
			"mirascope: x_ai: document from bytes is not supported: Chat Completions takes no document"},
		{lower.XAI, user(prompt.ImageData([]byte("x"), "image/webp")),
			"mirascope: x_ai: image of type image/webp is not supported: Chat Completions takes images of type image/jpeg, image/png"},
		{lower.OpenAI, user(prompt.DocumentURL("https://example.com/a.pdf")),
			"mirascope: openai: document from an http(s) URL is not supported: Chat Completions takes a document as bytes (or a data: URL) or a file id; the provider fetches nothing: read it yourself and pass the bytes with prompt.DocumentData"},
		{lower.OpenAI, user(prompt.AudioData([]byte("x"), "audio/ogg")),
			"mirascope: openai: audio of type audio/ogg is not supported: Chat Completions takes audio of type audio/wav, audio/x-wav, audio/wave, audio/vnd.wave, audio/mpeg, audio/mp3"},
		{lower.OpenAI, user(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "https://example.com/a.png", Detail: "huge"}}),
			`mirascope: openai: image detail "huge" is not supported: Chat Completions takes detail auto, low, high, original`},
		{lower.Gemini, user(prompt.ImageURL("s3://bucket/a.png")),
			"mirascope: gcp.gemini: image from an s3:// URL is not supported: the Gemini API takes an image as an http(s) URL or bytes (or a data: URL) or a file id; the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		{lower.Cohere, user(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, FileID: "file-1"}}),
			"mirascope: cohere: image from a file id is not supported: Chat v2 takes an image as an http(s) URL or bytes (or a data: URL); pass the bytes with prompt.ImageData"},
		{lower.Bedrock, user(prompt.ImageURL("gs://bucket/a.png")),
			"mirascope: aws.bedrock: image from a gs:// URL is not supported: Converse takes an image as bytes (or a data: URL) or an s3:// URL; the provider fetches nothing: read it yourself and pass the bytes with prompt.ImageData"},
		// Malformed parts.
		{lower.OpenAI, user(prompt.ImageURL("ftp://example.com/a.png")),
			`mirascope: openai: image part is not supported: message 0: its URL's scheme is "ftp"; a media URL is http(s), gs://, s3:// or data:`},
		{lower.OpenAI, user(prompt.ImageURL("a.png")),
			"mirascope: openai: image part is not supported: message 0: its URL has no scheme; a media URL is http(s), gs://, s3:// or data:"},
		{lower.OpenAI, user(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "https://example.com/a.png", Data: []byte("x")}}),
			"mirascope: openai: image part is not supported: message 0: it has 2 sources; a media part has exactly one of URL, Data and FileID"},
		{lower.OpenAI, user(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage}}),
			"mirascope: openai: image part is not supported: message 0: it has 0 sources; a media part has exactly one of URL, Data and FileID"},
		{lower.OpenAI, user(prompt.Part{Media: &prompt.Media{Kind: "video", URL: "https://example.com/a.mp4"}}),
			`mirascope: openai: media kind "video" is not supported: message 0 has it; a medium is image, audio or document`},
		{lower.OpenAI, user(prompt.Part{Text: "x", Media: &prompt.Media{Kind: prompt.MediaImage, URL: "https://example.com/a.png"}}),
			"mirascope: openai: prompt.Part is not supported: part 0 of message 0 has both Text and Media; a part is one or the other"},
		{lower.OpenAI, user(prompt.ImageURL("data:image/png;base64,%%%")),
			"mirascope: openai: image from a data: URL is not supported: message 0: the data: URL's base64 data: illegal base64 data at input byte 0"},
		{lower.OpenAI, user(prompt.ImageURL("data:image/png;base64")),
			"mirascope: openai: image from a data: URL is not supported: message 0: the data: URL has no comma before its data"},
		{lower.OpenAI, mirascope.Request{Messages: []prompt.Message{{Role: prompt.RoleUser, Content: "x", Parts: []prompt.Part{prompt.Text("y")}}}},
			"mirascope: openai: prompt.Message.Parts is not supported: message 0 has both Content and Parts; a message's content is one or the other"},
		{lower.Anthropic, mirascope.Request{Messages: []prompt.Message{{Role: prompt.RoleAssistant, Parts: []prompt.Part{prompt.ImageURL("https://example.com/a.png")}}}},
			"mirascope: anthropic: image in an assistant message is not supported: message 0 has it; media goes in user messages"},
	} {
		_, err := lower.Prepare(&tc.req, tc.caps)
		assert.EqualError(t, err, tc.want)
		assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
	}
}

// Parts are prepared without writing the caller's message: a data: URL is
// decoded into a copy, bytes without a type are sniffed, and text-only
// parts of other roles become their Content.
func TestPartsPrepared(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 32)...)
	dataURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	parts := []prompt.Part{
		prompt.Text("look: "),
		prompt.ImageURL(dataURL),
		{Media: &prompt.Media{Kind: prompt.MediaImage, Data: png}},
		prompt.ImageURL("https://example.com/a.png"),
	}
	orig := []prompt.Part{parts[0], parts[1], parts[2], parts[3]}
	origMedia := []prompt.Media{*parts[1].Media, *parts[2].Media}
	msgs := []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("be "), prompt.Text("brief")}},
		{Role: prompt.RoleUser, Parts: parts},
	}
	plan, err := lower.Prepare(&mirascope.Request{Messages: msgs}, lower.Anthropic)
	require.NoError(t, err)
	assert.Equal(t, []string{"be brief"}, plan.System)
	got := plan.Turns[0].Message.Parts
	require.Len(t, got, 4)
	assert.Equal(t, "look: ", got[0].Text)
	assert.Equal(t, prompt.Media{Kind: prompt.MediaImage, MIMEType: "image/png", Data: png}, *got[1].Media)
	assert.Equal(t, prompt.Media{Kind: prompt.MediaImage, MIMEType: "image/png", Data: png}, *got[2].Media)
	assert.Same(t, parts[3].Media, got[3].Media, "an unchanged part is not copied")
	assert.Equal(t, orig, parts, "the caller's parts are not written")
	assert.Equal(t, origMedia, []prompt.Media{*parts[1].Media, *parts[2].Media})

	// Percent-encoded data: URLs, and image/jpg taken as image/jpeg.
	plan, err = lower.Prepare(&mirascope.Request{Messages: []prompt.Message{prompt.UserParts(
		prompt.DocumentURL("data:text/plain,hello%20there"),
		prompt.ImageData([]byte("x"), "image/jpg"),
	)}}, lower.Anthropic)
	require.NoError(t, err)
	assert.Equal(t, "hello there", string(plan.Turns[0].Message.Parts[0].Media.Data))
	assert.Equal(t, "text/plain", plan.Turns[0].Message.Parts[0].Media.MIMEType)
	assert.Equal(t, "image/jpeg", plan.Turns[0].Message.Parts[1].Media.MIMEType)

	// The detail hint goes only where the wire carries it.
	hinted := prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "https://example.com/a.png", Detail: "low"}}
	for caps, want := range map[*lower.Caps]string{&lower.OpenAI: "low", &lower.Cohere: "low", &lower.Groq: "", &lower.Anthropic: ""} {
		plan, err = lower.Prepare(&mirascope.Request{Messages: []prompt.Message{prompt.UserParts(hinted)}}, *caps)
		require.NoError(t, err)
		assert.Equal(t, want, plan.Turns[0].Message.Parts[0].Media.Detail, caps.Name)
	}
	assert.Equal(t, "low", hinted.Media.Detail)

	// Tool results' text parts become their content.
	plan, err = lower.Prepare(&mirascope.Request{Messages: []prompt.Message{
		{Role: prompt.RoleTool, ToolCallID: "1", Parts: []prompt.Part{prompt.Text("4"), prompt.Text("2")}},
	}}, lower.OpenAI)
	require.NoError(t, err)
	assert.Equal(t, "42", plan.Turns[0].Results[0].Content)
}

func TestDataURL(t *testing.T) {
	m := &prompt.Media{MIMEType: "image/png", Data: []byte("\x00\x01hello")}
	assert.Equal(t, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(m.Data), lower.DataURL(m))
	assert.Equal(t, "data:;base64,", lower.DataURL(&prompt.Media{}))
}

func BenchmarkDataURL(b *testing.B) {
	m := &prompt.Media{MIMEType: "image/png", Data: bytes.Repeat([]byte{7}, 1<<20)}
	b.SetBytes(int64(len(m.Data)))
	b.ReportAllocs()
	for b.Loop() {
		_ = lower.DataURL(m)
	}
}

// WebM and Matroska headers: a browser's MediaRecorder writes audio/webm,
// and sniffing names both containers as video.
var (
	webmHeader     = []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02")
	matroskaHeader = []byte("\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02")
)

// An audio part in a container sniffing names as video is audio of that
// container, on every service: never sent as a video, never refused as one.
func TestAudioContainerIsAudio(t *testing.T) {
	require.Equal(t, "video/webm", prompt.SniffMIMEType(webmHeader), "the sniffer names WebM as video")
	tests := []struct {
		part prompt.Part
		want string
	}{
		{prompt.AudioData(webmHeader, ""), "audio/webm"},
		{prompt.Part{Media: &prompt.Media{Kind: prompt.MediaAudio, Data: webmHeader}}, "audio/webm"},
		{prompt.AudioData(webmHeader, "audio/webm"), "audio/webm"},
		{prompt.AudioData(webmHeader, "video/webm;codecs=opus"), "audio/webm"},
		{prompt.AudioData(matroskaHeader, ""), "audio/x-matroska"},
		{prompt.AudioURL("data:video/webm;base64," + base64.StdEncoding.EncodeToString(webmHeader)), "audio/webm"},
	}
	for _, caps := range []lower.Caps{lower.Bedrock, lower.Gemini} {
		for _, tt := range tests {
			plan, err := lower.Prepare(&mirascope.Request{Messages: []prompt.Message{prompt.UserParts(tt.part)}}, caps)
			require.NoError(t, err, caps.Name)
			assert.Equal(t, tt.want, plan.Turns[0].Message.Parts[0].Media.MIMEType, caps.Name)
		}
	}
	// Only an audio part is taken as audio.
	plan, err := lower.Prepare(&mirascope.Request{Messages: []prompt.Message{prompt.UserParts(
		prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, Data: webmHeader}})}}, lower.Gemini)
	require.NoError(t, err)
	assert.Equal(t, "video/webm", plan.Turns[0].Message.Parts[0].Media.MIMEType)
}
