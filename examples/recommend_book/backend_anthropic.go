package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
)

var (
	//go:embed recorded/anthropic/call.json
	anthropicCall []byte
	//go:embed recorded/anthropic/stream.sse
	anthropicStream []byte
)

func init() {
	const model = "claude-3-5-sonnet-20240620"
	register("anthropic", backend{
		model:  model,
		online: func() bool { return os.Getenv("ANTHROPIC_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			if baseURL == "" {
				return anthropic.New(model)
			}
			return anthropic.New(model, providers.WithBaseURL(baseURL), providers.WithAPIKey("sk-ant-offline-replay"))
		},
		replay: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				Stream bool `json:"stream"`
			}
			b, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(b, &body)
			w.Header().Set("request-id", "req_offline_replay")
			if body.Stream {
				w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
				_, _ = w.Write(anthropicStream)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(anthropicCall)
		}),
	})
}
