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
// as encoding/json caches its field lists: built without a lock, so that no
// type's first use waits for another's. A type keeps only the last template
// its Template method returned.
//
// A prompt's variables must end. A struct that embeds itself, directly or
// through other structs, or whose nested variables lead back to it through
// struct or pointer fields ({next.next.next…}), is an [ErrInvalidField]
// error; tag the field prompt:"-". A type that reaches itself only through
// a slice, array or map (a tree: Kids []*Node) is fine, as those print as
// one value.
//
// # Values in templates
//
// Strings, numbers and booleans print as themselves; an error as its
// Error(); a fmt.Stringer or encoding.TextMarshaler as its text; a []byte as
// the text it holds (invalid UTF-8 replaced by U+FFFD); a slice as its
// elements joined with ", " (or one per line with :list); structs and maps
// as JSON. With :json, the value is encoding/json's (a []byte is then
// base64). A nil pointer prints as nothing. A []prompt.Message field can
// only be spliced with MESSAGES: {history}. The template language is
// documented in package template.
//
// A section that renders empty or white space alone (USER: {query} with an
// empty query) is left out of the messages, as Mirascope leaves it out:
// services refuse an empty message. A shorthand Prompt() of white space
// alone likewise. A prompt left with no message at all, or with system
// messages alone (SYSTEM: ... USER: {query} with an empty query), is an
// [ErrNoMessages] error, before any call: services refuse a request without
// a user or assistant turn. Messages a Messages method returns, or a history
// spliced with MESSAGES:, are sent as given (an assistant turn holding only
// tool calls has no text).
//
// A variable the template prints must be printable: a chan, a func, an
// unsafe.Pointer, a complex number, or a map whose keys are not strings,
// integers or TextMarshalers (such as map[float64]T), alone or inside a
// slice or a struct printed whole, is an [ErrInvalidField] error naming the
// variable, from [Check] and the first [Render]. A struct may hold such
// fields as long as its template leaves them out. What an interface field
// holds is known only at render: a value that cannot be printed is then an
// [ErrInvalidValue] error, as is a value nested more than 256 levels deep,
// which is how a cyclic value shows, found before the validator (which
// would recurse for ever) or a tracer sees it.
//
// # Images, audio and documents
//
// A message's content is Content (text) or Parts, in order: [Text], and
// media built by [ImageURL], [ImageData], [AudioURL], [AudioData],
// [DocumentURL], [DocumentData], [File] (a file read from disk, its kind
// from its MIME type) or [FileRef] (a file already uploaded to the
// service); [Part.WithDetail] adds OpenAI's image detail hint.
// [UserParts] makes a user message of parts. A [Media] has exactly one
// source: a URL (http(s)://, gs://, s3:// or a base64 data: URL), the
// bytes (an empty MIMEType is sniffed), or a file id. Nothing here fetches a URL, and
// the bytes are never copied: do not change them while a call uses them.
// A message with both Content and Parts, or a part that is both text and
// media, neither, or media without exactly one valid source, is an
// [ErrInvalidMessage] error before any request ([CheckMessages]).
//
// In a template, the specs :image, :audio and :document place one medium
// where they stand, and :images, :audios and :documents a list of them:
//
//	type DescribeCover struct {
//		Cover prompt.Part `prompt:"cover" validate:"required"`
//		Genre string      `prompt:"genre"`
//	}
//	func (DescribeCover) Template() string { return "Describe this {genre} book cover: {cover:image}" }
//
// The field is a [Part], a URL string or a []byte (its MIME type sniffed)
// for a singular spec; a []Part, a []string of URLs or a [][]byte for a
// plural one (pointers to these, and interfaces holding them, too). A
// section placing media renders as Parts: its text up to the media, the
// media, the text after; white space touching media is dropped, and a text
// left empty makes no part. A section without a media spec stays Content,
// as before and as fast. A section whose only content is media is kept.
//
// A nil pointer, a nil interface or an empty list places nothing (the text
// around it stays one, and a section where nothing is placed is Content);
// an empty value (a zero Part, "" or an empty []byte) is an error: to make
// media optional use a pointer, and to require it validate:"required". A
// field of a type no medium can be (int, []string for :image, a Part
// printed as {cover} or {cover:list}) is an [ErrInvalidField] error naming
// it, from [Check]; so is a field placed as media in one place and
// differently in another. What only the value shows (a Part of another
// kind than the spec names, bytes whose content is of another medium such
// as a PDF in :image, a string that is not a media URL, a malformed data:
// URL, an empty value) is an [ErrInvalidValue] error naming the field,
// from [Render], before any request. A Part without a Kind takes the
// spec's.
//
// A data: URL stays a URL: its media type becomes MIMEType, its header
// and its base64 are checked (in place, about a millisecond a megabyte),
// and the provider decodes it where its service wants bytes.
//
// For a tracer, a media field's [Field.Value] (and Masked) is the
// normalised [Part] for a singular spec, or []Part for a plural one (nil
// when a nil pointer placed nothing), whatever the field's Go type: a
// tracer handles parts only. A redacted media field (prompt:"cover,redact")
// is sent as it is; in [Rendered.MaskedMessages] each redacted media
// variable that placed something is one text part "[REDACTED]" in its
// place, so a span never holds its URL or bytes, and
// [Rendered.RedactedValues] holds its URLs and file ids, never its bytes.
//
// # Cache breakpoints
//
// {:cache_control} in a template (Mirascope v1's spec) marks the end of a
// cacheable prefix, as a [CacheBreakpoint] part does in messages built by
// hand: the section it stands in renders as Parts, like one placing media,
// with the marker between the text before and the text after:
//
//	func (Librarian) Template() string {
//		return "SYSTEM: {rules} {:cache_control}\nUSER: Recommend a {genre} book."
//	}
//
// renders its system message as [Text](rules), [CacheBreakpoint](). A
// marker first in its section or in ASSISTANT: is a template.ErrSyntax
// error from [Check]; one after values that all rendered to nothing is an
// [ErrInvalidMessage] error from [Render]. Anthropic and Bedrock mark the
// block before it; services that cache prefixes on their own send nothing
// more.
//
// # What a tracer reads
//
// A [Rendered] is fixed when Render returns: its Messages share nothing
// with the prompt but media bytes (a history spliced in, or the slice a Messages method
// returns, is copied), [Rendered.MaskedMessages] is rendered at the same
// time, from the same value, and [Field.Masked] is a copy, so that changing
// the prompt afterwards (say between Stream and ranging over its chunks)
// changes neither what is sent nor what is recorded. A []prompt.Message
// field's Masked is a []prompt.Message still.
// Masked is the value a tracer records: a nested struct as a map of its
// variables by prompt name, redacted ones [RedactedText], whether or not
// any is redacted; slices and maps copied; an error or a []byte as the same
// text the template prints. Strings and numbers cost nothing to copy; a
// field holding slices, maps or structs costs one walk of its value per
// Render. [Field.Value] is the value as the template saw it, and may share
// memory with the prompt.
//
// # Errors
//
// Every failure comes before any call. A prompt that cannot be used is a
// *[Error] matching [ErrNotPrompt], [ErrAmbiguous], [ErrInvalidField],
// [ErrInvalidValue], [ErrInvalidMessage] or [ErrNoMessages] (a prompt rendering to no messages,
// as one whose every section is blank: a call needs one), or (for template errors, with line:col)
// template.ErrSyntax or template.ErrUnknownVariable. A value that fails validation is a
// *[ValidationError]:
//
//	prompt: RecommendBook.Genre: failed "oneof=fantasy scifi mystery" (got "horror")
//
// matching [ErrValidation], and validator.ValidationErrors with errors.As.
package prompt
