package cohere

import (
	"bytes"
	"encoding/json"
	"fmt"

	cohere "github.com/cohere-ai/cohere-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// wire is a request ready to send, and what reading its answer needs.
type wire struct {
	model string
	body  []byte
	// formatTool names the tool that carries a structured answer, when the
	// Format went out as a tool; its call's arguments are the content.
	formatTool string
}

// build maps req to the JSON body of POST /v2/chat with the SDK's own
// request types (which also write the "stream" flag). What Cohere cannot do
// is refused here, before any request, with a *mirascope.UnsupportedError.
func (p *Provider) build(req *mirascope.Request, stream bool) (*wire, error) {
	w := &wire{model: req.ModelOr(p.model)}
	msgs, err := messages(req.Messages)
	if err != nil {
		return nil, err
	}
	t, err := toolsOf(req)
	if err != nil {
		return nil, err
	}
	w.formatTool = t.formatTool
	var seed *int
	if req.Params.Seed != nil {
		s := int(*req.Params.Seed)
		seed = &s
	}
	stop := append([]string(nil), req.Params.Stop...)
	if stream {
		w.body, err = json.Marshal(&cohere.V2ChatStreamRequest{
			Model: w.model, Messages: msgs,
			Tools: t.tools, ResponseFormat: t.format, ToolChoice: (*cohere.V2ChatStreamRequestToolChoice)(t.choice),
			MaxTokens: req.Params.MaxTokens, Temperature: req.Params.Temperature, P: req.Params.TopP,
			StopSequences: stop, Seed: seed,
		})
	} else {
		w.body, err = json.Marshal(&cohere.V2ChatRequest{
			Model: w.model, Messages: msgs,
			Tools: t.tools, ResponseFormat: t.format, ToolChoice: t.choice,
			MaxTokens: req.Params.MaxTokens, Temperature: req.Params.Temperature, P: req.Params.TopP,
			StopSequences: stop, Seed: seed,
		})
	}
	if err == nil {
		w.body, err = withExtraBody(req, w.body)
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// toolSet is the tools, tool_choice and response_format of a request.
type toolSet struct {
	tools      []*cohere.ToolV2
	choice     *cohere.V2ChatRequestToolChoice
	format     *cohere.ResponseFormatV2
	formatTool string
}

func unsupported(param, reason string) error {
	return &mirascope.UnsupportedError{Provider: name, Parameter: param, Reason: reason}
}

// toolsOf maps Tools, ToolChoice and Format. Cohere's tool_choice is REQUIRED
// or NONE only, and its response_format cannot be combined with tools, so a
// Format with tools becomes one more tool, named Format.Name, with
// tool_choice REQUIRED: each turn then either calls a tool or answers
// through that one.
func toolsOf(req *mirascope.Request) (toolSet, error) {
	var ts toolSet
	names := map[string]bool{}
	for i, tool := range req.Tools {
		if tool == nil {
			return ts, fmt.Errorf("cohere: tool %d is nil", i)
		}
		def := tool.Definition()
		if names[def.Name] {
			return ts, fmt.Errorf("cohere: two tools are named %q", def.Name)
		}
		names[def.Name] = true
		t, err := toolV2(def.Name, def.Description, def.Parameters)
		if err != nil {
			return ts, err
		}
		ts.tools = append(ts.tools, t)
	}

	choice := req.ToolChoice
	switch choice {
	case "", mirascope.ToolChoiceAuto:
		// Cohere's default: the model decides.
	case mirascope.ToolChoiceRequired:
		if len(ts.tools) == 0 {
			return ts, unsupported("WithToolChoice", "tool choice required needs tools to call; pass them with WithTools")
		}
		ts.choice = cohere.V2ChatRequestToolChoiceRequired.Ptr()
	case mirascope.ToolChoiceNone:
		if len(ts.tools) > 0 {
			ts.choice = cohere.V2ChatRequestToolChoiceNone.Ptr()
		}
	default:
		return ts, unsupported("WithToolChoice", fmt.Sprintf("Cohere's tool_choice is REQUIRED or NONE; it cannot name one tool (%q)", choice))
	}

	f := req.Format
	if f == nil {
		return ts, nil
	}
	if len(ts.tools) == 0 {
		schema, err := responseSchema(f.Schema)
		if err != nil {
			return ts, err
		}
		ts.format = &cohere.ResponseFormatV2{Type: "json_object", JsonObject: &cohere.JsonResponseFormatV2{JsonSchema: schema}}
		return ts, nil
	}
	if choice == mirascope.ToolChoiceNone {
		return ts, unsupported("Format", "with tools, Cohere takes the answer's schema only as a tool, which tool choice none forbids")
	}
	if names[f.Name] {
		return ts, unsupported("Format", fmt.Sprintf("with tools, Cohere takes the answer's schema as a tool named %q, and a tool of that name is already offered", f.Name))
	}
	desc := f.Description
	if desc == "" {
		desc = "Give the final answer by calling this tool with it."
	}
	t, err := toolV2(f.Name, desc, f.Schema)
	if err != nil {
		return ts, err
	}
	ts.tools = append(ts.tools, t)
	ts.choice = cohere.V2ChatRequestToolChoiceRequired.Ptr()
	ts.formatTool = f.Name
	return ts, nil
}

func toolV2(name, description string, params json.RawMessage) (*cohere.ToolV2, error) {
	fn := &cohere.ToolV2Function{Name: name, Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}
	if description != "" {
		fn.Description = &description
	}
	if len(params) > 0 {
		m, err := decodeObject(params)
		if err != nil {
			return nil, fmt.Errorf("cohere: tool %q: parameters: %w", name, err)
		}
		fn.Parameters = m
	}
	typ := "function"
	return &cohere.ToolV2{Type: &typ, Function: fn}, nil
}

// decodeObject decodes a JSON object keeping numbers as written.
func decodeObject(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}

// messages maps the conversation to Cohere's four roles. Empty text is sent
// as a one-item content list, since the SDK cannot marshal an empty string.
// An assistant turn with tool calls sends its text as tool_plan, as Cohere
// returns it. A tool result that is a JSON object goes as a document (which
// Cohere can cite), anything else, and every failed run, as text.
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
			for _, tc := range m.ToolCalls {
				id, typ, nm, args := tc.ID, "function", tc.Name, tc.Arguments
				if args == "" {
					args = "{}"
				}
				a.ToolCalls = append(a.ToolCalls, &cohere.ToolCallV2{
					Id: &id, Type: &typ,
					Function: &cohere.ToolCallV2Function{Name: &nm, Arguments: &args},
				})
			}
			switch {
			case len(a.ToolCalls) > 0 && m.Content != "":
				plan := m.Content
				a.ToolPlan = &plan
			case len(a.ToolCalls) > 0:
			case m.Content != "":
				a.Content = &cohere.AssistantMessageV2Content{String: m.Content}
			default:
				a.Content = &cohere.AssistantMessageV2Content{AssistantMessageV2ContentItemList: []*cohere.AssistantMessageV2ContentItem{{Type: "text", Text: &cohere.ChatTextContent{}}}}
			}
			cm = cohere.ChatMessageV2{Role: "assistant", Assistant: a}
		case prompt.RoleTool:
			cm = cohere.ChatMessageV2{Role: "tool", Tool: &cohere.ToolMessageV2{ToolCallId: m.ToolCallID,
				Content: &cohere.ToolMessageV2Content{ToolContentList: []*cohere.ToolContent{toolContent(m)}}}}
		default:
			return nil, fmt.Errorf("cohere: message %d: unknown role %q", i, m.Role)
		}
		out = append(out, &cm)
	}
	return out, nil
}

func toolContent(m prompt.Message) *cohere.ToolContent {
	if !m.IsError {
		if data, err := decodeObject([]byte(m.Content)); err == nil {
			return &cohere.ToolContent{Type: "document", Document: &cohere.DocumentContent{Document: &cohere.Document{Data: data}}}
		}
	}
	return &cohere.ToolContent{Type: "text", Text: &cohere.ChatTextContent{Text: m.Content}}
}
