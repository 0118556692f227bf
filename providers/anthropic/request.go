package anthropic

import (
	"encoding/json"
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// params maps a request onto the SDK's parameters. What the Messages API
// version this provider speaks ([APIVersion]) does not accept (temperature,
// top_p, seed) is refused by lower.Prepare: a call does not run with
// sampling other than the caller asked for.
func (p *Provider) params(req *mirascope.Request) (sdk.MessageNewParams, error) {
	var params sdk.MessageNewParams
	model := req.ModelOr(p.model)
	plan, err := lower.Prepare(req, lower.AnthropicFor(model))
	if err != nil {
		return params, err
	}
	cc, err := cacheControl(req)
	if err != nil {
		return params, err
	}
	params.Model = sdk.Model(model)
	params.MaxTokens = int64(plan.MaxTokens(req.Params.MaxTokens, p.maxTokens))
	thinking(plan.Reasoning, &params)
	if len(req.Params.Stop) > 0 {
		params.StopSequences = append([]string(nil), req.Params.Stop...)
	}
	for i, s := range plan.System {
		b := sdk.TextBlockParam{Text: s}
		if plan.SystemCache[i] {
			b.CacheControl = cc
		}
		params.System = append(params.System, b)
	}
	if params.Messages, err = messages(plan.Turns, cc); err != nil {
		return params, err
	}
	tools(plan, &params)
	if cached, _ := req.Extensions[cachedToolsKey].(bool); cached && len(params.Tools) > 0 {
		params.Tools[len(params.Tools)-1].OfTool.CacheControl = cc
	}
	applyExtraBody(req, &params)
	return params, nil
}

// messages maps the user/assistant turns (the system text is the top-level
// system prompt). A group of tool results becomes the tool_result blocks of
// one user turn, which a user message that follows them joins, as the API
// expects.
func messages(turns []lower.Turn, cc sdk.CacheControlEphemeralParam) ([]sdk.MessageParam, error) {
	var out []sdk.MessageParam
	lastToolTurn := false // the last turn in out is a user turn holding tool results
	for _, t := range turns {
		switch m := t.Message; t.Role {
		case prompt.RoleUser:
			blocks, err := userContent(m, cc)
			if err != nil {
				return nil, err
			}
			if lastToolTurn {
				u := out[len(out)-1].OfUser
				u.Content = append(u.Content, blocks...)
				lastToolTurn = false
				continue
			}
			out = append(out, sdk.NewUserMessage(blocks...))
		case prompt.RoleAssistant:
			blocks := reasoningBlocks(m.Reasoning)
			if m.Content != "" || len(m.ToolCalls) == 0 {
				blocks = append(blocks, sdk.NewTextBlock(m.Content))
			}
			for _, tc := range m.ToolCalls {
				args := json.RawMessage(tc.Arguments)
				if len(args) == 0 {
					args = json.RawMessage("{}")
				}
				if !json.Valid(args) {
					return nil, &mirascope.UnsupportedError{Provider: Name, Parameter: "prompt.ToolCall",
						Reason: fmt.Sprintf("tool call %q (%s): arguments are not valid JSON", tc.ID, tc.Name)}
				}
				blocks = append(blocks, sdk.NewToolUseBlock(tc.ID, args, tc.Name))
			}
			out = append(out, sdk.NewAssistantMessage(blocks...))
			lastToolTurn = false
			continue
		case prompt.RoleTool:
			blocks := make([]sdk.ContentBlockParamUnion, 0, len(t.Results))
			for _, r := range t.Results {
				blocks = append(blocks, toolResult(r.ToolCallID, r.Content, r.IsError))
			}
			out = append(out, sdk.NewUserMessage(blocks...))
			lastToolTurn = true
			continue
		}
		lastToolTurn = false
	}
	return out, nil
}

// toolResult is a tool_result block with the result as its text and
// is_error set as the run ended. An empty result has no content: the API
// refuses empty text blocks.
func toolResult(id, content string, isError bool) sdk.ContentBlockParamUnion {
	b := sdk.NewToolResultBlock(id, content, isError)
	if content == "" {
		b.OfToolResult.Content = nil
	}
	return b
}

// thinking maps the reasoning setting lower.Prepare chose for the model: a
// budget is thinking type enabled with budget_tokens (max_tokens already
// raised by it, see lower.Plan.MaxTokens); a level is adaptive thinking
// with output_config.effort. Either asks for the summarized thinking, which
// some models omit by default.
func thinking(r *lower.Reasoning, params *sdk.MessageNewParams) {
	switch {
	case r == nil:
	case r.Budget > 0:
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(int64(r.Budget))
		params.Thinking.OfEnabled.Display = sdk.ThinkingConfigEnabledDisplaySummarized
	default:
		params.Thinking = sdk.ThinkingConfigParamUnion{OfAdaptive: &sdk.ThinkingConfigAdaptiveParam{
			Display: sdk.ThinkingConfigAdaptiveDisplaySummarized}}
		params.OutputConfig.Effort = sdk.OutputConfigEffort(r.Effort)
	}
}

// reasoningBlocks are an assistant turn's thinking and redacted_thinking
// blocks, sent back first and unchanged, as the API requires before a
// tool_use. A block without a signature or redacted data (another
// service's thinking) is left out: the API would refuse it unsigned.
func reasoningBlocks(rs []prompt.Reasoning) []sdk.ContentBlockParamUnion {
	var blocks []sdk.ContentBlockParamUnion
	for _, r := range rs {
		switch {
		case r.Redacted != "":
			blocks = append(blocks, sdk.NewRedactedThinkingBlock(r.Redacted))
		case r.Signature != "":
			blocks = append(blocks, sdk.NewThinkingBlock(r.Signature, r.Text))
		}
	}
	return blocks
}
