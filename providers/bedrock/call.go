package bedrock

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// Call sends req to Converse (POST /model/{modelId}/converse).
func (p *Provider) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	return p.redactor.Call(ctx, func(ctx context.Context) (*mirascope.Response, error) { return p.call(ctx, req) })
}

// call is Call's body.
func (p *Provider) call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	if err := p.ready(ctx, req); err != nil {
		return nil, err
	}
	in, err := p.input(req)
	if err != nil {
		return nil, inputError(err)
	}
	ctx, cancel := providerkit.StartCall(ctx, p.timeout)
	defer cancel()
	out, err := p.client.Converse(ctx, in.converse())
	if err != nil {
		return nil, p.providerError(ctx, err)
	}
	rid, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	return response(in.model, rid, out), nil
}

// inputError passes a refusal on as it is and wraps any other failure to
// build the request.
func inputError(err error) error {
	var ue *mirascope.UnsupportedError
	if errors.As(err, &ue) || errors.Is(err, mirascope.ErrInvalidTool) {
		return err
	}
	return &mirascope.ProviderError{Provider: name, Err: err}
}

// response maps Converse's answer. Converse returns neither a response id
// nor a model: ID is the request id (x-amzn-RequestId) and Model the model
// id requested.
func response(model, requestID string, out *bedrockruntime.ConverseOutput) *mirascope.Response {
	r := &mirascope.Response{Model: model, ID: requestID, Raw: out}
	if out.StopReason != "" {
		r.FinishReasons = []string{string(out.StopReason)}
	}
	msg := prompt.Message{Role: prompt.RoleAssistant}
	var text, thoughts strings.Builder
	if m, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, b := range m.Value.Content {
			switch b := b.(type) {
			case *types.ContentBlockMemberText:
				text.WriteString(b.Value)
			case *types.ContentBlockMemberReasoningContent:
				switch rc := b.Value.(type) {
				case *types.ReasoningContentBlockMemberReasoningText:
					t := deref(rc.Value.Text)
					if thoughts.Len() > 0 && t != "" {
						thoughts.WriteString("\n\n")
					}
					thoughts.WriteString(t)
					msg.Reasoning = append(msg.Reasoning, prompt.Reasoning{Text: t, Signature: deref(rc.Value.Signature)})
				case *types.ReasoningContentBlockMemberRedactedContent:
					msg.Reasoning = append(msg.Reasoning, prompt.Reasoning{Redacted: base64.StdEncoding.EncodeToString(rc.Value)})
				}
			case *types.ContentBlockMemberToolUse:
				tc := prompt.ToolCall{ID: deref(b.Value.ToolUseId), Name: deref(b.Value.Name)}
				if b.Value.Input != nil {
					if js, err := b.Value.Input.MarshalSmithyDocument(); err == nil {
						tc.Arguments = string(js)
					}
				}
				msg.ToolCalls = append(msg.ToolCalls, tc)
			}
		}
	}
	r.Content = text.String()
	r.Reasoning = thoughts.String()
	msg.Content = r.Content
	r.Message = msg
	r.ToolCalls = msg.ToolCalls
	if u := usage(out.Usage); u != nil {
		r.Usage = *u
	}
	return r
}

// usage counts input as the semconv does: Bedrock's inputTokens excludes
// cache reads and writes, so they are added.
func usage(u *types.TokenUsage) *mirascope.Usage {
	if u == nil {
		return nil
	}
	read, write := int(i32(u.CacheReadInputTokens)), int(i32(u.CacheWriteInputTokens))
	return &mirascope.Usage{
		InputTokens:      int(i32(u.InputTokens)) + read + write,
		OutputTokens:     int(i32(u.OutputTokens)),
		CacheReadTokens:  read,
		CacheWriteTokens: write,
	}
}

func i32(v *int32) int32 {
	if v == nil {
		return 0
	}
	return *v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
