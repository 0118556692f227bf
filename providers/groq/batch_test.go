package groq_test

import (
	"net/http"
	"testing"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/groq"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

// Groq's Files + Batch wire (its batch guide and API reference):
// /openai/v1/files and /openai/v1/batches with the bearer key, each line on
// /v1/chat/completions; completions carry x_groq, and a batch lists its
// errors as a bare array.
func TestBatchWire(t *testing.T) {
	oaitest.RunBatch(t, oaitest.BatchService{
		API: oaitest.BatchAPI{
			Prefix:          "/openai/v1",
			CheckAuth:       func(h http.Header) bool { return h.Get("Authorization") == "Bearer "+oaitest.TestKey },
			Endpoint:        "/v1/chat/completions",
			Window:          "24h",
			CompletionExtra: `"system_fingerprint":"fp_c523237e5d","x_groq":{"id":"req_01jh6xa9cte52a5xjnmnt5y0je"}`,
			ErrorsArray:     true,
		},
		Model:       "llama-3.1-8b-instant",
		New:         func(m string, o ...providers.Option) mirascope.Provider { return groq.New(m, o...) },
		BaseURL:     func(root string) string { return root + "/openai/v1" },
		EnvVars:     []string{"GROQ_API_KEY", "GROQ_BASE_URL"},
		MaxRequests: groq.MaxBatchRequests,
		SetMaxBytes: groq.SetMaxBatchBytes,
		FormatTool:  true,
	})
}
