package otel_test

import (
	"context"
	"fmt"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

type RecommendGenre struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (RecommendGenre) Template() string { return "Recommend a {genre} book." }

// A traced provider records one span per call, named after the prompt type.
func ExampleTraced() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	provider := otel.Traced(mock.New(mock.Text("Read The Hobbit.")), otel.WithTracerProvider(tp))
	resp, err := mirascope.Call(context.Background(), provider, RecommendGenre{Genre: "fantasy"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp)

	span := exp.GetSpans()[0]
	fmt.Println(span.Name, span.SpanKind)
	for _, kv := range span.Attributes {
		switch kv.Key {
		case "gen_ai.request.model", "mirascope.prompt.template", "mirascope.prompt.field.genre", "gen_ai.input.messages", "gen_ai.usage.output_tokens":
			fmt.Printf("%s = %s\n", kv.Key, kv.Value.String())
		}
	}
	// Output:
	// Read The Hobbit.
	// RecommendGenre client
	// gen_ai.request.model = mock-model
	// mirascope.prompt.template = Recommend a {genre} book.
	// mirascope.prompt.field.genre = fantasy
	// gen_ai.input.messages = [{"role":"user","parts":[{"type":"text","content":"Recommend a fantasy book."}]}]
	// gen_ai.usage.output_tokens = 3
}
