package google

import (
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
// role (function calls with the thoughtSignature they came with), and tool
// results functionResponse parts of a user turn (consecutive results share
// one turn, as parallel calls need).
func contents(msgs []prompt.Message, sigs *signatures) (*genai.Content, []*genai.Content, error) {
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
				part, err := assistantCall(tc, sigs)
				if err != nil {
					return nil, nil, err
				}
				names[tc.ID] = tc.Name
				c.Parts = append(c.Parts, part)
			}
			out = append(out, c)
		case prompt.RoleTool:
			// The API needs the function's name on its response.
			name, ok := names[m.ToolCallID]
			if !ok {
				return nil, nil, fmt.Errorf("mirascope: %s: tool result %q answers no tool call of an earlier assistant message", Name, m.ToolCallID)
			}
			fr := &genai.FunctionResponse{ID: wireID(m.ToolCallID), Name: name, Response: toolResponse(m.Content, m.IsError)}
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
