package otelsetup_test

import (
	"context"
	"fmt"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/otel/otelsetup"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type RecommendGenre struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendGenre) Template() string { return "Recommend a {genre} book." }

// Configure with the seed's processors: a batch processor in front of any
// exporter (here one that keeps spans in memory; in production an OTLP one).
func ExampleConfigure() {
	exp := tracetest.NewInMemoryExporter()
	shutdown, err := otelsetup.Configure(otelsetup.WithProcessors(sdktrace.NewBatchSpanProcessor(keep{exp})))
	if err != nil {
		fmt.Println(err)
		return
	}
	provider := otel.Traced(mock.New(mock.Text("Read Dune.")), otel.WithSpanNameFormatter(otel.ChatSpanName))
	if _, err := mirascope.Call(context.Background(), provider, RecommendGenre{Genre: "scifi"}); err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil { // flushes the batch, within 5 seconds
		fmt.Println(err)
		return
	}
	fmt.Println(exp.GetSpans()[0].Name)
	// Output:
	// chat mock-model
}
