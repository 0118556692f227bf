package mirascope_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Book is the seed's prompt: a template over a validated field.
type Book struct {
	Genre string `prompt:"genre" validate:"required,oneof=fantasy scifi mystery"`
}

func (Book) Template() string { return "Recommend a {genre} book." }

func ExampleCall() {
	// Any provider works here: openai.New("gpt-4o-mini"), otel.Traced(...), …
	provider := mock.New(mock.Text("Try The Name of the Wind by Patrick Rothfuss."))

	resp, err := mirascope.Call(context.Background(), provider, Book{Genre: "fantasy"},
		mirascope.WithMaxTokens(256))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp)

	// Bad input fails before any request.
	_, err = mirascope.Call(context.Background(), provider, Book{Genre: "horror"})
	fmt.Println(err)
	fmt.Println(errors.Is(err, prompt.ErrValidation), len(provider.Requests()))
	// Output:
	// Try The Name of the Wind by Patrick Rothfuss.
	// prompt: Book.Genre: failed "oneof=fantasy scifi mystery" (got "horror")
	// true 1
}

func ExampleStream() {
	provider := mock.New(mock.Text("Try Dune."))

	stream, err := mirascope.Stream(context.Background(), provider, Book{Genre: "scifi"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for chunk, err := range stream.Chunks() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%q\n", chunk.Content)
	}
	final := stream.Response()
	fmt.Println(final.Content, final.FinishReasons, final.Usage.OutputTokens)
	// Output:
	// "Try"
	// " Dune."
	// Try Dune. [stop] 2
}
