// Package jsonschema derives the JSON Schema of a Go type from the tags its
// users already write (json, jsonschema, validate), and rewrites a schema into
// the subset a service's strict structured-output mode accepts. The root
// package uses [For] for tools and extraction; providers call [Strict] before
// sending a schema to a service that demands strict mode.
package jsonschema
