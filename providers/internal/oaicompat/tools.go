package oaicompat

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/jsonschema"
	"github.com/mirascope-go/mirascope/prompt"
)

// toolParams sets tools, tool_choice and the structured-output request on p.
// It runs after the service-specific edits, so that a response_format set by
// a provider option and a Format, which both decide the answer's shape, are
// refused together rather than one silently winning. It returns the name of
// the tool standing in for the Format, when the service answers a Format
// through a forced tool.
func (c *Core) toolParams(p *openai.ChatCompletionNewParams, req *mirascope.Request, model string) (formatTool string, err error) {
	names := make(map[string]bool, len(req.Tools))
	for i, t := range req.Tools {
		if t == nil {
			return "", fmt.Errorf("mirascope: %s: tool %d is nil", c.spec.Name, i)
		}
		def := t.Definition()
		fd, err := c.function(def.Name, def.Description, def.Parameters)
		if err != nil {
			return "", err
		}
		if names[def.Name] {
			return "", fmt.Errorf("mirascope: %s: two tools are named %q", c.spec.Name, def.Name)
		}
		names[def.Name] = true
		p.Tools = append(p.Tools, openai.ChatCompletionFunctionTool(fd))
	}

	choice := req.ToolChoice
	if choice != "" && len(req.Tools) == 0 {
		return "", c.unsupported("WithToolChoice", "no tools are offered; add them with WithTools")
	}
	switch choice {
	case "":
	case mirascope.ToolChoiceAuto, mirascope.ToolChoiceRequired, mirascope.ToolChoiceNone:
		p.ToolChoice.OfAuto = openai.String(string(choice))
	default:
		if !names[string(choice)] {
			return "", c.unsupported("WithToolChoice", fmt.Sprintf("no tool named %q is offered", choice))
		}
		p.ToolChoice = named(string(choice))
	}

	f := req.Format
	if f == nil {
		return "", nil
	}
	if f.Name == "" {
		return "", fmt.Errorf("mirascope: %s: the structured-output format has no name", c.spec.Name)
	}
	if rf := p.ResponseFormat; rf.OfText != nil || rf.OfJSONObject != nil || rf.OfJSONSchema != nil {
		return "", c.unsupported("WithResponseFormat", "a structured-output Format already sets the response format; use one or the other")
	}
	if err := jsonschema.CheckObject(f.Schema); err != nil {
		return "", c.unsupported("Format", err.Error())
	}
	if c.spec.FormatByTool == nil || !c.spec.FormatByTool(model, len(req.Tools) > 0) {
		// A schema strict mode cannot express (a map, say) still goes out,
		// matched at best: the answer is checked against it after decoding.
		schema, strict := f.Schema, true
		if s, err := jsonschema.Strict(f.Schema); err == nil {
			schema = s
		} else if errors.Is(err, jsonschema.ErrNotStrict) {
			strict = false
		} else {
			return "", fmt.Errorf("mirascope: %s: format %q: %w", c.spec.Name, f.Name, err)
		}
		js := shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: f.Name, Schema: schema, Strict: openai.Bool(strict)}
		if f.Description != "" {
			js.Description = openai.String(f.Description)
		}
		p.ResponseFormat.OfJSONSchema = &shared.ResponseFormatJSONSchemaParam{JSONSchema: js}
		return "", nil
	}

	// The forced tool: its arguments are the answer. With other tools
	// offered, "required" lets the model call them first and answer through
	// this one when it is done; alone, it is named.
	if names[f.Name] {
		return "", c.unsupported("Format", fmt.Sprintf("a tool is already named %q, the name the structured answer is requested under", f.Name))
	}
	switch choice {
	case "", mirascope.ToolChoiceAuto, mirascope.ToolChoiceRequired:
	default:
		return "", c.unsupported("WithToolChoice", fmt.Sprintf("structured output goes through a tool here, which tool choice %q forbids the model to call", choice))
	}
	fd, err := c.function(f.Name, f.Description, f.Schema)
	if err != nil {
		return "", err
	}
	p.Tools = append(p.Tools, openai.ChatCompletionFunctionTool(fd))
	if len(req.Tools) == 0 {
		p.ToolChoice = named(f.Name)
	} else {
		p.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String(string(mirascope.ToolChoiceRequired))}
	}
	return f.Name, nil
}

func named(name string) openai.ChatCompletionToolChoiceOptionUnionParam {
	return openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{Name: name})
}

func (c *Core) unsupported(param, reason string) error {
	return &mirascope.UnsupportedError{Provider: c.spec.Name, Parameter: param, Reason: reason}
}

func (c *Core) function(name, description string, parameters json.RawMessage) (shared.FunctionDefinitionParam, error) {
	if name == "" {
		return shared.FunctionDefinitionParam{}, fmt.Errorf("mirascope: %s: a tool has no name", c.spec.Name)
	}
	fd := shared.FunctionDefinitionParam{Name: name}
	if description != "" {
		fd.Description = openai.String(description)
	}
	if len(parameters) > 0 {
		obj, err := objectSchema(parameters)
		if err != nil {
			return fd, fmt.Errorf("mirascope: %s: tool %q: %w", c.spec.Name, name, err)
		}
		fd.Parameters = make(shared.FunctionParameters, len(obj))
		for k, v := range obj {
			fd.Parameters[k] = v
		}
	}
	return fd, nil
}

// objectSchema checks that a schema is a JSON object. Its members stay raw,
// so the order of the properties, which strict decoding follows when it
// generates the answer, reaches the wire as written.
func objectSchema(raw json.RawMessage) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("the JSON schema is not a JSON object")
	}
	return obj, nil
}

// toolCalls maps the calls of an answer, the forced format tool's apart: its
// arguments are the structured answer.
func toolCalls(in []openai.ChatCompletionMessageToolCallUnion, formatTool string) (calls []prompt.ToolCall, formatted string, ok bool) {
	for _, tc := range in {
		if tc.Type == "custom" {
			continue
		}
		if formatTool != "" && tc.Function.Name == formatTool && !ok {
			formatted, ok = tc.Function.Arguments, true
			continue
		}
		calls = append(calls, prompt.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	return calls, formatted, ok
}

// streamState follows a stream's tool calls across events: the name, which
// tells the forced format tool's pieces from the others, comes only with a
// call's first piece.
type streamState struct {
	formatTool  string
	formatIndex int64
	formatSeen  bool
}

// toolDeltas maps the tool-call pieces of one event onto out.
func (s *streamState) toolDeltas(out *mirascope.Chunk, deltas []openai.ChatCompletionChunkChoiceDeltaToolCall) {
	for _, d := range deltas {
		if s.formatTool != "" && !s.formatSeen && d.Function.Name == s.formatTool {
			s.formatIndex, s.formatSeen = d.Index, true
		}
		if s.formatSeen && d.Index == s.formatIndex {
			out.Content += d.Function.Arguments
			continue
		}
		out.ToolCalls = append(out.ToolCalls, mirascope.ToolCallChunk{
			Index:     int(d.Index),
			ID:        d.ID,
			Name:      d.Function.Name,
			Arguments: d.Function.Arguments,
		})
	}
}
