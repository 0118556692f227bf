package cohere

import (
	"encoding/json"
	"fmt"

	cohere "github.com/cohere-ai/cohere-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// body builds the JSON body of POST /v2/chat with the SDK's own request
// types, which also write the "stream" flag.
func (p *Provider) body(req *mirascope.Request, stream bool) (model string, b []byte, err error) {
	model = req.ModelOr(p.model)
	msgs, err := messages(req.Messages)
	if err != nil {
		return model, nil, err
	}
	var seed *int
	if req.Params.Seed != nil {
		s := int(*req.Params.Seed)
		seed = &s
	}
	stop := append([]string(nil), req.Params.Stop...)
	if stream {
		b, err = json.Marshal(&cohere.V2ChatStreamRequest{
			Model: model, Messages: msgs,
			MaxTokens: req.Params.MaxTokens, Temperature: req.Params.Temperature, P: req.Params.TopP,
			StopSequences: stop, Seed: seed,
		})
	} else {
		b, err = json.Marshal(&cohere.V2ChatRequest{
			Model: model, Messages: msgs,
			MaxTokens: req.Params.MaxTokens, Temperature: req.Params.Temperature, P: req.Params.TopP,
			StopSequences: stop, Seed: seed,
		})
	}
	return model, b, err
}

// messages maps the conversation to Cohere's four roles. Empty text is sent
// as a one-item content list, since the SDK cannot marshal an empty string.
func messages(in []prompt.Message) (cohere.ChatMessages, error) {
	out := make(cohere.ChatMessages, 0, len(in))
	for i, m := range in {
		var cm cohere.ChatMessageV2
		switch m.Role {
		case prompt.RoleSystem:
			c := &cohere.SystemMessageV2Content{String: m.Content}
			if m.Content == "" {
				c = &cohere.SystemMessageV2Content{SystemMessageV2ContentItemList: []*cohere.SystemMessageV2ContentItem{{Type: "text", Text: &cohere.ChatTextContent{}}}}
			}
			cm = cohere.ChatMessageV2{Role: "system", System: &cohere.SystemMessageV2{Content: c}}
		case prompt.RoleUser:
			c := &cohere.UserMessageV2Content{String: m.Content}
			if m.Content == "" {
				c = &cohere.UserMessageV2Content{ContentList: []*cohere.Content{{Type: "text", Text: &cohere.ChatTextContent{}}}}
			}
			cm = cohere.ChatMessageV2{Role: "user", User: &cohere.UserMessageV2{Content: c}}
		case prompt.RoleAssistant:
			a := &cohere.AssistantMessage{}
			if m.Content != "" {
				a.Content = &cohere.AssistantMessageV2Content{String: m.Content}
			}
			for _, tc := range m.ToolCalls {
				id, typ, nm, args := tc.ID, "function", tc.Name, tc.Arguments
				a.ToolCalls = append(a.ToolCalls, &cohere.ToolCallV2{
					Id: &id, Type: &typ,
					Function: &cohere.ToolCallV2Function{Name: &nm, Arguments: &args},
				})
			}
			if a.Content == nil && len(a.ToolCalls) == 0 {
				a.Content = &cohere.AssistantMessageV2Content{AssistantMessageV2ContentItemList: []*cohere.AssistantMessageV2ContentItem{{Type: "text", Text: &cohere.ChatTextContent{}}}}
			}
			cm = cohere.ChatMessageV2{Role: "assistant", Assistant: a}
		case prompt.RoleTool:
			c := &cohere.ToolMessageV2Content{String: m.Content}
			if m.Content == "" {
				c = &cohere.ToolMessageV2Content{ToolContentList: []*cohere.ToolContent{{Type: "text", Text: &cohere.ChatTextContent{}}}}
			}
			cm = cohere.ChatMessageV2{Role: "tool", Tool: &cohere.ToolMessageV2{ToolCallId: m.ToolCallID, Content: c}}
		default:
			return nil, fmt.Errorf("cohere: message %d: unknown role %q", i, m.Role)
		}
		out = append(out, &cm)
	}
	return out, nil
}
