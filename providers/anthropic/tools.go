package anthropic

import (
	"encoding/json"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/packages/param"

	"github.com/mirascope-go/mirascope/internal/jsonschema"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// tools sets tools, tool_choice and output_config.format from the plan.
func tools(plan *lower.Plan, params *sdk.MessageNewParams) {
	for _, def := range plan.Tools {
		schema, _ := jsonschema.Arguments(def.Parameters) // an object or none: lower.Prepare checked it
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

	switch c := plan.Choice; c.Kind {
	case lower.ChoiceAuto:
		params.ToolChoice = sdk.ToolChoiceUnionParam{OfAuto: &sdk.ToolChoiceAutoParam{}}
	case lower.ChoiceRequired:
		params.ToolChoice = sdk.ToolChoiceUnionParam{OfAny: &sdk.ToolChoiceAnyParam{}}
	case lower.ChoiceNone:
		params.ToolChoice = sdk.ToolChoiceUnionParam{OfNone: &sdk.ToolChoiceNoneParam{}}
	case lower.ChoiceTool:
		params.ToolChoice = sdk.ToolChoiceParamOfTool(c.Tool)
	}

	if f := plan.Format; f != nil {
		// As raw JSON: the SDK's field is a map, which would sort the
		// properties, and the model writes them in schema order. The
		// schema is closed and stripped of the keywords the API rejects
		// (lower.Anthropic).
		params.OutputConfig.Format = param.Override[sdk.JSONOutputFormatParam](
			json.RawMessage(`{"type":"json_schema","schema":` + string(f.Schema) + `}`))
	}
}
