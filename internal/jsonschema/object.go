package jsonschema

import (
	"encoding/json"
	"errors"
	"fmt"
)

// CheckObject says why schema cannot describe a structured answer, which
// every service takes as a JSON object: it is no JSON object, or its type
// names something else.
func CheckObject(schema json.RawMessage) error {
	return checkObject(schema, "the schema", "a structured answer is an object")
}

// CheckArguments says why schema cannot describe a tool's arguments, which
// every service takes as a JSON object: it is no JSON object, or its type
// names something else. An empty schema stands for an object without
// properties (see [Arguments]).
func CheckArguments(schema json.RawMessage) error {
	if len(schema) == 0 {
		return nil
	}
	return checkObject(schema, "its parameters schema", "a tool's arguments are an object")
}

func checkObject(schema json.RawMessage, subject, why string) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(schema, &obj); err != nil || obj == nil {
		return errors.New(subject + " is not a JSON object")
	}
	if t, ok := obj["type"]; ok {
		var s string
		if json.Unmarshal(t, &s) != nil || s != "object" {
			return fmt.Errorf("%s's type is %s: %s", subject, t, why)
		}
	}
	return nil
}

// Arguments returns the schema of a tool's arguments as a service takes it:
// an empty schema stands for an object without properties, and anything
// else must be a JSON object.
func Arguments(schema json.RawMessage) (json.RawMessage, error) {
	if len(schema) == 0 {
		return json.RawMessage(`{"type":"object","properties":{}}`), nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(schema, &obj); err != nil || obj == nil {
		return nil, errors.New("the schema is not a JSON object")
	}
	return schema, nil
}
