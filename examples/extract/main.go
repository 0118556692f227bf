// Command extract asks a model for a typed value: the schema of Book goes
// out as OpenAI's strict structured output, the answer is decoded strictly
// and validated (the validate tags, then Book's Validate method), and an
// invalid answer is sent back with what was wrong, once. The calls are
// traced with OpenTelemetry, one chat span per attempt, printed as JSON as
// they end.
//
//	go run ./examples/extract
//	go run ./examples/extract -offline
//	go run ./examples/extract -stream   # the value as it fills in
//
// With OPENAI_API_KEY in the environment it calls OpenAI. Without it, or
// with -offline, the real OpenAI client talks to an in-process server that
// replays recorded answers from recorded/: the first with an ISBN whose
// check digit is wrong, the corrected one after the re-ask; streamed, a valid
// answer in pieces (a stream is not asked again).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/openai"
)

// DescribeBook is the prompt.
type DescribeBook struct {
	Title string `prompt:"title" validate:"required"`
}

func (DescribeBook) Template() string { return "Give the details of the book {title}." }

// Book is what the model must answer with.
type Book struct {
	Title  string   `json:"title" validate:"required"`
	Author string   `json:"author" jsonschema:"the author's full name" validate:"required"`
	Year   int      `json:"year" jsonschema:"year of first publication" validate:"gte=1450,lte=2100"`
	ISBN   string   `json:"isbn" jsonschema:"ISBN-13 of the first edition, digits only" validate:"len=13,numeric"`
	Genres []string `json:"genres" validate:"min=1,max=3"`
}

// Validate checks what no tag can: the ISBN-13 check digit.
func (b Book) Validate() error {
	if len(b.ISBN) != 13 {
		return fmt.Errorf("isbn %q is not 13 digits", b.ISBN)
	}
	sum := 0
	for i, c := range b.ISBN[:12] {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	if want := byte('0' + (10-sum%10)%10); b.ISBN[12] != want {
		return fmt.Errorf("isbn %s has check digit %c, want %c", b.ISBN, b.ISBN[12], want)
	}
	return nil
}

func main() {
	offline := flag.Bool("offline", false, "replay recorded answers even when OPENAI_API_KEY is set")
	title := flag.String("title", "The Name of the Wind", "the book to describe")
	stream := flag.Bool("stream", false, "print the value as it streams in")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, os.Stderr, *title, *offline, *stream); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run is the whole program; otelOpts replace the console exporter in tests.
func run(ctx context.Context, stdout, stderr io.Writer, title string, offline, stream bool, otelOpts ...otelsetup.Option) (err error) {
	var opts []providers.Option
	if offline || os.Getenv("OPENAI_API_KEY") == "" {
		srv := httptest.NewServer(replay())
		defer srv.Close()
		// The key only ever reaches the replay server.
		opts = append(opts, providers.WithBaseURL(srv.URL), providers.WithAPIKey("offline-replay"))
		fmt.Fprintln(stderr, "offline: no OPENAI_API_KEY in the environment (or -offline); replaying recorded answers")
	}

	shutdown, err := otelsetup.Configure(otelOpts...)
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		err = errors.Join(err, shutdown(ctx))
	}()
	provider := otel.Traced(openai.New("gpt-4o-mini", opts...))

	var book Book
	if stream {
		book, err = streamed(ctx, stdout, provider, title)
	} else {
		book, _, err = mirascope.Extract[Book](ctx, provider, DescribeBook{Title: title}, mirascope.WithMaxReasks(1))
	}
	var xe *mirascope.ExtractError
	if errors.As(err, &xe) {
		for i, a := range xe.Attempts {
			fmt.Fprintf(stderr, "attempt %d: %s\n  %v\n", i+1, a.Raw, a.Err)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s by %s (%d), ISBN %s, %v\n", book.Title, book.Author, book.Year, book.ISBN, book.Genres)
	return nil
}

// streamed prints each partial Book as the answer streams in, then returns
// the validated one.
func streamed(ctx context.Context, stdout io.Writer, provider mirascope.Provider, title string) (Book, error) {
	s, err := mirascope.StreamExtract[Book](ctx, provider, DescribeBook{Title: title})
	if err != nil {
		return Book{}, err
	}
	for partial, err := range s.Partials() {
		if err != nil {
			return Book{}, err
		}
		fmt.Fprintf(stdout, "… %+v\n", partial)
	}
	book, _, err := s.Result()
	return book, err
}
