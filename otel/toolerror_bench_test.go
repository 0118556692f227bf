package otel_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// errHuge is a 16 MB tool error of text the credential patterns have
// to look at closely.
var errHuge = errors.New(strings.Repeat("upstream said: the bearer of bad news; api_key missing for GET /v1/x?page=2 ", 16<<20/80))

// BenchmarkHugeToolError: a tool failing with a 16 MB error, run by
// CallTools (the tool's span) and by Run (the tool's span, then the next
// turn's chat span, whose input holds the error as the tool's result),
// untraced and traced. Masking runs over what the span records of the
// error, not over all of it.
func BenchmarkHugeToolError(b *testing.B) {
	tool := mirascope.NewTool("fail", "Fails at length", func(context.Context, struct{}) (string, error) {
		return "", errHuge
	})
	reply := mock.ToolCalls(mock.ToolCall("fail", struct{}{}))
	for _, traced := range []bool{false, true} {
		name := "untraced"
		if traced {
			name = "traced"
		}
		// wrap returns, for one benchmark, what puts a provider in place.
		wrap := func(b *testing.B) func(mirascope.Provider) mirascope.Provider {
			if !traced {
				return func(p mirascope.Provider) mirascope.Provider { return p }
			}
			tp, _ := benchProviders(b)
			return func(p mirascope.Provider) mirascope.Provider {
				return otel.Traced(p, otel.WithTracerProvider(tp), otel.WithMeterProvider(noop.NewMeterProvider()))
			}
		}
		b.Run("CallTools/"+name, func(b *testing.B) {
			ctx := context.Background()
			resp, err := mirascope.Call(ctx, wrap(b)(mock.New(reply)), benchPrompt, mirascope.WithTools(tool))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if msgs := mirascope.CallTools(ctx, resp, tool); !msgs[0].IsError {
					b.Fatal("the tool did not fail")
				}
			}
		})
		b.Run("Run/"+name, func(b *testing.B) {
			ctx := context.Background()
			w := wrap(b)
			b.ReportAllocs()
			for b.Loop() {
				p := w(mock.New(reply, mock.Text("sorry")))
				if _, err := mirascope.Run(ctx, p, benchPrompt, mirascope.WithTools(tool)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkManyToolCalls: an answer of 10,000 or 50,000 tool calls, traced;
// the cost grows linearly with the calls, though the span holds only what
// fits its budget.
func BenchmarkManyToolCalls(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			calls := toolCalls(n)
			resp := &mirascope.Response{ToolCalls: calls, Message: prompt.Message{Role: prompt.RoleAssistant, ToolCalls: calls}}
			tp, _ := benchProviders(b)
			p := otel.Traced(mock.New(mock.Respond(resp)), otel.WithTracerProvider(tp), otel.WithMeterProvider(noop.NewMeterProvider()))
			req := &mirascope.Request{Messages: []prompt.Message{prompt.User("Weather?")}}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Call(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
