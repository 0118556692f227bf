package anthropic_test

import (
	"context"
	"testing"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/anthropic"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const (
	testKey   = "sk-ant-test-key"
	testModel = "claude-3-5-sonnet-20240620"
)

// recommend is a prompt in the Texter style.
type recommend struct{ Genre string }

func (r recommend) Prompt() string { return "Recommend a " + r.Genre + " book." }

// librarian is a prompt in the Messager style.
type librarian struct{ Genre string }

func (l librarian) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("You are a librarian."), prompt.User("Recommend a " + l.Genre + " book.")}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return replaytest.Fixture(t, "anthropic", name)
}

// replay answers as the Messages API does.
var replay = replaytest.Responder{
	StreamHeader: map[string]string{
		"Content-Type":  "text/event-stream; charset=utf-8",
		"Cache-Control": "no-cache",
		"request-id":    "req_011CStream",
	},
}

func newProvider(s *replaytest.Server, opts ...providers.Option) *anthropic.Provider {
	base := []providers.Option{providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), providers.WithMaxRetries(0)}
	return anthropic.New(testModel, append(base, opts...)...)
}

var bg = context.Background()
