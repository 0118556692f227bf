package google

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// prepared is a request mapped for the SDK.
type prepared struct {
	client *genai.Client
	model  string
	conv   []*genai.Content
	cfg    *genai.GenerateContentConfig
	// plan finishes the answer.
	plan *lower.Plan
}

// prepare checks the key and maps the request.
func (p *Provider) prepare(req *mirascope.Request) (*prepared, error) {
	client, err := p.genaiClient(req)
	if err != nil {
		return nil, err
	}
	model := req.ModelOr(p.model)
	c := caps(model)
	if p.vertex != nil {
		c = c.Vertex()
	}
	plan, err := lower.Prepare(req, c)
	if err != nil {
		return nil, err
	}
	conv, err := p.contents(plan.Turns)
	if err != nil {
		return nil, err
	}
	cfg, err := config(req)
	if err != nil {
		return nil, err
	}
	thinking(plan.Reasoning, cfg)
	for _, s := range plan.System {
		if cfg.SystemInstruction == nil {
			cfg.SystemInstruction = &genai.Content{}
		}
		cfg.SystemInstruction.Parts = append(cfg.SystemInstruction.Parts, &genai.Part{Text: s})
	}
	tools(plan, cfg)
	applyExtraBody(req, cfg)
	return &prepared{client: client, model: model, conv: conv, cfg: cfg, plan: plan}, nil
}

// Call sends req to generateContent and returns the whole response.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.redactor.Call(ctx, func(ctx context.Context) (*mirascope.Response, error) { return p.call(ctx, req) })
}

// call is Call's body.
func (p *Provider) call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	pr, err := p.prepare(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := providerkit.StartCall(ctx, p.timeout)
	defer cancel()
	resp, err := generate(ctx, pr.client, pr.model, pr.conv, pr.cfg)
	if err != nil {
		return nil, p.wrapErr(ctx, err)
	}
	return p.response(resp, pr.plan), nil
}

// generate calls the SDK, turning a panic in its response conversion (genai
// v1.77.0 panics on a candidate that is JSON null) into an error: a
// malformed answer must not bring the caller's process down.
func generate(ctx context.Context, client *genai.Client, model string, conv []*genai.Content, cfg *genai.GenerateContentConfig) (resp *genai.GenerateContentResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("%w: the SDK could not read the response: %v", errMalformed, r)
		}
	}()
	return client.Models.GenerateContent(ctx, model, conv, cfg)
}

// response maps the SDK's response onto a mirascope.Response; the first
// candidate is the answer, and every candidate gives its finish reason.
func (p *Provider) response(r *genai.GenerateContentResponse, plan *lower.Plan) *mirascope.Response {
	out := &mirascope.Response{
		ID:    r.ResponseID,
		Model: r.ModelVersion,
		Usage: usage(r.UsageMetadata),
		Raw:   r,
	}
	msg := prompt.Message{Role: prompt.RoleAssistant}
	for i, c := range r.Candidates {
		if c == nil {
			continue
		}
		if c.FinishReason != "" {
			out.FinishReasons = append(out.FinishReasons, string(c.FinishReason))
		}
		if i != 0 {
			continue
		}
		text, thoughts, calls := p.parts(c.Content, r.ResponseID, 0)
		out.Reasoning = thoughts
		msg.Content, msg.ToolCalls = plan.Answer(text, calls)
	}
	out.Content = msg.Content
	out.ToolCalls = msg.ToolCalls
	out.Message = msg
	return out
}

// parts splits a candidate's content into its answer text, its thought
// summaries' text, and its function calls, numbered from first within the
// response, each with its thoughtSignature (base64) for the next turn. The
// arguments of a call of a format tool are moved into the content by the
// plan. A thought summary need not be sent back: the signatures are what
// the service checks, and they travel on the calls.
func (p *Provider) parts(c *genai.Content, responseID string, first int) (string, string, []prompt.ToolCall) {
	if c == nil {
		return "", "", nil
	}
	var text, thoughts strings.Builder
	var calls []prompt.ToolCall
	for _, part := range c.Parts {
		if part == nil {
			continue
		}
		switch {
		case part.Text != "" && part.Thought:
			thoughts.WriteString(part.Text)
		case part.Text != "":
			text.WriteString(part.Text)
		}
		fc := part.FunctionCall
		if fc == nil {
			continue
		}
		args := []byte("{}")
		if fc.Args != nil {
			args, _ = json.Marshal(fc.Args)
		}
		tc := prompt.ToolCall{ID: callID(fc, responseID, first+len(calls)), Name: fc.Name, Arguments: string(args)}
		if len(part.ThoughtSignature) > 0 {
			tc.Signature = base64.StdEncoding.EncodeToString(part.ThoughtSignature)
		}
		calls = append(calls, tc)
	}
	return text.String(), thoughts.String(), calls
}

// usage maps usageMetadata as the semconv counts: promptTokenCount already
// includes the cached tokens (cachedContentTokenCount), tool-use prompt
// tokens are input too, and thinking tokens are output.
func usage(u *genai.GenerateContentResponseUsageMetadata) mirascope.Usage {
	if u == nil {
		return mirascope.Usage{}
	}
	return mirascope.Usage{
		InputTokens:     int(u.PromptTokenCount + u.ToolUsePromptTokenCount),
		OutputTokens:    int(u.CandidatesTokenCount + u.ThoughtsTokenCount),
		CacheReadTokens: int(u.CachedContentTokenCount),
		ReasoningTokens: int(u.ThoughtsTokenCount),
	}
}
