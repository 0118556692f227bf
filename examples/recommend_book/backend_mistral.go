package main

import (
	_ "embed"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mistral"
)

var (
	//go:embed recorded/mistral/call.json
	mistralCall []byte
	//go:embed recorded/mistral/stream.sse
	mistralStream []byte
)

func init() {
	register("mistral", backend{
		model:  "mistral-large-latest",
		online: func() bool { return os.Getenv("MISTRAL_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			return mistral.New("mistral-large-latest", offline(baseURL)...)
		},
		replay: chatReplay(mistralCall, mistralStream),
	})
}
