package lower

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mirascope-go/mirascope/prompt"
)

// Sources is a set of the places a medium can come from. A provider never
// fetches a URL itself: an http(s), gs:// or s3:// URL goes to the service
// as a URL, or is refused.
type Sources uint8

const (
	// FromHTTP: an http(s) URL, which the service fetches.
	FromHTTP Sources = 1 << iota
	// FromInline: the bytes, or a data: URL (the same bytes, decoded by
	// Prepare; a provider sees them in Media.Data).
	FromInline
	// FromFileID: a file already uploaded to the service, by its id.
	FromFileID
	// FromGCS: a gs:// URL (Google Cloud Storage).
	FromGCS
	// FromS3: an s3:// URL (Amazon S3).
	FromS3
)

// Medium is what a service takes of one kind of media.
type Medium struct {
	From Sources
	// MIMETypes, when set, are the only media types the service takes;
	// checked whenever the type is known (always for inline bytes).
	MIMETypes []string
	// Details are the image detail hints the wire carries; nil: it carries
	// none, and Prepare clears Media.Detail in the plan.
	Details []string
}

// Media type lists, as the services document them.
var (
	jpegPNG       = []string{"image/jpeg", "image/png"}
	webImages     = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}
	pdf           = []string{"application/pdf"}
	wavMP3        = []string{"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mpeg", "audio/mp3"}
	openAIDetails = []string{"auto", "low", "high", "original"}
	autoLowHigh   = []string{"auto", "low", "high"}
	anthropicDocs = []string{"application/pdf", "text/plain"}
	bedrockImages = webImages
	bedrockAudio  = []string{"audio/mpeg", "audio/mp3", "audio/opus", "audio/wav", "audio/x-wav", "audio/wave", "audio/aac", "audio/x-aac", "audio/flac", "audio/x-flac", "audio/mp4", "audio/x-m4a", "audio/m4a", "audio/ogg", "audio/webm", "audio/x-matroska", "audio/mpga", "audio/pcm"}
	bedrockDocs   = []string{"application/pdf", "text/csv", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/html", "text/plain", "text/markdown"}
	oaiImages     = Medium{From: FromHTTP | FromInline, MIMETypes: webImages, Details: openAIDetails}
	oaiAudio      = Medium{From: FromInline, MIMETypes: wavMP3}
	oaiFile       = Medium{From: FromInline | FromFileID, MIMETypes: pdf}
	urlOrInline   = FromHTTP | FromInline
	geminiAPI     = FromHTTP | FromInline | FromFileID
	vertexAI      = FromHTTP | FromInline | FromGCS
)

// The media each service takes, looked up in its SDK and documentation.
var (
	// openai-go v3: image_url (URL or data URL; detail auto, low, high or
	// original; JPEG, PNG, WEBP, non-animated GIF), input_audio (base64, wav
	// or mp3) and file (base64 file_data or file_id; PDF in Chat
	// Completions).
	openAIMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage: oaiImages, prompt.MediaAudio: oaiAudio, prompt.MediaDocument: oaiFile,
	}
	// The Azure AI model inference API: image_url and input_audio, no file.
	azureInferenceMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage: {From: urlOrInline, Details: autoLowHigh}, prompt.MediaAudio: oaiAudio,
	}
	// LiteLLM takes the OpenAI shapes and routes them to whichever service
	// the model is on, which decides the media types.
	liteLLMMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage:    {From: urlOrInline, Details: openAIDetails},
		prompt.MediaAudio:    {From: FromInline, MIMETypes: wavMP3},
		prompt.MediaDocument: {From: FromInline | FromFileID},
	}
	// xAI: image_url by URL or base64, JPEG and PNG only; detail auto, low or high.
	xaiMedia = map[prompt.MediaKind]Medium{prompt.MediaImage: {From: urlOrInline, MIMETypes: jpegPNG, Details: autoLowHigh}}
	// Groq: image_url by URL or base64 data URL, no detail.
	imageURLOnly = map[prompt.MediaKind]Medium{prompt.MediaImage: {From: urlOrInline}}
	// Mistral: image_url as Groq; input_audio, the bytes in base64 (the
	// Voxtral models); document_url, a document the service fetches from
	// an http(s) URL (public, or a Files API signed URL).
	mistralMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage: {From: urlOrInline}, prompt.MediaAudio: {From: FromInline}, prompt.MediaDocument: {From: FromHTTP},
	}
	// anthropic-sdk-go v2: image blocks (base64, URL, file; JPEG, PNG, GIF,
	// WEBP); document blocks (base64 PDF, URL PDF, plain text, file).
	anthropicMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage:    {From: FromHTTP | FromInline | FromFileID, MIMETypes: webImages},
		prompt.MediaDocument: {From: FromHTTP | FromInline | FromFileID, MIMETypes: anthropicDocs},
	}
	// genai: Part.InlineData (bytes) or Part.FileData, any medium. The
	// Gemini API's fileUri is an http(s) URL (public or signed, or a Files
	// API URI) or an uploaded file; a gs:// object only once registered
	// with the Files API, by that file's URI.
	geminiMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage: {From: geminiAPI}, prompt.MediaAudio: {From: geminiAPI}, prompt.MediaDocument: {From: geminiAPI},
	}
	// Vertex AI reads http(s) and gs:// URLs, and has no Files API.
	vertexMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage: {From: vertexAI}, prompt.MediaAudio: {From: vertexAI}, prompt.MediaDocument: {From: vertexAI},
	}
	// bedrockruntime: ImageBlock, AudioBlock and DocumentBlock take bytes or
	// an S3 location, in the formats of their enums.
	bedrockMedia = map[prompt.MediaKind]Medium{
		prompt.MediaImage:    {From: FromInline | FromS3, MIMETypes: bedrockImages},
		prompt.MediaAudio:    {From: FromInline | FromS3, MIMETypes: bedrockAudio},
		prompt.MediaDocument: {From: FromInline | FromS3, MIMETypes: bedrockDocs},
	}
	// cohere-go v2: image_url (a web URL or a base64 data URL; detail auto,
	// low or high; JPEG, PNG, WEBP, non-animated GIF).
	cohereMedia = map[prompt.MediaKind]Medium{prompt.MediaImage: {From: urlOrInline, MIMETypes: webImages, Details: autoLowHigh}}
)

// source is where one Media comes from, as a refusal names it.
type source struct {
	bit  Sources
	name string
}

var (
	srcHTTP    = source{FromHTTP, "an http(s) URL"}
	srcDataURL = source{FromInline, "a data: URL"}
	srcBytes   = source{FromInline, "bytes"}
	srcFileID  = source{FromFileID, "a file id"}
	srcGCS     = source{FromGCS, "a gs:// URL"}
	srcS3      = source{FromS3, "an s3:// URL"}
)

// names are the names of a set's sources, in a fixed order.
func (s Sources) names() []string {
	var out []string
	for _, src := range []source{srcHTTP, {FromInline, "bytes (or a data: URL)"}, srcFileID, srcGCS, srcS3} {
		if s&src.bit != 0 {
			out = append(out, src.name)
		}
	}
	return out
}

// sourceOf classifies m, checking that it has exactly one source; "" and a
// reason when it is malformed.
func sourceOf(m *prompt.Media) (source, string) {
	n := 0
	for _, set := range []bool{m.URL != "", m.Data != nil, m.FileID != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return source{}, fmt.Sprintf("it has %d sources; a media part has exactly one of URL, Data and FileID", n)
	}
	switch {
	case m.Data != nil:
		return srcBytes, ""
	case m.FileID != "":
		return srcFileID, ""
	}
	scheme, _, ok := strings.Cut(m.URL, ":")
	if !ok {
		return source{}, "its URL has no scheme; a media URL is http(s), gs://, s3:// or data:"
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		return srcHTTP, ""
	case "data":
		return srcDataURL, ""
	case "gs":
		return srcGCS, ""
	case "s3":
		return srcS3, ""
	}
	return source{}, fmt.Sprintf("its URL's scheme is %q; a media URL is http(s), gs://, s3:// or data:", scheme)
}

// dataConstructor is the prompt constructor that takes a kind's bytes.
func dataConstructor(k prompt.MediaKind) string {
	switch k {
	case prompt.MediaAudio:
		return "prompt.AudioData"
	case prompt.MediaDocument:
		return "prompt.DocumentData"
	}
	return "prompt.ImageData"
}

// noun is the kind with its article, as a sentence names it.
func noun(k prompt.MediaKind) string {
	switch k {
	case prompt.MediaImage:
		return "an image"
	case prompt.MediaAudio:
		return "audio"
	case prompt.MediaDocument:
		return "a document"
	}
	return string(k)
}

// media checks one media part of message i against the Caps and returns
// it as a provider maps it: a data: URL decoded into Data, the MIME type
// known for bytes and in its registered lower-case form, Detail only where
// the wire carries it. m is not written; nothing is fetched.
func (c Caps) media(i int, m *prompt.Media) (*prompt.Media, error) {
	kind := m.Kind
	switch kind {
	case prompt.MediaImage, prompt.MediaAudio, prompt.MediaDocument:
	default:
		return nil, c.refuse(fmt.Sprintf("media kind %s", short(string(kind))), fmt.Sprintf("message %d has it; a medium is image, audio or document", i))
	}
	src, bad := sourceOf(m)
	if bad != "" {
		return nil, c.refuse(string(kind)+" part", fmt.Sprintf("message %d: %s", i, bad))
	}
	param := fmt.Sprintf("%s from %s", kind, src.name)
	med, ok := c.Media[kind]
	if !ok {
		return nil, c.refuse(param, fmt.Sprintf("%s takes no %s", c.API, kind))
	}
	if med.From&src.bit == 0 {
		return nil, c.refuse(param, c.mediaHint(kind, med, src))
	}
	out := m
	if src == srcDataURL {
		mt, data, err := decodeDataURL(m.URL)
		if err != nil {
			return nil, c.refuse(param, fmt.Sprintf("message %d: %v", i, err))
		}
		cp := *m
		cp.URL, cp.Data = "", data
		if cp.MIMEType == "" {
			cp.MIMEType = mt
		}
		out = &cp
	}
	if out.Data != nil && out.MIMEType == "" {
		cp := *out
		cp.MIMEType = prompt.SniffMIMEType(cp.Data)
		out = &cp
	}
	if mt := normMIME(kind, out.MIMEType); mt != out.MIMEType {
		cp := *out
		cp.MIMEType = mt
		out = &cp
	}
	if mt := out.MIMEType; mt != "" && med.MIMETypes != nil && !slices.Contains(med.MIMETypes, mt) {
		return nil, c.refuse(fmt.Sprintf("%s of type %s", kind, cut(mt)),
			fmt.Sprintf("%s takes %s of type %s", c.API, plural(kind), strings.Join(med.MIMETypes, ", ")))
	}
	if out.Detail != "" && med.Details != nil && !slices.Contains(med.Details, out.Detail) {
		return nil, c.refuse(fmt.Sprintf("image detail %s", short(out.Detail)),
			fmt.Sprintf("%s takes detail %s", c.API, strings.Join(med.Details, ", ")))
	}
	if out.Detail != "" && med.Details == nil {
		cp := *out
		cp.Detail = ""
		out = &cp
	}
	return out, nil
}

// cut is s, a value of the caller's of any length, cut short for an
// error (past 255 bytes, the longest media type RFC 6838 allows); short
// quotes it.
func cut(s string) string {
	const max = 255
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

func short(s string) string {
	if c := cut(s); c != s {
		return strconv.Quote(strings.TrimSuffix(c, "…")) + "…"
	}
	return strconv.Quote(s)
}

func plural(k prompt.MediaKind) string {
	switch k {
	case prompt.MediaImage:
		return "images"
	case prompt.MediaDocument:
		return "documents"
	}
	return string(k)
}

// mediaHint says what the service takes instead, and how to give it that.
func (c Caps) mediaHint(kind prompt.MediaKind, med Medium, src source) string {
	s := fmt.Sprintf("%s takes %s as %s", c.API, noun(kind), strings.Join(med.From.names(), " or "))
	switch {
	case med.From&FromInline != 0 && (src == srcHTTP || src == srcGCS || src == srcS3):
		return s + "; the provider fetches nothing: read it yourself and pass the bytes with " + dataConstructor(kind)
	case med.From&FromInline != 0:
		return s + "; pass the bytes with " + dataConstructor(kind)
	case med.From&FromS3 != 0:
		return s + "; upload it to S3 and pass its s3:// URL"
	}
	return s
}

// normMIME is a media type without parameters, in lower case, with the
// common aliases mapped to the registered names; for audio, a container's
// video/ type is its audio/ type.
func normMIME(kind prompt.MediaKind, s string) string {
	t, _, _ := strings.Cut(s, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "image/jpg" {
		return "image/jpeg"
	}
	if a, ok := audioContainers[t]; ok && kind == prompt.MediaAudio {
		return a
	}
	return t
}

// audioContainers are the audio types of containers that hold video or
// audio alone, which sniffing (and many writers) name as video: WebM and
// Matroska (a browser's MediaRecorder writes audio/webm), MP4, Ogg. An
// audio part of one is audio, never a video for the service to watch.
var audioContainers = map[string]string{
	"video/webm": "audio/webm", "video/matroska": "audio/x-matroska", "video/x-matroska": "audio/x-matroska",
	"audio/matroska": "audio/x-matroska", "video/mp4": "audio/mp4", "video/ogg": "audio/ogg",
}

// decodeDataURL splits a data: URL (RFC 2397) into its media type and its
// bytes, base64 or percent-encoded.
func decodeDataURL(u string) (string, []byte, error) {
	_, rest, _ := strings.Cut(u, ":")
	header, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return "", nil, fmt.Errorf("the data: URL has no comma before its data")
	}
	isBase64 := false
	if h, found := strings.CutSuffix(header, ";base64"); found {
		header, isBase64 = h, true
	}
	mt := ""
	if header != "" {
		t, _, err := mime.ParseMediaType(header)
		if err != nil {
			return "", nil, fmt.Errorf("the data: URL's media type %s: %v", short(header), err)
		}
		mt = t
	}
	if !isBase64 {
		s, err := url.PathUnescape(payload)
		if err != nil {
			return "", nil, fmt.Errorf("the data: URL's data: %v", err)
		}
		return mt, []byte(s), nil
	}
	data, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		// Some writers leave the padding out.
		var err2 error
		if data, err2 = base64.RawStdEncoding.DecodeString(payload); err2 != nil {
			return "", nil, fmt.Errorf("the data: URL's base64 data: %v", err)
		}
	}
	return mt, data, nil
}

// DataURL is m's bytes as a base64 data: URL, as the OpenAI and Cohere
// wires take inline media.
func DataURL(m *prompt.Media) string {
	const prefix = "data:"
	mt := m.MIMEType
	var b strings.Builder
	b.Grow(len(prefix) + len(mt) + len(";base64,") + base64.StdEncoding.EncodedLen(len(m.Data)))
	b.WriteString(prefix)
	b.WriteString(mt)
	b.WriteString(";base64,")
	w := base64.NewEncoder(base64.StdEncoding, &b)
	_, _ = w.Write(m.Data)
	_ = w.Close()
	return b.String()
}
