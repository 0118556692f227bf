package prompt

import (
	"slices"

	"github.com/mirascope-go/mirascope/internal/secrets"
)

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
	redacted    []string  // RedactedValues, collected at Render
}

// Field is one variable of a prompt.
type Field struct {
	// Name is the variable's name: the prompt tag, or else the Go field name.
	Name string
	// Value is the field's value as the template sees it. It may share
	// memory with the prompt (a slice, a map, a pointer): tracers record
	// Masked, a copy. For a field a media spec places ({cover:image}),
	// whatever its Go type, it is the normalised Part, or []Part for a
	// plural spec (nil when a nil pointer placed nothing), sharing only
	// the bytes with the prompt; Masked is the same value, or
	// [RedactedText].
	Value any
	// Redacted marks a secret (`prompt:"name,redact"`): tracers record
	// "[REDACTED]" in its place.
	Redacted bool

	// snap is what Masked returns when it is not Value: a copy made at
	// Render of a value that may share memory with the prompt.
	snap *any
}

// RedactedText is what tracers and error messages print in place of a
// redacted value.
const RedactedText = secrets.Redacted

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

// RedactedValues returns the texts a tracer or a recorder must not let out,
// collected when [Render] returned: the text of every leaf of a redacted
// field, at any depth (strings, numbers as they print, a Stringer's or an
// error's text, the leaves of a value's JSON form), and what a nested
// struct's [Field.Masked] form hides. Values shorter than 4 bytes are left
// out: searched for in free text (an answer, an error, tool arguments) they
// would mangle it while giving little away; where their place is known (a
// field's own value, the rendered template) they are masked whatever their
// length. Longest first, each once; nil without redacted fields. The slice
// is r's own: do not modify it.
func (r *Rendered) RedactedValues() []string {
	if r == nil {
		return nil
	}
	return r.redacted
}

// redactedValues collects RedactedValues from fields; hides says whether
// the i-th, not redacted itself, holds a redacted field.
func redactedValues(fields []Field, hides func(i int) bool) []string {
	var out []string
	seen := map[string]struct{}{RedactedText: {}}
	add := func(v string) {
		if _, ok := seen[v]; !ok && len(v) >= secrets.MinLen {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	for i := range fields {
		f := &fields[i]
		// Media stand for their URLs and file ids: their bytes, kind and
		// MIME type are no secret to search for in free text.
		plain := valueLeaves(f.Value)
		if f.Redacted {
			for _, v := range plain {
				add(v)
			}
			continue
		}
		if !hides(i) {
			continue
		}
		masked := map[string]struct{}{}
		for _, v := range valueLeaves(f.Masked()) {
			masked[v] = struct{}{}
		}
		for _, v := range plain {
			if _, ok := masked[v]; !ok {
				add(v)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
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
