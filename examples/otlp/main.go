// Command otlp sends traced calls to the OTLP endpoint the standard
// environment names, as the seed's configure(processors=[BatchSpanProcessor(
// OTLPSpanExporter())]) does. With a local Jaeger (see .ci/jaeger.sh):
//
//	OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_METRICS_EXPORTER=none \
//	OTEL_SERVICE_NAME=otlp-example go run ./examples/otlp
//
// then open http://127.0.0.1:16686/api/traces?service=otlp-example (Jaeger
// takes traces only, hence OTEL_METRICS_EXPORTER=none; a collector takes
// both). Without
// OTEL_EXPORTER_OTLP_ENDPOINT it prints the spans to stdout instead. The
// calls go to a scripted mock provider, so no API key is needed; swap in any
// provider from providers/.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// RecommendBook is the seed's prompt.
type RecommendBook struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendBook) Template() string { return "Recommend a {genre} book." }

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer) error {
	// Configure reads OTEL_EXPORTER_OTLP_* itself and exports through its
	// own queue, which never holds a traced call for more than
	// otelsetup.MaxEnqueueWait when the collector stops answering, and
	// counts what it drops.
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		fmt.Fprintln(w, "OTEL_EXPORTER_OTLP_ENDPOINT is unset: printing spans to stdout")
	}
	shutdown, err := otelsetup.Configure()
	if err != nil {
		return err
	}
	defer func() {
		// Flushes every span, but gives up after 5 seconds: a collector that
		// never answers must not hold the program.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Print(err)
		}
	}()

	provider := otel.Traced(mock.New(
		mock.Text("The Name of the Wind, by Patrick Rothfuss."),
		mock.Text("Dune, by Frank Herbert."),
		mock.Text("The Big Sleep, by Raymond Chandler."),
	))
	for _, genre := range []string{"fantasy", "scifi", "mystery"} {
		resp, err := mirascope.Call(ctx, provider, RecommendBook{Genre: genre}, mirascope.WithMaxTokens(256))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s\n", genre, resp)
	}
	return nil
}
