package anthropic

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// userContent is a user message's blocks: its parts in order, else its
// text. An empty text part is left out (the API refuses empty text blocks);
// a message of nothing else is one empty text block, as an empty Content.
func userContent(m prompt.Message, cc sdk.CacheControlEphemeralParam) ([]sdk.ContentBlockParamUnion, error) {
	blocks := make([]sdk.ContentBlockParamUnion, 0, len(m.Parts))
	for _, p := range m.Parts {
		if p.Media == nil && p.Text == "" {
			continue
		}
		b, err := block(p)
		if err != nil {
			return nil, err
		}
		if p.CacheBreakpoint {
			if dst := b.GetCacheControl(); dst != nil {
				*dst = cc
			}
		}
		blocks = append(blocks, b)
	}
	if len(blocks) == 0 {
		blocks = append(blocks, sdk.NewTextBlock(m.Content))
	}
	return blocks, nil
}

// block maps one part: text to a text block; an image to an image block
// from base64, a URL or a file id; a document to a document block, a PDF
// from base64, a URL or a file id, text as a plain-text source. Which
// kinds, sources and media types the API takes lower.Prepare has checked
// (lower.Anthropic), a data: URL decoded and a missing MIME type sniffed;
// what is left is what only this wire knows: a document by URL is a PDF,
// and plain text is UTF-8.
func block(p prompt.Part) (sdk.ContentBlockParamUnion, error) {
	m := p.Media
	if m == nil {
		return sdk.NewTextBlock(p.Text), nil
	}
	t := mediaType(m.MIMEType)
	switch m.Kind {
	case prompt.MediaImage:
		switch {
		case m.FileID != "":
			return sdk.NewImageBlock(sdk.FileImageSourceParam{FileID: m.FileID}), nil
		case m.URL != "":
			return sdk.NewImageBlock(sdk.URLImageSourceParam{URL: m.URL}), nil
		}
		return sdk.NewImageBlock(sdk.Base64ImageSourceParam{
			Data: base64Text(m.Data), MediaType: sdk.Base64ImageSourceMediaType(t),
		}), nil
	case prompt.MediaDocument:
		switch {
		case m.FileID != "":
			return sdk.NewDocumentBlock(sdk.FileDocumentSourceParam{FileID: m.FileID}), nil
		case m.URL != "" && (t == "" || t == "application/pdf"):
			return sdk.NewDocumentBlock(sdk.URLPDFSourceParam{URL: m.URL}), nil
		case m.URL != "":
			return sdk.ContentBlockParamUnion{}, refused(m, t+" from an http(s) URL",
				"the Messages API takes a document by URL only as a PDF; pass the text with prompt.DocumentData")
		case t == "application/pdf":
			return sdk.NewDocumentBlock(sdk.Base64PDFSourceParam{Data: base64Text(m.Data)}), nil
		case t == "text/plain":
			if !utf8.Valid(m.Data) {
				return sdk.ContentBlockParamUnion{}, refused(m, t, "the Messages API takes a plain-text document as UTF-8, and these bytes are not")
			}
			return sdk.NewDocumentBlock(sdk.PlainTextSourceParam{Data: string(m.Data)}), nil
		}
	}
	return sdk.ContentBlockParamUnion{}, fmt.Errorf("mirascope: %s: no mapping for %s of type %q", Name, m.Kind, t)
}

// base64Text is data in standard base64, written once into the string the
// SDK's field holds (EncodeToString would allocate it twice).
func base64Text(data []byte) string {
	var b strings.Builder
	b.Grow(base64.StdEncoding.EncodedLen(len(data)))
	w := base64.NewEncoder(base64.StdEncoding, &b)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.String()
}

// mediaType is t without parameters, lower-cased, with image/jpg read as
// image/jpeg (as lower.Prepare reads it).
func mediaType(t string) string {
	t, _, _ = strings.Cut(t, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "image/jpg" {
		return "image/jpeg"
	}
	return t
}

func refused(m *prompt.Media, what, reason string) error {
	return &mirascope.UnsupportedError{Provider: Name, Parameter: fmt.Sprintf("%s of type %s", m.Kind, what), Reason: reason}
}
