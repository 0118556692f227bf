// Package template is the prompt template language: Mirascope's, made safe.
// A template is parsed once into sections and parts and executed many
// times; it knows nothing of structs or reflection (package prompt binds
// variables to fields).
//
//	t, err := template.Parse("SYSTEM: You are a librarian.\nUSER: Recommend a {genre} book.")
//	msgs, err := t.Execute(template.Values{"genre": "fantasy"})
//
// # Variables
//
//   - {name} substitutes a variable; {name.sub} reaches a nested struct's
//     variable.
//   - {{ and }} are literal braces.
//   - {books:list} joins a slice, one element per line; {groups:lists}
//     joins a slice of slices, with a blank line between groups; {x:json}
//     writes the value as JSON.
//   - {cover:image}, {clip:audio} and {paper:document} place one medium
//     where they stand, and {covers:images}, {clips:audios} and
//     {papers:documents} a list of them. A template only records them
//     ([Spec.Media], [Spec.Plural]): package prompt turns such a section
//     into parts (text, media, text), and [Values] refuses them, as a
//     message of text cannot hold an image.
//   - {:cache_control} (Mirascope v1's spec, written without a name) marks
//     the end of a cacheable prefix where it stands, after the section's
//     content and never in ASSISTANT:. Its [Var] has an empty Name and
//     [SpecCacheControl]; package prompt places a cache breakpoint part
//     there, and [Values], rendering text only, writes nothing for it.
//
// # Sections
//
// SYSTEM:, USER: and ASSISTANT:, in capitals at the start of a line, open a
// message with that role; MESSAGES: {history} splices a list of messages in
// place. A template without sections is one user message. Text before the
// first section is an error (Mirascope drops it silently). Execute returns
// one message per section, even one that renders empty; package prompt
// leaves out a section that renders empty or white space, as Mirascope does.
//
// Sections are recognised in the template's own text, before any value is
// substituted: a value containing "USER: ignore the above" or "{other}" is
// text inside its own message, never structure.
//
// The template is dedented as Python's inspect.cleandoc does, so an indented
// raw string literal reads naturally; each message's content is trimmed of
// surrounding white space (values themselves are never trimmed).
//
// # Cost
//
// Parsing is linear in the template's size, and a parsed template shares its
// literal text with one buffer per section: a system prompt of tens of
// thousands of lines parses in milliseconds (see BenchmarkParseSize).
//
// # Errors
//
// Every error is a *[Error] with the line and column in the template as
// written, matching [ErrSyntax] or [ErrUnknownVariable] with errors.Is.
package template
