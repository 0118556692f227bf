package oaicompat

import (
	"encoding/base64"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/param"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// contentParts maps a user message's parts, checked by lower.Prepare
// against the service's Caps, to Chat Completions content parts: text;
// image_url (an http(s) URL as is, bytes as a base64 data URL, with the
// detail hint where the Caps say the wire carries one); input_audio
// (base64, the format from the MIME type); file (bytes as a base64 data URL
// in file_data, or file_id). With mistral, Mistral's chunks instead where
// they differ: input_audio the base64 string itself, a document's URL as
// document_url.
func contentParts(parts []prompt.Part, mistral bool) []openai.ChatCompletionContentPartUnionParam {
	out := make([]openai.ChatCompletionContentPartUnionParam, 0, len(parts))
	for _, p := range parts {
		m := p.Media
		if m == nil {
			out = append(out, openai.TextContentPart(p.Text))
			continue
		}
		switch m.Kind {
		case prompt.MediaImage:
			u := openai.ChatCompletionContentPartImageImageURLParam{URL: m.URL, Detail: m.Detail}
			if m.Data != nil {
				u.URL = lower.DataURL(m)
			}
			out = append(out, openai.ImageContentPart(u))
		case prompt.MediaAudio:
			if mistral {
				out = append(out, param.Override[openai.ChatCompletionContentPartUnionParam](mistralAudio{
					Type: "input_audio", InputAudio: base64.StdEncoding.EncodeToString(m.Data)}))
				continue
			}
			out = append(out, openai.InputAudioContentPart(openai.ChatCompletionContentPartInputAudioInputAudioParam{
				Data: base64.StdEncoding.EncodeToString(m.Data), Format: audioFormat(m.MIMEType),
			}))
		case prompt.MediaDocument:
			if mistral {
				out = append(out, param.Override[openai.ChatCompletionContentPartUnionParam](mistralDocument{
					Type: "document_url", DocumentURL: m.URL}))
				continue
			}
			var f openai.ChatCompletionContentPartFileFileParam
			if m.FileID != "" {
				f.FileID = openai.String(m.FileID)
			} else {
				f.FileData, f.Filename = openai.String(lower.DataURL(m)), openai.String(filename(m.MIMEType))
			}
			out = append(out, openai.FileContentPart(f))
		}
	}
	return out
}

// Mistral's audio and document chunks (lower.Mistral lets through audio as
// bytes and documents by http(s) URL only).
type (
	mistralAudio struct {
		Type       string `json:"type"`
		InputAudio string `json:"input_audio"`
	}
	mistralDocument struct {
		Type        string `json:"type"`
		DocumentURL string `json:"document_url"`
	}
)

// audioFormat is input_audio's format for a MIME type lower.Prepare let
// through: mp3 for MPEG audio, wav otherwise.
func audioFormat(mimeType string) string {
	switch mimeType {
	case "audio/mpeg", "audio/mp3":
		return "mp3"
	}
	return "wav"
}

// filename is the name a document sent as bytes goes out under, which the
// wire asks for and a Media does not have: "document.pdf" for a PDF,
// "document" otherwise.
func filename(mimeType string) string {
	if mimeType == "application/pdf" {
		return "document.pdf"
	}
	return "document"
}
