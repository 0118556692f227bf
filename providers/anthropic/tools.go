package anthropic

import (
	"encoding/json"
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/packages/param"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/internal/jsonschema"
)

// tools sets tools, tool_choice and output_config.format from the request.
func tools(req *mirascope.Request, params *sdk.MessageNewParams) error {
	names := make(map[string]bool, len(req.Tools))
	for _, t := range req.Tools {
		if t == nil {
			return fmt.Errorf("mirascope: %s: nil tool", Name)
		}
		def := t.Definition()
		if def.Name == "" {
			return fmt.Errorf("mirascope: %s: a tool has no name", Name)
		}
		names[def.Name] = true
		schema, err := jsonschema.Arguments(def.Parameters)
		if err != nil {
			return fmt.Errorf("mirascope: %s: tool %q: %w", Name, def.Name, err)
		}
		tp := &sdk.ToolParam{
			Name: def.Name,
			// The schema goes out as written: input_schema takes any JSON
			// Schema of an object.
			InputSchema: param.Override[sdk.ToolInputSchemaParam](schema),
		}
		if def.Description != "" {
			tp.Description = param.NewOpt(def.Description)
		}
		params.Tools = append(params.Tools, sdk.ToolUnionParam{OfTool: tp})
	}

	switch c := req.ToolChoice; c {
	case "":
	case mirascope.ToolChoiceAuto:
		params.ToolChoice = sdk.ToolChoiceUnionParam{OfAuto: &sdk.ToolChoiceAutoParam{}}
	case mirascope.ToolChoiceRequired:
		if len(names) == 0 {
			return &mirascope.UnsupportedError{Provider: Name, Parameter: "WithToolChoice", Reason: "tool choice required needs tools to call; pass them with WithTools"}
		}
		params.ToolChoice = sdk.ToolChoiceUnionParam{OfAny: &sdk.ToolChoiceAnyParam{}}
	case mirascope.ToolChoiceNone:
		params.ToolChoice = sdk.ToolChoiceUnionParam{OfNone: &sdk.ToolChoiceNoneParam{}}
	default:
		if !names[string(c)] {
			return &mirascope.UnsupportedError{Provider: Name, Parameter: "WithToolChoice", Reason: fmt.Sprintf("no tool named %q is offered", c)}
		}
		params.ToolChoice = sdk.ToolChoiceParamOfTool(string(c))
	}

	if f := req.Format; f != nil {
		if len(f.Schema) > 0 {
			if err := jsonschema.CheckObject(f.Schema); err != nil {
				return &mirascope.UnsupportedError{Provider: Name, Parameter: "Format", Reason: err.Error()}
			}
		}
		schema, err := jsonschema.Arguments(f.Schema)
		if err != nil {
			return fmt.Errorf("mirascope: %s: format %q: %w", Name, f.Name, err)
		}
		if schema, err = outputSchema(schema); err != nil {
			return fmt.Errorf("mirascope: %s: format %q: %w", Name, f.Name, err)
		}
		// As raw JSON: the SDK's field is a map, which would sort the
		// properties, and the model writes them in schema order.
		params.OutputConfig.Format = param.Override[sdk.JSONOutputFormatParam](
			json.RawMessage(`{"type":"json_schema","schema":` + string(schema) + `}`))
	}
	return nil
}

// unsupportedKeywords are the keywords structured outputs reject (those
// outside the list the SDK's own schema transform keeps, as far as a schema
// of a Go type has them); minItems is allowed only as 0 or 1.
var unsupportedKeywords = []string{
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
}

// outputSchema is the schema as structured outputs accept it, property
// order kept: every object closed with additionalProperties: false, as the
// API requires, and the keywords it rejects moved into descriptions (the
// answer is still validated against the full schema by the caller).
func outputSchema(schema json.RawMessage) (json.RawMessage, error) {
	s, err := jsonschema.Drop(schema, unsupportedKeywords...)
	if err != nil {
		return nil, err
	}
	return jsonschema.Close(s)
}
