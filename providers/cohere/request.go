package cohere

import (
	"bytes"
	"encoding/json"
	"fmt"

	cohere "github.com/cohere-ai/cohere-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// wire is a request ready to send, and what reading its answer needs.
type wire struct {
	model string
	body  []byte
	// plan finishes the answer: the call of a Format that went out as a
	// tool is the content.
	plan *lower.Plan
}

// build maps req to the JSON body of POST /v2/chat with the SDK's own
// request types (which also write the "stream" flag). What Cohere cannot do
// is refused by lower.Prepare (lower.Cohere says what), before any request,
// with a *mirascope.UnsupportedError.
func (p *Provider) build(req *mirascope.Request, stream bool) (*wire, error) {
	model := req.ModelOr(p.model)
	plan, err := lower.Prepare(req, lower.CohereFor(model))
	if err != nil {
		return nil, err
	}
	w := &wire{model: model, plan: plan}
	var thinking *cohere.Thinking
	if r := plan.Reasoning; r != nil {
		budget := r.Budget
		thinking = &cohere.Thinking{Type: cohere.ThinkingTypeEnabled, TokenBudget: &budget}
	}
	msgs := messages(plan.Turns)
	t, err := toolsOf(plan)
	if err != nil {
		return nil, err
	}
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
			StopSequences: stop, Seed: seed, Thinking: thinking,
		})
	} else {
		w.body, err = json.Marshal(&cohere.V2ChatRequest{
			Model: w.model, Messages: msgs,
			Tools: t.tools, ResponseFormat: t.format, ToolChoice: t.choice,
			MaxTokens: req.Params.MaxTokens, Temperature: req.Params.Temperature, P: req.Params.TopP,
			StopSequences: stop, Seed: seed, Thinking: thinking,
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
	tools  []*cohere.ToolV2
	choice *cohere.V2ChatRequestToolChoice
	format *cohere.ResponseFormatV2
}

func unsupported(param, reason string) error {
	return &mirascope.UnsupportedError{Provider: name, Parameter: param, Reason: reason}
}

// toolsOf maps the plan's tools, choice and format. Cohere's tool_choice is
// REQUIRED or NONE only (auto is its default), and its response_format
// cannot be combined with tools, so lower.Prepare turns a Format beside
// tools into one more tool, with tool_choice REQUIRED: each turn then
// either calls a tool or answers through that one.
func toolsOf(plan *lower.Plan) (toolSet, error) {
	var ts toolSet
	formatTool := plan.FormatTool()
	for _, def := range plan.Tools {
		desc := def.Description
		if def.Name == formatTool && desc == "" {
			desc = "Give the final answer by calling this tool with it."
		}
		ts.tools = append(ts.tools, toolV2(def.Name, desc, def.Parameters))
	}
	switch plan.Choice.Kind {
	case lower.ChoiceRequired, lower.ChoiceTool:
		ts.choice = cohere.V2ChatRequestToolChoiceRequired.Ptr()
	case lower.ChoiceNone:
		ts.choice = cohere.V2ChatRequestToolChoiceNone.Ptr()
	}
	if f := plan.Format; f != nil && f.Strategy == lower.Native {
		schema, err := responseSchema(f.Schema)
		if err != nil {
			return ts, err
		}
		ts.format = &cohere.ResponseFormatV2{Type: "json_object", JsonObject: &cohere.JsonResponseFormatV2{JsonSchema: schema}}
	}
	return ts, nil
}

// toolV2 is a tool on the wire; its schema's members stay raw, so the
// properties keep their order.
func toolV2(name, description string, params json.RawMessage) *cohere.ToolV2 {
	fn := &cohere.ToolV2Function{Name: name, Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}
	if description != "" {
		fn.Description = &description
	}
	if len(params) > 0 {
		fn.Parameters = rawMembers(params) // an object: lower.Prepare checked it
	}
	typ := "function"
	return &cohere.ToolV2{Type: &typ, Function: fn}
}

// rawMembers is a JSON object as the SDK's map type, each member raw: the
// SDK sorts the top-level keys, and nothing below them.
func rawMembers(raw []byte) map[string]any {
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(raw, &obj)
	m := make(map[string]any, len(obj))
	for k, v := range obj {
		m[k] = v
	}
	return m
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
func messages(turns []lower.Turn) cohere.ChatMessages {
	out := make(cohere.ChatMessages, 0, len(turns))
	for _, t := range turns {
		var cm cohere.ChatMessageV2
		switch m := t.Message; t.Role {
		case prompt.RoleSystem:
			c := &cohere.SystemMessageV2Content{String: m.Content}
			if m.Content == "" {
				c = &cohere.SystemMessageV2Content{SystemMessageV2ContentItemList: []*cohere.SystemMessageV2ContentItem{{Type: "text", Text: &cohere.ChatTextContent{}}}}
			}
			cm = cohere.ChatMessageV2{Role: "system", System: &cohere.SystemMessageV2{Content: c}}
		case prompt.RoleUser:
			c := &cohere.UserMessageV2Content{String: m.Content}
			switch {
			case len(m.Parts) > 0:
				c = &cohere.UserMessageV2Content{ContentList: contentList(m.Parts)}
			case m.Content == "":
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
			for _, r := range t.Results {
				out = append(out, &cohere.ChatMessageV2{Role: "tool", Tool: &cohere.ToolMessageV2{ToolCallId: r.ToolCallID,
					Content: &cohere.ToolMessageV2Content{ToolContentList: []*cohere.ToolContent{toolContent(r)}}}})
			}
			continue
		}
		out = append(out, &cm)
	}
	return out
}

func toolContent(m prompt.Message) *cohere.ToolContent {
	if !m.IsError {
		if data, err := decodeObject([]byte(m.Content)); err == nil {
			return &cohere.ToolContent{Type: "document", Document: &cohere.DocumentContent{Document: &cohere.Document{Data: data}}}
		}
	}
	return &cohere.ToolContent{Type: "text", Text: &cohere.ChatTextContent{Text: m.Content}}
}

// contentList maps a user message's parts, checked by lower.Prepare against
// lower.Cohere (images only, by http(s) URL or bytes), to Chat v2 content:
// text, and image_url with an http(s) URL as is or the bytes as a base64
// data URL, and the detail hint when set.
func contentList(parts []prompt.Part) []*cohere.Content {
	out := make([]*cohere.Content, 0, len(parts))
	for _, p := range parts {
		m := p.Media
		if m == nil {
			out = append(out, &cohere.Content{Type: "text", Text: &cohere.ChatTextContent{Text: p.Text}})
			continue
		}
		u := &cohere.ImageUrl{Url: m.URL}
		if m.Data != nil {
			u.Url = lower.DataURL(m)
		}
		if m.Detail != "" {
			d := cohere.ImageUrlDetail(m.Detail)
			u.Detail = &d
		}
		out = append(out, &cohere.Content{Type: "image_url", ImageUrl: &cohere.ImageContent{ImageUrl: u}})
	}
	return out
}
