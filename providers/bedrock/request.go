package bedrock

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
)

// ErrUnsupportedParameter is matched (errors.Is) by the error a Call or
// Stream returns, before any request, for a parameter the Converse API does
// not have: WithSeed. Models that take one accept it through
// [WithAdditionalModelRequestFields]. It is [mirascope.ErrUnsupportedParameter].
var ErrUnsupportedParameter = mirascope.ErrUnsupportedParameter

type fieldsKey struct{}

// WithAdditionalModelRequestFields sends model-specific fields the Converse
// API does not define (e.g. {"top_k": 50} for Anthropic models) as
// additionalModelRequestFields. Calls merge their maps; later keys win.
func WithAdditionalModelRequestFields(fields map[string]any) mirascope.CallOption {
	fields = maps.Clone(fields)
	return func(r *mirascope.Request) {
		if r.Extensions == nil {
			r.Extensions = map[any]any{}
		}
		merged, _ := r.Extensions[fieldsKey{}].(map[string]any)
		merged = maps.Clone(merged)
		if merged == nil {
			merged = map[string]any{}
		}
		maps.Copy(merged, fields)
		r.Extensions[fieldsKey{}] = merged
	}
}

// input is what Converse and ConverseStream both take.
type input struct {
	model    string
	messages []types.Message
	system   []types.SystemContentBlock
	config   *types.InferenceConfiguration
	fields   map[string]any
}

func (p *Provider) input(req *mirascope.Request) (*input, error) {
	if req.Params.Seed != nil {
		return nil, fmt.Errorf("%w: seed (WithSeed); pass it as the model's own field with bedrock.WithAdditionalModelRequestFields", ErrUnsupportedParameter)
	}
	in := &input{model: req.ModelOr(p.model)}
	var err error
	if in.messages, in.system, err = messages(req.Messages); err != nil {
		return nil, err
	}
	pa := req.Params
	if pa.MaxTokens != nil || pa.Temperature != nil || pa.TopP != nil || len(pa.Stop) > 0 {
		c := &types.InferenceConfiguration{StopSequences: append([]string(nil), pa.Stop...)}
		if pa.MaxTokens != nil {
			if *pa.MaxTokens < 1 || *pa.MaxTokens > math.MaxInt32 {
				return nil, fmt.Errorf("%w: max tokens %d is outside the Converse API's range 1..%d", ErrUnsupportedParameter, *pa.MaxTokens, math.MaxInt32)
			}
			c.MaxTokens = aws.Int32(int32(*pa.MaxTokens))
		}
		if pa.Temperature != nil {
			c.Temperature = aws.Float32(float32(*pa.Temperature))
		}
		if pa.TopP != nil {
			c.TopP = aws.Float32(float32(*pa.TopP))
		}
		in.config = c
	}
	in.fields, _ = req.Extensions[fieldsKey{}].(map[string]any)
	return in, nil
}

func (in *input) converse() *bedrockruntime.ConverseInput {
	c := &bedrockruntime.ConverseInput{ModelId: aws.String(in.model), Messages: in.messages, System: in.system, InferenceConfig: in.config}
	if len(in.fields) > 0 {
		c.AdditionalModelRequestFields = document.NewLazyDocument(in.fields)
	}
	return c
}

func (in *input) converseStream() *bedrockruntime.ConverseStreamInput {
	c := &bedrockruntime.ConverseStreamInput{ModelId: aws.String(in.model), Messages: in.messages, System: in.system, InferenceConfig: in.config}
	if len(in.fields) > 0 {
		c.AdditionalModelRequestFields = document.NewLazyDocument(in.fields)
	}
	return c
}

// messages maps the conversation to Converse: system messages become system
// blocks, tool results toolResult blocks in a user turn, tool calls toolUse
// blocks; consecutive turns of the same role are merged, as Converse wants
// user and assistant turns to alternate.
func messages(in []prompt.Message) ([]types.Message, []types.SystemContentBlock, error) {
	var out []types.Message
	var system []types.SystemContentBlock
	add := func(role types.ConversationRole, blocks ...types.ContentBlock) {
		if n := len(out); n > 0 && out[n-1].Role == role {
			out[n-1].Content = append(out[n-1].Content, blocks...)
			return
		}
		out = append(out, types.Message{Role: role, Content: blocks})
	}
	for i, m := range in {
		switch m.Role {
		case prompt.RoleSystem:
			system = append(system, &types.SystemContentBlockMemberText{Value: m.Content})
		case prompt.RoleUser:
			add(types.ConversationRoleUser, &types.ContentBlockMemberText{Value: m.Content})
		case prompt.RoleAssistant:
			var blocks []types.ContentBlock
			if m.Content != "" || len(m.ToolCalls) == 0 {
				blocks = append(blocks, &types.ContentBlockMemberText{Value: m.Content})
			}
			for _, tc := range m.ToolCalls {
				var args any = map[string]any{}
				if tc.Arguments != "" {
					if err := json.Unmarshal([]byte(tc.Arguments), &args); err != nil {
						return nil, nil, fmt.Errorf("bedrock: message %d: tool call %q: arguments are not JSON: %w", i, tc.ID, err)
					}
				}
				blocks = append(blocks, &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
					ToolUseId: aws.String(tc.ID), Name: aws.String(tc.Name), Input: document.NewLazyDocument(args),
				}})
			}
			add(types.ConversationRoleAssistant, blocks...)
		case prompt.RoleTool:
			add(types.ConversationRoleUser, &types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
				ToolUseId: aws.String(m.ToolCallID),
				Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: m.Content}},
			}})
		default:
			return nil, nil, fmt.Errorf("bedrock: message %d: unknown role %q", i, m.Role)
		}
	}
	return out, system, nil
}
