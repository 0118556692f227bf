package otel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// attributedTool describes itself on its span, as mcptools' tools do.
type attributedTool struct{ weatherTool }

func (attributedTool) SpanAttributes() []attribute.KeyValue {
	return []attribute.KeyValue{attribute.String("mcp.method.name", "tools/call"), attribute.String("mcp.session.id", "bad\xffutf8")}
}

var _ otel.ToolAttributer = attributedTool{}

// A tool the request offered adds its own attributes to its execute_tool
// span; a tool the request did not offer, or a request unknown, adds none.
func TestToolAttributer(t *testing.T) {
	for _, tt := range []struct {
		name  string
		tools []mirascope.Tool
		want  bool
	}{
		{"offered", []mirascope.Tool{namedTool{"other"}, attributedTool{}}, true},
		{"not offered", []mirascope.Tool{weatherTool{}}, false},
		{"no request", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			obs := toolObserver(t, h.traced(mock.New()))
			var req *mirascope.Request
			if tt.tools != nil {
				req = &mirascope.Request{Tools: tt.tools}
			}
			_, end := obs.StartTool(context.Background(), req, weatherTool{}.Definition(), weatherCall)
			end("ok", nil)
			a := map[string]string{}
			for _, kv := range h.only(t).Attributes {
				a[string(kv.Key)] = kv.Value.AsString()
			}
			require.Equal(t, "weather", a["gen_ai.tool.name"])
			if !tt.want {
				assert.NotContains(t, a, "mcp.method.name")
				return
			}
			assert.Equal(t, "tools/call", a["mcp.method.name"])
			assert.Equal(t, "bad\uFFFDutf8", a["mcp.session.id"], "made valid UTF-8")
		})
	}
}
