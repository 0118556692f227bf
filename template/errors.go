package template

import (
	"errors"
	"fmt"
)

var (
	// ErrSyntax matches every *Error about the template's own text.
	ErrSyntax = errors.New("template: syntax error")
	// ErrUnknownVariable matches an *Error for a variable nothing provides.
	ErrUnknownVariable = errors.New("template: unknown variable")
)

// Pos is a position in the template as written: 1-based line and column
// (in bytes), before dedenting.
type Pos struct {
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is a template failure with its position.
type Error struct {
	Pos Pos
	// Var is the variable concerned, when there is one.
	Var string
	// Msg says what is wrong.
	Msg string
	// Err is [ErrSyntax] or [ErrUnknownVariable].
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("template %s: %s", e.Pos, e.Msg) }

// Unwrap returns [ErrSyntax] or [ErrUnknownVariable].
func (e *Error) Unwrap() error { return e.Err }

func syntaxErr(p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...), Err: ErrSyntax}
}
