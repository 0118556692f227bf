package openai_test

import (
	"context"
	"testing"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/internal/oaicompat/oaitest"
	"github.com/mirascope-go/mirascope/providers/openai"
)

type recommendBook struct {
	Genre string `prompt:"genre" validate:"required"`
}

func (r recommendBook) Prompt() string { return "Recommend a " + r.Genre + " book." }

// BenchmarkCallOpenAI compares mirascope.Call through this provider with the
// same request made by hand with the raw openai-go client, both against one
// local server: the difference is the library's own cost.
func BenchmarkCallOpenAI(b *testing.B) {
	srv := oaitest.NewServer(b, false, oaitest.JSON(200, nil, oaitest.Fixture(b, "../../testdata/openai", "call.json")))
	ctx := context.Background()

	b.Run("mirascope", func(b *testing.B) {
		p := openai.New("gpt-4o-mini", providers.WithAPIKey(oaitest.TestKey), providers.WithBaseURL(srv.URL))
		b.ReportAllocs()
		for b.Loop() {
			resp, err := mirascope.Call(ctx, p, recommendBook{Genre: "fantasy"})
			if err != nil || resp.Content == "" {
				b.Fatal(err)
			}
		}
	})
	raw := func(b *testing.B, deadline bool) {
		client := oai.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey(oaitest.TestKey))
		b.ReportAllocs()
		for b.Loop() {
			ctx, cancel := ctx, context.CancelFunc(func() {})
			if deadline {
				// What the provider does with providers.DefaultTimeout: a
				// context with a deadline makes net/http watch it.
				ctx, cancel = context.WithTimeout(ctx, providers.DefaultTimeout)
			}
			resp, err := client.Chat.Completions.New(ctx, oai.ChatCompletionNewParams{
				Model:    "gpt-4o-mini",
				Messages: []oai.ChatCompletionMessageParamUnion{oai.UserMessage("Recommend a " + "fantasy" + " book.")},
			})
			cancel()
			if err != nil || len(resp.Choices) == 0 || resp.Choices[0].Message.Content == "" {
				b.Fatal(err)
			}
		}
	}
	b.Run("raw", func(b *testing.B) { raw(b, false) })
	b.Run("raw+deadline", func(b *testing.B) { raw(b, true) })
}
