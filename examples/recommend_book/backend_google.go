package main

import (
	_ "embed"
	"net/http"
	"os"
	"strings"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
)

var (
	//go:embed recorded/google/call.json
	googleCall []byte
	//go:embed recorded/google/stream.sse
	googleStream []byte
)

func init() {
	const model = "gemini-2.0-flash-001"
	register("google", backend{
		model: model,
		online: func() bool {
			return os.Getenv("GEMINI_API_KEY") != "" || os.Getenv("GOOGLE_API_KEY") != ""
		},
		newProvider: func(baseURL string) mirascope.Provider {
			if baseURL == "" {
				return google.New(model)
			}
			return google.New(model, providers.WithBaseURL(baseURL), providers.WithAPIKey("gemini-offline-replay"))
		},
		replay: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ":streamGenerateContent") {
				w.Header().Set("Content-Type", "text/event-stream")
				_, _ = w.Write(googleStream)
				return
			}
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			_, _ = w.Write(googleCall)
		}),
	})
}
