package prompt_test

import (
	"context"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type Librarian struct {
	Genre  string   `prompt:"genre" validate:"required"`
	Read   []string `prompt:"read"`
	APIKey string   `prompt:"api_key,redact"`
}

func (Librarian) Template() string {
	return `
		SYSTEM: You are a librarian. Never mention {api_key}.
		USER:
		I have read:
		{read:list}

		Recommend a {genre} book.
	`
}

func ExampleRender() {
	r, err := prompt.Render(Librarian{Genre: "fantasy", Read: []string{"Dune", "Emma"}, APIKey: "sk-secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Name)
	for _, m := range r.Messages {
		fmt.Printf("%s: %q\n", m.Role, m.Content)
	}
	for _, f := range r.Fields {
		fmt.Printf("%s=%v\n", f.Name, f.Masked())
	}
	fmt.Printf("%q\n", r.MaskedMessages()[0].Content)
	// Output:
	// Librarian
	// system: "You are a librarian. Never mention sk-secret."
	// user: "I have read:\nDune\nEmma\n\nRecommend a fantasy book."
	// genre=fantasy
	// read=[Dune Emma]
	// api_key=[REDACTED]
	// "You are a librarian. Never mention [REDACTED]."
}

type DescribeCover struct {
	Cover prompt.Part `prompt:"cover" validate:"required"` // also: a URL string, or []byte (MIME type sniffed)
	Genre string      `prompt:"genre"`
}

func (DescribeCover) Template() string {
	return "Describe this {genre} book cover: {cover:image} One sentence."
}

// A media spec places the image where it stands: the user message becomes
// parts, text before and after it.
func ExampleRender_image() {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") // from os.ReadFile, say
	r, err := prompt.Render(DescribeCover{Cover: prompt.ImageData(png, ""), Genre: "fantasy"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Messages[0].Parts {
		if p.Media != nil {
			fmt.Printf("%s: %s, %d bytes\n", p.Media.Kind, p.Media.MIMEType, len(p.Media.Data))
			continue
		}
		fmt.Printf("text: %q\n", p.Text)
	}
	// Output:
	// text: "Describe this fantasy book cover:"
	// image: image/png, 16 bytes
	// text: "One sentence."
}

func ExampleUserParts() {
	msg := prompt.UserParts(
		prompt.Text("What is in this picture, and does the report agree?"),
		prompt.ImageURL("https://example.com/street.jpg").WithDetail("low"),
		prompt.DocumentURL("data:application/pdf;base64,JVBERi0xLjQK"),
	)
	if err := prompt.CheckMessages([]prompt.Message{msg}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(msg.Role)
	for _, p := range msg.Parts {
		if m := p.Media; m != nil {
			fmt.Printf("%s %q mime=%q detail=%q\n", m.Kind, m.URL, m.MIMEType, m.Detail)
			continue
		}
		fmt.Printf("text %q\n", p.Text)
	}
	// Output:
	// user
	// text "What is in this picture, and does the report agree?"
	// image "https://example.com/street.jpg" mime="" detail="low"
	// document "data:application/pdf;base64,JVBERi0xLjQK" mime="application/pdf" detail=""
}

// CachedLibrarian marks the end of its long system prompt as a cacheable
// prefix with the template spec.
type CachedLibrarian struct {
	Rules string `prompt:"rules"`
	Genre string `prompt:"genre"`
}

func (CachedLibrarian) Template() string {
	return `
		SYSTEM: {rules} {:cache_control}
		USER: Recommend a {genre} book.
	`
}

func ExampleCacheBreakpoint() {
	// {:cache_control} in a template…
	r, err := prompt.Render(CachedLibrarian{Rules: "You are a librarian. (Pages of house rules.)", Genre: "fantasy"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Messages[0].Parts {
		fmt.Printf("%s %q breakpoint=%v\n", r.Messages[0].Role, p.Text, p.CacheBreakpoint)
	}

	// …or prompt.CacheBreakpoint() in messages built by hand. Anthropic
	// marks the block before it with cache_control, Bedrock adds a
	// cachePoint; services that cache prefixes on their own send nothing
	// more, so the same messages work on every provider.
	provider := mock.New(mock.Text("Try Earthsea."))
	msgs := []prompt.Message{
		prompt.UserParts(prompt.Text("A long document."), prompt.CacheBreakpoint(), prompt.Text("A question about it?")),
	}
	resp, err := provider.Call(context.Background(), &mirascope.Request{Messages: msgs})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Content)
	// Output:
	// system "You are a librarian. (Pages of house rules.)" breakpoint=false
	// system "" breakpoint=true
	// Try Earthsea.
}
