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
	plan, err := lower.Prepare(req, lower.Anthropic)
	if err != nil {
		return params, err
	}
	params.Model = sdk.Model(req.ModelOr(p.model))
	params.MaxTokens = int64(p.maxTokens)
	if req.Params.MaxTokens != nil {
		params.MaxTokens = int64(*req.Params.MaxTokens)
	}
	if len(req.Params.Stop) > 0 {
		params.StopSequences = append([]string(nil), req.Params.Stop...)
	}
	for _, s := range plan.System {
		params.System = append(params.System, sdk.TextBlockParam{Text: s})
	}
	if params.Messages, err = messages(plan.Turns); err != nil {
		return params, err
	}
	tools(plan, &params)
	applyExtraBody(req, &params)
	return params, nil
}

// messages maps the user/assistant turns (the system text is the top-level
// system prompt). A group of tool results becomes the tool_result blocks of
// one user turn, which a user message that follows them joins, as the API
// expects.
func messages(turns []lower.Turn) ([]sdk.MessageParam, error) {
	var out []sdk.MessageParam
	lastToolTurn := false // the last turn in out is a user turn holding tool results
	for _, t := range turns {
		switch m := t.Message; t.Role {
		case prompt.RoleUser:
			blocks, err := userContent(m)
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
			var blocks []sdk.ContentBlockParamUnion
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
