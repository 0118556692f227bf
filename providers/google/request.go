package google

import (
	"encoding/json"
	"fmt"
	"math"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// config maps the request's settings onto the SDK's GenerateContentConfig.
func config(req *mirascope.Request) (*genai.GenerateContentConfig, error) {
	cfg := &genai.GenerateContentConfig{
		// One request per call, so each is traced and billed visibly; a
		// response cut short keeps the service's own CONTINUATION reason.
		AutomaticContinuation: genai.Ptr(false),
	}
	p := req.Params
	if p.MaxTokens != nil {
		if *p.MaxTokens < 0 || *p.MaxTokens > math.MaxInt32 {
			return nil, fmt.Errorf("mirascope: %s: max tokens %d out of range", Name, *p.MaxTokens)
		}
		cfg.MaxOutputTokens = int32(*p.MaxTokens)
	}
	if p.Temperature != nil {
		cfg.Temperature = genai.Ptr(float32(*p.Temperature))
	}
	if p.TopP != nil {
		cfg.TopP = genai.Ptr(float32(*p.TopP))
	}
	if len(p.Stop) > 0 {
		cfg.StopSequences = append([]string(nil), p.Stop...)
	}
	if p.Seed != nil {
		if *p.Seed < math.MinInt32 || *p.Seed > math.MaxInt32 {
			return nil, fmt.Errorf("mirascope: %s: seed %d does not fit the API's 32-bit seed", Name, *p.Seed)
		}
		cfg.Seed = genai.Ptr(int32(*p.Seed))
	}
	return cfg, nil
}

// contents maps the conversation: system messages become the
// systemInstruction (one part each, in order), assistant turns the "model"
// role, and tool results functionResponse parts of a user turn (consecutive
// results share one turn, as parallel calls need).
func contents(msgs []prompt.Message) (*genai.Content, []*genai.Content, error) {
	var system *genai.Content
	var out []*genai.Content
	names := map[string]string{} // tool call id → function name
	lastTool := false
	for _, m := range msgs {
		switch m.Role {
		case prompt.RoleSystem:
			if system == nil {
				system = &genai.Content{}
			}
			system.Parts = append(system.Parts, &genai.Part{Text: m.Content})
			continue
		case prompt.RoleUser:
			out = append(out, &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{{Text: m.Content}}})
		case prompt.RoleAssistant:
			c := &genai.Content{Role: genai.RoleModel}
			if m.Content != "" || len(m.ToolCalls) == 0 {
				c.Parts = append(c.Parts, &genai.Part{Text: m.Content})
			}
			for _, tc := range m.ToolCalls {
				args := map[string]any{}
				if tc.Arguments != "" {
					if err := json.Unmarshal([]byte(tc.Arguments), &args); err != nil {
						return nil, nil, fmt.Errorf("mirascope: %s: tool call %q (%s): arguments are not a JSON object: %w", Name, tc.ID, tc.Name, err)
					}
				}
				fc := &genai.FunctionCall{Name: tc.Name, Args: args}
				if tc.ID != tc.Name { // ids we made up from the name stay off the wire
					fc.ID = tc.ID
				}
				names[tc.ID] = tc.Name
				c.Parts = append(c.Parts, &genai.Part{FunctionCall: fc})
			}
			out = append(out, c)
		case prompt.RoleTool:
			name, ok := names[m.ToolCallID]
			if !ok {
				name = m.ToolCallID
			}
			fr := &genai.FunctionResponse{Name: name, Response: toolResponse(m.Content)}
			if m.ToolCallID != name {
				fr.ID = m.ToolCallID
			}
			part := &genai.Part{FunctionResponse: fr}
			if lastTool {
				last := out[len(out)-1]
				last.Parts = append(last.Parts, part)
				continue
			}
			out = append(out, &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{part}})
			lastTool = true
			continue
		default:
			return nil, nil, fmt.Errorf("mirascope: %s: unknown message role %q", Name, m.Role)
		}
		lastTool = false
	}
	return system, out, nil
}

// toolResponse is a JSON object result as it is, anything else under
// "output", the key the API reads a function's output from.
func toolResponse(content string) map[string]any {
	var obj map[string]any
	if json.Unmarshal([]byte(content), &obj) == nil && obj != nil {
		return obj
	}
	return map[string]any{"output": content}
}
