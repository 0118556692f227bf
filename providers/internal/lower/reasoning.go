package lower

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mirascope-go/mirascope"
)

// ReasoningCaps is the reasoning control a service (or model family) takes,
// as this library maps it; the zero value is none, and a reasoning option
// is then refused.
type ReasoningCaps struct {
	// Effort: the service takes a level. Levels, when set, are the only
	// words it takes; else any word is sent as written and the service
	// judges it.
	Effort bool
	Levels []string
	// Budget: the service takes a budget of thinking tokens, of at least
	// MinBudget.
	Budget    bool
	MinBudget int
	// BudgetInMaxTokens: thinking tokens count toward max_tokens, which must
	// exceed the budget (Anthropic); see [Plan.MaxTokens].
	BudgetInMaxTokens bool
}

// Reasoning is the reasoning setting as it goes out: exactly one of Effort
// and Budget is set.
type Reasoning struct {
	Effort string
	Budget int
}

// The one mapping between levels and budgets, for a service that takes only
// one of them: a level becomes its budget, and a budget the highest level
// whose budget it reaches (low below 4096 tokens, medium below 16384, high
// from there). A word other than the three portable levels has no budget.
var levelBudgets = []struct {
	level  mirascope.ReasoningEffort
	budget int
}{{mirascope.ReasoningLow, 1024}, {mirascope.ReasoningMedium, 4096}, {mirascope.ReasoningHigh, 16384}}

// BudgetFor returns the budget a level maps to; false for a word with none.
func BudgetFor(level mirascope.ReasoningEffort) (int, bool) {
	for _, lb := range levelBudgets {
		if lb.level == level {
			return lb.budget, true
		}
	}
	return 0, false
}

// LevelFor returns the level a budget maps to.
func LevelFor(budget int) mirascope.ReasoningEffort {
	level := levelBudgets[0].level
	for _, lb := range levelBudgets {
		if budget >= lb.budget {
			level = lb.level
		}
	}
	return level
}

// reasoning maps the request's reasoning setting to what the service takes.
// Given both a level and a budget, a service that takes levels gets the
// level, one that takes only budgets the budget.
func (p *Plan) reasoning(pa mirascope.Params) error {
	if pa.Reasoning == nil && pa.ReasoningBudget == nil {
		return nil
	}
	if err := pa.CheckReasoning(); err != nil {
		return err
	}
	c, rc := p.Caps, p.Caps.Reasoning
	option := "WithReasoning"
	if pa.Reasoning == nil {
		option = "WithReasoningBudget"
	}
	if !rc.Effort && !rc.Budget {
		return c.noParam(option, "reasoning control")
	}
	out := &Reasoning{}
	switch {
	case pa.Reasoning != nil && rc.Effort:
		out.Effort = string(*pa.Reasoning)
	case pa.Reasoning == nil && !rc.Budget:
		out.Effort = string(LevelFor(*pa.ReasoningBudget))
	case pa.ReasoningBudget != nil:
		out.Budget = *pa.ReasoningBudget
	default:
		b, ok := BudgetFor(*pa.Reasoning)
		if !ok {
			return c.refuse(option, fmt.Sprintf("%s takes a budget of thinking tokens, and level %q maps to none; use ReasoningLow, ReasoningMedium or ReasoningHigh, or WithReasoningBudget", c.API, *pa.Reasoning))
		}
		out.Budget = b
	}
	if out.Effort != "" && len(rc.Levels) > 0 && !slices.Contains(rc.Levels, out.Effort) {
		return c.refuse(option, fmt.Sprintf("%s takes the levels %s, not %q", c.API, strings.Join(rc.Levels, ", "), out.Effort))
	}
	if out.Budget > 0 {
		if out.Budget < rc.MinBudget {
			return c.refuse(option, fmt.Sprintf("%s takes a budget of at least %d thinking tokens, not %d", c.API, rc.MinBudget, out.Budget))
		}
		if m := pa.MaxTokens; rc.BudgetInMaxTokens && m != nil && *m <= out.Budget {
			return c.refuse(option, fmt.Sprintf("%s counts thinking tokens toward max_tokens, which must exceed the budget: %d is not above %d; raise WithMaxTokens, or leave it unset and the budget is added to the provider's default", c.API, *m, out.Budget))
		}
		// A wire whose max tokens are narrower than an int (Caps.MaxTokens)
		// has a budget field as narrow; where the budget counts toward max
		// tokens, it must leave room below that bound for the answer.
		if most := c.MaxTokens; most > 0 && (out.Budget > most || rc.BudgetInMaxTokens && out.Budget >= most) {
			return c.refuse(option, fmt.Sprintf("%s takes at most %d tokens, thinking included: a budget of %d leaves none for the answer", c.API, most, out.Budget))
		}
	}
	p.Reasoning = out
	return nil
}

// MaxTokens returns the max_tokens to send: set when the call set it,
// else def, plus the thinking budget when the service counts thinking
// tokens toward max_tokens (so the answer keeps the room def gives it).
func (p *Plan) MaxTokens(set *int, def int) int {
	if set != nil {
		return *set
	}
	if r := p.Reasoning; r != nil && r.Budget > 0 && p.Caps.Reasoning.BudgetInMaxTokens {
		// Saturating: a budget near the int's bound must not wrap the sum
		// negative, nor pass the wire's bound.
		most := p.Caps.MaxTokens
		if most <= 0 {
			most = math.MaxInt
		}
		if def > most-r.Budget {
			return most
		}
		return def + r.Budget
	}
	return def
}

// Anthropic's thinking controls by model family, looked up in the Messages
// API's documentation: Claude 3.7 Sonnet and the 4.0–4.5 models take a
// budget (thinking type enabled, budget_tokens of at least 1024 and below
// max_tokens); Opus 4.6, Sonnet 4.6 and Mythos Preview take both, the
// budget deprecated in favour of adaptive thinking with an effort level;
// Opus 4.7 and every later model take adaptive thinking only, and answer
// budget_tokens with HTTP 400; older models have no thinking.
var (
	anthropicBudget = ReasoningCaps{Budget: true, MinBudget: 1024, BudgetInMaxTokens: true}
	anthropicBoth   = ReasoningCaps{Effort: true, Levels: anthropicLevels, Budget: true, MinBudget: 1024, BudgetInMaxTokens: true}
	anthropicEffort = ReasoningCaps{Effort: true, Levels: anthropicLevels}
	anthropicLevels = []string{"low", "medium", "high", "xhigh", "max"}
)

// AnthropicFor returns the Caps of the Messages API with model, whose
// family decides the thinking control it takes.
func AnthropicFor(model string) Caps {
	c := Anthropic
	c.Reasoning = anthropicReasoning(model)
	return c
}

func anthropicReasoning(model string) ReasoningCaps {
	m := strings.TrimPrefix(model, "anthropic.") // a Bedrock-style id
	if m == "claude-mythos-preview" {
		return anthropicBoth
	}
	rest, ok := strings.CutPrefix(m, "claude-")
	if !ok {
		return anthropicEffort // an alias of the service's own: its newest rules
	}
	fields := strings.Split(rest, "-")
	if fields[0] == "3" { // claude-3-7-sonnet…, claude-3-5-haiku…
		if len(fields) > 1 && fields[1] == "7" {
			return anthropicBudget
		}
		return ReasoningCaps{}
	}
	if len(fields) < 2 {
		return anthropicEffort
	}
	major, err := strconv.Atoi(fields[1])
	if err != nil {
		return anthropicEffort
	}
	minor := 0
	if len(fields) > 2 {
		if n, err := strconv.Atoi(fields[2]); err == nil && n < 100 { // not a date
			minor = n
		}
	}
	switch {
	case major < 4:
		return ReasoningCaps{}
	case major == 4 && minor <= 5:
		return anthropicBudget
	case major == 4 && minor == 6:
		return anthropicBoth
	}
	return anthropicEffort
}

// BedrockFor returns the Caps of Converse with model. The Claude models that
// take a thinking budget on the Messages API take it on Bedrock too, in
// additionalModelRequestFields (thinking type enabled, budget_tokens of at
// least 1024 and below maxTokens); other models, and Claude models that
// take adaptive thinking only, have no reasoning control mapped here.
func BedrockFor(model string) Caps {
	c := Bedrock
	if i := strings.Index(model, "anthropic.claude-"); i >= 0 {
		if anthropicReasoning(model[i+len("anthropic."):]).Budget {
			c.Reasoning = anthropicBudget
		}
	}
	return c
}

// CohereFor returns the Caps of Chat v2 with model: its reasoning models
// (command-a-reasoning-…) take thinking {type enabled, token_budget}; the
// others have no thinking.
func CohereFor(model string) Caps {
	c := Cohere
	if strings.Contains(model, "reasoning") {
		c.Reasoning = ReasoningCaps{Budget: true, MinBudget: 1}
	}
	return c
}
