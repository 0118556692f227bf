package template

import (
	"strings"
)

// Spec is a variable's format spec, written after a colon: {books:list}.
type Spec uint8

// The format specs.
const (
	SpecNone  Spec = iota
	SpecList       // a slice, one element per line
	SpecLists      // a slice of slices, groups separated by a blank line
	SpecJSON       // the value marshalled as JSON

	// The media specs place an image, a sound or a document where they
	// stand, rather than text; the plural ones take a list. Package
	// prompt gives them their meaning; [Values] cannot.
	SpecImage
	SpecImages
	SpecAudio
	SpecAudios
	SpecDocument
	SpecDocuments

	// SpecCacheControl is {:cache_control}, written without a name: it
	// marks the end of a cacheable prefix where it stands (package prompt
	// places a prompt.CacheBreakpoint part). Its Var has an empty Name and
	// Path.
	SpecCacheControl
)

// specNames are the specs as written, indexed by Spec.
var specNames = [...]string{"", "list", "lists", "json", "image", "images", "audio", "audios", "document", "documents", "cache_control"}

func (s Spec) String() string {
	if int(s) < len(specNames) {
		return specNames[s]
	}
	return ""
}

// Media returns the medium a media spec places, "image", "audio" or
// "document" (the words of prompt.MediaKind), or "" for a text spec.
func (s Spec) Media() string {
	switch s {
	case SpecImage, SpecImages:
		return "image"
	case SpecAudio, SpecAudios:
		return "audio"
	case SpecDocument, SpecDocuments:
		return "document"
	}
	return ""
}

// Plural reports whether a media spec takes a list (:images, :audios,
// :documents).
func (s Spec) Plural() bool { return s == SpecImages || s == SpecAudios || s == SpecDocuments }

// Role is the role a section opens.
type Role string

// The section roles. RoleMessages splices a list of messages in place.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleMessages  Role = "messages"
)

var keywords = [...]struct {
	word string
	role Role
}{
	{"SYSTEM:", RoleSystem},
	{"USER:", RoleUser},
	{"ASSISTANT:", RoleAssistant},
	{"MESSAGES:", RoleMessages},
}

// Var is one occurrence of a variable in the template.
type Var struct {
	// Path is the dotted name split: {a.b} is ["a", "b"].
	Path []string
	// Name is the dotted name as written.
	Name string
	Spec Spec
	Pos  Pos
}

// Template is a parsed template: parse once, execute many times. A Template
// is immutable and safe for concurrent use.
type Template struct {
	src      string
	sections []section
	vars     []Var
}

type section struct {
	role  Role
	pos   Pos
	parts []Part
	text  int // bytes of literal text, to pre-size the output
}

// Part is a piece of a section: literal text, or when Var >= 0 the variable
// Vars()[Var].
type Part struct {
	Text string
	Var  int
}

// Source returns the template text as written.
func (t *Template) Source() string { return t.src }

// Vars returns every variable occurrence, in order of appearance. The index
// of a Var in this slice is the index [Args.WriteVar] receives.
func (t *Template) Vars() []Var { return t.vars }

// line is one line of the dedented template, with where it came from.
type line struct {
	text string
	pos  Pos // position of text[0] in the source
}

// Parse parses a template. Sections are recognised here, in the template's
// own text, so no value substituted later can open one.
func Parse(src string) (*Template, error) {
	lines := dedent(src)
	if len(lines) == 0 {
		return nil, syntaxErr(Pos{1, 1}, "empty template")
	}
	t := &Template{src: src}

	// Split into sections at keyword lines.
	type rawSection struct {
		role  Role
		pos   Pos
		lines []line
	}
	// A section's lines are a window on lines: the keyword is cut from
	// its line in place, and nothing is copied.
	var raws []rawSection
	for i := range lines {
		ln := &lines[i]
		if role, n, ok := keyword(ln.text); ok {
			pos := ln.pos
			ln.text, ln.pos.Col = ln.text[n:], ln.pos.Col+n
			raws = append(raws, rawSection{role: role, pos: pos, lines: lines[i : i+1]})
			continue
		}
		if len(raws) == 0 {
			raws = append(raws, rawSection{role: "", pos: ln.pos, lines: lines[i:i]})
		}
		r := &raws[len(raws)-1]
		r.lines = r.lines[:len(r.lines)+1]
	}
	if len(raws) > 1 && raws[0].role == "" {
		for _, ln := range raws[0].lines {
			if strings.TrimSpace(ln.text) != "" {
				i := len(ln.text) - len(strings.TrimLeft(ln.text, " \t"))
				return nil, syntaxErr(Pos{ln.pos.Line, ln.pos.Col + i},
					"text before the first section: start the template with SYSTEM:, USER: or ASSISTANT:")
			}
		}
		raws = raws[1:]
	}

	for _, r := range raws {
		s := section{role: r.role, pos: r.pos}
		if s.role == "" {
			s.role = RoleUser
		}
		var pb partsBuilder
		size := 0
		for _, ln := range r.lines {
			size += len(ln.text) + 1
		}
		pb.buf.Grow(size)
		for i, ln := range r.lines {
			if i > 0 {
				pb.text("\n")
			}
			if err := t.parseLine(&pb, ln); err != nil {
				return nil, err
			}
		}
		s.parts = trimParts(pb.done())
		if len(s.parts) == 0 {
			if r.role == "" {
				return nil, syntaxErr(r.pos, "empty template")
			}
			return nil, syntaxErr(r.pos, "empty %s: section", strings.ToUpper(string(r.role)))
		}
		for i, p := range s.parts {
			if p.Var < 0 || t.vars[p.Var].Spec != SpecCacheControl {
				continue
			}
			if s.role == RoleAssistant {
				return nil, syntaxErr(t.vars[p.Var].Pos, "{:cache_control} marks a cacheable prefix in a SYSTEM: or USER: section, not ASSISTANT:")
			}
			if i == 0 {
				return nil, syntaxErr(t.vars[p.Var].Pos, "{:cache_control} ends a cacheable prefix: it follows the section's content")
			}
		}
		if s.role == RoleMessages {
			if len(s.parts) != 1 || s.parts[0].Var < 0 || t.vars[s.parts[0].Var].Spec != SpecNone {
				return nil, syntaxErr(r.pos, "MESSAGES: takes exactly one variable, as in MESSAGES: {history}")
			}
		}
		for _, p := range s.parts {
			s.text += len(p.Text)
		}
		t.sections = append(t.sections, s)
	}
	return t, nil
}

// keyword reports whether a line opens a section, and the keyword's length.
func keyword(s string) (Role, int, bool) {
	for _, k := range keywords {
		if strings.HasPrefix(s, k.word) {
			return k.role, len(k.word), true
		}
	}
	return "", 0, false
}

// dedent splits src into lines as inspect.cleandoc (and so Mirascope) does:
// the first line loses its leading white space, the others their common
// indentation, and leading and trailing blank lines go. Each line remembers
// its position in src.
func dedent(src string) []line {
	lines := make([]line, 0, strings.Count(src, "\n")+1)
	for n := 1; ; n++ {
		text, rest, more := strings.Cut(src, "\n")
		text = strings.TrimSuffix(text, "\r")
		lines = append(lines, line{text: text, pos: Pos{n, 1}})
		if !more {
			break
		}
		src = rest
	}
	indent := -1
	for _, ln := range lines[1:] {
		if strings.TrimSpace(ln.text) == "" {
			continue
		}
		if i := len(ln.text) - len(strings.TrimLeft(ln.text, " \t")); indent < 0 || i < indent {
			indent = i
		}
	}
	for i := range lines {
		ln := &lines[i]
		cut := indent
		if i == 0 || cut < 0 {
			cut = len(ln.text) - len(strings.TrimLeft(ln.text, " \t"))
		}
		cut = min(cut, len(ln.text))
		ln.text = ln.text[cut:]
		ln.pos.Col += cut
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0].text) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1].text) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// parseLine appends the parts of one line: text, {{ and }} as braces, and
// {name.path:spec} variables.
func (t *Template) parseLine(pb *partsBuilder, ln line) error {
	s := ln.text
	col := ln.pos.Col
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if i+1 < len(s) && s[i+1] == '{' {
				pb.text(s[start : i+1])
				i++
				start = i + 1
				continue
			}
			pb.text(s[start:i])
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return syntaxErr(Pos{ln.pos.Line, col + i}, "unclosed '{': write {{ for a literal brace")
			}
			v, err := parseVar(s[i+1:i+1+end], Pos{ln.pos.Line, col + i})
			if err != nil {
				return err
			}
			t.vars = append(t.vars, v)
			pb.variable(len(t.vars) - 1)
			i += end + 1
			start = i + 1
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				pb.text(s[start : i+1])
				i++
				start = i + 1
				continue
			}
			return syntaxErr(Pos{ln.pos.Line, col + i}, "single '}': write }} for a literal brace")
		}
	}
	pb.text(s[start:])
	return nil
}

// partsBuilder collects a section's parts. All its literal text goes into
// one buffer, sized once, and each text part is a window on it, so that
// parsing stays linear in the template's size.
type partsBuilder struct {
	parts []Part
	buf   strings.Builder
	start int // where the pending text part begins in buf
	ends  []int
}

func (pb *partsBuilder) text(s string) { pb.buf.WriteString(s) }

func (pb *partsBuilder) variable(i int) {
	pb.flush()
	pb.parts = append(pb.parts, Part{Var: i})
}

func (pb *partsBuilder) flush() {
	if pb.buf.Len() > pb.start {
		pb.parts = append(pb.parts, Part{Var: -1})
		pb.ends = append(pb.ends, pb.start, pb.buf.Len())
		pb.start = pb.buf.Len()
	}
}

func (pb *partsBuilder) done() []Part {
	pb.flush()
	all, j := pb.buf.String(), 0
	for i := range pb.parts {
		if pb.parts[i].Var < 0 {
			pb.parts[i].Text = all[pb.ends[j]:pb.ends[j+1]]
			j += 2
		}
	}
	return pb.parts
}

func parseVar(body string, pos Pos) (Var, error) {
	name, spec, hasSpec := strings.Cut(body, ":")
	v := Var{Name: name, Pos: pos}
	if spec == "cache_control" {
		if name != "" {
			return v, &Error{Pos: pos, Var: name, Err: ErrSyntax,
				Msg: "{" + body + "}: cache_control takes no variable, write {:cache_control}"}
		}
		v.Spec = SpecCacheControl
		return v, nil
	}
	if name == "" {
		return v, syntaxErr(pos, "empty variable name in {%s}", body)
	}
	for _, seg := range strings.Split(name, ".") {
		if !isIdent(seg) {
			return v, &Error{Pos: pos, Var: name, Err: ErrSyntax,
				Msg: "invalid variable name {" + body + "}: use letters, digits and _, with dots for nested fields"}
		}
		v.Path = append(v.Path, seg)
	}
	if hasSpec {
		for i, n := range specNames {
			if i > 0 && n == spec && Spec(i) != SpecCacheControl {
				v.Spec = Spec(i)
			}
		}
		if v.Spec == SpecNone {
			return v, &Error{Pos: Pos{pos.Line, pos.Col + 1 + len(name) + 1}, Var: name, Err: ErrSyntax,
				Msg: "unknown format spec " + strconvQuote(spec) + " for {" + name + "}: want list, lists, json, image, images, audio, audios, document or documents"}
		}
	}
	return v, nil
}

func strconvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// trimParts removes white space around a section's content, in its literal
// text only: values are never trimmed.
func trimParts(parts []Part) []Part {
	for len(parts) > 0 && parts[0].Var < 0 {
		parts[0].Text = strings.TrimLeft(parts[0].Text, " \t\n")
		if parts[0].Text != "" {
			break
		}
		parts = parts[1:]
	}
	for len(parts) > 0 && parts[len(parts)-1].Var < 0 {
		p := &parts[len(parts)-1]
		p.Text = strings.TrimRight(p.Text, " \t\n")
		if p.Text != "" {
			break
		}
		parts = parts[:len(parts)-1]
	}
	return parts
}
