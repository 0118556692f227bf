package cohere

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	cohere "github.com/cohere-ai/cohere-go/v2"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Call sends req to POST /v2/chat and returns the whole answer.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.redactor.Call(ctx, func(ctx context.Context) (*mirascope.Response, error) { return p.call(ctx, req) })
}

// call is Call's body.
func (p *Provider) call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	if err := p.gate.Ready(req); err != nil {
		return nil, err
	}
	ctx, cancel := providerkit.StartCall(ctx, p.timeout)
	defer cancel()
	w, err := p.build(req, false)
	if err != nil {
		return nil, requestError(err)
	}
	resp, err := p.send(ctx, w.body, false)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	rid := requestID(resp.Header, "")
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		pe := p.transportError(ctx, err)
		pe.RequestID = rid
		return nil, pe
	}
	var out cohere.V2ChatResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, &mirascope.ProviderError{Provider: name, RequestID: rid,
			Message: "invalid JSON in the response body", Err: err}
	}
	return response(w, &out), nil
}

// requestError passes a refusal on as it is and wraps any other failure to
// build the request.
func requestError(err error) error {
	var ue *mirascope.UnsupportedError
	if errors.As(err, &ue) || errors.Is(err, mirascope.ErrInvalidTool) {
		return err
	}
	return &mirascope.ProviderError{Provider: name, Err: err}
}

// response maps Cohere's answer. Cohere names no model in its responses, so
// Model is the model requested. The text is the content, else the tool plan;
// a call of the Format's tool is the content instead, and not a tool call.
func response(w *wire, out *cohere.V2ChatResponse) *mirascope.Response {
	r := &mirascope.Response{Model: w.model, ID: out.Id, Raw: out}
	if out.FinishReason != "" {
		r.FinishReasons = []string{string(out.FinishReason)}
	}
	var text, thoughts strings.Builder
	var calls []prompt.ToolCall
	if m := out.Message; m != nil {
		for _, c := range m.Content {
			switch {
			case c == nil:
			case c.Text != nil:
				text.WriteString(c.Text.Text)
			case c.Thinking != nil:
				thoughts.WriteString(c.Thinking.Thinking)
			}
		}
		if text.Len() == 0 && m.ToolPlan != nil && w.plan.FormatTool() == "" {
			text.WriteString(*m.ToolPlan)
		}
		for _, tc := range m.ToolCalls {
			if tc == nil {
				continue
			}
			call := prompt.ToolCall{ID: deref(tc.Id)}
			if tc.Function != nil {
				call.Name, call.Arguments = deref(tc.Function.Name), deref(tc.Function.Arguments)
			}
			calls = append(calls, call)
		}
	}
	r.Content, r.ToolCalls = w.plan.Answer(text.String(), calls)
	r.Reasoning = thoughts.String()
	r.Message = prompt.Message{Role: prompt.RoleAssistant, Content: r.Content, ToolCalls: r.ToolCalls}
	if u := usage(out.Usage); u != nil {
		r.Usage = *u
	}
	return r
}

// usage reports the tokens the model read and wrote (usage.tokens), as the
// GenAI conventions count them: the prompt as the model saw it, with the
// tokens Cohere adds to it, which it does not bill (usage.billed_units, the
// fallback when tokens are absent).
func usage(u *cohere.Usage) *mirascope.Usage {
	if u == nil {
		return nil
	}
	var in, out *float64
	if t := u.Tokens; t != nil {
		in, out = t.InputTokens, t.OutputTokens
	}
	if b := u.BilledUnits; b != nil {
		if in == nil {
			in = b.InputTokens
		}
		if out == nil {
			out = b.OutputTokens
		}
	}
	if in == nil && out == nil {
		return nil
	}
	return &mirascope.Usage{InputTokens: int(derefF(in)), OutputTokens: int(derefF(out))}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefF(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
