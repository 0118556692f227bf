package prompt_test

import (
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/mirascope-go/mirascope/prompt"
)

// benchPrompt is a 5-field template prompt, the shape of a typical call.
type benchPrompt struct {
	Genre    string `prompt:"genre"`
	Audience string `prompt:"audience"`
	Mood     string `prompt:"mood"`
	Era      string `prompt:"era"`
	Count    int    `prompt:"count"`
}

func (benchPrompt) Template() string {
	return "Recommend {count} {mood} {genre} books for {audience} readers, written in the {era}."
}

var benchValue = benchPrompt{Genre: "fantasy", Audience: "young adult", Mood: "hopeful", Era: "1970s", Count: 3}

var sink string

// BenchmarkRender compares prompt.Render with the same text built by
// fmt.Sprintf and by text/template, in one run.
func BenchmarkRender(b *testing.B) {
	b.Run("prompt.Render", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := prompt.Render(benchValue)
			if err != nil {
				b.Fatal(err)
			}
			sink = r.Messages[0].Content
		}
	})
	b.Run("fmt.Sprintf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := benchValue
			sink = fmt.Sprintf("Recommend %d %s %s books for %s readers, written in the %s.", v.Count, v.Mood, v.Genre, v.Audience, v.Era)
		}
	})
	b.Run("text/template", func(b *testing.B) {
		tt := template.Must(template.New("p").Parse("Recommend {{.Count}} {{.Mood}} {{.Genre}} books for {{.Audience}} readers, written in the {{.Era}}."))
		b.ReportAllocs()
		var sb strings.Builder
		for b.Loop() {
			sb.Reset()
			if err := tt.Execute(&sb, benchValue); err != nil {
				b.Fatal(err)
			}
			sink = sb.String()
		}
	})
}

// benchRich is a prompt holding composite values (a slice, a map, a nested
// struct with a redacted field): what Render copies so that a tracer reads
// exactly what was sent.
type benchRich struct {
	Genre  string            `prompt:"genre"`
	Read   []string          `prompt:"read"`
	Meta   map[string]string `prompt:"meta"`
	Author struct {
		Name  string `prompt:"name"`
		Email string `prompt:"email,redact"`
	} `prompt:"author"`
}

func (benchRich) Template() string {
	return "SYSTEM: You are a librarian for {author.name} <{author.email}>.\nUSER: I have read:\n{read:list}\nRecommend a {genre} book ({meta:json})."
}

var anySink any

// BenchmarkRenderComposite measures Render on composite values, alone and
// followed by what a tracer reads (the masked messages and every field's
// masked value).
func BenchmarkRenderComposite(b *testing.B) {
	v := benchRich{Genre: "fantasy", Meta: map[string]string{"lang": "en", "age": "adult"}}
	for i := range 20 {
		v.Read = append(v.Read, fmt.Sprintf("Book number %d", i))
	}
	v.Author.Name, v.Author.Email = "Le Guin", "ursula@example.com"
	for _, traced := range []bool{false, true} {
		name := "render"
		if traced {
			name = "render+tracer"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := prompt.Render(v)
				if err != nil {
					b.Fatal(err)
				}
				sink = r.Messages[1].Content
				if traced {
					sink = r.MaskedMessages()[0].Content
					for _, f := range r.Fields {
						anySink = f.Masked()
					}
				}
			}
		})
	}
}

// coverPrompt places an image in the middle of its text; coverText is the
// same template without it.
type coverPrompt struct {
	Genre string `prompt:"genre"`
	Cover []byte `prompt:"cover"`
}

func (coverPrompt) Template() string {
	return "SYSTEM: You describe book covers.\nUSER: Describe this {genre} book cover: {cover:image} In one sentence."
}

type coverText struct {
	Genre string `prompt:"genre"`
}

func (coverText) Template() string {
	return "SYSTEM: You describe book covers.\nUSER: Describe this {genre} book cover: In one sentence."
}

var partSink []prompt.Part

// BenchmarkRenderMedia renders a template with a 1 KB and a 1 MB image
// against the same template without it: the bytes are never copied, so
// the allocations do not depend on the image's size.
func BenchmarkRenderMedia(b *testing.B) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	b.Run("no image", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := prompt.Render(coverText{Genre: "fantasy"})
			if err != nil {
				b.Fatal(err)
			}
			sink = r.Messages[1].Content
		}
	})
	for _, size := range []int{1 << 10, 1 << 20} {
		img := append(append(make([]byte, 0, size), png...), make([]byte, size-len(png))...)
		b.Run(fmt.Sprintf("image %d KB", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := prompt.Render(coverPrompt{Genre: "fantasy", Cover: img})
				if err != nil {
					b.Fatal(err)
				}
				partSink = r.Messages[1].Parts
			}
		})
	}
}
