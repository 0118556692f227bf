package google

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
)

// prepared is a request mapped for the SDK.
type prepared struct {
	client *genai.Client
	model  string
	conv   []*genai.Content
	cfg    *genai.GenerateContentConfig
	// formatFn names the function whose arguments are the structured
	// answer, when the format goes out as a forced function.
	formatFn string
}

// prepare checks the key and maps the request.
func (p *Provider) prepare(req *mirascope.Request) (*prepared, error) {
	client, err := p.genaiClient(req)
	if err != nil {
		return nil, err
	}
	system, conv, err := contents(req.Messages, &p.sigs)
	if err != nil {
		return nil, err
	}
	cfg, err := config(req)
	if err != nil {
		return nil, err
	}
	cfg.SystemInstruction = system
	model := req.ModelOr(p.model)
	formatFn, err := tools(req, model, cfg)
	if err != nil {
		return nil, err
	}
	applyExtraBody(req, cfg)
	return &prepared{client: client, model: model, conv: conv, cfg: cfg, formatFn: formatFn}, nil
}

// Call sends req to generateContent and returns the whole response.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	pr, err := p.prepare(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := providers.StartCall(ctx, p.timeout)
	defer cancel()
	resp, err := generate(ctx, pr.client, pr.model, pr.conv, pr.cfg)
	if err != nil {
		return nil, p.wrapErr(ctx, err)
	}
	return p.response(resp, pr.formatFn), nil
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
func (p *Provider) response(r *genai.GenerateContentResponse, formatFn string) *mirascope.Response {
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
		msg.Content, msg.ToolCalls = p.parts(c.Content, r.ResponseID, 0, formatFn)
	}
	out.Content = msg.Content
	out.ToolCalls = msg.ToolCalls
	out.Message = msg
	return out
}

// parts splits a candidate's content into its answer text (thoughts left
// out) and its function calls, numbered from first within the response,
// keeping each call's thoughtSignature for the next turn. The arguments of a
// call of formatFn are the answer instead, and that call is not a tool call.
func (p *Provider) parts(c *genai.Content, responseID string, first int, formatFn string) (string, []prompt.ToolCall) {
	if c == nil {
		return "", nil
	}
	var text strings.Builder
	var answer []byte
	var calls []prompt.ToolCall
	for _, part := range c.Parts {
		if part == nil {
			continue
		}
		if part.Text != "" && !part.Thought {
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
		if formatFn != "" && fc.Name == formatFn {
			answer = args
			continue
		}
		id := callID(fc, responseID, first+len(calls))
		p.sigs.put(id, part.ThoughtSignature)
		calls = append(calls, prompt.ToolCall{ID: id, Name: fc.Name, Arguments: string(args)})
	}
	if answer != nil {
		return string(answer), calls
	}
	return text.String(), calls
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
