package providers

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/mirascope-go/mirascope"
)

// Redacted replaces a credential in any text that leaves the library.
const Redacted = "[REDACTED]"

// minSecret is the shortest credential replaced verbatim: a shorter one
// would mask ordinary words.
const minSecret = 8

// credentialPatterns match credentials a service may echo whoever they
// belong to: header values quoted in a body, and keys by their documented
// prefixes (OpenAI and Anthropic sk-, Groq gsk_, xAI xai-, Google AIza, AWS
// access key ids and Bedrock API keys).
// Each pattern's last group is the credential.
var credentialPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(?:x-api-key|api-key|x-goog-api-key|authorization|x-amz-security-token)["']?\s*[:=]\s*["']?(?:(?:bearer|basic)\s+)?([^\s"',;}\]\[]*)`),
	regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=*-]+)`),
	regexp.MustCompile(`\b(sk-[A-Za-z0-9_*-]{8,})`),
	regexp.MustCompile(`\b((?:gsk_|xai-)[A-Za-z0-9_*-]{16,})`),
	regexp.MustCompile(`\b(AIza[0-9A-Za-z_-]{30,})`),
	regexp.MustCompile(`\b((?:AKIA|ASIA)[0-9A-Z]{16})\b`),
	regexp.MustCompile(`\b(ABSK[A-Za-z0-9+/=]{16,})`),
}

// mask replaces the last group of each match of re in s.
func mask(re *regexp.Regexp, s string) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		g0, g1 := m[len(m)-2], m[len(m)-1]
		if g0 < 0 || g0 == g1 {
			continue
		}
		b.WriteString(s[last:g0])
		b.WriteString(Redacted)
		last = g1
	}
	b.WriteString(s[last:])
	return b.String()
}

// A Redactor masks a provider's credentials, and anything shaped like a
// credential, in text that leaves the library: error answers before the SDK
// reads them, and every error a provider returns. It is safe for concurrent
// use; a provider adds credentials it learns later (AWS session tokens).
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers credentials to mask; empty and very short ones are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < minSecret {
			continue
		}
		known := false
		for _, k := range r.secrets {
			known = known || k == s
		}
		if !known {
			r.secrets = append(r.secrets, s)
		}
	}
}

// String returns s with every credential replaced by [Redacted].
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	if r != nil {
		r.mu.RLock()
		for _, k := range r.secrets {
			s = strings.ReplaceAll(s, k, Redacted)
		}
		r.mu.RUnlock()
	}
	for _, p := range credentialPatterns {
		s = mask(p, s)
	}
	return s
}

// Error masks credentials in everything err says. A *mirascope.ProviderError
// anywhere in err's chain has its Message, Code and Type masked in place
// (only when err is one, at the top); the SDK error it wraps keeps its
// type for errors.As, behind a wrapper whose text is masked.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var pe *mirascope.ProviderError
	if errors.As(err, &pe) && pe == err {
		r.ProviderError(pe)
		return pe
	}
	return r.wrap(err)
}

// ProviderError masks credentials in pe, in place, and returns it.
func (r *Redactor) ProviderError(pe *mirascope.ProviderError) *mirascope.ProviderError {
	if pe == nil {
		return nil
	}
	pe.Message = r.String(pe.Message)
	pe.Code = r.String(pe.Code)
	pe.Type = r.String(pe.Type)
	pe.RequestID = r.String(pe.RequestID)
	pe.Err = r.wrap(pe.Err)
	return pe
}

func (r *Redactor) wrap(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(redactedError); ok {
		return err
	}
	text := err.Error()
	if masked := r.String(text); masked != text {
		return redactedError{err: err, text: masked}
	}
	return err
}

// redactedError is err with its text masked; errors.Is and errors.As still
// reach err.
type redactedError struct {
	err  error
	text string
}

func (e redactedError) Error() string { return e.text }
func (e redactedError) Unwrap() error { return e.err }

// Redactor returns the Redactor of the provider being configured, holding
// its API key; the transport of [Config.Client] masks with it.
func (c *Config) Redactor() *Redactor {
	if c.redactor == nil {
		c.redactor = &Redactor{}
	}
	c.redactor.Add(c.APIKey)
	return c.redactor
}
