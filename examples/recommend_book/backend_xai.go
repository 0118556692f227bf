package main

import (
	_ "embed"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/xai"
)

var (
	//go:embed recorded/xai/call.json
	xaiCall []byte
	//go:embed recorded/xai/stream.sse
	xaiStream []byte
)

func init() {
	register("xai", backend{
		model:  "grok-3-mini",
		online: func() bool { return os.Getenv("XAI_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			return xai.New("grok-3-mini", offline(baseURL)...)
		},
		replay: chatReplay(xaiCall, xaiStream),
	})
}
