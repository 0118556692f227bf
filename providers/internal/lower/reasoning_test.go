package lower_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

func reasoningReq(effort string, budget, maxTokens int) *mirascope.Request {
	r := &mirascope.Request{Messages: []prompt.Message{prompt.User("hi")}}
	if effort != "" {
		e := mirascope.ReasoningEffort(effort)
		r.Params.Reasoning = &e
	}
	if budget != 0 {
		r.Params.ReasoningBudget = &budget
	}
	if maxTokens != 0 {
		r.Params.MaxTokens = &maxTokens
	}
	return r
}

// Each service gets the control it takes: a level as written, a budget, or
// the one the other maps to; what it cannot take is refused, worded once.
func TestPrepareReasoning(t *testing.T) {
	for _, tc := range []struct {
		name           string
		caps           lower.Caps
		effort         string
		budget, max    int
		want           *lower.Reasoning
		refused, error string
	}{
		{"openai level", lower.OpenAI, "high", 0, 0, &lower.Reasoning{Effort: "high"}, "", ""},
		{"openai own word", lower.OpenAI, "minimal", 0, 0, &lower.Reasoning{Effort: "minimal"}, "", ""},
		{"openai budget maps to a level", lower.OpenAI, "", 5000, 0, &lower.Reasoning{Effort: "medium"}, "", ""},
		{"openai both: the level", lower.OpenAI, "low", 50000, 0, &lower.Reasoning{Effort: "low"}, "", ""},
		{"azure inference has none", lower.AzureInference, "low", 0, 0, nil, "WithReasoning",
			"mirascope: azure.ai.inference: WithReasoning is not supported: Chat Completions has no reasoning control"},
		{"bedrock not mapped", lower.Bedrock, "", 2048, 0, nil, "WithReasoningBudget",
			"mirascope: aws.bedrock: WithReasoningBudget is not supported: Converse has no reasoning control; pass it as the model's own field with bedrock.WithAdditionalModelRequestFields"},
		{"claude 4.5 budget", lower.AnthropicFor("claude-sonnet-4-5"), "", 2048, 4096, &lower.Reasoning{Budget: 2048}, "", ""},
		{"claude 4.5 level maps to a budget", lower.AnthropicFor("claude-sonnet-4-5-20250929"), "medium", 0, 0, &lower.Reasoning{Budget: 4096}, "", ""},
		{"claude 4.5 both: the budget", lower.AnthropicFor("claude-haiku-4-5"), "high", 3000, 0, &lower.Reasoning{Budget: 3000}, "", ""},
		{"claude 4.5 own word", lower.AnthropicFor("claude-opus-4-5"), "xhigh", 0, 0, nil, "WithReasoning",
			`mirascope: anthropic: WithReasoning is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) takes a budget of thinking tokens, and level "xhigh" maps to none; use ReasoningLow, ReasoningMedium or ReasoningHigh, or WithReasoningBudget`},
		{"claude budget below the minimum", lower.AnthropicFor("claude-sonnet-4"), "", 500, 0, nil, "WithReasoningBudget",
			"mirascope: anthropic: WithReasoningBudget is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) takes a budget of at least 1024 thinking tokens, not 500"},
		{"claude max_tokens not above the budget", lower.AnthropicFor("claude-3-7-sonnet-20250219"), "", 4096, 4096, nil, "WithReasoningBudget",
			"mirascope: anthropic: WithReasoningBudget is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) counts thinking tokens toward max_tokens, which must exceed the budget: 4096 is not above 4096; raise WithMaxTokens, or leave it unset and the budget is added to the provider's default"},
		{"claude 4.6 level", lower.AnthropicFor("claude-opus-4-6"), "max", 0, 0, &lower.Reasoning{Effort: "max"}, "", ""},
		{"claude 4.6 budget", lower.AnthropicFor("claude-sonnet-4-6"), "", 2048, 0, &lower.Reasoning{Budget: 2048}, "", ""},
		{"claude 4.7 budget maps to a level", lower.AnthropicFor("claude-opus-4-7"), "", 20000, 0, &lower.Reasoning{Effort: "high"}, "", ""},
		{"claude 5 level", lower.AnthropicFor("claude-sonnet-5-5"), "low", 0, 0, &lower.Reasoning{Effort: "low"}, "", ""},
		{"claude 5 unknown word", lower.AnthropicFor("claude-opus-5"), "minimal", 0, 0, nil, "WithReasoning",
			`mirascope: anthropic: WithReasoning is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) takes the levels low, medium, high, xhigh, max, not "minimal"`},
		{"claude 3.5 has none", lower.AnthropicFor("claude-3-5-haiku-20241022"), "low", 0, 0, nil, "WithReasoning",
			"mirascope: anthropic: WithReasoning is not supported: the Messages API version 2026-10-21 (anthropic-sdk-go v2) has no reasoning control; pass it with anthropic.WithExtraBody to a model that takes it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := lower.Prepare(reasoningReq(tc.effort, tc.budget, tc.max), tc.caps)
			if tc.refused != "" {
				var ue *mirascope.UnsupportedError
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, tc.refused, ue.Parameter)
				assert.EqualError(t, err, tc.error)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Reasoning)
		})
	}
}

// A request built by hand with a budget no service takes fails as
// NewRequest would fail it.
func TestPrepareReasoningBadValue(t *testing.T) {
	_, err := lower.Prepare(reasoningReq("", -1, 0), lower.OpenAI)
	require.ErrorIs(t, err, mirascope.ErrInvalidOption)
}

// The one rule between levels and budgets, both ways.
func TestLevelBudgetRule(t *testing.T) {
	for _, l := range []mirascope.ReasoningEffort{mirascope.ReasoningLow, mirascope.ReasoningMedium, mirascope.ReasoningHigh} {
		b, ok := lower.BudgetFor(l)
		require.True(t, ok)
		assert.Equal(t, l, lower.LevelFor(b), "round trip")
	}
	for b, want := range map[int]mirascope.ReasoningEffort{1: "low", 4095: "low", 4096: "medium", 16383: "medium", 16384: "high", 1 << 30: "high"} {
		assert.Equal(t, want, lower.LevelFor(b), fmt.Sprint(b))
	}
	_, ok := lower.BudgetFor("xhigh")
	assert.False(t, ok)
}

// max_tokens: as set, else the default plus the budget where thinking
// counts toward it.
func TestPlanMaxTokens(t *testing.T) {
	p, err := lower.Prepare(reasoningReq("", 2048, 0), lower.AnthropicFor("claude-sonnet-4-5"))
	require.NoError(t, err)
	assert.Equal(t, 4096+2048, p.MaxTokens(nil, 4096))
	set := 9000
	assert.Equal(t, 9000, p.MaxTokens(&set, 4096))
	p, err = lower.Prepare(reasoningReq("high", 0, 0), lower.AnthropicFor("claude-opus-4-7"))
	require.NoError(t, err)
	assert.Equal(t, 4096, p.MaxTokens(nil, 4096), "adaptive thinking has no budget to add")
}

// Breakpoints fold onto the part before them; a system message splits at
// them; one that marks nothing is refused; the request is not modified.
func TestPrepareCacheBreakpoints(t *testing.T) {
	bp := prompt.CacheBreakpoint()
	msgs := []prompt.Message{
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("rules. "), bp, bp, prompt.Text("today")}},
		{Role: prompt.RoleSystem, Parts: []prompt.Part{prompt.Text("more"), bp}},
		prompt.UserParts(prompt.Text("big doc"), bp, prompt.Text("question"), bp),
	}
	req := &mirascope.Request{Messages: msgs}
	p, err := lower.Prepare(req, lower.Anthropic)
	require.NoError(t, err)
	assert.Equal(t, []string{"rules. ", "today", "more"}, p.System)
	assert.Equal(t, []bool{true, false, true}, p.SystemCache)
	require.Len(t, p.Turns, 1)
	assert.Equal(t, []prompt.Part{{Text: "big doc", CacheBreakpoint: true}, {Text: "question", CacheBreakpoint: true}}, p.Turns[0].Message.Parts)
	assert.Len(t, msgs[2].Parts, 4, "the request is not modified")

	// An OpenAI-wire service caches on its own: the marks are accepted and
	// the system message stays whole.
	p, err = lower.Prepare(req, lower.OpenAI)
	require.NoError(t, err)
	assert.Equal(t, "rules. today", p.Turns[0].Message.Content)

	for name, m := range map[string]prompt.Message{
		"first":        prompt.UserParts(bp, prompt.Text("q")),
		"assistant":    {Role: prompt.RoleAssistant, Parts: []prompt.Part{prompt.Text("a"), bp}},
		"system first": {Role: prompt.RoleSystem, Parts: []prompt.Part{bp, prompt.Text("a")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := lower.Prepare(&mirascope.Request{Messages: []prompt.Message{prompt.User("x"), m}}, lower.Anthropic)
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "prompt.CacheBreakpoint", ue.Parameter)
		})
	}
}

// A budget is bounded as max tokens are: on a 32-bit wire (Gemini's
// thinkingBudget, Bedrock's maxTokens above Claude's budget) a budget past
// the bound is refused before any request, not clamped or sent to be
// refused; a budget added to the default max tokens never wraps negative
// nor passes the wire's bound.
func TestReasoningBudgetWireBound(t *testing.T) {
	claude := lower.BedrockFor("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	require.True(t, claude.Reasoning.BudgetInMaxTokens)
	for _, tc := range []struct {
		name    string
		caps    lower.Caps
		budget  int
		refused bool
	}{
		{"gemini at the bound", lower.Gemini25, math.MaxInt32, false},
		{"gemini past it", lower.Gemini25, math.MaxInt32 + 1, true},
		{"bedrock claude below the bound", claude, math.MaxInt32 - 1, false},
		{"bedrock claude at it: no room for the answer", claude, math.MaxInt32, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := lower.Prepare(reasoningReq("", tc.budget, 0), tc.caps)
			if tc.refused {
				var ue *mirascope.UnsupportedError
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, "WithReasoningBudget", ue.Parameter)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.budget, p.Reasoning.Budget)
			if tc.caps.Reasoning.BudgetInMaxTokens {
				assert.Equal(t, math.MaxInt32, p.MaxTokens(nil, 4096), "saturated at the wire's bound")
			}
		})
	}
	p, err := lower.Prepare(reasoningReq("", math.MaxInt-10, 0), lower.AnthropicFor("claude-sonnet-4-5"))
	require.NoError(t, err)
	assert.Equal(t, math.MaxInt, p.MaxTokens(nil, 4096), "no wrap-around")
}
