// Command recommend_book is the seed's program in Go: it asks a model to
// recommend a book, traces the call with OpenTelemetry, and prints the span
// as JSON (as it ends, like the seed's console exporter) and the answer.
//
//	go run ./examples/recommend_book                     # OpenAI, template style
//	go run ./examples/recommend_book -provider anthropic -style template -genre mystery
//	go run ./examples/recommend_book -stream
//
// -style picks one of the seed's four tabs: shorthand (a Prompt method
// returning the text), messages (a Messages method built with prompt.User),
// template (a Template string filled from the struct's fields) and params (a
// Messages method returning prompt.Message literals).
//
// With the provider's credentials in the environment (OPENAI_API_KEY, …) it
// calls the real service. Without them, or with -offline, it runs offline:
// the real provider client talks to an in-process server that replays a
// recorded answer from recorded/<provider>/.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/prompt"
)

// RecommendBook is the shorthand style: the method returns the user message.
type RecommendBook struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (r RecommendBook) Prompt() string { return "Recommend a " + r.Genre + " book." }

// RecommendBookMessages returns the conversation, built with constructors.
type RecommendBookMessages struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (r RecommendBookMessages) Messages() []prompt.Message {
	return []prompt.Message{prompt.User("Recommend a " + r.Genre + " book.")}
}

// RecommendBookTemplate fills a template from its fields.
type RecommendBookTemplate struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendBookTemplate) Template() string { return "Recommend a {genre} book." }

// RecommendBookParams returns message literals, like the seed's
// BaseMessageParam tab.
type RecommendBookParams struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (r RecommendBookParams) Messages() []prompt.Message {
	return []prompt.Message{{Role: prompt.RoleUser, Content: "Recommend a " + r.Genre + " book."}}
}

// args are the command line.
type args struct {
	provider, style, genre string
	stream, offline        bool
}

func main() {
	var a args
	flag.StringVar(&a.provider, "provider", "openai", "provider: "+strings.Join(names(), ", "))
	flag.StringVar(&a.style, "style", "template", "prompt style: shorthand, messages, template or params")
	flag.StringVar(&a.genre, "genre", "fantasy", "the genre of the book")
	flag.BoolVar(&a.stream, "stream", false, "stream the answer")
	flag.BoolVar(&a.offline, "offline", false, "replay a recorded answer even when credentials are set")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, os.Stderr, a); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run is the whole program; otelOpts replace the console exporter in tests.
func run(ctx context.Context, stdout, stderr io.Writer, a args, otelOpts ...otelsetup.Option) (err error) {
	b, ok := backends[a.provider]
	if !ok {
		return fmt.Errorf("unknown provider %q: choose one of %s", a.provider, strings.Join(names(), ", "))
	}
	p, err := promptFor(a.style, a.genre)
	if err != nil {
		return err
	}

	baseURL := ""
	if a.offline || !b.online() {
		srv := httptest.NewServer(b.replay)
		defer srv.Close()
		baseURL = srv.URL
		fmt.Fprintf(stderr, "offline: no %s credentials in the environment (or -offline); replaying a recorded answer\n", a.provider)
	}

	shutdown, err := otelsetup.Configure(otelOpts...)
	if err != nil {
		return err
	}
	// Shutdown flushes every span, on the error paths too, but gives up
	// after 5 seconds: a collector that never answers must not hold the
	// program.
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if serr := shutdown(ctx); err == nil {
			err = serr
		}
	}()
	provider := otel.Traced(b.newProvider(baseURL))

	if a.stream {
		st, err := mirascope.Stream(ctx, provider, p)
		if err != nil {
			return err
		}
		ended := false
		for chunk, err := range st.Chunks() {
			if err != nil {
				return err
			}
			fmt.Fprint(stdout, chunk.Content)
			if chunk.FinishReason != "" && !ended {
				ended = true
				fmt.Fprintln(stdout) // before the span prints, as the stream ends
			}
		}
		if !ended {
			fmt.Fprintln(stdout)
		}
	} else {
		resp, err := mirascope.Call(ctx, provider, p)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, resp)
	}
	return nil
}

func promptFor(style, genre string) (any, error) {
	switch style {
	case "shorthand":
		return RecommendBook{Genre: genre}, nil
	case "messages":
		return RecommendBookMessages{Genre: genre}, nil
	case "template":
		return RecommendBookTemplate{Genre: genre}, nil
	case "params":
		return RecommendBookParams{Genre: genre}, nil
	}
	return nil, fmt.Errorf("unknown style %q: choose shorthand, messages, template or params", style)
}

func names() []string {
	var n []string
	for k := range backends {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}
