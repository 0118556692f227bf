package google_test

import (
	"context"
	"testing"

	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers"
	"github.com/mirascope-go/mirascope/providers/google"
	"github.com/mirascope-go/mirascope/providers/internal/replaytest"
)

const (
	testKey   = "gemini-test-key-123"
	testModel = "gemini-2.0-flash-001"
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
	return replaytest.Fixture(t, "google", name)
}

// replay answers as the Gemini API does.
var replay = replaytest.Responder{
	Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	StreamHeader: map[string]string{
		"Content-Type": "text/event-stream",
		"X-Request-Id": "goog-req-stream",
	},
}

func newProvider(s *replaytest.Server, opts ...providers.Option) *google.Provider {
	base := []providers.Option{providers.WithAPIKey(testKey), providers.WithBaseURL(s.URL), providers.WithMaxRetries(0)}
	return google.New(testModel, append(base, opts...)...)
}

var bg = context.Background()
