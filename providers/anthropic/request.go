package anthropic

import (
	"encoding/json"
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// unsupported is the refusal, before any request, of a setting the Messages
// API version this provider speaks ([APIVersion]) does not accept: a call
// does not run with sampling other than the caller asked for.
func unsupported(param, option string) error {
	return &mirascope.UnsupportedError{
		Provider:  Name,
		Parameter: option,
		Reason:    fmt.Sprintf("the Messages API version %s (anthropic-sdk-go v2) does not accept %s", APIVersion, param),
	}
}

// params maps a request onto the SDK's parameters.
func (p *Provider) params(req *mirascope.Request) (sdk.MessageNewParams, error) {
	var params sdk.MessageNewParams
	switch {
	case req.Params.Temperature != nil:
		return params, unsupported("temperature", "mirascope.WithTemperature")
	case req.Params.TopP != nil:
		return params, unsupported("top_p", "mirascope.WithTopP")
	case req.Params.Seed != nil:
		return params, unsupported("seed", "mirascope.WithSeed")
	}
	params.Model = sdk.Model(req.ModelOr(p.model))
	params.MaxTokens = int64(p.maxTokens)
	if req.Params.MaxTokens != nil {
		params.MaxTokens = int64(*req.Params.MaxTokens)
	}
	if len(req.Params.Stop) > 0 {
		params.StopSequences = append([]string(nil), req.Params.Stop...)
	}
	system, msgs, err := messages(req.Messages)
	if err != nil {
		return params, err
	}
	params.System = system
	params.Messages = msgs
	if err := tools(req, &params); err != nil {
		return params, err
	}
	applyExtraBody(req, &params)
	return params, nil
}

// messages splits the conversation into the top-level system prompt (every
// system message, in order) and the user/assistant turns. Tool results become
// tool_result blocks of a user turn; consecutive tool results, and a user
// message that follows them, share one user turn, as the API expects.
func messages(in []prompt.Message) ([]sdk.TextBlockParam, []sdk.MessageParam, error) {
	var system []sdk.TextBlockParam
	var out []sdk.MessageParam
	lastToolTurn := false // the last turn in out is a user turn holding tool results
	for _, m := range in {
		switch m.Role {
		case prompt.RoleSystem:
			system = append(system, sdk.TextBlockParam{Text: m.Content})
		case prompt.RoleUser:
			if lastToolTurn {
				u := out[len(out)-1].OfUser
				u.Content = append(u.Content, sdk.NewTextBlock(m.Content))
				lastToolTurn = false
				continue
			}
			out = append(out, sdk.NewUserMessage(sdk.NewTextBlock(m.Content)))
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
					return nil, nil, fmt.Errorf("mirascope: anthropic: tool call %q (%s): arguments are not valid JSON", tc.ID, tc.Name)
				}
				blocks = append(blocks, sdk.NewToolUseBlock(tc.ID, args, tc.Name))
			}
			out = append(out, sdk.NewAssistantMessage(blocks...))
			lastToolTurn = false
			continue
		case prompt.RoleTool:
			block := toolResult(m.ToolCallID, m.Content, m.IsError)
			if lastToolTurn {
				u := out[len(out)-1].OfUser
				u.Content = append(u.Content, block)
				continue
			}
			out = append(out, sdk.NewUserMessage(block))
			lastToolTurn = true
			continue
		default:
			return nil, nil, fmt.Errorf("mirascope: anthropic: unknown message role %q", m.Role)
		}
		if m.Role == prompt.RoleUser {
			lastToolTurn = false
		}
	}
	return system, out, nil
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
