package prompt

import (
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// MediaKind is what a [Media] holds. The values are the modality words of
// the OpenTelemetry GenAI message schema.
type MediaKind string

// The media a message can carry.
const (
	MediaImage    MediaKind = "image"
	MediaAudio    MediaKind = "audio"
	MediaDocument MediaKind = "document"
)

// Part is one piece of a message's content, in order: text, or media.
// At most one of Text and Media is set, and exactly one unless the part is
// a cache breakpoint.
type Part struct {
	Text  string `json:",omitempty"`
	Media *Media `json:",omitempty"`
	// CacheBreakpoint ends a cacheable prefix after this part (its own
	// text or media included, if any): see [CacheBreakpoint].
	CacheBreakpoint bool `json:",omitempty"`
}

// Media is an image, a sound or a document, by exactly one source: a URL
// (http(s), gs://, s3:// or a data: URL), the bytes themselves, or the id
// of a file already uploaded to the service. Which service takes which
// kind from which source differs; a provider refuses what its service does
// not take before any request, and never fetches a URL on the user's
// behalf.
type Media struct {
	Kind MediaKind
	// MIMEType is the media type, such as image/png. The constructors
	// sniff it from Data when it is empty.
	MIMEType string `json:",omitempty"`
	URL      string `json:",omitempty"`
	Data     []byte `json:",omitempty"`
	FileID   string `json:",omitempty"`
	// Detail is OpenAI's image detail hint (low, high or auto); other
	// services ignore it.
	Detail string `json:",omitempty"`
}

// Text returns a text part.
func Text(s string) Part { return Part{Text: s} }

// ImageURL returns an image part by URL: http(s)://, gs://, s3:// or a
// base64 data: URL, whose media type becomes MIMEType. Nothing fetches it
// on the way: the service does, or refuses.
func ImageURL(url string) Part { return mediaURL(MediaImage, url) }

// ImageData returns an image part holding the bytes; an empty mimeType is
// sniffed from them. The bytes are not copied: do not change them while a
// call uses the part.
func ImageData(data []byte, mimeType string) Part { return mediaData(MediaImage, data, mimeType) }

// AudioData returns an audio part holding the bytes; an empty mimeType is
// sniffed from them.
func AudioData(data []byte, mimeType string) Part { return mediaData(MediaAudio, data, mimeType) }

// AudioURL returns an audio part by URL, as [ImageURL] does.
func AudioURL(url string) Part { return mediaURL(MediaAudio, url) }

// DocumentURL returns a document part by URL, as [ImageURL] does.
func DocumentURL(url string) Part { return mediaURL(MediaDocument, url) }

// DocumentData returns a document part holding the bytes; an empty
// mimeType is sniffed from them.
func DocumentData(data []byte, mimeType string) Part {
	return mediaData(MediaDocument, data, mimeType)
}

// CacheBreakpoint returns a marker that ends a cacheable prefix: all the
// conversation before it. Providers whose service caches on request mark
// the content before it (Anthropic cache_control, Bedrock cachePoint);
// those that cache prefixes on their own (OpenAI, Gemini, xAI, Groq…) send
// nothing more. It goes in a user or system message, after some content;
// in a system message it ends the cacheable prefix where it stands.
func CacheBreakpoint() Part { return Part{CacheBreakpoint: true} }

// UserParts returns a user message whose content is the parts, in order.
func UserParts(parts ...Part) Message { return Message{Role: RoleUser, Parts: parts} }

func mediaURL(kind MediaKind, url string) Part {
	// A data: URL's own type; a bad URL fails CheckMessages, before any
	// request.
	return Part{Media: &Media{Kind: kind, URL: url, MIMEType: dataURLType(url)}}
}

func mediaData(kind MediaKind, data []byte, mimeType string) Part {
	if mimeType == "" {
		mimeType = SniffMIMEType(data)
	}
	return Part{Media: &Media{Kind: kind, MIMEType: mimeType, Data: data}}
}

// SniffMIMEType returns the media type the bytes' content shows, such as
// image/png or application/pdf, without parameters; application/octet-stream
// when it shows none.
func SniffMIMEType(data []byte) string {
	t, _, _ := strings.Cut(mimetype.Detect(data).String(), ";")
	return t
}
