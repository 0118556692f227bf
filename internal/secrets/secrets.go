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

// credentialPatterns match credentials a text may quote, whoever they
// belong to. Each pattern's last group is the credential. The list is
// conservative: a shape ordinary text could take (bare hex or alphanumeric
// runs) is left to the known values.
var credentialPatterns = []*regexp.Regexp{
	// A header or parameter naming a credential, its separator, an optional
	// auth scheme, then the value.
	regexp.MustCompile(`(?i)\b(?:authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|api_key|apikey|access_token|x-amz-security-token)["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?([^\s"',;&})\]\[]+)`),
	// A bearer token anywhere; eight characters at least, so that "the
	// bearer of bad news" stays.
	regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=*-]{8,})`),
	// Google's key query parameter.
	regexp.MustCompile(`[?&]key=([^&\s"'#\[\]]+)`),
	// Keys by their documented prefixes: sk- (OpenAI, Anthropic's sk-ant-,
	// DeepSeek), gsk_ (Groq), xai- (xAI), AIza (Google), AKIA/ASIA (AWS
	// access key ids), ABSK (Bedrock API keys).
	regexp.MustCompile(`\b(sk-[A-Za-z0-9_*-]{8,})`),
	regexp.MustCompile(`\b((?:gsk_|xai-)[A-Za-z0-9_*-]{16,})`),
	regexp.MustCompile(`\b(AIza[0-9A-Za-z_-]{30,})`),
	regexp.MustCompile(`\b((?:AKIA|ASIA)[0-9A-Z]{16})\b`),
	regexp.MustCompile(`\b(ABSK[A-Za-z0-9+/=]{16,})`),
}

// MaskCredentials returns s with everything shaped like a credential
// replaced by [Redacted]. Its cost is linear in len(s).
func MaskCredentials(s string) string {
	for _, re := range credentialPatterns {
		s = maskGroup(re, s)
	}
	return s
}

// maskGroup replaces the last group of each match of re in s.
func maskGroup(re *regexp.Regexp, s string) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, m := range ms {
		g0, g1 := m[len(m)-2], m[len(m)-1]
		if g0 < last || g0 == g1 {
			continue
		}
		b.WriteString(s[last:g0])
		b.WriteString(Redacted)
		last = g1
	}
	b.WriteString(s[last:])
	return b.String()
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
