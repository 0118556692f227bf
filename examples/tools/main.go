// Command tools runs a tool loop: a librarian model asks for the authors of
// two books through a Go function, gets the results, and answers. The run is
// traced with OpenTelemetry: one invoke_agent span parenting a chat span per
// turn and an execute_tool span per tool run, printed as JSON as they end.
//
//	go run ./examples/tools
//	go run ./examples/tools -offline
//	go run ./examples/tools -thinking -offline
//
// With OPENAI_API_KEY in the environment it calls OpenAI. Without it, or
// with -offline, the real OpenAI client talks to an in-process server that
// replays recorded answers from recorded/: the tool calls, then the answer.
//
// With -thinking it asks Anthropic's claude-sonnet-4-5 instead, with
// mirascope.WithReasoning on (ANTHROPIC_API_KEY, or offline the recorded
// Anthropic answers). Each tool turn sends the model's thinking blocks back,
// signatures and redacted block unchanged, before its tool calls, as the
// service demands: the replay refuses a turn without them, as the service
// would.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/openai"
)

// AskLibrarian is the prompt.
type AskLibrarian struct {
	Question string `prompt:"question" validate:"required"`
}

func (AskLibrarian) Template() string {
	return `
		SYSTEM: You are a librarian. Use the tools to look facts up; never guess.
		USER: {question}
	`
}

// GetAuthor is the tool's input; its JSON Schema comes from these tags.
type GetAuthor struct {
	Title string `json:"title" jsonschema:"the book's title, as printed" validate:"required"`
}

// catalog stands in for a real lookup.
var catalog = map[string]string{
	"the name of the wind": "Patrick Rothfuss",
	"the wise man's fear":  "Patrick Rothfuss",
	"dune":                 "Frank Herbert",
}

var getAuthor = mirascope.NewTool("get_author", "Returns the author of a book in the catalog",
	func(ctx context.Context, in GetAuthor) (string, error) {
		if a, ok := catalog[strings.ToLower(in.Title)]; ok {
			return a, nil
		}
		return "", fmt.Errorf("no book titled %q in the catalog", in.Title)
	})

func main() {
	offline := flag.Bool("offline", false, "replay recorded answers even when the API key is set")
	thinking := flag.Bool("thinking", false, "ask Anthropic's claude-sonnet-4-5 with reasoning on (ANTHROPIC_API_KEY)")
	question := flag.String("question", "Who wrote The Name of the Wind and The Wise Man's Fear?", "what to ask")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, os.Stderr, *question, *offline, *thinking); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run is the whole program; otelOpts replace the console exporter in tests.
func run(ctx context.Context, stdout, stderr io.Writer, question string, offline, thinking bool, otelOpts ...otelsetup.Option) (err error) {
	keyVar, recorded := "OPENAI_API_KEY", replay()
	newProvider := func(opts ...providers.Option) mirascope.Provider { return openai.New("gpt-4o-mini", opts...) }
	callOpts := []mirascope.CallOption{mirascope.WithTools(getAuthor), mirascope.WithMaxTurns(4)}
	if thinking {
		keyVar, recorded = "ANTHROPIC_API_KEY", replayThinking()
		newProvider = func(opts ...providers.Option) mirascope.Provider { return anthropic.New("claude-sonnet-4-5", opts...) }
		// A level: claude-sonnet-4-5 takes a budget, and gets the one the
		// level maps to (see package anthropic).
		callOpts = append(callOpts, mirascope.WithReasoning(mirascope.ReasoningMedium))
	}
	var opts []providers.Option
	if offline || os.Getenv(keyVar) == "" {
		srv := httptest.NewServer(recorded)
		defer srv.Close()
		// The key only ever reaches the replay server.
		opts = append(opts, providers.WithBaseURL(srv.URL), providers.WithAPIKey("offline-replay"))
		fmt.Fprintf(stderr, "offline: no %s in the environment (or -offline); replaying recorded answers\n", keyVar)
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
	provider := otel.Traced(newProvider(opts...))

	tr, err := mirascope.Run(ctx, provider, AskLibrarian{Question: question}, callOpts...)
	if err != nil {
		return err
	}
	if tr.Response.Reasoning != "" {
		fmt.Fprintln(stdout, "thinking:", tr.Response.Reasoning)
	}
	fmt.Fprintln(stdout, tr.Response)
	fmt.Fprintf(stdout, "(%d turns, %d input and %d output tokens", tr.Turns, tr.Usage.InputTokens, tr.Usage.OutputTokens)
	if tr.Usage.ReasoningTokens > 0 {
		fmt.Fprintf(stdout, ", %d of them thinking", tr.Usage.ReasoningTokens)
	}
	fmt.Fprintln(stdout, ")")
	return nil
}
