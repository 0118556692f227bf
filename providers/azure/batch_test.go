package azure_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/azure"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
)

// azureBatchAPI is Azure OpenAI's Files + Batch wire (its REST reference,
// api-version 2024-10-21): {endpoint}/openai/files and /openai/batches,
// the key in api-key, each line on /chat/completions naming the
// deployment; completions report the model version and content filter
// results.
var azureBatchAPI = oaitest.BatchAPI{
	Prefix: "/openai",
	Query:  "api-version=2024-10-21",
	CheckAuth: func(h http.Header) bool {
		return h.Get("Api-Key") == oaitest.TestKey && h.Get("Authorization") == ""
	},
	Endpoint:        "/chat/completions",
	Window:          "24h",
	Model:           "gpt-4o-mini-2024-07-18",
	ChoiceExtra:     `"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`,
	CompletionExtra: `"system_fingerprint":"fp_d54531d9eb","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]`,
}

// Over HTTPS through the configured transport, and over plain HTTP on
// loopback, where openai-go dials directly and the provider installs its
// policy as SDK middleware.
func TestBatchWire(t *testing.T) {
	for _, tls := range []bool{true, false} {
		t.Run(map[bool]string{true: "https", false: "loopback http"}[tls], func(t *testing.T) {
			s := batchService()
			s.TLS = tls
			oaitest.RunBatch(t, s)
		})
	}
}

func batchService() oaitest.BatchService {
	return oaitest.BatchService{
		API:         azureBatchAPI,
		Model:       "gpt-4o-mini-batch",
		New:         func(m string, o ...providers.Option) mirascope.Provider { return azure.New(m, o...) },
		BaseURL:     func(root string) string { return root },
		EnvVars:     []string{"AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "OPENAI_API_VERSION"},
		MaxRequests: azure.MaxBatchRequests,
		SetMaxBytes: azure.SetMaxBatchBytes,
	}
}

// The model-inference endpoint has no batch API: refused before any request.
func TestBatchModelInferenceRefused(t *testing.T) {
	f := oaitest.NewFakeBatches(t, azureBatchAPI)
	p := azure.New("Phi-4", azure.WithModelInference(), providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(f.URL))
	ctx := context.Background()
	_, err := batch.Submit(ctx, p, []ask{{"one"}})
	var ue *mirascope.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, azure.NameInference, ue.Provider)
	assert.Equal(t, "batch", ue.Parameter)

	job, err := batch.Resume(ctx, p, "batch_1")
	require.NoError(t, err)
	require.ErrorAs(t, job.Wait(ctx, batch.WithPollInterval(time.Millisecond, time.Millisecond)), &ue)
	require.ErrorAs(t, job.Cancel(ctx), &ue)
	for _, err := range job.Results(ctx) {
		require.ErrorAs(t, err, &ue)
	}
	assert.Zero(t, f.Requests())
}

type ask struct {
	Q string `prompt:"q"`
}

func (ask) Template() string { return "{q}" }
