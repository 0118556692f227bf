package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/cohere"
)

var (
	//go:embed recorded/cohere/call.json
	cohereCall []byte
	//go:embed recorded/cohere/stream.sse
	cohereStream []byte
)

func init() {
	register("cohere", backend{
		model:  "command-a-03-2025",
		online: func() bool { return os.Getenv("CO_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			if baseURL == "" {
				return cohere.New("command-a-03-2025")
			}
			return cohere.New("command-a-03-2025", providers.WithBaseURL(baseURL), providers.WithAPIKey("co-offline-replay"))
		},
		replay: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				Stream bool `json:"stream"`
			}
			b, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(b, &body)
			if body.Stream {
				w.Header().Set("Content-Type", "text/event-stream")
				_, _ = w.Write(cohereStream)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(cohereCall)
		}),
	})
}
