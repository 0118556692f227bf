package providers_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
)

// The sampling parameters' ranges are refused the same way on every
// provider, in calls and in streams, before any request: a value no service
// could take is a *mirascope.OptionError naming the option; a value past a
// bound one service documents (a 32-bit field, its highest temperature) is
// that service's *mirascope.UnsupportedError; a service without the
// parameter refuses it as before.
func TestEveryParamRangeRefusal(t *testing.T) {
	all := []string{"openai", "azure.ai.openai", "azure.ai.inference", "groq", "x_ai", "mistral_ai", "litellm",
		"anthropic", "gcp.gemini", "cohere", "aws.bedrock"}
	noTemperature := []string{"anthropic"}
	withTemperature := func(names ...string) []string { // all but those without a temperature
		var out []string
		for _, n := range names {
			if !contains(noTemperature, n) {
				out = append(out, n)
			}
		}
		return out
	}
	type refusal struct {
		name     string
		services []string
		opt      mirascope.CallOption
		option   string // the OptionError's Option, or
		param    string // the UnsupportedError's Parameter
	}
	refusals := []refusal{
		{name: "zero max tokens", services: all, opt: mirascope.WithMaxTokens(0), option: "WithMaxTokens"},
		{name: "negative max tokens", services: all, opt: mirascope.WithMaxTokens(-5), option: "WithMaxTokens"},
		{name: "negative temperature", services: withTemperature(all...), opt: mirascope.WithTemperature(-0.1), option: "WithTemperature"},
		{name: "NaN temperature", services: withTemperature(all...), opt: mirascope.WithTemperature(math.NaN()), option: "WithTemperature"},
		{name: "infinite temperature", services: withTemperature(all...), opt: mirascope.WithTemperature(math.Inf(1)), option: "WithTemperature"},
		{name: "top_p above 1", services: withTemperature(all...), opt: mirascope.WithTopP(1.5), option: "WithTopP"},
		{name: "negative top_p", services: withTemperature(all...), opt: mirascope.WithTopP(-0.5), option: "WithTopP"},
		{name: "NaN top_p", services: withTemperature(all...), opt: mirascope.WithTopP(math.NaN()), option: "WithTopP"},
		// A bound a service documents.
		{name: "temperature above 2", services: []string{"openai", "azure.ai.openai", "groq", "x_ai", "gcp.gemini"}, opt: mirascope.WithTemperature(2.5), param: "WithTemperature"},
		{name: "temperature above 1", services: []string{"aws.bedrock"}, opt: mirascope.WithTemperature(1.5), param: "WithTemperature"},
		{name: "temperature past float32", services: []string{"aws.bedrock"}, opt: mirascope.WithTemperature(1e39), param: "WithTemperature"},
		{name: "max tokens past 32 bits", services: []string{"mistral_ai", "gcp.gemini", "aws.bedrock"}, opt: mirascope.WithMaxTokens(math.MaxInt32 + 1), param: "WithMaxTokens"},
		{name: "seed past 32 bits", services: []string{"mistral_ai", "gcp.gemini"}, opt: mirascope.WithSeed(math.MaxInt32 + 1), param: "WithSeed"},
		{name: "seed below 32 bits", services: []string{"mistral_ai", "gcp.gemini"}, opt: mirascope.WithSeed(math.MinInt32 - 1), param: "WithSeed"},
		// A service without the parameter.
		{name: "seed", services: []string{"anthropic", "aws.bedrock"}, opt: mirascope.WithSeed(7), param: "WithSeed"},
		{name: "temperature", services: noTemperature, opt: mirascope.WithTemperature(0.5), param: "WithTemperature"},
	}
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			srv := newErrorServer(t, s, 500, "unexpected", nil, false)
			n := 0
			for _, r := range refusals {
				if !contains(r.services, s.name) {
					continue
				}
				n++
				req := hello()
				r.opt(req)
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL), req)
				for _, err := range []error{callErr, streamErr} {
					require.Error(t, err, r.name)
					if r.option != "" {
						var oe *mirascope.OptionError
						require.ErrorAs(t, err, &oe, "%s: %v", r.name, err)
						assert.Equal(t, r.option, oe.Option, r.name)
						assert.ErrorIs(t, err, mirascope.ErrInvalidOption, r.name)
						continue
					}
					var ue *mirascope.UnsupportedError
					require.ErrorAs(t, err, &ue, "%s: %v", r.name, err)
					assert.Equal(t, r.param, ue.Parameter, r.name)
					assert.Equal(t, s.name, ue.Provider, r.name)
				}
			}
			assert.Positive(t, n)
			assert.Equal(t, int32(0), srv.n.Load(), "no request was sent")
		})
	}
}

// The highest temperature a service documents goes out.
func TestParamTemperatureBoundAccepted(t *testing.T) {
	for _, s := range services(t) {
		if s.name == "anthropic" {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			req := hello()
			mirascope.WithTemperature(1)(req)
			if contains([]string{"openai", "azure.ai.openai", "groq", "x_ai", "gcp.gemini"}, s.name) {
				mirascope.WithTemperature(2)(req)
			}
			srv := newErrorServer(t, s, 400, "bad request", nil, false)
			callErr, _ := callAndStream(context.Background(), s.new(srv.URL), req)
			var pe *mirascope.ProviderError
			require.ErrorAs(t, callErr, &pe, "the request went out: %v", callErr)
		})
	}
}

// The values at the edges of every range go out.
func TestParamRangeEdgesAccepted(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			req := hello()
			mirascope.WithMaxTokens(1)(req)
			if s.name != "anthropic" {
				mirascope.WithTemperature(0)(req)
				mirascope.WithTopP(1)(req)
			}
			if s.name != "anthropic" && s.name != "aws.bedrock" {
				mirascope.WithSeed(math.MaxInt32)(req)
			}
			srv := newErrorServer(t, s, 400, "bad request", nil, false)
			callErr, _ := callAndStream(context.Background(), s.new(srv.URL), req)
			var pe *mirascope.ProviderError
			require.ErrorAs(t, callErr, &pe, "the request went out: %v", callErr)
		})
	}
}
