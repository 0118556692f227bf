package providers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mirascope-go/mirascope"
)

// ErrMissingAPIKey matches a [*MissingAPIKeyError].
var ErrMissingAPIKey = errors.New("mirascope: missing API key")

// MissingAPIKeyError is returned, before any request, by a provider that
// needs a key and was given none.
type MissingAPIKeyError struct {
	Provider string
	// EnvVars are the variables the provider reads, in order.
	EnvVars []string
}

func (e *MissingAPIKeyError) Error() string {
	return fmt.Sprintf("mirascope: %s: missing API key: set %s or pass providers.WithAPIKey",
		e.Provider, strings.Join(e.EnvVars, " or "))
}

// Is matches [ErrMissingAPIKey] and [mirascope.ErrAuth].
func (e *MissingAPIKeyError) Is(target error) bool {
	return target == ErrMissingAPIKey || target == mirascope.ErrAuth
}

// Unwrap returns the *[ConfigError] a missing key is, so that every
// configuration failure is found the same way.
func (e *MissingAPIKeyError) Unwrap() error {
	return &ConfigError{Provider: e.Provider, Setting: "API key",
		Reason: "none set (set " + strings.Join(e.EnvVars, " or ") + " or pass providers.WithAPIKey)"}
}

// ErrInvalidConfig matches a [*ConfigError].
var ErrInvalidConfig = errors.New("mirascope: invalid provider configuration")

// ConfigError is returned by a provider's every Call and Stream, before any
// request, for a setting New could not use: a malformed base URL, a missing
// endpoint or key, another provider's Option, a cloud configuration that
// does not load. (New returns no error.)
type ConfigError struct {
	Provider string
	// Setting names the setting, as the user wrote it (e.g. "bedrock.WithRegion").
	Setting string
	Reason  string
	// Err is the underlying failure, when there is one.
	Err error
}

func (e *ConfigError) Error() string {
	return "mirascope: " + e.Provider + ": " + e.Setting + ": " + e.Reason
}

// Unwrap returns the underlying failure.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is matches [ErrInvalidConfig].
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }
