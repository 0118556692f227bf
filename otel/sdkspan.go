package otel

import (
	"reflect"
	"sync"

	"go.opentelemetry.io/otel/trace"
)

// sdkTracePkg is the OpenTelemetry SDK's trace package. This package must not
// import it (an instrumentation library depends on the API only), so its
// spans are recognised by their type's package.
const sdkTracePkg = "go.opentelemetry.io/otel/sdk/trace"

// copiers caches, per span type, whether its spans copy the attributes they
// are given, as the SDK's do.
var copiers sync.Map // reflect.Type → bool

// copiesAttributes reports whether s is one of the SDK's spans, which copy
// the attributes passed to them, so the caller may reuse its slice.
func copiesAttributes(s trace.Span) bool {
	t := reflect.TypeOf(s)
	if t == nil {
		return false
	}
	if v, ok := copiers.Load(t); ok {
		return v.(bool)
	}
	e := t
	if e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	sdk := e.PkgPath() == sdkTracePkg
	copiers.Store(t, sdk)
	return sdk
}
