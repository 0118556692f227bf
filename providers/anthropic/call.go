package anthropic

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// ErrStreamingRequired matches the error of a non-streaming Call whose
// max_tokens is so large that the SDK refuses it (the request could outlast
// the API's ten-minute limit for non-streaming requests): use
// mirascope.Stream, or lower mirascope.WithMaxTokens. That error is a
// *mirascope.UnsupportedError, returned before any request.
var ErrStreamingRequired = errors.New("streaming required")

// streamingRequiredError is the refusal of a Call the SDK will not send
// unstreamed: a setting this way of calling cannot honour (so an
// UnsupportedError, not a service's failure), matching ErrStreamingRequired.
type streamingRequiredError struct{ *mirascope.UnsupportedError }

func (e *streamingRequiredError) Unwrap() []error {
	return []error{e.UnsupportedError, ErrStreamingRequired}
}

// streamingRequired is the refusal of a non-streaming call with maxTokens
// on model, naming the setting that made it that large (def is the
// provider's default max_tokens).
func streamingRequired(req *mirascope.Request, maxTokens int64, def int, model string) error {
	param, why := "WithMaxTokens", ""
	switch {
	case req.Params.MaxTokens != nil:
	case maxTokens > int64(def):
		// the thinking budget was added to the default
		param, why = "WithReasoning", fmt.Sprintf(" (the default %d plus the thinking budget)", def)
		if req.Params.ReasoningBudget != nil {
			param = "WithReasoningBudget"
		}
	default:
		param = "WithDefaultMaxTokens"
	}
	return &streamingRequiredError{&mirascope.UnsupportedError{
		Provider:  Name,
		Parameter: param,
		Reason: fmt.Sprintf("max_tokens %d%s for model %s may take longer than the API's 10 minutes without streaming, so the SDK will not send it in a Call: use mirascope.Stream, or lower the max tokens",
			maxTokens, why, model),
	}}
}

// Call sends req to the Messages API and returns the whole response.
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.redactor.Call(ctx, func(ctx context.Context) (*mirascope.Response, error) { return p.call(ctx, req) })
}

// call is Call's body.
func (p *Provider) call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	if err := p.gate.Ready(req); err != nil {
		return nil, err
	}
	params, err := p.params(req)
	if err != nil {
		return nil, err
	}
	// The SDK's own check, made here so its refusal becomes a clear error.
	if _, err := sdk.CalculateNonStreamingTimeout(int(params.MaxTokens), params.Model, nil); err != nil {
		return nil, streamingRequired(req, params.MaxTokens, p.maxTokens, string(params.Model))
	}
	ctx, cancel := providerkit.StartCall(ctx, p.timeout)
	defer cancel()
	var raw *http.Response
	msg, err := p.client.Messages.New(ctx, params, option.WithResponseInto(&raw))
	if err != nil {
		return nil, p.wrapErr(ctx, err, raw)
	}
	return response(msg), nil
}

// response maps the SDK's message onto a mirascope.Response.
func response(msg *sdk.Message) *mirascope.Response {
	var text, thought strings.Builder
	out := prompt.Message{Role: prompt.RoleAssistant}
	for _, b := range msg.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "thinking":
			if thought.Len() > 0 && b.Thinking != "" {
				thought.WriteString(thoughtSeparator)
			}
			thought.WriteString(b.Thinking)
			out.Reasoning = append(out.Reasoning, prompt.Reasoning{Text: b.Thinking, Signature: b.Signature})
		case "redacted_thinking":
			out.Reasoning = append(out.Reasoning, prompt.Reasoning{Redacted: b.Data})
		case "tool_use":
			args := string(b.Input)
			if args == "" {
				args = "{}"
			}
			out.ToolCalls = append(out.ToolCalls, prompt.ToolCall{ID: b.ID, Name: b.Name, Arguments: args})
		}
	}
	out.Content = text.String()
	resp := &mirascope.Response{
		Content:   out.Content,
		Reasoning: thought.String(),
		Model:     string(msg.Model),
		ID:        msg.ID,
		Usage: usage(msg.Usage.InputTokens, msg.Usage.OutputTokens, msg.Usage.CacheReadInputTokens, msg.Usage.CacheCreationInputTokens,
			msg.Usage.OutputTokensDetails.ThinkingTokens),
		ToolCalls: out.ToolCalls,
		Message:   out,
		Raw:       msg,
	}
	if msg.StopReason != "" {
		resp.FinishReasons = []string{string(msg.StopReason)}
	}
	return resp
}

// usage counts input as the semconv does: uncached, cache-read and
// cache-written input tokens together; thinking tokens are output too.
func usage(input, output, cacheRead, cacheWrite, thinking int64) mirascope.Usage {
	return mirascope.Usage{
		InputTokens:      int(input + cacheRead + cacheWrite),
		OutputTokens:     int(output),
		CacheReadTokens:  int(cacheRead),
		CacheWriteTokens: int(cacheWrite),
		ReasoningTokens:  int(thinking),
	}
}

// thoughtSeparator joins the texts of consecutive thinking blocks in
// Response.Reasoning, in a call as in a stream.
const thoughtSeparator = "\n\n"
