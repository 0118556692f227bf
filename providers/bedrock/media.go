package bedrock

import (
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// The formats Converse names by enum, by the media types that mean them
// (the types lower.Bedrock lets through).
var (
	imageFormats = map[string]types.ImageFormat{
		"image/png": types.ImageFormatPng, "image/jpeg": types.ImageFormatJpeg, "image/jpg": types.ImageFormatJpeg,
		"image/gif": types.ImageFormatGif, "image/webp": types.ImageFormatWebp,
	}
	audioFormats = map[string]types.AudioFormat{
		"audio/mpeg": types.AudioFormatMp3, "audio/mp3": types.AudioFormatMp3,
		"audio/wav": types.AudioFormatWav, "audio/x-wav": types.AudioFormatWav, "audio/wave": types.AudioFormatWav, "audio/vnd.wave": types.AudioFormatWav,
		"audio/flac": types.AudioFormatFlac, "audio/x-flac": types.AudioFormatFlac,
		"audio/ogg": types.AudioFormatOgg, "audio/opus": types.AudioFormatOpus,
		"audio/aac": types.AudioFormatAac, "audio/x-aac": types.AudioFormatXAac,
		"audio/mp4": types.AudioFormatMp4, "audio/x-m4a": types.AudioFormatM4a, "audio/m4a": types.AudioFormatM4a,
		"audio/webm": types.AudioFormatWebm, "audio/x-matroska": types.AudioFormatMka,
		"audio/mpga": types.AudioFormatMpga, "audio/pcm": types.AudioFormatPcm,
	}
	documentFormats = map[string]types.DocumentFormat{
		"application/pdf": types.DocumentFormatPdf, "text/csv": types.DocumentFormatCsv,
		"application/msword": types.DocumentFormatDoc,
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document": types.DocumentFormatDocx,
		"application/vnd.ms-excel": types.DocumentFormatXls,
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": types.DocumentFormatXlsx,
		"text/html": types.DocumentFormatHtml, "text/plain": types.DocumentFormatTxt,
		"text/markdown": types.DocumentFormatMd,
	}
)

// cachePoint ends a cacheable prefix where a prompt.CacheBreakpoint stands.
var cachePoint = types.CachePointBlock{Type: types.CachePointTypeDefault}

// userContent maps a user turn's parts to content blocks, else its text, an
// empty text part left out (a message of nothing else is one empty text
// block, as an empty Content). A document is named
// "document-N", N counting the documents of the request from 1 in order:
// Converse requires a name, Media has none to give, and AWS advises a
// neutral one, as the model reads it. docs is that count so far.
func userContent(m prompt.Message, docs *int) ([]types.ContentBlock, error) {
	out := make([]types.ContentBlock, 0, len(m.Parts))
	for _, p := range m.Parts {
		if p.Media == nil && p.Text == "" {
			continue // Converse refuses a blank text block
		}
		b, err := block(p, docs)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
		if p.CacheBreakpoint {
			out = append(out, &types.ContentBlockMemberCachePoint{Value: cachePoint})
		}
	}
	if len(out) == 0 {
		out = append(out, &types.ContentBlockMemberText{Value: m.Content})
	}
	return out, nil
}

// block maps one part: text as text; an image, audio or document as its
// block, from the bytes or an s3:// URI, in the format its MIME type (else
// its URI's extension) names. Which kinds, sources and MIME types Converse
// takes lower.Prepare has checked (lower.Bedrock), a data: URL decoded and
// the type of bytes sniffed; what is left is an S3 object of no known type.
func block(p prompt.Part, docs *int) (types.ContentBlock, error) {
	m := p.Media
	if m == nil {
		return &types.ContentBlockMemberText{Value: p.Text}, nil
	}
	t := mediaType(m)
	var s3 *types.S3Location
	if m.URL != "" {
		if t == "" {
			return nil, &mirascope.UnsupportedError{Provider: name, Parameter: string(m.Kind) + " from an s3:// URL of no known type",
				Reason: "Converse needs its format, and its key's extension names none; set Media.MIMEType"}
		}
		s3 = &types.S3Location{Uri: aws.String(m.URL)}
	}
	switch m.Kind {
	case prompt.MediaImage:
		if f, ok := imageFormats[t]; ok {
			b := types.ImageBlock{Format: f, Source: &types.ImageSourceMemberBytes{Value: m.Data}}
			if s3 != nil {
				b.Source = &types.ImageSourceMemberS3Location{Value: *s3}
			}
			return &types.ContentBlockMemberImage{Value: b}, nil
		}
	case prompt.MediaAudio:
		if f, ok := audioFormats[t]; ok {
			b := types.AudioBlock{Format: f, Source: &types.AudioSourceMemberBytes{Value: m.Data}}
			if s3 != nil {
				b.Source = &types.AudioSourceMemberS3Location{Value: *s3}
			}
			return &types.ContentBlockMemberAudio{Value: b}, nil
		}
	case prompt.MediaDocument:
		if f, ok := documentFormats[t]; ok {
			*docs++
			b := types.DocumentBlock{Format: f, Name: aws.String("document-" + strconv.Itoa(*docs)), Source: &types.DocumentSourceMemberBytes{Value: m.Data}}
			if s3 != nil {
				b.Source = &types.DocumentSourceMemberS3Location{Value: *s3}
			}
			return &types.ContentBlockMemberDocument{Value: b}, nil
		}
	}
	return nil, fmt.Errorf("mirascope: %s: no Converse format for %s of type %q", name, m.Kind, t)
}

// mediaType is the media's MIME type without parameters, lower-cased; for
// an S3 object given none, the one its key's extension tells.
func mediaType(m *prompt.Media) string {
	t, _, _ := strings.Cut(m.MIMEType, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" && m.URL != "" {
		if u, err := url.Parse(m.URL); err == nil {
			t = extensionTypes[strings.ToLower(path.Ext(u.Path))]
		}
	}
	return t
}

// extensionTypes: the media type an S3 key's extension tells, for the
// formats above; a fixed table, so the answer does not depend on the
// machine's mime.types.
var extensionTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
	".mp3": "audio/mpeg", ".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg", ".opus": "audio/opus",
	".aac": "audio/aac", ".m4a": "audio/x-m4a", ".mka": "audio/x-matroska", ".pcm": "audio/pcm",
	".pdf": "application/pdf", ".csv": "text/csv", ".doc": "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".html": "text/html", ".txt": "text/plain", ".md": "text/markdown",
}
