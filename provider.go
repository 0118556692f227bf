package mirascope

import (
	"context"
	"iter"
)

// Provider sends a request to a model service. Implementations (ours, a
// user's, a decorator such as otel.Traced) must be safe for concurrent use and
// must not modify or retain req.
type Provider interface {
	// Info describes the provider for telemetry.
	Info() ProviderInfo
	// Call sends req and returns the whole response.
	Call(ctx context.Context, req *Request) (*Response, error)
}

// Streamer is the optional capability of a [Provider] that streams. It is
// found by type assertion, as database/sql/driver finds optional interfaces.
// The request is sent when ranging starts; ranging stops early when the
// caller breaks, and the implementation must then release the connection.
type Streamer interface {
	Stream(ctx context.Context, req *Request) iter.Seq2[*Chunk, error]
}

// ProviderInfo describes a provider in the OpenTelemetry GenAI vocabulary.
type ProviderInfo struct {
	// Name is the gen_ai.provider.name value, e.g. "openai", "aws.bedrock".
	Name string
	// Model is the default model, used when Request.Model is empty.
	Model string
	// ServerAddress and ServerPort locate the service (server.address, server.port).
	ServerAddress string
	ServerPort    int
}
