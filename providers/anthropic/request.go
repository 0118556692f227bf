package anthropic

import (
	"encoding/json"
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// UnsupportedParamError is returned, before any request, for a setting the
// Messages API version this provider speaks ([APIVersion]) does not accept.
// It is never dropped silently, so a call does not run with sampling other
// than the caller asked for.
type UnsupportedParamError struct {
	// Param is the wire name: "temperature", "top_p" or "seed".
	Param string
	// Option is the call option that set it, e.g. "mirascope.WithTemperature".
	Option string
	// APIVersion is the anthropic-version the provider sends.
	APIVersion string
}

func (e *UnsupportedParamError) Error() string {
	return fmt.Sprintf("mirascope: anthropic: %s is not supported by the Messages API version %s (anthropic-sdk-go v2); remove %s",
		e.Param, e.APIVersion, e.Option)
}

// Is matches [mirascope.ErrUnsupportedParameter].
func (e *UnsupportedParamError) Is(target error) bool {
	return target == mirascope.ErrUnsupportedParameter
}

// params maps a request onto the SDK's parameters.
func (p *Provider) params(req *mirascope.Request) (sdk.MessageNewParams, error) {
	var params sdk.MessageNewParams
	switch {
	case req.Params.Temperature != nil:
		return params, &UnsupportedParamError{Param: "temperature", Option: "mirascope.WithTemperature", APIVersion: APIVersion}
	case req.Params.TopP != nil:
		return params, &UnsupportedParamError{Param: "top_p", Option: "mirascope.WithTopP", APIVersion: APIVersion}
	case req.Params.Seed != nil:
		return params, &UnsupportedParamError{Param: "seed", Option: "mirascope.WithSeed", APIVersion: APIVersion}
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
