// Package secrets is the one place that says what a secret looks like and
// how it is masked, for every layer that lets text out of the library: the
// providers (errors and answers), otel (spans) and replay (cassettes).
//
// Two kinds of secret are masked:
//
//   - credentials, whoever they belong to, found by shape ([MaskCredentials]):
//     a credential header or parameter quoted in a text, and the documented
//     key prefixes of the services this module speaks to;
//   - known values, found verbatim ([Masker]): a provider's own key, and the
//     values of a prompt's redacted fields, in every form a text may quote
//     them in (as is, JSON-escaped, Go-quoted).
//
// What is replaced becomes [Redacted]. Masking is idempotent.
package secrets

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Redacted replaces a secret in any text that leaves the library.
const Redacted = "[REDACTED]"

// MinLen is the shortest value a [Masker] searches for: a shorter one
// ("a", "10", "yes") would mangle every text it masks while giving little
// away. Where a secret's place is known rather than searched for (a
// redacted field's own attribute, its place in a rendered template), it is
// masked whatever its length.
const MinLen = 4

// A credPattern matches credentials a text may quote, whoever they belong
// to. Its regexp is anchored and tried only where one of its anchors (the
// literal it starts with) occurs: Go's regexp, run over a whole 1 MiB error
// body, went at under 2 MB/s. The regexp's last group is the credential.
type credPattern struct {
	re      *regexp.Regexp
	anchors []string // lower case when fold
	fold    bool     // anchors match whatever their case
	word    bool     // the match starts at a word boundary
}

func pattern(expr string, fold, word bool, anchors ...string) credPattern {
	return credPattern{re: regexp.MustCompile(`^(?:` + expr + `)`), anchors: anchors, fold: fold, word: word}
}

// credentialPatterns are the one credential-pattern set. It is
// conservative: a shape ordinary text could take (bare hex or alphanumeric
// runs) is left to the known values.
var credentialPatterns = []credPattern{
	// A header or parameter naming a credential, its separator, an optional
	// auth scheme, then the value.
	pattern(`(?i)(?:authorization|api-key|api_key|apikey|access_token|x-amz-security-token)["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?([^\s"',;&})\]\[]+)`,
		true, true, "authorization", "api-key", "api_key", "apikey", "access_token", "x-amz-security-token"),
	// A bearer token anywhere; eight characters at least, so that "the
	// bearer of bad news" stays.
	pattern(`(?i)bearer\s+([A-Za-z0-9._~+/=*-]{8,})`, true, true, "bearer"),
	// Google's key query parameter.
	pattern(`[?&]key=([^&\s"'#\[\]]+)`, false, false, "?key=", "&key="),
	// A signed URL's signing parameters (see [MaskURL]) quoted in a text,
	// as a service's error does when it cannot fetch the URL; '&' perhaps
	// JSON-escaped.
	pattern(`(?i)(?:[?&]|\\u0026)(?:x-amz-signature|x-amz-credential|x-goog-signature|x-goog-credential|signature|sig|token)=([^&\s"'#\[\]\\]+)`, true, false,
		"?x-amz-", "&x-amz-", `\u0026x-amz-`, "?x-goog-", "&x-goog-", `\u0026x-goog-`, "?sig", "&sig", `\u0026sig`, "?token=", "&token=", `\u0026token=`),
	// The password of a URL's userinfo (https://user:password@host/…).
	pattern(`://[^/?#@\s"'\[\]]*:([^/?#@\s"'\[\]]+)@`, false, false, "://"),
	// Keys by their documented prefixes: sk- (OpenAI, Anthropic's sk-ant-,
	// DeepSeek), gsk_ (Groq), xai- (xAI), AIza (Google), AKIA/ASIA (AWS
	// access key ids), ABSK (Bedrock API keys).
	pattern(`(sk-[A-Za-z0-9_*-]{8,})`, false, true, "sk-"),
	pattern(`((?:gsk_|xai-)[A-Za-z0-9_*-]{16,})`, false, true, "gsk_", "xai-"),
	pattern(`(AIza[0-9A-Za-z_-]{30,})`, false, true, "AIza"),
	pattern(`((?:AKIA|ASIA)[0-9A-Z]{16})\b`, false, true, "AKIA", "ASIA"),
	pattern(`(ABSK[A-Za-z0-9+/=]{16,})`, false, true, "ABSK"),
}

// MaskCredentials returns s with everything shaped like a credential
// replaced by [Redacted]. Its cost is linear in len(s) plus the length of
// what the patterns try where their anchors occur.
func MaskCredentials(s string) string {
	var lower string
	for i := range credentialPatterns {
		p := &credentialPatterns[i]
		hay := s
		if p.fold {
			if lower == "" || len(lower) != len(s) {
				lower = asciiLower(s)
			}
			hay = lower
		}
		if out := p.mask(s, hay); out != s {
			s, lower = out, ""
		}
	}
	return s
}

// mask replaces the credentials p finds in s; hay is s, lower-cased when p
// folds case.
func (p *credPattern) mask(s, hay string) string {
	var at []int
	for _, a := range p.anchors {
		for i := 0; ; {
			j := strings.Index(hay[i:], a)
			if j < 0 {
				break
			}
			at = append(at, i+j)
			i += j + len(a)
		}
	}
	if at == nil {
		return s
	}
	slices.Sort(at)
	var b strings.Builder
	last := 0
	for _, i := range at {
		if i < last || p.word && i > 0 && isWord(s[i-1]) {
			continue
		}
		m := p.re.FindStringSubmatchIndex(s[i:])
		if m == nil {
			continue
		}
		g0, g1 := i+m[len(m)-2], i+m[len(m)-1]
		if g0 < i || g0 == g1 || masksScheme(s[g0:g1], s[g1:]) {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:g0])
		b.WriteString(Redacted)
		last = g1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// asciiLower lower-cases ASCII letters only, so that offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// masksScheme reports whether a header value about to be masked is the
// auth scheme of a credential masked already ("Bearer [REDACTED]"), which
// RE2, having no possessive groups, may take for the value.
func masksScheme(value, after string) bool {
	switch strings.ToLower(value) {
	case "bearer", "basic", "token":
		return strings.HasPrefix(strings.TrimLeft(after, " \t"), Redacted)
	}
	return false
}

// A Masker replaces known values wherever they appear in a text, in each
// form a text may quote them in (see [Forms]). Values shorter than [MinLen]
// are ignored. A nil Masker masks nothing. Add must not run concurrently
// with anything else; Mask may be called concurrently once m is built.
type Masker struct {
	values []string            // as added, each once
	forms  []string            // longest first, so a value holding another goes whole
	seen   map[string]struct{} // forms
}

// NewMasker returns a Masker of values.
func NewMasker(values ...string) *Masker {
	m := &Masker{}
	m.Add(values...)
	return m
}

// Add registers values to mask.
func (m *Masker) Add(values ...string) {
	n := len(m.forms)
	for _, v := range values {
		if len(v) < MinLen || v == Redacted {
			continue
		}
		if m.seen == nil {
			m.seen = make(map[string]struct{})
		}
		if _, ok := m.seen[v]; ok {
			continue
		}
		m.values = append(m.values, v)
		for _, f := range Forms(v) {
			if _, ok := m.seen[f]; !ok {
				m.seen[f] = struct{}{}
				m.forms = append(m.forms, f)
			}
		}
	}
	if len(m.forms) > n {
		slices.SortStableFunc(m.forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	}
}

// Merge adds o's values to m.
func (m *Masker) Merge(o *Masker) {
	if o != nil {
		m.Add(o.values...)
	}
}

// Clone returns a copy of m, which Add does not share.
func (m *Masker) Clone() *Masker {
	c := &Masker{values: slices.Clone(m.values), forms: slices.Clone(m.forms), seen: make(map[string]struct{}, len(m.seen))}
	for k := range m.seen {
		c.seen[k] = struct{}{}
	}
	return c
}

// Forms returns the texts m searches for, longest first. The slice is m's
// own: do not modify it.
func (m *Masker) Forms() []string {
	if m == nil {
		return nil
	}
	return m.forms
}

// Empty reports whether m masks nothing.
func (m *Masker) Empty() bool { return m == nil || len(m.forms) == 0 }

// Mask returns s with every known value replaced by [Redacted].
func (m *Masker) Mask(s string) string {
	if m == nil {
		return s
	}
	for _, f := range m.forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Redacted)
		}
	}
	return s
}

// Forms returns v and the forms a text may quote it in (JSON-escaped, with
// and without HTML escaping, and Go-quoted), each once.
func Forms(v string) []string {
	out := []string{v}
	for _, f := range []string{jsonText(v, false), jsonText(v, true), goQuoted(v)} {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// jsonText is v as it reads inside a JSON string, without the quotes.
func jsonText(v string, escapeHTML bool) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(escapeHTML)
	if e.Encode(v) != nil {
		return v
	}
	out := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return string(out[1 : len(out)-1])
}

// goQuoted is v as %q prints it, without the quotes.
func goQuoted(v string) string {
	q := fmt.Sprintf("%q", v)
	return q[1 : len(q)-1]
}
