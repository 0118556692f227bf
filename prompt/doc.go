// Package prompt turns a plain Go struct into messages for a model. A prompt
// is a struct with exactly one of three methods:
//
//	// A string template over the struct's fields.
//	type RecommendBook struct {
//		Genre string `prompt:"genre" validate:"required,oneof=fantasy scifi mystery"`
//	}
//	func (RecommendBook) Template() string { return "Recommend a {genre} book." } // Templater
//
//	// The user message itself (Mirascope's shorthand).
//	func (r Shorthand) Prompt() string { return "Recommend a " + r.Genre + " book." } // Texter
//
//	// The whole conversation, from constructors or literals.
//	func (r Chat) Messages() []prompt.Message { // Messager
//		return []prompt.Message{prompt.System("You are a librarian."), prompt.User("Recommend a " + r.Genre + " book.")}
//	}
//
// [Render] validates the struct with its `validate` tags (go-playground
// validator), renders it, and returns the messages with the type's name, its
// template and its fields, which is what a tracer records. [Check] verifies
// a type without rendering, for unit tests.
//
// # Fields and the prompt tag
//
// Exported fields are the prompt's variables, in declaration order,
// whatever the style. Embedded structs promote their fields, as in
// encoding/json; a nested struct field's own variables are reachable as
// {field.sub}.
//
//	Tag                        Meaning
//	(none)                     the variable is named after the Go field
//	prompt:"genre"             the variable is named genre
//	prompt:"-"                 not a variable
//	prompt:"api_key,redact"    a secret: tracers and error messages print [REDACTED]
//	prompt:",redact"           a secret named after the Go field
//
// A prompt tag on an unexported field, an invalid name or an unknown option
// is an error naming Type.Field: a typo must not change silently what is
// sent or recorded.
//
// What a struct's definition means (its variables, index paths, options, its
// parsed template, any error in it) is worked out once per type and cached,
// as encoding/json caches its field lists; a type keeps only the last
// template its Template method returned.
//
// # Values in templates
//
// Strings, numbers and booleans print as themselves; a fmt.Stringer or
// encoding.TextMarshaler as its text; a slice as its elements joined with
// ", " (or one per line with :list); structs and maps as JSON. A nil pointer
// prints as nothing. A []prompt.Message field can only be spliced with
// MESSAGES: {history}. The template language is documented in package
// template.
//
// # Errors
//
// Every failure comes before any call. A prompt that cannot be used is a
// *[Error] matching [ErrNotPrompt], [ErrAmbiguous] or [ErrInvalidField], or
// (for template errors, with line:col) template.ErrSyntax or
// template.ErrUnknownVariable. A value that fails validation is a
// *[ValidationError]:
//
//	prompt: RecommendBook.Genre: failed "oneof=fantasy scifi mystery" (got "horror")
//
// matching [ErrValidation], and validator.ValidationErrors with errors.As.
package prompt
