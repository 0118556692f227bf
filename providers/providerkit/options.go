package providerkit

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
)

// Config is what a provider reads in New: the user's settings, and what
// they make, built once and shared (the HTTP client, the redactor).
type Config struct {
	*providers.Config
	redactor *Redactor
	hold     *hold
}

// NewConfig applies opts in order; nil options are ignored.
func NewConfig(opts ...providers.Option) *Config {
	c := &Config{Config: &providers.Config{}}
	for _, o := range opts {
		if o != nil {
			o(c.Config)
		}
	}
	return c
}

// WithClient is a copy of c whose requests go through hc, sharing c's
// redactor (Gemini's credentials transport wraps the user's client so).
func (c *Config) WithClient(hc *http.Client) *Config {
	inner := *c.Config
	inner.HTTPClient = hc
	return &Config{Config: &inner, redactor: c.Redactor(), hold: c.holdState()}
}

// Env returns the value of the first of names that is set and not empty, and
// which one it was.
func Env(names ...string) (value, name string) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v, n
		}
	}
	return "", ""
}

// APIKeyFromEnv fills APIKey from the first set variable of names, unless an
// option set it already.
func (c *Config) APIKeyFromEnv(names ...string) {
	if c.APIKey == "" {
		c.APIKey, _ = Env(names...)
	}
}

// BaseURLFromEnv fills BaseURL from the first set variable of names, or from
// def, unless an option set it already.
func (c *Config) BaseURLFromEnv(def string, names ...string) {
	if c.BaseURL != "" {
		return
	}
	if v, _ := Env(names...); v != "" {
		c.BaseURL = v
		return
	}
	c.BaseURL = def
}

// An OptionKey keys a provider-specific setting, in Config.Extra (an
// [providers.Option]) or in Request.Extensions (a mirascope.CallOption). It names the
// option and the providers (gen_ai.provider.name values) that honour it, so
// that one reaching any other provider is refused rather than dropped:
// [Config.Check] and [CheckCallOptions] find it. Compare keys by pointer;
// create each once, in a package variable.
type OptionKey struct {
	name   string
	owners []string
}

// NewOptionKey returns the key of the option named name (as the user writes
// it, e.g. "bedrock.WithRegion"), honoured by the providers named owners.
func NewOptionKey(name string, owners ...string) *OptionKey {
	return &OptionKey{name: name, owners: owners}
}

// String is the option's name.
func (k *OptionKey) String() string { return k.name }

// For reports whether the provider named provider honours the option.
func (k *OptionKey) For(provider string) bool { return slices.Contains(k.owners, provider) }

func (k *OptionKey) ownersText() string {
	if len(k.owners) == 1 {
		return "an option of the " + k.owners[0] + " provider only"
	}
	return "an option of the " + strings.Join(k.owners, ", ") + " providers only"
}

// foreign returns the keys of m that are OptionKeys provider does not honour,
// by name.
func foreign(m map[any]any, provider string) []*OptionKey {
	var out []*OptionKey
	for k := range m {
		if ok, _ := k.(*OptionKey); ok != nil && !ok.For(provider) {
			out = append(out, ok)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// CheckCallOptions returns a *mirascope.UnsupportedError, for a provider to
// return before any request, when req carries a CallOption of another
// provider's (one keyed by an [*OptionKey] provider is not an owner of).
func CheckCallOptions(provider string, req *mirascope.Request) error {
	if req == nil {
		return nil
	}
	if f := foreign(req.Extensions, provider); len(f) > 0 {
		return &mirascope.UnsupportedError{Provider: provider, Parameter: f[0].name, Reason: f[0].ownersText()}
	}
	return nil
}

// Check returns the configuration error of a provider named provider, for
// it to return from every Call and Stream before any request (New returns
// no error): an Option of another provider's in Extra, or a BaseURL that is
// not an absolute http or https URL with a host.
func (c *Config) Check(provider string) error {
	if f := foreign(c.Extra, provider); len(f) > 0 {
		return &providers.ConfigError{Provider: provider, Setting: f[0].name, Reason: f[0].ownersText()}
	}
	if c.BaseURL != "" {
		if _, err := ParseBaseURL(c.BaseURL); err != nil {
			return &providers.ConfigError{Provider: provider, Setting: "base URL", Reason: err.Error()}
		}
	}
	return nil
}

// ParseBaseURL parses a service's base URL, which must be absolute, http or
// https, with a host. The error does not quote the URL, which may carry
// credentials.
func ParseBaseURL(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("not a URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("scheme must be http or https, not %q", u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("invalid port %q", p)
		}
	}
	return u, nil
}

// HostPort is a base URL's server.address and server.port: the port it
// names, else 443 for https and 80 for http; ("", 0) for a URL
// [ParseBaseURL] refuses.
func HostPort(base string) (string, int) {
	u, err := ParseBaseURL(base)
	if err != nil {
		return "", 0
	}
	if p := u.Port(); p != "" {
		n, _ := strconv.Atoi(p)
		return u.Hostname(), n
	}
	if u.Scheme == "http" {
		return u.Hostname(), 80
	}
	return u.Hostname(), 443
}

// MergeFields returns a CallOption that merges fields into the map stored
// in Request.Extensions under key, later keys winning: the shape of every
// provider's option for request fields the library does not model. fields
// is copied.
func MergeFields(key *OptionKey, fields map[string]any) mirascope.CallOption {
	fields = maps.Clone(fields)
	return func(r *mirascope.Request) {
		merged := maps.Clone(Fields(r, key))
		if merged == nil {
			merged = make(map[string]any, len(fields))
		}
		maps.Copy(merged, fields)
		if r.Extensions == nil {
			r.Extensions = make(map[any]any)
		}
		r.Extensions[key] = merged
	}
}

// Fields returns the map [MergeFields] stored under key; nil when none.
func Fields(r *mirascope.Request, key *OptionKey) map[string]any {
	if r == nil {
		return nil
	}
	m, _ := r.Extensions[key].(map[string]any)
	return m
}

// FieldsOver returns base with the fields [MergeFields] stored under key
// set over it, in a new map; nil when there are none. It serves SDKs whose
// extra-fields setter replaces what was set before.
func FieldsOver(r *mirascope.Request, key *OptionKey, base map[string]any) map[string]any {
	fields := Fields(r, key)
	if len(fields) == 0 {
		return nil
	}
	all := make(map[string]any, len(base)+len(fields))
	maps.Copy(all, base)
	maps.Copy(all, fields)
	return all
}
