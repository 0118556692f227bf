package main

import (
	_ "embed"
	"encoding/json"
	"io"
	"net/http"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/openai"
)

var (
	//go:embed recorded/openai/call.json
	openaiCall []byte
	//go:embed recorded/openai/stream.sse
	openaiStream []byte
)

func init() {
	register("openai", backend{
		model:  "gpt-4o-mini",
		online: func() bool { return os.Getenv("OPENAI_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			return openai.New("gpt-4o-mini", offline(baseURL)...)
		},
		replay: chatReplay(openaiCall, openaiStream),
	})
}

// offline points an OpenAI-wire provider at the replay server, with a key
// that only the replay server ever sees; online it adds nothing.
func offline(baseURL string) []providers.Option {
	if baseURL == "" {
		return nil
	}
	return []providers.Option{providers.WithBaseURL(baseURL), providers.WithAPIKey("offline-replay")}
}

// chatReplay answers a Chat Completions client with the recorded completion,
// or with the recorded event stream when the request asks to stream.
func chatReplay(call, stream []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Stream bool `json:"stream"`
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		if body.Stream {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = w.Write(stream)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(call)
	})
}
