package prompt

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/template"
)

var (
	partType  = reflect.TypeFor[Part]()
	mediaType = reflect.TypeFor[Media]()
)

// kindOfMIME is the medium a MIME type names: image/*, audio/*, and
// application/pdf or text/* for a document; "" for any other.
func kindOfMIME(mimeType string) MediaKind {
	switch {
	case strings.HasPrefix(mimeType, "image/"):
		return MediaImage
	case strings.HasPrefix(mimeType, "audio/"):
		return MediaAudio
	case mimeType == "application/pdf", strings.HasPrefix(mimeType, "text/"):
		return MediaDocument
	}
	return ""
}

// article is "a" or "an" before a kind's name.
func article(k MediaKind) string {
	if k == MediaImage || k == MediaAudio {
		return "an " + string(k)
	}
	return "a " + string(k)
}

// urlSchemes are the URLs a Media may hold. A service fetches them itself
// (or, for gs:// and s3://, reads its own cloud's storage): nothing here
// fetches anything.
const urlSchemes = "http(s)://, gs://, s3:// or a base64 data: URL"

// checkURL says why s is not a media URL, or "" when it is one; for a
// data: URL it also returns the media type its header names. A data: URL
// must be base64 (data:<type>;base64,<data>), the form every service that
// takes one wants, and its payload must be base64: it is checked in place,
// without a copy (about a millisecond a megabyte).
func checkURL(s string) (mimeType, why string) {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return "", fmt.Sprintf("%s is not a URL: want %s; read a local file with prompt.File", quoteShort(s), urlSchemes)
	}
	switch strings.ToLower(scheme) {
	case "data":
		mimeType, payload, why := parseDataURL(rest)
		if why == "" && !validBase64(payload) {
			why = "a data: URL whose data is not valid base64"
		}
		return mimeType, why
	case "http", "https", "gs", "s3":
		if !strings.HasPrefix(rest, "//") {
			break
		}
		u, err := url.Parse(s)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // its text repeats the URL
			}
			return "", fmt.Sprintf("%s does not parse as a URL: %v", quoteShort(s), err)
		}
		if u.Host == "" {
			return "", fmt.Sprintf("%s has no host (or bucket)", quoteShort(s))
		}
		return "", ""
	}
	return "", fmt.Sprintf("%s is not a media URL: want %s; read a local file with prompt.File", quoteShort(s), urlSchemes)
}

// parseDataURL reads a data: URL's header (what follows "data:"): its
// media type, lower-cased, and its payload, unchecked.
func parseDataURL(rest string) (mimeType, payload, why string) {
	header, payload, ok := strings.Cut(rest, ",")
	params, b64 := strings.CutSuffix(header, ";base64")
	mimeType, _, _ = strings.Cut(params, ";")
	switch {
	case !ok:
		return "", "", "a data: URL without a comma before its data"
	case !b64:
		return "", "", "a data: URL that is not base64: write data:<type>;base64,<data>"
	case mimeType == "" || !strings.Contains(mimeType, "/"):
		return "", "", "a data: URL without a media type: write data:<type>;base64,<data>"
	case payload == "":
		return "", "", "a data: URL with no data"
	}
	return strings.ToLower(mimeType), payload, ""
}

// dataURLType is the media type of a data: URL, or "" for any other.
func dataURLType(s string) string {
	if len(s) < 5 || !strings.EqualFold(s[:5], "data:") {
		return ""
	}
	mimeType, _, _ := parseDataURL(s[5:])
	return mimeType
}

// validBase64 reports whether s is padded standard base64, by its
// alphabet and length alone: checking a megabyte allocates nothing.
func validBase64(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	body := strings.TrimSuffix(strings.TrimSuffix(s, "="), "=")
	for i := 0; i < len(body); i++ {
		if base64Alphabet[body[i]] == 0 {
			return false
		}
	}
	return true
}

var base64Alphabet = func() (t [256]byte) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = 1
	}
	return t
}()

// quoteShort quotes URL s for an error, its signing parameters masked
// (errors reach spans and logs), cut to a readable length: a data: URL may
// be megabytes.
func quoteShort(s string) string {
	const max = 64
	s = secrets.MaskURL(s)
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}

// cutShort is s cut to a readable length for an error, unquoted.
func cutShort(s string) string {
	const max = 64
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// check says why m is not usable, or "".
func (m *Media) check() string {
	switch m.Kind {
	case MediaImage, MediaAudio, MediaDocument:
	case "":
		return "media without a Kind: set MediaImage, MediaAudio or MediaDocument"
	default:
		return fmt.Sprintf("unknown media kind %s: want image, audio or document", quoteShort(string(m.Kind)))
	}
	var srcs []string
	if m.URL != "" {
		srcs = append(srcs, "URL")
	}
	if len(m.Data) > 0 {
		srcs = append(srcs, "Data")
	}
	if m.FileID != "" {
		srcs = append(srcs, "FileID")
	}
	switch len(srcs) {
	case 0:
		return string(m.Kind) + " without a source: set one of URL, Data and FileID"
	case 1:
	default:
		return string(m.Kind) + " with more than one source (" + strings.Join(srcs, " and ") + "): set exactly one"
	}
	if m.URL != "" {
		if _, why := checkURL(m.URL); why != "" {
			return why
		}
	}
	return "" // Data without a MIMEType is sniffed where it is sent
}

// check says why p is not a usable part, or "".
func (p *Part) check() string {
	switch {
	case p.Media != nil && p.Text != "":
		return "a part with both Text and Media: make them two parts"
	case p.Media != nil:
		return p.Media.check()
	case p.Text == "" && !p.CacheBreakpoint:
		return "an empty part: set Text or Media"
	}
	return ""
}

// breakpointMisplaced says why the cache breakpoint at part j of m marks
// nothing: it ends a prefix of a user or system message, after content.
func breakpointMisplaced(m *Message, j int) string {
	if m.Role != RoleUser && m.Role != RoleSystem {
		article := "a"
		if m.Role == RoleAssistant {
			article = "an"
		}
		return fmt.Sprintf("a cache breakpoint in %s %s message: put it in a user or system message", article, m.Role)
	}
	if j == 0 && m.Parts[0].Text == "" && m.Parts[0].Media == nil {
		return "a cache breakpoint first in a message marks nothing in it: put it at the end of the message before"
	}
	return ""
}

// CheckMessages verifies that every message is one a provider can send,
// before any request: a message with Parts has no Content, a cache
// breakpoint follows content in a user or system message, and each part is
// text or media, whose media has a known kind and exactly one valid source
// (a URL of a kind a service fetches, bytes, or a file id; bytes without a
// MIMEType have it sniffed by the provider). Render checks what a Messages method returns and what MESSAGES:
// splices; the root package checks every request. The error is an *[Error]
// matching [ErrInvalidMessage], naming the message and the part by index.
func CheckMessages(msgs []Message) error {
	for i := range msgs {
		m := &msgs[i]
		if len(m.Parts) == 0 {
			continue // the text-only path: nothing to check
		}
		if m.Content != "" {
			return &Error{Err: ErrInvalidMessage,
				Msg: fmt.Sprintf("messages[%d] has both Content and Parts: put the text in a prompt.Text part", i)}
		}
		for j := range m.Parts {
			why := m.Parts[j].check()
			if why == "" && m.Parts[j].CacheBreakpoint {
				why = breakpointMisplaced(m, j)
			}
			if why != "" {
				return &Error{Err: ErrInvalidMessage, Msg: fmt.Sprintf("messages[%d].Parts[%d]: %s", i, j, why)}
			}
		}
	}
	return nil
}

// mediaTypeOK reports whether a field of type t can hold what a media spec
// places: a Part, a URL string or []byte, each alone for a singular spec
// and in a slice for a plural one; what an interface holds is decided at
// render.
func mediaTypeOK(t reflect.Type, plural bool) bool {
	t = derefType(t)
	if plural && t.Kind() != reflect.Interface {
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return false
		}
		t = derefType(t.Elem())
	}
	switch {
	case t == partType, t.Kind() == reflect.String, t.Kind() == reflect.Interface:
		return true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return true
	}
	return false
}

// isMedia reports whether values of t are media (a Part, a Media, or a
// slice of them), which print only through a media spec.
func isMedia(t reflect.Type) bool {
	if k := t.Kind(); k == reflect.Slice || k == reflect.Array {
		t = derefType(t.Elem())
	}
	return t == partType || t == mediaType
}

// mediaWants says what a media spec takes, for errors.
func mediaWants(spec template.Spec) string {
	if spec.Plural() {
		return "a []prompt.Part, a []string of URLs or a [][]byte"
	}
	return "a prompt.Part, a URL string or a []byte"
}

// mediaValue normalises the value of a variable placed by spec: one Part
// for a singular spec (nil when a nil pointer places nothing), a []Part
// for a plural one. Media structs are copied so that the result shares
// nothing with the prompt but the bytes, which are never copied. why says
// what is wrong with the value.
func mediaValue(v reflect.Value, spec template.Spec) (val any, n int, why string) {
	kind := MediaKind(spec.Media())
	if !spec.Plural() {
		p, ok, why := mediaPart(v, kind)
		if why != "" || !ok {
			return nil, 0, why
		}
		return p, 1, ""
	}
	v = deref(v)
	for v.IsValid() && v.Kind() == reflect.Interface {
		v = deref(v.Elem())
	}
	if !v.IsValid() {
		return []Part(nil), 0, ""
	}
	if k := v.Kind(); k != reflect.Slice && k != reflect.Array || v.Type().Elem().Kind() == reflect.Uint8 {
		return nil, 0, fmt.Sprintf("holds a %s: want %s", v.Type(), mediaWants(spec))
	}
	parts := make([]Part, 0, v.Len())
	for i := 0; i < v.Len(); i++ {
		p, ok, why := mediaPart(v.Index(i), kind)
		if why != "" {
			return nil, 0, fmt.Sprintf("[%d] %s", i, why)
		}
		if ok {
			parts = append(parts, p)
		}
	}
	return parts, len(parts), ""
}

// mediaPart normalises one value to a part of kind; ok is false for a nil
// pointer, which places nothing.
func mediaPart(v reflect.Value, kind MediaKind) (p Part, ok bool, why string) {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return Part{}, false, ""
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return Part{}, false, ""
	}
	empty := "is empty: set it, or make the field a pointer (nil places nothing)"
	switch {
	case v.Type() == partType:
		src := v.Interface().(Part)
		switch {
		case src.Media == nil && src.Text == "":
			return p, false, empty
		case src.Media == nil:
			return p, false, "holds a text part, not " + article(kind)
		case src.Text != "":
			return p, false, "holds a part with both Text and Media"
		}
		m := *src.Media
		if m.Kind == "" {
			m.Kind = kind // the spec says what it is
		}
		if m.Kind != kind {
			return p, false, fmt.Sprintf("holds %s part, not %s: place it with :%s", article(m.Kind), article(kind), m.Kind)
		}
		if len(m.Data) > 0 && m.MIMEType == "" {
			m.MIMEType = SniffMIMEType(m.Data)
		}
		if why := m.check(); why != "" {
			return p, false, why
		}
		if m.URL != "" && m.MIMEType == "" {
			m.MIMEType = dataURLType(m.URL)
		}
		return Part{Media: &m}, true, ""
	case v.Kind() == reflect.String:
		s := v.String()
		if s == "" {
			return p, false, empty
		}
		mt, why := checkURL(s)
		if why != "" {
			return p, false, why
		}
		return Part{Media: &Media{Kind: kind, URL: s, MIMEType: mt}}, true, ""
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		data := v.Bytes()
		if len(data) == 0 {
			return p, false, empty
		}
		mt := SniffMIMEType(data)
		if k := kindOfMIME(mt); k != "" && k != kind {
			return p, false, fmt.Sprintf("holds %s bytes, not %s: place them with :%s", mt, article(kind), k)
		}
		return Part{Media: &Media{Kind: kind, MIMEType: mt, Data: data}}, true, ""
	}
	return p, false, fmt.Sprintf("holds a %s: want a prompt.Part, a URL string or a []byte", v.Type())
}

// clonePart copies a part's Media struct, not its bytes.
func clonePart(p Part) Part {
	if p.Media != nil {
		m := *p.Media
		p.Media = &m
	}
	return p
}

// mediaLeaves are the texts of a redacted media field a recorder must not
// let out: its URLs (not data: URLs, which are the bytes) and file ids. The
// bytes are left out: they are never text a model or an error repeats,
// and a megabyte pattern would only slow every search.
func mediaLeaves(v any) ([]string, bool) {
	var parts []Part
	switch x := v.(type) {
	case Part:
		parts = []Part{x}
	case []Part:
		parts = x
	default:
		return nil, false
	}
	var out []string
	for _, p := range parts {
		if p.Media == nil {
			continue
		}
		if u := p.Media.URL; u != "" && !strings.HasPrefix(strings.ToLower(u), "data:") {
			out = append(out, u)
		}
		if p.Media.FileID != "" {
			out = append(out, p.Media.FileID)
		}
	}
	return out, true
}

// describePart is how an error shows a part: never its bytes.
func describePart(p Part) string {
	m := p.Media
	switch {
	case m == nil && p.Text == "":
		return "an empty part"
	case m == nil:
		return "a text part"
	case m.URL != "":
		return fmt.Sprintf("%s %s", m.Kind, quoteShort(m.URL))
	case len(m.Data) > 0:
		return fmt.Sprintf("%s %s, %d bytes", cutShort(string(m.Kind)), cutShort(m.MIMEType), len(m.Data))
	case m.FileID != "":
		return fmt.Sprintf("%s file %s", cutShort(string(m.Kind)), quoteShort(m.FileID))
	}
	return string(m.Kind) + " without a source"
}

// valueLeaves is secrets.Leaves of v, with every Part and Media in it
// standing for its URLs and file ids only (see [mediaLeaves]).
func valueLeaves(v any) []string {
	if leaves, ok := mediaLeaves(v); ok {
		return leaves
	}
	rv := reflect.ValueOf(v)
	if rv.IsValid() && holdsMedia(rv.Type()) {
		v = stripMedia(rv, 0)
	}
	return secrets.Leaves(v)
}

// stripMedia copies v with each Part or Media replaced by its URLs and
// file ids: structs become lists of their exported fields' values, maps
// lists of keys and values, so that every other leaf stays.
func stripMedia(v reflect.Value, depth int) any {
	if !v.IsValid() || depth > maxDepth {
		return nil
	}
	switch v.Type() {
	case partType:
		leaves, _ := mediaLeaves(v.Interface().(Part))
		return leaves
	case mediaType:
		m := v.Interface().(Media)
		leaves, _ := mediaLeaves(Part{Media: &m})
		return leaves
	}
	if !holdsMedia(v.Type()) || !v.CanInterface() {
		if v.CanInterface() {
			return v.Interface()
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return stripMedia(v.Elem(), depth+1)
	case reflect.Struct:
		out := make([]any, 0, v.NumField()) // values only: field names are no secret
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out = append(out, stripMedia(v.Field(i), depth+1))
			}
		}
		return out
	case reflect.Slice, reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = stripMedia(v.Index(i), depth+1)
		}
		return out
	case reflect.Map:
		out := make([]any, 0, 2*v.Len())
		for it := v.MapRange(); it.Next(); {
			out = append(out, stripMedia(it.Key(), depth+1), stripMedia(it.Value(), depth+1))
		}
		return out
	}
	return v.Interface()
}

// mediaTypes caches holdsMedia per type.
var mediaTypes sync.Map // reflect.Type -> bool

// holdsMedia reports whether a value of t can hold a Part or a Media.
func holdsMedia(t reflect.Type) bool {
	if b, ok := mediaTypes.Load(t); ok {
		return b.(bool)
	}
	b := holdsMediaIn(t, map[reflect.Type]bool{})
	mediaTypes.Store(t, b)
	return b
}

func holdsMediaIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == partType || t == mediaType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsMediaIn(t.Elem(), seen)
	case reflect.Map:
		return holdsMediaIn(t.Key(), seen) || holdsMediaIn(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if holdsMediaIn(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
