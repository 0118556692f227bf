package main

import (
	_ "embed"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/litellm"
)

var (
	//go:embed recorded/litellm/call.json
	litellmCall []byte
	//go:embed recorded/litellm/stream.sse
	litellmStream []byte
)

func init() {
	register("litellm", backend{
		model:  "gpt-4o-mini",
		online: func() bool { return os.Getenv("LITELLM_BASE_URL") != "" || os.Getenv("LITELLM_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			return litellm.New("gpt-4o-mini", offline(baseURL)...)
		},
		replay: chatReplay(litellmCall, litellmStream),
	})
}
