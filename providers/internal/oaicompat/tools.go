package oaicompat

import (
	"encoding/json"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// toolParams sets tools, tool_choice and the structured-output request of
// the plan on p. It runs after the service-specific edits, so that a
// response_format set by a provider option and a Format, which both decide
// the answer's shape, are refused together rather than one silently winning.
func (c *Core) toolParams(p *openai.ChatCompletionNewParams, plan *lower.Plan) error {
	for _, def := range plan.Tools {
		p.Tools = append(p.Tools, openai.ChatCompletionFunctionTool(function(def)))
	}
	switch ch := plan.Choice; ch.Kind {
	case lower.ChoiceAuto:
		p.ToolChoice.OfAuto = openai.String(string(mirascope.ToolChoiceAuto))
	case lower.ChoiceNone:
		p.ToolChoice.OfAuto = openai.String(string(mirascope.ToolChoiceNone))
	case lower.ChoiceRequired:
		p.ToolChoice.OfAuto = openai.String(string(mirascope.ToolChoiceRequired))
	case lower.ChoiceTool:
		p.ToolChoice = openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{Name: ch.Tool})
	}
	f := plan.Format
	if f == nil {
		return nil
	}
	if rf := p.ResponseFormat; rf.OfText != nil || rf.OfJSONObject != nil || rf.OfJSONSchema != nil {
		return &mirascope.UnsupportedError{Provider: c.spec.Name, Parameter: "WithResponseFormat",
			Reason: "a structured-output Format already sets the response format; use one or the other"}
	}
	if f.Strategy == lower.Tool {
		return nil
	}
	js := shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: f.Name, Schema: f.Schema, Strict: openai.Bool(f.Strict)}
	if f.Description != "" {
		js.Description = openai.String(f.Description)
	}
	p.ResponseFormat.OfJSONSchema = &shared.ResponseFormatJSONSchemaParam{JSONSchema: js}
	return nil
}

// function is a tool's definition on the wire. The schema's members stay
// raw, so the order of the properties, which strict decoding follows when
// it generates the answer, reaches the wire as written; a tool without
// parameters goes out without them (the wire reads no arguments).
func function(def mirascope.ToolDefinition) shared.FunctionDefinitionParam {
	fd := shared.FunctionDefinitionParam{Name: def.Name}
	if def.Description != "" {
		fd.Description = openai.String(def.Description)
	}
	if len(def.Parameters) > 0 {
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(def.Parameters, &obj) // an object: lower.Prepare checked it
		fd.Parameters = make(shared.FunctionParameters, len(obj))
		for k, v := range obj {
			fd.Parameters[k] = v
		}
	}
	return fd
}

// toolCalls maps the calls of an answer.
func toolCalls(in []openai.ChatCompletionMessageToolCallUnion) []prompt.ToolCall {
	var calls []prompt.ToolCall
	for _, tc := range in {
		if tc.Type == "custom" {
			continue
		}
		calls = append(calls, prompt.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	return calls
}

// toolDeltas maps the tool-call pieces of one event onto out.
func toolDeltas(out *mirascope.Chunk, deltas []openai.ChatCompletionChunkChoiceDeltaToolCall) {
	for _, d := range deltas {
		out.ToolCalls = append(out.ToolCalls, mirascope.ToolCallChunk{
			Index:     int(d.Index),
			ID:        d.ID,
			Name:      d.Function.Name,
			Arguments: d.Function.Arguments,
		})
	}
}
