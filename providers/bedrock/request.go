package bedrock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithydocument "github.com/aws/smithy-go/document"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/jsonschema"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
)

// ErrUnsupportedParameter is matched (errors.Is) by the
// *mirascope.UnsupportedError a Call or Stream returns, before any request,
// for what the Converse API cannot do (WithSeed; see the package doc). It is
// [mirascope.ErrUnsupportedParameter].
var ErrUnsupportedParameter = mirascope.ErrUnsupportedParameter

var fieldsKey = providers.NewOptionKey("bedrock.WithAdditionalModelRequestFields", name)

// WithAdditionalModelRequestFields sends model-specific fields the Converse
// API does not define (e.g. {"top_k": 50} for Anthropic models) as
// additionalModelRequestFields. Calls merge their maps; later keys win.
func WithAdditionalModelRequestFields(fields map[string]any) mirascope.CallOption {
	return providers.MergeFields(fieldsKey, fields)
}

// input is what Converse and ConverseStream both take.
type input struct {
	model    string
	messages []types.Message
	system   []types.SystemContentBlock
	config   *types.InferenceConfiguration
	tools    *types.ToolConfiguration
	output   *types.OutputConfig
	fields   map[string]any
}

func unsupported(param, reason string) error {
	return &mirascope.UnsupportedError{Provider: name, Parameter: param, Reason: reason}
}

// input maps req, refusing with a *mirascope.UnsupportedError, before any
// request, what Converse cannot do.
func (p *Provider) input(req *mirascope.Request) (*input, error) {
	if req.Params.Seed != nil {
		return nil, unsupported("WithSeed", "Converse has no seed; pass it as the model's own field with bedrock.WithAdditionalModelRequestFields")
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
				return nil, unsupported("WithMaxTokens", fmt.Sprintf("max tokens %d is outside the Converse API's range 1..%d", *pa.MaxTokens, math.MaxInt32))
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
	if in.tools, err = toolConfig(req); err != nil {
		return nil, err
	}
	if in.output, err = outputConfig(req.Format); err != nil {
		return nil, err
	}
	in.fields = providers.Fields(req, fieldsKey)
	return in, nil
}

// toolConfig maps Tools and ToolChoice: auto is {auto:{}}, required
// {any:{}}, a tool name {tool:{name}}. Converse has no "none": the tools are
// then not offered, which it allows only while the conversation holds no
// tool calls or results.
func toolConfig(req *mirascope.Request) (*types.ToolConfiguration, error) {
	names := map[string]bool{}
	var tools []types.Tool
	for i, tool := range req.Tools {
		if tool == nil {
			return nil, fmt.Errorf("bedrock: tool %d is nil", i)
		}
		def := tool.Definition()
		if names[def.Name] {
			return nil, fmt.Errorf("bedrock: two tools are named %q", def.Name)
		}
		names[def.Name] = true
		schema := any(map[string]any{"type": "object", "properties": map[string]any{}})
		if len(def.Parameters) > 0 {
			v, err := decodeDocument(def.Parameters)
			if err != nil {
				return nil, fmt.Errorf("bedrock: tool %q: parameters: %w", def.Name, err)
			}
			schema = v
		}
		spec := types.ToolSpecification{Name: aws.String(def.Name), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(schema)}}
		if def.Description != "" {
			spec.Description = aws.String(def.Description)
		}
		tools = append(tools, &types.ToolMemberToolSpec{Value: spec})
	}
	cfg := &types.ToolConfiguration{Tools: tools}
	switch c := req.ToolChoice; c {
	case "":
	case mirascope.ToolChoiceAuto:
		cfg.ToolChoice = &types.ToolChoiceMemberAuto{}
	case mirascope.ToolChoiceRequired:
		if len(tools) == 0 {
			return nil, unsupported("WithToolChoice", "tool choice required needs tools to call; pass them with WithTools")
		}
		cfg.ToolChoice = &types.ToolChoiceMemberAny{}
	case mirascope.ToolChoiceNone:
		if hasToolBlocks(req.Messages) {
			return nil, unsupported("WithToolChoice", "Converse has no tool choice none, and a conversation holding tool calls or results must offer its tools")
		}
		return nil, nil
	default:
		if !names[string(c)] {
			return nil, unsupported("WithToolChoice", fmt.Sprintf("it names %q, which is not among the tools offered", c))
		}
		cfg.ToolChoice = &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(string(c))}}
	}
	if len(tools) == 0 {
		return nil, nil
	}
	return cfg, nil
}

func hasToolBlocks(msgs []prompt.Message) bool {
	for _, m := range msgs {
		if m.Role == prompt.RoleTool || len(m.ToolCalls) > 0 {
			return true
		}
	}
	return false
}

// boundKeywords are the bounds moved from a Format's schema into its
// descriptions: Anthropic documents them as unsupported in structured
// output, and the answer is checked against them after decoding anyway.
var boundKeywords = []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"minLength", "maxLength", "minItems", "maxItems"}

// outputConfig maps a Format to Converse's native structured output,
// outputConfig.textFormat with a json_schema structure; the schema travels
// as a JSON string, in its own key order.
func outputConfig(f *mirascope.Format) (*types.OutputConfig, error) {
	if f == nil {
		return nil, nil
	}
	if err := jsonschema.CheckObject(f.Schema); err != nil {
		return nil, unsupported("Format", err.Error())
	}
	schema, err := jsonschema.Drop(f.Schema, boundKeywords...)
	if err != nil {
		return nil, fmt.Errorf("bedrock: Format %q: %w", f.Name, err)
	}
	def := types.JsonSchemaDefinition{Schema: aws.String(string(schema)), Name: aws.String(f.Name)}
	if f.Description != "" {
		def.Description = aws.String(f.Description)
	}
	return &types.OutputConfig{TextFormat: &types.OutputFormat{
		Type:      types.OutputFormatTypeJsonSchema,
		Structure: &types.OutputFormatStructureMemberJsonSchema{Value: def},
	}}, nil
}

func (in *input) converse() *bedrockruntime.ConverseInput {
	c := &bedrockruntime.ConverseInput{ModelId: aws.String(in.model), Messages: in.messages, System: in.system,
		InferenceConfig: in.config, ToolConfig: in.tools, OutputConfig: in.output}
	if len(in.fields) > 0 {
		c.AdditionalModelRequestFields = document.NewLazyDocument(in.fields)
	}
	return c
}

func (in *input) converseStream() *bedrockruntime.ConverseStreamInput {
	c := &bedrockruntime.ConverseStreamInput{ModelId: aws.String(in.model), Messages: in.messages, System: in.system,
		InferenceConfig: in.config, ToolConfig: in.tools, OutputConfig: in.output}
	if len(in.fields) > 0 {
		c.AdditionalModelRequestFields = document.NewLazyDocument(in.fields)
	}
	return c
}

// decodeDocument decodes JSON for a document field. The SDK's document
// encoder writes a json.Number as a string, so numbers become
// smithy document.Numbers, which it writes as written (no float64 rounding
// of large integers).
func decodeDocument(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return numbers(v), nil
}

func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		return smithydocument.Number(x)
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	}
	return v
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
					var err error
					if args, err = decodeDocument([]byte(tc.Arguments)); err != nil {
						return nil, nil, fmt.Errorf("bedrock: message %d: tool call %q: arguments are not JSON: %w", i, tc.ID, err)
					}
				}
				blocks = append(blocks, &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
					ToolUseId: aws.String(tc.ID), Name: aws.String(tc.Name), Input: document.NewLazyDocument(args),
				}})
			}
			add(types.ConversationRoleAssistant, blocks...)
		case prompt.RoleTool:
			res := types.ToolResultBlock{
				ToolUseId: aws.String(m.ToolCallID),
				Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: m.Content}},
			}
			if m.IsError {
				res.Status = types.ToolResultStatusError
			}
			add(types.ConversationRoleUser, &types.ContentBlockMemberToolResult{Value: res})
		default:
			return nil, nil, fmt.Errorf("bedrock: message %d: unknown role %q", i, m.Role)
		}
	}
	return out, system, nil
}
