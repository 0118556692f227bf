package main

import (
	_ "embed"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/azure"
)

var (
	//go:embed recorded/azure/call.json
	azureCall []byte
	//go:embed recorded/azure/stream.sse
	azureStream []byte
)

func init() {
	register("azure", backend{
		model: "gpt-4o-mini",
		online: func() bool {
			return os.Getenv("AZURE_OPENAI_API_KEY") != "" && os.Getenv("AZURE_OPENAI_ENDPOINT") != ""
		},
		newProvider: func(baseURL string) mirascope.Provider {
			return azure.New("gpt-4o-mini", offline(baseURL)...)
		},
		replay: chatReplay(azureCall, azureStream),
	})
}
