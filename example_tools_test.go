package mirascope_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// Librarian is a prompt that needs a tool to answer.
type Librarian struct {
	Question string `prompt:"question" validate:"required"`
}

func (Librarian) Template() string { return "SYSTEM: You are a librarian.\nUSER: {question}" }

// AuthorQuery is the tool's input: its schema comes from these tags.
type AuthorQuery struct {
	Title string `json:"title" jsonschema:"the book's title" validate:"required"`
}

var getAuthor = mirascope.NewTool("get_author", "Returns the author of a book",
	func(ctx context.Context, in AuthorQuery) (string, error) {
		if in.Title == "Dune" {
			return "Frank Herbert", nil
		}
		return "", fmt.Errorf("no book titled %q", in.Title)
	})

func ExampleNewTool() {
	def := getAuthor.Definition()
	fmt.Println(def.Name)
	fmt.Println(string(def.Parameters))

	// Arguments are decoded strictly and validated before the function runs.
	out, err := getAuthor.Call(context.Background(), `{"title":"Dune"}`)
	fmt.Println(out, err)
	_, err = getAuthor.Call(context.Background(), `{"title":""}`)
	fmt.Println(err)
	// Output:
	// get_author
	// {"properties":{"title":{"type":"string","description":"the book's title"}},"additionalProperties":false,"type":"object","required":["title"]}
	// Frank Herbert <nil>
	// mirascope: invalid arguments for tool get_author: $.title: failed rule "required" (got "")
}

func ExampleRun() {
	// The model asks for two books' authors, then answers.
	provider := mock.New(
		mock.ToolCalls(
			mock.ToolCall("get_author", AuthorQuery{Title: "Dune"}),
			mock.ToolCall("get_author", AuthorQuery{Title: "Dune Messiah"}),
		),
		mock.Text("Frank Herbert wrote Dune."),
	)
	tr, err := mirascope.Run(context.Background(), provider, Librarian{Question: "Who wrote Dune and Dune Messiah?"},
		mirascope.WithTools(getAuthor), mirascope.WithMaxTurns(4))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tr.Response)
	fmt.Println(tr.Turns, "turns")
	for _, m := range tr.Messages {
		fmt.Printf("%s: %q %d %v\n", m.Role, m.Content, len(m.ToolCalls), m.IsError)
	}
	// Output:
	// Frank Herbert wrote Dune.
	// 2 turns
	// system: "You are a librarian." 0 false
	// user: "Who wrote Dune and Dune Messiah?" 0 false
	// assistant: "" 2 false
	// tool: "Frank Herbert" 0 false
	// tool: "Error: no book titled \"Dune Messiah\"" 0 true
	// assistant: "Frank Herbert wrote Dune." 0 false
}

// BookInfo is what Extract asks the model for.
type BookInfo struct {
	Title  string `json:"title" validate:"required"`
	Author string `json:"author" validate:"required"`
	Year   int    `json:"year" jsonschema:"year of first publication" validate:"gte=1450,lte=2100"`
}

func ExampleExtract() {
	// The first answer breaks a rule; the model is told and corrects it.
	provider := mock.New(
		mock.JSON(`{"title":"Dune","author":"Frank Herbert","year":65}`),
		mock.JSON(BookInfo{Title: "Dune", Author: "Frank Herbert", Year: 1965}),
	)
	book, _, err := mirascope.Extract[BookInfo](context.Background(), provider,
		Librarian{Question: "Tell me about Dune."}, mirascope.WithMaxReasks(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", book)
	fmt.Println(provider.Requests()[1].Messages[3].Content)

	// Without re-asks, the invalid answer is an error keeping every attempt.
	provider.Reset()
	_, _, err = mirascope.Extract[BookInfo](context.Background(), provider, Librarian{Question: "Tell me about Dune."})
	var xe *mirascope.ExtractError
	fmt.Println(errors.As(err, &xe), len(xe.Attempts))
	// Output:
	// {Title:Dune Author:Frank Herbert Year:1965}
	// Your answer is not valid: $.year: failed rule "gte=1450" (got 65)
	// Answer again with the corrected JSON only.
	// true 1
}

func ExampleExtract_slice() {
	// A T that is not a struct travels as {"value": …}: services take only
	// an object as a structured answer. Extract unwraps it, and checks
	// every item as Extract[BookInfo] would.
	provider := mock.New(mock.JSON(`{"value":[
		{"title":"Dune","author":"Frank Herbert","year":1965},
		{"title":"Solaris","author":"Stanisław Lem","year":1961}]}`))
	books, _, err := mirascope.Extract[[]BookInfo](context.Background(), provider,
		Librarian{Question: "Two classics of science fiction?"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range books {
		fmt.Printf("%+v\n", b)
	}

	// An item missing a required key: the error names where.
	provider = mock.New(mock.JSON(`{"value":[{"title":"Dune","author":"Frank Herbert","year":1965},{"title":"Solaris","year":1961}]}`))
	_, _, err = mirascope.Extract[[]BookInfo](context.Background(), provider, Librarian{Question: "Two classics?"})
	var ve *mirascope.ValueError
	fmt.Println(errors.As(err, &ve), ve.Path)
	fmt.Println(err)
	// Output:
	// {Title:Dune Author:Frank Herbert Year:1965}
	// {Title:Solaris Author:Stanisław Lem Year:1961}
	// true $.value[1].author
	// mirascope: extract []mirascope_test.BookInfo: 1 attempt failed; last: $.value[1].author: required, missing
}

func ExampleStreamExtract() {
	// The answer arrives in pieces, as a service streams it.
	var chunks []*mirascope.Chunk
	for _, s := range []string{`{"title": "Du`, `ne", "author": "Frank`, ` Herbert", "year": 1965}`} {
		chunks = append(chunks, &mirascope.Chunk{Content: s})
	}
	provider := mock.New(mock.Chunks(chunks...))

	s, err := mirascope.StreamExtract[BookInfo](context.Background(), provider, Librarian{Question: "Tell me about Dune."})
	if err != nil {
		fmt.Println(err)
		return
	}
	for partial, err := range s.Partials() {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%+v\n", partial)
	}
	book, _, err := s.Result()
	fmt.Printf("%+v %v\n", book, err)
	// Output:
	// {Title:Du Author: Year:0}
	// {Title:Dune Author:Frank Year:0}
	// {Title:Dune Author:Frank Herbert Year:1965}
	// {Title:Dune Author:Frank Herbert Year:1965} <nil>
}
