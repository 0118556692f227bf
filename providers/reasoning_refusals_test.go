package providers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/anthropic"
)

// Every refusal of reasoning and caching settings, on every provider it
// concerns, in calls and in streams: a typed error, and not one request
// sent. A refusal names the option (*mirascope.UnsupportedError.Parameter);
// a value no service could take is a *mirascope.OptionError on every
// provider, and a cache breakpoint that marks nothing (first in its message,
// or in an assistant turn) is refused as prompt.CacheBreakpoint everywhere.
func TestEveryReasoningAndCacheRefusal(t *testing.T) {
	all := []string{"openai", "azure.ai.openai", "azure.ai.inference", "groq", "x_ai", "mistral_ai", "litellm",
		"anthropic", "gcp.gemini", "cohere", "aws.bedrock"}
	type refusal struct {
		name     string
		services []string
		model    string // "" keeps the provider's own
		opts     []mirascope.CallOption
		msgs     []prompt.Message // nil: hello()
		param    string           // the UnsupportedError's Parameter, or
		target   error            // the error it matches
	}
	low, budget := mirascope.WithReasoning(mirascope.ReasoningLow), mirascope.WithReasoningBudget(2048)
	bp := prompt.CacheBreakpoint()
	refusals := []refusal{
		// Values no service takes.
		{name: "zero budget", services: all, opts: []mirascope.CallOption{mirascope.WithReasoningBudget(0)}, target: mirascope.ErrInvalidOption},
		{name: "negative budget", services: all, opts: []mirascope.CallOption{mirascope.WithReasoningBudget(-1)}, target: mirascope.ErrInvalidOption},
		{name: "empty level", services: all, opts: []mirascope.CallOption{mirascope.WithReasoning(" ")}, target: mirascope.ErrInvalidOption},
		// A service or model family without a reasoning control.
		{name: "azure inference level", services: []string{"azure.ai.inference"}, opts: []mirascope.CallOption{low}, param: "WithReasoning"},
		{name: "azure inference budget", services: []string{"azure.ai.inference"}, opts: []mirascope.CallOption{budget}, param: "WithReasoningBudget"},
		{name: "claude 3.5", services: []string{"anthropic"}, model: "claude-3-5-haiku-20241022", opts: []mirascope.CallOption{low}, param: "WithReasoning"},
		{name: "gemini 2.0", services: []string{"gcp.gemini"}, model: "gemini-2.0-flash-001", opts: []mirascope.CallOption{budget}, param: "WithReasoningBudget"},
		{name: "cohere command-a", services: []string{"cohere"}, model: "command-a-03-2025", opts: []mirascope.CallOption{low}, param: "WithReasoning"},
		{name: "bedrock nova", services: []string{"aws.bedrock"}, model: "amazon.nova-pro-v1:0", opts: []mirascope.CallOption{low}, param: "WithReasoning"},
		{name: "bedrock claude 3.5", services: []string{"aws.bedrock"}, model: "anthropic.claude-3-5-haiku-20241022-v1:0", opts: []mirascope.CallOption{budget}, param: "WithReasoningBudget"},
		// A level a budget-only family cannot map, or a level-only family lacks.
		{name: "claude 4.5 own word", services: []string{"anthropic"}, model: "claude-sonnet-4-5", opts: []mirascope.CallOption{mirascope.WithReasoning("xhigh")}, param: "WithReasoning"},
		{name: "claude 4.7 unknown level", services: []string{"anthropic"}, model: "claude-opus-4-7", opts: []mirascope.CallOption{mirascope.WithReasoning("minimal")}, param: "WithReasoning"},
		{name: "gemini 2.5 own word", services: []string{"gcp.gemini"}, model: "gemini-2.5-flash", opts: []mirascope.CallOption{mirascope.WithReasoning("xhigh")}, param: "WithReasoning"},
		{name: "gemini 3 unknown level", services: []string{"gcp.gemini"}, model: "gemini-3-pro-preview", opts: []mirascope.CallOption{mirascope.WithReasoning("xhigh")}, param: "WithReasoning"},
		{name: "cohere reasoning own word", services: []string{"cohere"}, model: "command-a-reasoning-08-2025", opts: []mirascope.CallOption{mirascope.WithReasoning("xhigh")}, param: "WithReasoning"},
		{name: "bedrock claude own word", services: []string{"aws.bedrock"}, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", opts: []mirascope.CallOption{mirascope.WithReasoning("xhigh")}, param: "WithReasoning"},
		// Claude's budget rules, on Anthropic and on Bedrock.
		{name: "budget below 1024", services: []string{"anthropic", "aws.bedrock"}, model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
			opts: []mirascope.CallOption{mirascope.WithReasoningBudget(512)}, param: "WithReasoningBudget"},
		{name: "max_tokens not above the budget", services: []string{"anthropic", "aws.bedrock"}, model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
			opts: []mirascope.CallOption{budget, mirascope.WithMaxTokens(2048)}, param: "WithReasoningBudget"},
		// Caching.
		{name: "cache TTL", services: []string{"anthropic"}, opts: []mirascope.CallOption{anthropic.WithCacheTTL("2h")}, param: "anthropic.WithCacheTTL"},
		{name: "breakpoint first", services: all, msgs: []prompt.Message{prompt.UserParts(bp, prompt.Text("hi"))}, param: "prompt.CacheBreakpoint"},
		{name: "breakpoint in an assistant turn", services: all, msgs: []prompt.Message{
			prompt.User("hi"), {Role: prompt.RoleAssistant, Parts: []prompt.Part{prompt.Text("hello"), bp}}, prompt.User("more"),
		}, param: "prompt.CacheBreakpoint"},
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
				if r.msgs != nil {
					req.Messages = r.msgs
				}
				if r.model != "" {
					mirascope.WithModel(r.model)(req)
				}
				for _, o := range r.opts {
					o(req)
				}
				callErr, streamErr := callAndStream(context.Background(), s.new(srv.URL), req)
				for _, err := range []error{callErr, streamErr} {
					require.Error(t, err, r.name)
					if r.param != "" {
						var ue *mirascope.UnsupportedError
						require.ErrorAs(t, err, &ue, r.name)
						assert.Equal(t, r.param, ue.Parameter, r.name)
						assert.Equal(t, s.name, ue.Provider, r.name)
						assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter, r.name)
					} else {
						assert.ErrorIs(t, err, r.target, "%s: %v", r.name, err)
					}
				}
			}
			assert.Positive(t, n)
			assert.Equal(t, int32(0), srv.n.Load(), "no request was sent")
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
