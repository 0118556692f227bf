package prompt

import (
	"errors"
	"strings"
)

var (
	// ErrNotPrompt matches an *Error for a value Render cannot use: nil, a
	// nil pointer, a non-struct, a struct with no prompt method, or one whose
	// method has a pointer receiver and was passed by value.
	ErrNotPrompt = errors.New("not a prompt")
	// ErrAmbiguous matches an *Error for a type implementing more than one
	// of Templater, Texter and Messager.
	ErrAmbiguous = errors.New("ambiguous prompt")
	// ErrInvalidField matches an *Error for a malformed prompt tag or field.
	ErrInvalidField = errors.New("invalid prompt field")
	// ErrInvalidValue matches an *Error for a value that cannot be
	// rendered or recorded: one nested more than 256 levels deep (a cyclic
	// value is), or one whose own MarshalText or MarshalJSON fails. The
	// cause, when there is one, matches too.
	ErrInvalidValue = errors.New("invalid prompt value")
	// ErrNoMessages matches an *Error for a prompt that renders to no
	// messages, or to system messages alone: a call needs at least one
	// user or assistant message.
	ErrNoMessages = errors.New("no messages")
	// ErrInvalidMessage matches an *Error for a message no provider can
	// send: Content and Parts both set, or a part that is neither text nor
	// media with one valid source (see [CheckMessages]).
	ErrInvalidMessage = errors.New("invalid message")
	// ErrValidation matches a *ValidationError.
	ErrValidation = errors.New("validation failed")
)

// Error is a prompt that cannot be rendered, found before any call. It
// unwraps to one of the sentinels above or, for template errors, to a
// *template.Error (which matches template.ErrSyntax or
// template.ErrUnknownVariable).
type Error struct {
	// Type is the prompt's type name.
	Type string
	// Field is the Go field or template variable concerned, if any.
	Field string
	// Msg says what is wrong and how to fix it.
	Msg string
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("prompt: ")
	if e.Type != "" {
		b.WriteString(e.Type)
		if e.Field != "" {
			b.WriteString(".")
			b.WriteString(e.Field)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel or the template error.
func (e *Error) Unwrap() error { return e.Err }
