package google

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/genai"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/internal/lower"
)

// caps is what the Gemini API can do with model: Gemini 1.x and 2.x refuse
// function calling beside a response schema ("Function calling with a
// response mime type: 'application/json' is unsupported"), so a Format
// beside tools goes out as a forced function there; Gemini 3 accepts them
// together. A model name we cannot place is given the benefit of the doubt.
func caps(model string) lower.Caps {
	switch {
	case nativeWithTools(model):
		return lower.Gemini
	case strings.HasPrefix(modelID(model), "gemini-2.5"):
		return lower.Gemini25
	}
	return lower.Gemini2
}

// modelID is model without a "models/" prefix or a Vertex resource path.
func modelID(model string) string {
	m := strings.TrimPrefix(model, "models/")
	if i := strings.LastIndex(m, "/models/"); i >= 0 {
		m = m[i+len("/models/"):]
	}
	return m
}

// tools sets tools, toolConfig and the structured-output fields from the
// plan.
func tools(plan *lower.Plan, cfg *genai.GenerateContentConfig) {
	var decls []*genai.FunctionDeclaration
	for _, def := range plan.Tools {
		decls = append(decls, declaration(def.Name, def.Description, def.Parameters))
	}
	var fc *genai.FunctionCallingConfig
	switch c := plan.Choice; c.Kind {
	case lower.ChoiceAuto:
		fc = &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeAuto}
	case lower.ChoiceRequired:
		fc = &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeAny}
	case lower.ChoiceNone:
		fc = &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeNone}
	case lower.ChoiceTool:
		fc = &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeAny, AllowedFunctionNames: []string{c.Tool}}
	}
	if f := plan.Format; f != nil && f.Strategy == lower.Native {
		cfg.ResponseMIMEType = "application/json"
		cfg.ResponseJsonSchema = f.Schema
	}
	if len(decls) > 0 {
		cfg.Tools = []*genai.Tool{{FunctionDeclarations: decls}}
	}
	if fc != nil {
		cfg.ToolConfig = &genai.ToolConfig{FunctionCallingConfig: fc}
	}
}

// declaration is a function declaration whose parameters are the JSON
// Schema as written (parametersJsonSchema, not the OpenAPI subset of
// parameters); a function without parameters declares none.
func declaration(name, description string, params json.RawMessage) *genai.FunctionDeclaration {
	d := &genai.FunctionDeclaration{Name: name, Description: description}
	if len(params) > 0 {
		d.ParametersJsonSchema = params // an object: lower.Prepare checked it
	}
	return d
}

// nativeWithTools reports whether a model may combine function calling with
// responseJsonSchema (see caps).
func nativeWithTools(model string) bool {
	rest, ok := strings.CutPrefix(modelID(model), "gemini-")
	if !ok {
		return true
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end <= 0 {
		return !strings.HasPrefix(rest, "pro") // gemini-pro is Gemini 1.0
	}
	major, _ := strconv.Atoi(rest[:end])
	return major >= 3
}

// toolResponse is the functionResponse.response object. The API reads a
// function's output from "output" and a failure from "error"; a result that
// is a JSON object and no error goes as it is.
func toolResponse(content string, isError bool) map[string]any {
	if isError {
		return map[string]any{"error": content}
	}
	var obj map[string]any
	if json.Unmarshal([]byte(content), &obj) == nil && obj != nil {
		return obj
	}
	return map[string]any{"output": content}
}

// idPrefix marks the ids this package makes for function calls the API
// returned without one; such ids stay off the wire.
const idPrefix = "gemini-call-"

// callID is the id of the index-th function call of a response: the API's,
// else one made from the response id and the index, unique to the call (a
// random one stands in for a missing response id).
func callID(fc *genai.FunctionCall, responseID string, index int) string {
	if fc.ID != "" {
		return fc.ID
	}
	if responseID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		responseID = hex.EncodeToString(b[:])
	}
	return idPrefix + responseID + "-" + strconv.Itoa(index)
}

// wireID is the id to send for a call: none for one this package made.
func wireID(id string) string {
	if strings.HasPrefix(id, idPrefix) {
		return ""
	}
	return id
}

// assistantCall is the part of a model turn for one of its function calls,
// with the thoughtSignature the call came with (base64 in the message, as
// on the wire).
func assistantCall(tc prompt.ToolCall) (*genai.Part, error) {
	args := map[string]any{}
	if tc.Arguments != "" {
		if err := json.Unmarshal([]byte(tc.Arguments), &args); err != nil {
			return nil, &mirascope.UnsupportedError{Provider: Name, Parameter: "prompt.ToolCall",
				Reason: fmt.Sprintf("tool call %q (%s): arguments are not a JSON object: %v", tc.ID, tc.Name, err)}
		}
	}
	var sig []byte
	if tc.Signature != "" {
		var err error
		if sig, err = base64.StdEncoding.DecodeString(tc.Signature); err != nil {
			return nil, &mirascope.UnsupportedError{Provider: Name, Parameter: "prompt.ToolCall",
				Reason: fmt.Sprintf("tool call %q (%s): signature is not the base64 thoughtSignature Gemini gave: %v", tc.ID, tc.Name, err)}
		}
	}
	return &genai.Part{
		FunctionCall:     &genai.FunctionCall{ID: wireID(tc.ID), Name: tc.Name, Args: args},
		ThoughtSignature: sig,
	}, nil
}
