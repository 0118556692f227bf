package bedrock

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithydocument "github.com/aws/smithy-go/document"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// ErrUnsupportedParameter is matched (errors.Is) by the
// *mirascope.UnsupportedError a Call or Stream returns, before any request,
// for what the Converse API cannot do (WithSeed; see the package doc). It is
// [mirascope.ErrUnsupportedParameter].
var ErrUnsupportedParameter = mirascope.ErrUnsupportedParameter

var fieldsKey = providerkit.NewOptionKey("bedrock.WithAdditionalModelRequestFields", name)

// WithAdditionalModelRequestFields sends model-specific fields the Converse
// API does not define (e.g. {"top_k": 50} for Anthropic models) as
// additionalModelRequestFields. Calls merge their maps; later keys win.
func WithAdditionalModelRequestFields(fields map[string]any) mirascope.CallOption {
	return providerkit.MergeFields(fieldsKey, fields)
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

// input maps req, refusing with a *mirascope.UnsupportedError, before any
// request, what Converse cannot do (lower.Bedrock says what).
func (p *Provider) input(req *mirascope.Request) (*input, error) {
	model := req.ModelOr(p.model)
	plan, err := lower.Prepare(req, lower.BedrockFor(model))
	if err != nil {
		return nil, err
	}
	in := &input{model: model}
	for i, s := range plan.System {
		in.system = append(in.system, &types.SystemContentBlockMemberText{Value: s})
		if plan.SystemCache[i] {
			in.system = append(in.system, &types.SystemContentBlockMemberCachePoint{Value: cachePoint})
		}
	}
	if in.messages, err = messages(plan.Turns); err != nil {
		return nil, err
	}
	pa := req.Params
	if pa.MaxTokens != nil || pa.Temperature != nil || pa.TopP != nil || len(pa.Stop) > 0 {
		c := &types.InferenceConfiguration{StopSequences: append([]string(nil), pa.Stop...)}
		if pa.MaxTokens != nil { // 1..MaxInt32: lower.Prepare checked it
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
	if in.tools, err = toolConfig(plan); err != nil {
		return nil, err
	}
	in.output = outputConfig(plan.Format)
	in.fields = providerkit.Fields(req, fieldsKey)
	if r := plan.Reasoning; r != nil {
		in.thinking(r.Budget, plan.MaxTokens(pa.MaxTokens, ThinkingAnswerTokens))
	}
	return in, nil
}

// ThinkingAnswerTokens is the room left for the answer when thinking is on
// and a call sets no mirascope.WithMaxTokens: maxTokens is the budget plus
// this, as Claude requires maxTokens above the budget.
const ThinkingAnswerTokens = 4096

// thinking turns on a Claude model's thinking, in the additional model
// request fields (a "thinking" field the caller set there wins), with
// maxTokens above the budget.
func (in *input) thinking(budget, maxTokens int) {
	fields := map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": budget}}
	for k, v := range in.fields {
		fields[k] = v
	}
	in.fields = fields
	if in.config == nil {
		in.config = &types.InferenceConfiguration{}
	}
	in.config.MaxTokens = aws.Int32(int32(min(maxTokens, math.MaxInt32)))
}

// toolConfig maps the plan's tools and choice: auto is {auto:{}}, required
// {any:{}}, a tool name {tool:{name}}. Converse has no "none": lower.Prepare
// then leaves the tools out, which Converse allows only while the
// conversation holds no tool calls or results.
func toolConfig(plan *lower.Plan) (*types.ToolConfiguration, error) {
	if len(plan.Tools) == 0 {
		return nil, nil
	}
	cfg := &types.ToolConfiguration{}
	for _, def := range plan.Tools {
		schema := []byte(`{"type":"object","properties":{}}`)
		if len(def.Parameters) > 0 {
			schema = def.Parameters
		}
		doc, err := rawDocument(schema)
		if err != nil {
			return nil, &mirascope.UnsupportedError{Provider: name, Parameter: "WithTools",
				Reason: fmt.Sprintf("tool %q: parameters: %v", def.Name, err)}
		}
		spec := types.ToolSpecification{Name: aws.String(def.Name), InputSchema: &types.ToolInputSchemaMemberJson{Value: doc}}
		if def.Description != "" {
			spec.Description = aws.String(def.Description)
		}
		cfg.Tools = append(cfg.Tools, &types.ToolMemberToolSpec{Value: spec})
	}
	switch c := plan.Choice; c.Kind {
	case lower.ChoiceAuto:
		cfg.ToolChoice = &types.ToolChoiceMemberAuto{}
	case lower.ChoiceRequired:
		cfg.ToolChoice = &types.ToolChoiceMemberAny{}
	case lower.ChoiceTool:
		cfg.ToolChoice = &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(c.Tool)}}
	}
	return cfg, nil
}

// outputConfig maps a Format to Converse's native structured output,
// outputConfig.textFormat with a json_schema structure; the schema (its
// bounds moved into descriptions by lower.Prepare) travels as a JSON
// string, in its own key order.
func outputConfig(f *lower.Format) *types.OutputConfig {
	if f == nil {
		return nil
	}
	def := types.JsonSchemaDefinition{Schema: aws.String(string(f.Schema)), Name: aws.String(f.Name)}
	if f.Description != "" {
		def.Description = aws.String(f.Description)
	}
	return &types.OutputConfig{TextFormat: &types.OutputFormat{
		Type:      types.OutputFormatTypeJsonSchema,
		Structure: &types.OutputFormatStructureMemberJsonSchema{Value: def},
	}}
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

// rawJSON is a document the SDK writes as the JSON it was given, compacted:
// a schema's properties keep the order they were written in (the model
// reads them in that order, and a request is the same bytes every time),
// where a Go map would come out sorted. The serializer writes a document
// that is a smithy document.Marshaler as its MarshalSmithyDocument bytes;
// the embedded document (the same value decoded) supplies the rest of
// document.Interface, whose marker method is unexported.
type rawJSON struct {
	document.Interface
	raw []byte
}

func (d rawJSON) MarshalSmithyDocument() ([]byte, error) { return d.raw, nil }

// rawDocument checks that raw is one JSON value and returns it as a
// document sent in its own key order.
func rawDocument(raw []byte) (document.Interface, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("it is not valid UTF-8")
	}
	v, err := decodeDocument(raw)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	return rawJSON{Interface: document.NewLazyDocument(v), raw: b.Bytes()}, nil
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

// messages maps the turns to Converse (the system text is its system
// blocks): tool results become toolResult blocks in a user turn, tool calls
// toolUse blocks; consecutive turns of the same role are merged, as Converse
// wants user and assistant turns to alternate.
func messages(turns []lower.Turn) ([]types.Message, error) {
	var out []types.Message
	add := func(role types.ConversationRole, blocks ...types.ContentBlock) {
		if n := len(out); n > 0 && out[n-1].Role == role {
			out[n-1].Content = append(out[n-1].Content, blocks...)
			return
		}
		out = append(out, types.Message{Role: role, Content: blocks})
	}
	docs := 0
	for i, t := range turns {
		switch m := t.Message; t.Role {
		case prompt.RoleUser:
			blocks, err := userContent(m, &docs)
			if err != nil {
				return nil, err
			}
			add(types.ConversationRoleUser, blocks...)
		case prompt.RoleAssistant:
			blocks, err := reasoningBlocks(i, m.Reasoning)
			if err != nil {
				return nil, err
			}
			if m.Content != "" || len(m.ToolCalls) == 0 {
				blocks = append(blocks, &types.ContentBlockMemberText{Value: m.Content})
			}
			for _, tc := range m.ToolCalls {
				args := []byte("{}")
				if tc.Arguments != "" {
					args = []byte(tc.Arguments)
				}
				input, err := rawDocument(args)
				if err != nil {
					return nil, &mirascope.UnsupportedError{Provider: name, Parameter: "prompt.ToolCall",
						Reason: fmt.Sprintf("turn %d: tool call %q (%s): arguments are not JSON: %v", i, tc.ID, tc.Name, err)}
				}
				blocks = append(blocks, &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
					ToolUseId: aws.String(tc.ID), Name: aws.String(tc.Name), Input: input,
				}})
			}
			add(types.ConversationRoleAssistant, blocks...)
		case prompt.RoleTool:
			for _, r := range t.Results {
				res := types.ToolResultBlock{
					ToolUseId: aws.String(r.ToolCallID),
					Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: r.Content}},
				}
				if r.IsError {
					res.Status = types.ToolResultStatusError
				}
				add(types.ConversationRoleUser, &types.ContentBlockMemberToolResult{Value: res})
			}
		}
	}
	return out, nil
}

// reasoningBlocks are an assistant turn's reasoning blocks, sent back first
// and unchanged, as Claude requires before a toolUse: reasoningText with
// its signature, or redactedContent (prompt.Reasoning.Redacted is its
// bytes, base64). A block with neither (another service's thinking) is
// left out: it would be refused unsigned.
func reasoningBlocks(turn int, rs []prompt.Reasoning) ([]types.ContentBlock, error) {
	var blocks []types.ContentBlock
	for _, r := range rs {
		switch {
		case r.Redacted != "":
			data, err := base64.StdEncoding.DecodeString(r.Redacted)
			if err != nil {
				return nil, &mirascope.UnsupportedError{Provider: name, Parameter: "prompt.Reasoning",
					Reason: fmt.Sprintf("turn %d: redacted reasoning is not base64: %v", turn, err)}
			}
			blocks = append(blocks, &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberRedactedContent{Value: data}})
		case r.Signature != "":
			blocks = append(blocks, &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{
				Value: types.ReasoningTextBlock{Text: aws.String(r.Text), Signature: aws.String(r.Signature)}}})
		}
	}
	return blocks, nil
}
