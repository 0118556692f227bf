package template

import "errors"

var (
	ErrSyntax          = errors.New("template: syntax error")
	ErrUnknownVariable = errors.New("template: unknown variable")
)
