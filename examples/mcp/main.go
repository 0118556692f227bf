// Command mcp runs a tool loop whose tool lives in an MCP server, and shows
// one trace across the client and the server.
//
//	go run ./examples/mcp
//
// The program is both sides: it starts itself again with MCP_EXAMPLE_SERVE=1
// in the environment, and that copy serves a get_author tool over stdio
// (mcptools.Serve). The first connects to it (mcp.CommandTransport), takes
// its tools (mcptools.Tools) and runs a traced tool loop on a model scripted
// with recorded answers (providers/mock: no API key, no network). Each
// process prints its spans as they end; the trace id is the same on every
// line, and the server's span is the child of the client's.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	otelapi "go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/mcptools"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// serveEnv makes the program the server.
const serveEnv = "MCP_EXAMPLE_SERVE"

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

// GetAuthor is the served tool's input; its JSON Schema comes from the tags.
type GetAuthor struct {
	Title string `json:"title" jsonschema:"the book's title, as printed" validate:"required"`
}

var getAuthor = mirascope.NewTool("get_author", "Returns the author of a book in the catalog",
	func(ctx context.Context, in GetAuthor) (string, error) {
		if strings.EqualFold(in.Title, "Dune") {
			return "Frank Herbert", nil
		}
		return "", fmt.Errorf("no book titled %q in the catalog", in.Title)
	})

// recorded are the model's answers, as a model gave them: a call of the
// tool, then the answer.
var recorded = []mock.Reply{
	mock.ToolCalls(mock.ToolCall("get_author", map[string]string{"title": "Dune"})),
	mock.Text("Dune was written by Frank Herbert."),
}

func main() {
	var err error
	if os.Getenv(serveEnv) == "1" {
		err = serve(context.Background(), os.Stdin, os.Stdout, os.Stderr)
	} else {
		err = run(context.Background(), os.Stdout, os.Args[0])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// serve is the server: one tool over stdio, its spans printed to stderr
// (stdout carries the protocol).
func serve(ctx context.Context, in io.ReadCloser, out io.WriteCloser, spans io.Writer) error {
	tp := tracing("server", spans)
	defer tp.Shutdown(context.WithoutCancel(ctx))
	server := mcp.NewServer(&mcp.Implementation{Name: "catalog", Version: "v1"}, nil)
	if err := mcptools.Serve(server, getAuthor); err != nil {
		return err
	}
	err := server.Run(ctx, &mcp.IOTransport{Reader: in, Writer: out})
	if errors.Is(err, io.EOF) || errors.Is(err, mcp.ErrConnectionClosed) {
		return nil // the client hung up: done
	}
	return err
}

// run is the client: it starts self as the server and runs the tool loop.
func run(ctx context.Context, w io.Writer, self string) error {
	sw := &syncWriter{w: w}
	tp := tracing("client", sw)
	defer tp.Shutdown(context.WithoutCancel(ctx))

	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), serveEnv+"=1")
	cmd.Stderr = sw // the server's span lines
	client := mcp.NewClient(&mcp.Implementation{Name: "librarian", Version: "v1"}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second}, nil)
	if err != nil {
		return err
	}
	tools, err := mcptools.Tools(ctx, session)
	if err != nil {
		session.Close()
		return err
	}
	tr, err := mirascope.Run(ctx, otel.Traced(mock.New(recorded...)), AskLibrarian{Question: "Who wrote Dune?"},
		mirascope.WithTools(tools...))
	// Closing waits for the server to exit, so its spans are all printed.
	err = errors.Join(err, session.Close())
	if err != nil {
		return err
	}
	fmt.Fprintln(w, answerOf(tr.Messages))
	fmt.Fprintln(w, tr.Response)
	return nil
}

// answerOf is the tool's result in the conversation.
func answerOf(msgs []prompt.Message) string {
	for _, m := range msgs {
		if m.Role == prompt.RoleTool {
			return "tool result: " + m.Content
		}
	}
	return "no tool result"
}

// tracing sets a global tracer provider that prints each span as it ends:
// the side, its name and kind, its trace, its id and its parent's.
func tracing(side string, w io.Writer) *sdktrace.TracerProvider {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(printer{side: side, w: w}))
	otelapi.SetTracerProvider(tp)
	return tp
}

type printer struct {
	side string
	w    io.Writer
}

func (p printer) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (p printer) OnEnd(s sdktrace.ReadOnlySpan) {
	parent := "none"
	if s.Parent().IsValid() {
		parent = s.Parent().SpanID().String()
	}
	fmt.Fprintf(p.w, "%-6s %-28s %-8s trace=%s span=%s parent=%s\n",
		p.side, s.Name(), s.SpanKind(), s.SpanContext().TraceID(), s.SpanContext().SpanID(), parent)
}
func (p printer) Shutdown(context.Context) error   { return nil }
func (p printer) ForceFlush(context.Context) error { return nil }

// syncWriter lets the client's spans and the server's lines share w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}
