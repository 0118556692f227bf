package providers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/batch"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/azure"
	"github.com/mirascope-go/mirascope/providers/cohere"
	"github.com/mirascope-go/mirascope/providers/litellm"
	"github.com/mirascope-go/mirascope/providers/xai"
)

type batchAsk struct {
	Q string `prompt:"q" validate:"required"`
}

func (batchAsk) Template() string { return "{q}" }

// A provider whose service has no batch API (Azure's model-inference
// endpoint included) refuses batch.Submit, and batch.Resume or the resumed
// job's every step, with a typed error naming the parameter "batch",
// traced or not, and sends nothing.
func TestBatchRefusedWithoutBatchAPI(t *testing.T) {
	for _, tc := range []struct {
		name string
		new  func(url string) mirascope.Provider
	}{
		{"cohere", func(u string) mirascope.Provider {
			return cohere.New("command-r", providers.WithAPIKey(testSecret), providers.WithBaseURL(u))
		}},
		{"x_ai", func(u string) mirascope.Provider {
			return xai.New("grok-4", providers.WithAPIKey(testSecret), providers.WithBaseURL(u))
		}},
		{"litellm", func(u string) mirascope.Provider {
			return litellm.New("gpt-4o-mini", providers.WithAPIKey(testSecret), providers.WithBaseURL(u))
		}},
		{"azure.ai.inference", func(u string) mirascope.Provider {
			return azure.New("Phi-4", providers.WithAPIKey(testSecret), providers.WithBaseURL(u), azure.WithModelInference())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sent.Add(1)
				w.WriteHeader(http.StatusNotFound)
			}))
			t.Cleanup(srv.Close)
			for _, p := range []mirascope.Provider{tc.new(srv.URL), otel.Traced(tc.new(srv.URL))} {
				_, err := batch.Submit(context.Background(), p, []batchAsk{{"one"}, {"two"}})
				var ue *mirascope.UnsupportedError
				require.ErrorAs(t, err, &ue)
				assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
				assert.Equal(t, "batch", ue.Parameter)
				assert.Equal(t, p.Info().Name, ue.Provider)
				assert.NotEmpty(t, ue.Reason)

				// Resume sends nothing; the job it gives, if any, is refused
				// as soon as it would send.
				job, err := batch.Resume(context.Background(), p, "batch_123")
				if err == nil {
					err = job.Wait(context.Background(), batch.WithPollInterval(time.Millisecond, time.Millisecond))
					require.ErrorAs(t, err, &ue)
					for _, err := range job.Results(context.Background()) {
						require.ErrorAs(t, err, &ue)
					}
					err = job.Cancel(context.Background())
				}
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, "batch", ue.Parameter)
			}
			assert.Zero(t, sent.Load(), "nothing sent")
		})
	}
}
