package prompt

// Templater is a prompt whose text is a template over the struct's fields.
// Template should return a constant: the parsed form is cached per type.
type Templater interface {
	Template() string
}

// Texter is a prompt whose method returns the user message itself
// (Mirascope's shorthand style).
type Texter interface {
	Prompt() string
}

// Messager is a prompt whose method returns the whole conversation.
type Messager interface {
	Messages() []Message
}

// Rendered is a prompt turned into messages, with everything a tracer needs to
// describe it. It is fixed when [Render] returns: what a tracer reads
// (MaskedMessages, each Field's Masked) no longer depends on the prompt
// value, so a stream's span records what its request sent.
type Rendered struct {
	// Name is the struct's type name, e.g. "RecommendBook".
	Name string
	// Template is the template text as written; empty for the other styles.
	Template string
	// Fields are the prompt's variables in declaration order.
	Fields []Field
	// Messages is the rendered conversation.
	Messages []Message

	hasRedacted bool
	maskedMsgs  []Message // Messages with redacted values masked, for a template
}

// Field is one variable of a prompt.
type Field struct {
	// Name is the variable's name: the prompt tag, or else the Go field name.
	Name string
	// Value is the field's value as the template sees it. It may share
	// memory with the prompt (a slice, a map, a pointer): tracers record
	// Masked, a copy.
	Value any
	// Redacted marks a secret (`prompt:"name,redact"`): tracers record
	// "[REDACTED]" in its place.
	Redacted bool

	// snap is what Masked returns when it is not Value: a copy made at
	// Render of a value that may share memory with the prompt.
	snap *any
}

// Redacted is what tracers and error messages print in place of a redacted
// value.
const RedactedText = "[REDACTED]"

// Masked returns the value safe to record, as it was when [Render]
// returned: [RedactedText] for a redacted field; for a nested struct, a
// map of its variables by prompt name, with redacted ones masked,
// recursively; copies of slices and maps; an error's text; a []byte's
// text. Strings, numbers and other values Go copies are returned as they
// are, as is the Value of a Field not made by Render.
func (f Field) Masked() any {
	if f.Redacted {
		return RedactedText
	}
	if f.snap != nil {
		return *f.snap
	}
	return f.Value
}

// HasRedacted reports whether any field, at any depth, is redacted.
func (r *Rendered) HasRedacted() bool {
	return r.hasRedacted
}

// MaskedMessages returns the messages safe to record. Without redacted fields
// it is Messages. With them, for a template prompt it is the template as
// rendered by [Render] with every redacted value replaced by
// [RedactedText]; for the other styles, whose text the user's method built
// and so may contain the secret anywhere, it is nil.
func (r *Rendered) MaskedMessages() []Message {
	if !r.hasRedacted {
		return r.Messages
	}
	return r.maskedMsgs
}
