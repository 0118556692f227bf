package google

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// prepare checks the key and maps the request.
func (p *Provider) prepare(req *mirascope.Request) (*genai.Client, *genai.Content, []*genai.Content, *genai.GenerateContentConfig, error) {
	client, err := p.genaiClient()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	system, conv, err := contents(req.Messages)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cfg, err := config(req)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cfg.SystemInstruction = system
	return client, system, conv, cfg, nil
}

// Call sends req to generateContent and returns the whole response.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	client, _, conv, cfg, err := p.prepare(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := p.withTimeout(ctx)
	defer cancel()
	ctx, rec := withRecord(ctx)
	resp, err := generate(ctx, client, req.ModelOr(p.model), conv, cfg)
	if err != nil {
		return nil, p.wrapErr(ctx, err, rec)
	}
	return response(resp), nil
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
func response(r *genai.GenerateContentResponse) *mirascope.Response {
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
		text, calls := parts(c.Content)
		msg.Content, msg.ToolCalls = text, calls
	}
	out.Content = msg.Content
	out.Message = msg
	return out
}

// parts splits a candidate's content into its answer text (thoughts left
// out) and its function calls. A call without an id gets its function name
// as id, so a tool result can name it.
func parts(c *genai.Content) (string, []prompt.ToolCall) {
	if c == nil {
		return "", nil
	}
	var text strings.Builder
	var calls []prompt.ToolCall
	for _, part := range c.Parts {
		if part == nil {
			continue
		}
		if part.Text != "" && !part.Thought {
			text.WriteString(part.Text)
		}
		if fc := part.FunctionCall; fc != nil {
			args := []byte("{}")
			if fc.Args != nil {
				args, _ = json.Marshal(fc.Args)
			}
			id := fc.ID
			if id == "" {
				id = fc.Name
			}
			calls = append(calls, prompt.ToolCall{ID: id, Name: fc.Name, Arguments: string(args)})
		}
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
