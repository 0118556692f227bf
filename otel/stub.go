// Package otel is being written; this stub only lets other packages compile.
package otel

import (
	"context"

	"github.com/mirascope-go/mirascope"
)

// Option configures Traced or Configure.
type Option interface{ apply() }

// Traced is a placeholder that returns p unchanged.
func Traced(p mirascope.Provider, opts ...Option) mirascope.Provider { return p }

// Configure is a placeholder.
func Configure(opts ...Option) (func(context.Context) error, error) {
	return func(context.Context) error { return nil }, nil
}
