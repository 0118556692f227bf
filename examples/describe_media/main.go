// Command describe_media asks a model about an image and a PDF: the bytes
// go out in the message's parts (an image_url with a base64 data URL and the
// detail hint, a file part with the PDF), each call traced with
// OpenTelemetry and its span printed as JSON as it ends. With content
// capture on (the default) the span's input messages hold the media as
// blob parts, each left out whole when it does not fit the span's budget;
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false keeps them out.
//
//	go run ./examples/describe_media                           # the sample cover and reading list
//	go run ./examples/describe_media -image photo.jpg -pdf invoice.pdf
//	go run ./examples/describe_media -offline
//
// With OPENAI_API_KEY in the environment it calls OpenAI. Without it, or
// with -offline, the real OpenAI client talks to an in-process server that
// checks the parts arrived as OpenAI takes them and replays the recorded
// answers in recorded/ (about the samples in media/, whichever files you
// pass).
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/openai"
)

// The samples: a plain book cover and a one-page reading list.
var (
	//go:embed media/cover.png
	sampleCover []byte
	//go:embed media/reading_list.pdf
	sampleList []byte
)

// DescribeImage asks for a one-sentence description of a picture: the
// template's {image:image} places it. As a prompt field its span attribute
// is its MIME type and size (or its URL), never its bytes.
type DescribeImage struct {
	Image prompt.Part `prompt:"image" validate:"required"`
}

func (DescribeImage) Template() string { return "Describe this picture in one sentence. {image:image}" }

// SummarizeDocument asks what a document is about, with the parts written
// out by hand.
type SummarizeDocument struct {
	Document prompt.Part `prompt:"document"`
}

func (d SummarizeDocument) Messages() []prompt.Message {
	return []prompt.Message{prompt.UserParts(d.Document, prompt.Text("What is this document about? One sentence."))}
}

const model = "gpt-4o-mini"

// args are the command line.
type args struct {
	image, pdf string
	offline    bool
}

func main() {
	var a args
	flag.StringVar(&a.image, "image", "", "an image file to describe (default: the sample cover)")
	flag.StringVar(&a.pdf, "pdf", "", "a PDF file to summarise (default: the sample reading list)")
	flag.BoolVar(&a.offline, "offline", false, "replay the recorded answers even when OPENAI_API_KEY is set")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, os.Stderr, a); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run is the whole program; otelOpts replace the console exporter in tests.
func run(ctx context.Context, stdout, stderr io.Writer, a args, otelOpts ...otelsetup.Option) (err error) {
	// The MIME types are sniffed from the bytes (prompt.File also tells the
	// kind); the provider refuses, before any request, a type OpenAI does
	// not take.
	image, doc := prompt.ImageData(sampleCover, ""), prompt.DocumentData(sampleList, "")
	if a.image != "" {
		if image, err = prompt.File(a.image); err != nil {
			return err
		}
	}
	if a.pdf != "" {
		if doc, err = prompt.File(a.pdf); err != nil {
			return err
		}
	}
	image = image.WithDetail("low")

	var opts []providers.Option
	if a.offline || os.Getenv("OPENAI_API_KEY") == "" {
		srv := httptest.NewServer(replay())
		defer srv.Close()
		opts = append(opts, providers.WithBaseURL(srv.URL), providers.WithAPIKey("offline-replay"))
		fmt.Fprintln(stderr, "offline: no OPENAI_API_KEY in the environment (or -offline); replaying the recorded answers")
	}

	shutdown, err := otelsetup.Configure(otelOpts...)
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if serr := shutdown(ctx); err == nil {
			err = serr
		}
	}()
	provider := otel.Traced(openai.New(model, opts...))

	for _, q := range []struct {
		label  string
		prompt any
	}{
		{fmt.Sprintf("image (%s, %d bytes)", image.Media.MIMEType, len(image.Media.Data)), DescribeImage{Image: image}},
		{fmt.Sprintf("document (%s, %d bytes)", doc.Media.MIMEType, len(doc.Media.Data)), SummarizeDocument{Document: doc}},
	} {
		resp, err := mirascope.Call(ctx, provider, q.prompt)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s\n", q.label, resp)
	}
	return nil
}
