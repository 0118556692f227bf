package prompt_test

import (
	"encoding/base64"
	"errors"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/template"
)

// Bytes whose content shows their type.
var (
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	wavBytes = []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00")
	pdfBytes = []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
)

// mp is a prompt whose one variable x, of type T, is placed by a spec.
type mp[T any] struct {
	X    T      `prompt:"x"`
	Spec string `prompt:"-"`
}

func (m mp[T]) Template() string { return "USER: Look at {x:" + m.Spec + "} please." }

func TestMediaSpecsAcceptEveryFieldType(t *testing.T) {
	img := prompt.ImageURL("https://example.com/a.png")
	dataURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngBytes)
	audio, doc := prompt.AudioData(wavBytes, ""), prompt.DocumentURL("gs://bucket/paper.pdf")
	m := func(k prompt.MediaKind, mime, url string, data []byte) prompt.Part {
		return prompt.Part{Media: &prompt.Media{Kind: k, MIMEType: mime, URL: url, Data: data}}
	}
	for _, tc := range []struct {
		name  string
		p     any
		media []prompt.Part
	}{
		{"image Part", mp[prompt.Part]{X: img, Spec: "image"}, []prompt.Part{img}},
		{"image *Part", mp[*prompt.Part]{X: &img, Spec: "image"}, []prompt.Part{img}},
		{"image http URL", mp[string]{X: "http://example.com/a.png", Spec: "image"}, []prompt.Part{m("image", "", "http://example.com/a.png", nil)}},
		{"image gs URL", mp[string]{X: "gs://bucket/a.png", Spec: "image"}, []prompt.Part{m("image", "", "gs://bucket/a.png", nil)}},
		{"image s3 URL", mp[string]{X: "s3://bucket/a.png", Spec: "image"}, []prompt.Part{m("image", "", "s3://bucket/a.png", nil)}},
		{"image data URL", mp[string]{X: dataURL, Spec: "image"}, []prompt.Part{m("image", "image/png", dataURL, nil)}},
		{"image bytes", mp[[]byte]{X: pngBytes, Spec: "image"}, []prompt.Part{m("image", "image/png", "", pngBytes)}},
		{"image any", mp[any]{X: pngBytes, Spec: "image"}, []prompt.Part{m("image", "image/png", "", pngBytes)}},
		{"image Part without kind takes the spec's", mp[prompt.Part]{X: prompt.Part{Media: &prompt.Media{URL: "https://x.org/a"}}, Spec: "image"}, []prompt.Part{m("image", "", "https://x.org/a", nil)}},
		{"audio Part", mp[prompt.Part]{X: audio, Spec: "audio"}, []prompt.Part{audio}},
		{"audio URL", mp[string]{X: "gs://b/a.wav", Spec: "audio"}, []prompt.Part{m("audio", "", "gs://b/a.wav", nil)}},
		{"audio bytes", mp[[]byte]{X: wavBytes, Spec: "audio"}, []prompt.Part{m("audio", "audio/wav", "", wavBytes)}},
		{"document Part", mp[prompt.Part]{X: doc, Spec: "document"}, []prompt.Part{doc}},
		{"document URL", mp[string]{X: "https://x.org/p.pdf", Spec: "document"}, []prompt.Part{m("document", "", "https://x.org/p.pdf", nil)}},
		{"document bytes", mp[[]byte]{X: pdfBytes, Spec: "document"}, []prompt.Part{m("document", "application/pdf", "", pdfBytes)}},
		{"images []Part", mp[[]prompt.Part]{X: []prompt.Part{img, img}, Spec: "images"}, []prompt.Part{img, img}},
		{"images []*Part", mp[[]*prompt.Part]{X: []*prompt.Part{&img, nil}, Spec: "images"}, []prompt.Part{img}},
		{"images []string", mp[[]string]{X: []string{"s3://b/1.png", "s3://b/2.png"}, Spec: "images"}, []prompt.Part{m("image", "", "s3://b/1.png", nil), m("image", "", "s3://b/2.png", nil)}},
		{"images [][]byte", mp[[][]byte]{X: [][]byte{pngBytes}, Spec: "images"}, []prompt.Part{m("image", "image/png", "", pngBytes)}},
		{"images []any", mp[[]any]{X: []any{pngBytes, "https://x.org/a.png", img}, Spec: "images"}, []prompt.Part{m("image", "image/png", "", pngBytes), m("image", "", "https://x.org/a.png", nil), img}},
		{"images any", mp[any]{X: []string{"https://x.org/a.png"}, Spec: "images"}, []prompt.Part{m("image", "", "https://x.org/a.png", nil)}},
		{"audios [][]byte", mp[[][]byte]{X: [][]byte{wavBytes, wavBytes}, Spec: "audios"}, []prompt.Part{m("audio", "audio/wav", "", wavBytes), m("audio", "audio/wav", "", wavBytes)}},
		{"audios []Part", mp[[]prompt.Part]{X: []prompt.Part{audio}, Spec: "audios"}, []prompt.Part{audio}},
		{"audios []string", mp[[]string]{X: []string{"gs://b/a.mp3"}, Spec: "audios"}, []prompt.Part{m("audio", "", "gs://b/a.mp3", nil)}},
		{"documents []Part", mp[[]prompt.Part]{X: []prompt.Part{doc}, Spec: "documents"}, []prompt.Part{doc}},
		{"documents []string", mp[[]string]{X: []string{"https://x.org/p.pdf"}, Spec: "documents"}, []prompt.Part{m("document", "", "https://x.org/p.pdf", nil)}},
		{"documents [][]byte", mp[[][]byte]{X: [][]byte{pdfBytes}, Spec: "documents"}, []prompt.Part{m("document", "application/pdf", "", pdfBytes)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, prompt.Check(tc.p))
			r, err := prompt.Render(tc.p)
			require.NoError(t, err)
			require.Len(t, r.Messages, 1)
			msg := r.Messages[0]
			assert.Empty(t, msg.Content)
			want := append([]prompt.Part{prompt.Text("Look at")}, tc.media...)
			want = append(want, prompt.Text("please."))
			assert.Equal(t, want, msg.Parts)
			require.NoError(t, prompt.CheckMessages(r.Messages))

			// The field's Value is the normalised part, or parts.
			if isPlural(tc.p) {
				assert.Equal(t, tc.media, r.Fields[0].Value)
			} else {
				assert.Equal(t, tc.media[0], r.Fields[0].Value)
			}
			assert.Equal(t, r.Fields[0].Value, r.Fields[0].Masked())
		})
	}
}

func isPlural(p any) bool {
	switch x := p.(type) {
	case mp[any]:
		return x.Spec == "images"
	case mp[[]prompt.Part], mp[[]*prompt.Part], mp[[]string], mp[[][]byte], mp[[]any]:
		return true
	}
	return false
}

func TestMediaFieldOfWrongTypeIsACheckError(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    any
		msg  string
	}{
		{"int", mp[int]{Spec: "image"}, "{x:image} needs a prompt.Part, a URL string or a []byte, not int"},
		{"slice for one", mp[[]string]{Spec: "image"}, "{x:image} needs a prompt.Part, a URL string or a []byte, not []string"},
		{"parts for one", mp[[]prompt.Part]{Spec: "audio"}, "{x:audio} needs a prompt.Part, a URL string or a []byte, not []prompt.Part"},
		{"one for many", mp[string]{Spec: "images"}, "{x:images} needs a []prompt.Part, a []string of URLs or a [][]byte, not string"},
		{"bytes for many", mp[[]byte]{Spec: "documents"}, "{x:documents} needs a []prompt.Part, a []string of URLs or a [][]byte, not []uint8"},
		{"ints for many", mp[[]int]{Spec: "audios"}, "{x:audios} needs a []prompt.Part, a []string of URLs or a [][]byte, not []int"},
		{"media struct", mp[prompt.Media]{Spec: "image"}, "{x:image} needs a prompt.Part, a URL string or a []byte, not prompt.Media"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := prompt.Check(tc.p)
			require.ErrorIs(t, err, prompt.ErrInvalidField)
			var pe *prompt.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "x", pe.Field)
			assert.Contains(t, err.Error(), "template 1:15: "+tc.msg)
			_, rerr := prompt.Render(tc.p)
			assert.Equal(t, err, rerr)
		})
	}
}

type partAsText struct {
	X prompt.Part `prompt:"x"`
}

func (partAsText) Template() string { return "Look at {x}" }

type partsAsList struct {
	X []prompt.Part `prompt:"x"`
}

func (partsAsList) Template() string { return "Look at {x:list}" }

type urlTwice struct {
	X string `prompt:"x"`
}

func (urlTwice) Template() string { return "Look at {x:image}, found at {x}" }

type imageAndDocument struct {
	X string `prompt:"x"`
}

func (imageAndDocument) Template() string { return "{x:image} {x:document}" }

type sameImageTwice struct {
	X []byte `prompt:"x"`
}

func (sameImageTwice) Template() string { return "{x:image} and again {x:image}" }

func TestMediaSpecMisuse(t *testing.T) {
	for _, tc := range []struct {
		p   any
		msg string
	}{
		{partAsText{}, "prompt: partAsText.x: template 1:9: {x} is a prompt.Part: place it with {x:image}, {x:audio} or {x:document}"},
		{partsAsList{}, "prompt: partsAsList.x: template 1:9: {x:list} is a []prompt.Part: place it with {x:images}, {x:audios} or {x:documents}"},
		{urlTwice{}, "prompt: urlTwice.x: template 1:29: {x} is placed as {x:image} at 1:9: a field placed as media is placed the same way everywhere"},
		{imageAndDocument{}, "prompt: imageAndDocument.x: template 1:11: {x:document} is placed as {x:image} at 1:1: a field placed as media is placed the same way everywhere"},
	} {
		err := prompt.Check(tc.p)
		require.ErrorIs(t, err, prompt.ErrInvalidField)
		assert.EqualError(t, err, tc.msg)
	}
	// The same image twice is fine: one Value, placed twice.
	r, err := prompt.Render(sameImageTwice{X: pngBytes})
	require.NoError(t, err)
	require.Len(t, r.Messages[0].Parts, 3)
	assert.Same(t, r.Messages[0].Parts[0].Media, r.Messages[0].Parts[2].Media)
	assert.Equal(t, "and again", r.Messages[0].Parts[1].Text)
}

func TestMediaValueErrorsAtRender(t *testing.T) {
	wrongKind := prompt.AudioData(wavBytes, "")
	for _, tc := range []struct {
		name string
		p    any
		msg  string
	}{
		{"audio part as image", mp[prompt.Part]{X: wrongKind, Spec: "image"}, "{x:image} holds an audio part, not an image: place it with :audio"},
		{"document part as audios", mp[[]prompt.Part]{X: []prompt.Part{prompt.DocumentURL("https://x.org/a.pdf")}, Spec: "audios"}, "{x:audios}[0] holds a document part, not an audio: place it with :document"},
		{"text part", mp[prompt.Part]{X: prompt.Text("hi"), Spec: "image"}, "{x:image} holds a text part, not an image"},
		{"both", mp[prompt.Part]{X: prompt.Part{Text: "hi", Media: &prompt.Media{URL: "https://x.org/a"}}, Spec: "image"}, "{x:image} holds a part with both Text and Media"},
		{"zero part", mp[prompt.Part]{Spec: "image"}, "{x:image} is empty: set it, or make the field a pointer (nil places nothing)"},
		{"empty URL", mp[string]{Spec: "document"}, "{x:document} is empty"},
		{"empty bytes", mp[[]byte]{X: []byte{}, Spec: "audio"}, "{x:audio} is empty"},
		{"empty element", mp[[]string]{X: []string{"https://x.org/a.png", ""}, Spec: "images"}, "{x:images}[1] is empty"},
		{"pdf bytes as image", mp[[]byte]{X: pdfBytes, Spec: "image"}, "{x:image} holds application/pdf bytes, not an image: place them with :document"},
		{"png bytes as audio", mp[[][]byte]{X: [][]byte{pngBytes}, Spec: "audios"}, "{x:audios}[0] holds image/png bytes, not an audio: place them with :image"},
		{"path, not URL", mp[string]{X: "cover.png", Spec: "image"}, `{x:image} "cover.png" is not a URL: want http(s)://, gs://, s3:// or a base64 data: URL; read a local file with prompt.File`},
		{"ftp", mp[string]{X: "ftp://x.org/a.png", Spec: "image"}, `"ftp://x.org/a.png" is not a media URL`},
		{"no host", mp[string]{X: "https:///a.png", Spec: "image"}, `"https:///a.png" has no host (or bucket)`},
		{"data not base64", mp[string]{X: "data:image/png,abc", Spec: "image"}, "a data: URL that is not base64"},
		{"data bad base64", mp[string]{X: "data:image/png;base64,ab$=", Spec: "image"}, "a data: URL whose data is not valid base64"},
		{"data no type", mp[string]{X: "data:;base64,AAAA", Spec: "image"}, "a data: URL without a media type"},
		{"two sources", mp[prompt.Part]{X: prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "https://x.org/a", FileID: "f"}}, Spec: "image"}, "image with more than one source (URL and FileID): set exactly one"},
		{"no source", mp[prompt.Part]{X: prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage}}, Spec: "image"}, "image without a source"},
		{"interface of int", mp[any]{X: 3, Spec: "image"}, "{x:image} holds a int: want a prompt.Part, a URL string or a []byte"},
		{"interface of one for many", mp[any]{X: "https://x.org/a.png", Spec: "images"}, "{x:images} holds a string: want a []prompt.Part, a []string of URLs or a [][]byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, prompt.Check(tc.p), "the type is fine: only the value is wrong")
			_, err := prompt.Render(tc.p)
			require.ErrorIs(t, err, prompt.ErrInvalidValue)
			var pe *prompt.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "x", pe.Field)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestNilMediaPlacesNothing(t *testing.T) {
	// A nil pointer or an empty list places nothing: the text around it
	// stays one text, and the section is Content as if it had no media.
	r, err := prompt.Render(mp[*prompt.Part]{Spec: "image"})
	require.NoError(t, err)
	assert.Equal(t, []prompt.Message{prompt.User("Look at  please.")}, r.Messages)
	assert.Nil(t, r.Fields[0].Value)

	r, err = prompt.Render(mp[[]string]{Spec: "images"})
	require.NoError(t, err)
	assert.Equal(t, []prompt.Message{prompt.User("Look at  please.")}, r.Messages)
	assert.Equal(t, []prompt.Part{}, r.Fields[0].Value)
}

type onlyMedia struct {
	A *prompt.Part `prompt:"a"`
	B string       `prompt:"b"`
}

func (onlyMedia) Template() string {
	return `
		SYSTEM: {b}
		USER: {a:image}
	`
}

func TestSectionOfOnlyMediaIsKept(t *testing.T) {
	img := prompt.ImageURL("https://example.com/a.png")
	r, err := prompt.Render(onlyMedia{A: &img})
	require.NoError(t, err, "a section whose only content is media is not empty")
	require.Len(t, r.Messages, 1)
	assert.Equal(t, []prompt.Part{img}, r.Messages[0].Parts)

	_, err = prompt.Render(onlyMedia{})
	require.ErrorIs(t, err, prompt.ErrNoMessages, "nothing placed and blank text: both sections left out")
}

type compare struct {
	A      prompt.Part   `prompt:"a"`
	B      []byte        `prompt:"b"`
	Others []prompt.Part `prompt:"others"`
	Adj    string        `prompt:"adj"`
}

func (compare) Template() string {
	return `
		SYSTEM: You compare pictures.
		USER:
		Compare {a:image}
		and {b:image}
		{others:images}: which is {adj}?
	`
}

func TestSeveralMediaInOneSection(t *testing.T) {
	a := prompt.ImageURL("https://example.com/a.png")
	o1, o2 := prompt.ImageURL("s3://b/1.png"), prompt.ImageURL("s3://b/2.png").WithDetail("low")
	r, err := prompt.Render(compare{A: a, B: pngBytes, Others: []prompt.Part{o1, o2}, Adj: "nicer"})
	require.NoError(t, err)
	require.Len(t, r.Messages, 2)
	assert.Equal(t, "You compare pictures.", r.Messages[0].Content)
	assert.Nil(t, r.Messages[0].Parts, "a section without media stays Content-only")
	assert.Equal(t, []prompt.Part{
		prompt.Text("Compare"), a, prompt.Text("and"), prompt.ImageData(pngBytes, ""),
		o1, o2, prompt.Text(": which is nicer?"),
	}, r.Messages[1].Parts)
	assert.Equal(t, "low", r.Messages[1].Parts[5].Media.Detail)

	// Media placing nothing leave the text merged.
	r, err = prompt.Render(compare{A: a, B: pngBytes, Adj: "nicer"})
	require.NoError(t, err)
	assert.Equal(t, []prompt.Part{prompt.Text("Compare"), a, prompt.Text("and"), prompt.ImageData(pngBytes, ""), prompt.Text(": which is nicer?")}, r.Messages[1].Parts)
}

func TestRenderedMediaSharesOnlyTheBytes(t *testing.T) {
	img := prompt.ImageData(pngBytes, "")
	p := mp[prompt.Part]{X: img, Spec: "image"}
	r, err := prompt.Render(p)
	require.NoError(t, err)
	got := r.Messages[0].Parts[1].Media
	assert.NotSame(t, img.Media, got, "the Media struct is copied")
	assert.Same(t, &pngBytes[0], &got.Data[0], "the bytes are not")
	img.Media.MIMEType = "changed"
	assert.Equal(t, "image/png", got.MIMEType)
	assert.Equal(t, "image/png", r.Fields[0].Value.(prompt.Part).Media.MIMEType)
}

type secretCover struct {
	Cover  prompt.Part   `prompt:"cover,redact"`
	Scans  [][]byte      `prompt:"scans,redact"`
	Public []prompt.Part `prompt:"public"`
	Note   string        `prompt:"note,redact"`
}

func (secretCover) Template() string {
	return "SYSTEM: keep {note} quiet\nUSER: Here: {cover:image} {scans:images} and {public:images} done"
}

func TestRedactedMediaIsMaskedWholeInSpans(t *testing.T) {
	cover := prompt.ImageURL("https://private.example.com/cover.png?token=abcdef")
	pub := prompt.ImageURL("https://example.com/public.png")
	r, err := prompt.Render(secretCover{Cover: cover, Scans: [][]byte{pngBytes, pngBytes}, Public: []prompt.Part{pub}, Note: "hush-hush"})
	require.NoError(t, err)
	require.Len(t, r.Messages, 2)
	assert.Equal(t, []prompt.Part{prompt.Text("Here:"), cover, prompt.ImageData(pngBytes, ""), prompt.ImageData(pngBytes, ""),
		prompt.Text("and"), pub, prompt.Text("done")}, r.Messages[1].Parts)

	// A redacted media variable is one "[REDACTED]" text part in its
	// place: the span never holds its URL or bytes.
	masked := r.MaskedMessages()
	require.Len(t, masked, 2)
	assert.Equal(t, "keep [REDACTED] quiet", masked[0].Content)
	assert.Equal(t, []prompt.Part{prompt.Text("Here:"), prompt.Text(prompt.RedactedText), prompt.Text(prompt.RedactedText),
		prompt.Text("and"), pub, prompt.Text("done")}, masked[1].Parts)
	assert.Equal(t, prompt.RedactedText, r.Fields[0].Masked())
	assert.Equal(t, prompt.RedactedText, r.Fields[1].Masked())
	assert.Equal(t, []prompt.Part{pub}, r.Fields[2].Masked())

	// What a recorder masks in free text: the URL and the other secrets,
	// never the bytes, nor words like "image" or "image/png".
	assert.Equal(t, []string{cover.Media.URL, "hush-hush"}, r.RedactedValues())
}

func TestRedactedMediaPlacingNothingKeepsSectionsAligned(t *testing.T) {
	r, err := prompt.Render(secretCover{Cover: prompt.ImageURL("https://x.org/a.png"), Note: "hush-hush"})
	require.NoError(t, err)
	require.Len(t, r.MaskedMessages(), len(r.Messages))
	assert.Equal(t, []prompt.Part{prompt.Text("Here:"), prompt.Text(prompt.RedactedText), prompt.Text("and  done")}, r.MaskedMessages()[1].Parts)
}

type partHistory struct {
	History []prompt.Message `prompt:"history"`
}

func (partHistory) Template() string { return "MESSAGES: {history}\nUSER: and now?" }

type partMessages struct{ Msgs []prompt.Message }

func (p partMessages) Messages() []prompt.Message { return p.Msgs }

func TestMessagesWithPartsAreCheckedAndCopied(t *testing.T) {
	img := prompt.ImageURL("https://example.com/a.png")
	good := []prompt.Message{prompt.UserParts(prompt.Text("what is it?"), img)}
	r, err := prompt.Render(partHistory{History: good})
	require.NoError(t, err)
	assert.Equal(t, good[0], r.Messages[0])
	assert.NotSame(t, img.Media, r.Messages[0].Parts[1].Media, "a spliced history shares nothing but bytes")

	r, err = prompt.Render(partMessages{Msgs: good})
	require.NoError(t, err)
	assert.NotSame(t, img.Media, r.Messages[0].Parts[1].Media)

	bad := []prompt.Message{prompt.User("hi"), {Role: prompt.RoleUser, Content: "look", Parts: []prompt.Part{img}}}
	_, err = prompt.Render(partHistory{History: bad})
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)
	assert.EqualError(t, err, "prompt: partHistory.history: messages[1] has both Content and Parts: put the text in a prompt.Text part")

	_, err = prompt.Render(partMessages{Msgs: bad})
	require.ErrorIs(t, err, prompt.ErrInvalidMessage)
	assert.EqualError(t, err, "prompt: partMessages: messages[1] has both Content and Parts: put the text in a prompt.Text part")
}

func TestCheckMessages(t *testing.T) {
	img := prompt.ImageURL("https://example.com/a.png")
	for _, tc := range []struct {
		name string
		m    prompt.Message
		msg  string // "" when valid
	}{
		{"text", prompt.User("hi"), ""},
		{"parts", prompt.UserParts(prompt.Text("hi"), img, prompt.FileRef(prompt.MediaDocument, "file-abc", ""), prompt.AudioData(wavBytes, "")), ""},
		{"content and parts", prompt.Message{Role: prompt.RoleUser, Content: "hi", Parts: []prompt.Part{img}}, "messages[0] has both Content and Parts: put the text in a prompt.Text part"},
		{"text and media", prompt.UserParts(prompt.Part{Text: "hi", Media: img.Media}), "messages[0].Parts[0]: a part with both Text and Media: make them two parts"},
		{"empty part", prompt.UserParts(img, prompt.Part{}), "messages[0].Parts[1]: an empty part: set Text or Media"},
		{"no kind", prompt.UserParts(prompt.Part{Media: &prompt.Media{URL: "https://x.org"}}), "media without a Kind: set MediaImage, MediaAudio or MediaDocument"},
		{"unknown kind", prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: "video", URL: "https://x.org"}}), `unknown media kind "video": want image, audio or document`},
		{"no source", prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage}}), "image without a source: set one of URL, Data and FileID"},
		{"two sources", prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaAudio, URL: "https://x.org", Data: wavBytes, MIMEType: "audio/wav"}}), "audio with more than one source (URL and Data): set exactly one"},
		{"three sources", prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaAudio, URL: "https://x.org", Data: wavBytes, FileID: "f"}}), "(URL and Data and FileID)"},
		{"data without type: sniffed where sent", prompt.UserParts(prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, Data: pngBytes}}), ""},
		{"bad URL", prompt.UserParts(prompt.ImageURL("/tmp/a.png")), `messages[0].Parts[0]: "/tmp/a.png" is not a URL`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := prompt.CheckMessages([]prompt.Message{tc.m})
			if tc.msg == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, prompt.ErrInvalidMessage)
			var pe *prompt.Error
			require.True(t, errors.As(err, &pe))
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

type requiredCover struct {
	Cover prompt.Part `prompt:"cover" validate:"required"`
}

func (requiredCover) Template() string { return "Describe {cover:image}" }

func TestRequiredMedia(t *testing.T) {
	_, err := prompt.Render(requiredCover{})
	require.ErrorIs(t, err, prompt.ErrValidation)
	assert.EqualError(t, err, `prompt: requiredCover.Cover: failed "required" (got an empty part)`)
}

func TestTemplateValuesRefuseMedia(t *testing.T) {
	tm, err := template.Parse("Look at {x:image}")
	require.NoError(t, err)
	_, err = tm.Execute(template.Values{"x": "https://example.com/a.png"})
	require.ErrorIs(t, err, template.ErrSyntax)
	assert.EqualError(t, err, "template 1:9: {x:image} places media, which only package prompt renders")
}

type scanDoc struct {
	Scan prompt.Part `prompt:"scan"`
	ID   string      `prompt:"id"`
}

type nestedSecretMedia struct {
	Doc scanDoc `prompt:"doc,redact"`
}

func (nestedSecretMedia) Template() string { return "Read {doc.scan:image} of {doc.id}" }

func TestRedactedStructHoldingMedia(t *testing.T) {
	for _, scan := range []prompt.Part{prompt.ImageData(pngBytes, ""), prompt.ImageURL("https://private.example.com/scan.png")} {
		r, err := prompt.Render(nestedSecretMedia{Doc: scanDoc{Scan: scan, ID: "123-45-6789"}})
		require.NoError(t, err)
		assert.Equal(t, []prompt.Part{prompt.Text("Read"), scan, prompt.Text("of 123-45-6789")}, r.Messages[0].Parts)
		assert.Equal(t, []prompt.Part{prompt.Text("Read"), prompt.Text(prompt.RedactedText), prompt.Text("of [REDACTED]")}, r.MaskedMessages()[0].Parts)
		// Never the bytes, the kind or the MIME type: searched for in an
		// answer, "image" would mangle it.
		want := []string{"123-45-6789"}
		if scan.Media.URL != "" {
			want = []string{scan.Media.URL, "123-45-6789"}
		}
		assert.Equal(t, want, r.RedactedValues())
	}
}

// FuzzMediaURL: any string placed as an image renders or fails with
// ErrInvalidValue, never panics, and what renders passes CheckMessages.
func FuzzMediaURL(f *testing.F) {
	for _, s := range []string{"https://example.com/a.png", "gs://b/k", "data:image/png;base64,AAAA", "data:,x", "s3://", "http://[::1", "cover.png", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := prompt.Render(mp[string]{X: s, Spec: "image"})
		if err != nil {
			if !errors.Is(err, prompt.ErrInvalidValue) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if err := prompt.CheckMessages(r.Messages); err != nil {
			t.Fatalf("%q rendered, but: %v", s, err)
		}
		if err := prompt.CheckMessages([]prompt.Message{prompt.UserParts(prompt.ImageURL(s))}); err != nil {
			t.Fatalf("%q rendered, but as ImageURL: %v", s, err)
		}
	})
}

// TestMediaBytesAreNeverCopied: rendering a 1 MB image, as bytes, as a
// Part or as a data: URL, allocates no more than rendering a 16-byte one.
func TestMediaBytesAreNeverCopied(t *testing.T) {
	big := append(append([]byte(nil), pngBytes...), make([]byte, 1<<20)...)
	allocated := func(p any) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 10 {
			if _, err := prompt.Render(p); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 10
	}
	small, large := "data:image/png;base64,"+base64.StdEncoding.EncodeToString(pngBytes), "data:image/png;base64,"+base64.StdEncoding.EncodeToString(big)
	for _, tc := range []struct{ small, large any }{
		{mp[[]byte]{X: pngBytes, Spec: "image"}, mp[[]byte]{X: big, Spec: "image"}},
		{mp[prompt.Part]{X: prompt.ImageData(pngBytes, ""), Spec: "image"}, mp[prompt.Part]{X: prompt.ImageData(big, ""), Spec: "image"}},
		{mp[string]{X: small, Spec: "image"}, mp[string]{X: large, Spec: "image"}},
		{mp[[][]byte]{X: [][]byte{pngBytes}, Spec: "images"}, mp[[][]byte]{X: [][]byte{big}, Spec: "images"}},
	} {
		s, l := allocated(tc.small), allocated(tc.large)
		assert.Less(t, l, s+4096, "%T: %d bytes a render for a 16-byte image, %d for 1 MB", tc.small, s, l)
	}
}
