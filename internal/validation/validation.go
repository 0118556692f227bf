// Package validation holds the one validator shared by prompts, tool
// arguments and extracted values, so that a rule registered with
// prompt.RegisterValidation applies to all three, and the validator's
// per-type cache is built once.
package validation

import "github.com/go-playground/validator/v10"

// Validator is the shared validator. The prompt package configures it (its
// field names); everyone else only calls Struct and reads StructNamespace.
var Validator = validator.New(validator.WithRequiredStructEnabled())
