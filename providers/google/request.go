package google

import (
	"fmt"
	"math"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// config maps the request's settings onto the SDK's GenerateContentConfig.
func config(req *mirascope.Request) (*genai.GenerateContentConfig, error) {
	cfg := &genai.GenerateContentConfig{
		// One request per call, so each is traced and billed visibly; a
		// response cut short keeps the service's own CONTINUATION reason.
		AutomaticContinuation: genai.Ptr(false),
	}
	p := req.Params
	// lower.Prepare checked the ranges: max tokens 1..MaxInt32, a 32-bit
	// seed, a temperature up to 2.
	if p.MaxTokens != nil {
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
		cfg.Seed = genai.Ptr(int32(*p.Seed))
	}
	return cfg, nil
}

// contents maps the turns (the system text is the systemInstruction, one
// part each): assistant turns the "model" role (function calls with the
// thoughtSignature they carry), and a group of tool results the
// functionResponse parts of one user turn, as parallel calls need.
func (p *Provider) contents(turns []lower.Turn) ([]*genai.Content, error) {
	var out []*genai.Content
	names := map[string]string{} // tool call id → function name
	for _, t := range turns {
		switch m := t.Message; t.Role {
		case prompt.RoleUser:
			parts, err := p.userParts(m)
			if err != nil {
				return nil, err
			}
			out = append(out, &genai.Content{Role: genai.RoleUser, Parts: parts})
		case prompt.RoleAssistant:
			c := &genai.Content{Role: genai.RoleModel}
			if m.Content != "" || len(m.ToolCalls) == 0 {
				c.Parts = append(c.Parts, &genai.Part{Text: m.Content})
			}
			for _, tc := range m.ToolCalls {
				part, err := assistantCall(tc)
				if err != nil {
					return nil, err
				}
				names[tc.ID] = tc.Name
				c.Parts = append(c.Parts, part)
			}
			out = append(out, c)
		case prompt.RoleTool:
			c := &genai.Content{Role: genai.RoleUser}
			for _, r := range t.Results {
				// The API needs the function's name on its response.
				name, ok := names[r.ToolCallID]
				if !ok {
					return nil, &mirascope.UnsupportedError{Provider: Name, Parameter: "prompt.ToolResult",
						Reason: fmt.Sprintf("tool result %q answers no tool call of an earlier assistant message", r.ToolCallID)}
				}
				fr := &genai.FunctionResponse{ID: wireID(r.ToolCallID), Name: name, Response: toolResponse(r.Content, r.IsError)}
				c.Parts = append(c.Parts, &genai.Part{FunctionResponse: fr})
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// thinking maps the reasoning setting lower.Prepare chose for the model to
// thinkingConfig: a level (Gemini 3) or a budget (Gemini 2.5), with
// includeThoughts, without which the thought summaries are not returned.
func thinking(r *lower.Reasoning, cfg *genai.GenerateContentConfig) {
	if r == nil {
		return
	}
	tc := &genai.ThinkingConfig{IncludeThoughts: true}
	if r.Budget > 0 {
		tc.ThinkingBudget = genai.Ptr(int32(min(r.Budget, math.MaxInt32)))
	} else {
		tc.ThinkingLevel = genai.ThinkingLevel(strings.ToUpper(r.Effort))
	}
	cfg.ThinkingConfig = tc
}
