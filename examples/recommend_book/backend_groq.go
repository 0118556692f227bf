package main

import (
	_ "embed"
	"os"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/groq"
)

var (
	//go:embed recorded/groq/call.json
	groqCall []byte
	//go:embed recorded/groq/stream.sse
	groqStream []byte
)

func init() {
	register("groq", backend{
		model:  "llama-3.3-70b-versatile",
		online: func() bool { return os.Getenv("GROQ_API_KEY") != "" },
		newProvider: func(baseURL string) mirascope.Provider {
			return groq.New("llama-3.3-70b-versatile", offline(baseURL)...)
		},
		replay: chatReplay(groqCall, groqStream),
	})
}
