package prompt_test

import (
	"fmt"

	"github.com/mirascope-go/mirascope/prompt"
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
