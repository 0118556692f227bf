package replay_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// KeyPrompt builds its text in a method, so only the scrubber can mask it.
type KeyPrompt struct {
	Key string `prompt:"key,redact"`
}

func (p KeyPrompt) Prompt() string { return "Use key " + p.Key }

// CredsPrompt hides its secret in a nested struct, from encoding/json too.
type CredsPrompt struct {
	Creds creds `prompt:"creds"`
}
type creds struct {
	User  string `prompt:"user"`
	Token string `json:"-" prompt:"token,redact"`
}

func (p CredsPrompt) Messages() []prompt.Message {
	return []prompt.Message{prompt.System("token " + p.Creds.Token), prompt.User("hi " + p.Creds.User)}
}

// echo answers with the first message's text, in the content, in a tool
// call's arguments (JSON-escaped) or in an error, as a model echoing a
// secret would.
type echo struct{ err bool }

func (echo) Info() mirascope.ProviderInfo { return mirascope.ProviderInfo{Name: "openai", Model: "m"} }
func (e echo) Call(_ context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	text := req.Messages[0].Content
	args, _ := json.Marshal(map[string]string{"q": text})
	if e.err {
		return nil, &mirascope.ProviderError{Provider: "openai", StatusCode: 400, Message: "bad: " + text, Err: errors.New("cause " + text)}
	}
	tc := prompt.ToolCall{ID: "c1", Name: "lookup", Arguments: string(args)}
	return &mirascope.Response{Content: text, ToolCalls: []prompt.ToolCall{tc}, Message: prompt.Message{Role: prompt.RoleAssistant, Content: text, ToolCalls: []prompt.ToolCall{tc}}}, nil
}

func TestRedactedValuesHideNowhere(t *testing.T) {
	const quoted = `sk-"quoted"\back<t>é`
	for _, tc := range []struct {
		name   string
		p      any
		secret string
		err    bool
	}{
		{"Prompt method, escaped in tool arguments", KeyPrompt{Key: quoted}, quoted, false},
		{"Prompt method, echoed in an error", KeyPrompt{Key: quoted}, quoted, true},
		{"Messages method, nested json:\"-\" field", CredsPrompt{Creds: creds{User: "bob", Token: "tok-hidden-1"}}, "tok-hidden-1", false},
		{"Messages method, nested, echoed in an error", CredsPrompt{Creds: creds{User: "bob", Token: "tok-hidden-1"}}, "tok-hidden-1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			t.Setenv(replay.EnvRecord, "1")
			rec := newFake(t, "TestP")
			rec.run(func() {
				_, err := mirascope.Call(context.Background(), replay.New(rec, echo{tc.err}), tc.p)
				assert.Equal(t, tc.err, err != nil)
			})
			require.Empty(t, rec.errors())
			file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestP.json"))
			require.NoError(t, err)
			assert.NotContains(t, string(file), tc.secret)
			assertNoSecret(t, file, tc.secret)
		})
	}
}

// assertNoSecret fails if secret is in any string of the JSON document b,
// or of a JSON document such a string holds (a tool call's arguments).
func assertNoSecret(t *testing.T, b []byte, secret string) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			assert.NotContains(t, x, secret)
			var inner any
			if json.Unmarshal([]byte(x), &inner) == nil {
				walk(inner)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				assert.NotContains(t, k, secret)
				walk(e)
			}
		}
	}
	walk(v)
}

// slowEcho fails with the first message's text once its context ends.
type slowEcho struct{ echo }

func (slowEcho) Call(ctx context.Context, req *mirascope.Request) (*mirascope.Response, error) {
	<-ctx.Done()
	return nil, fmt.Errorf("gave up on %q: %w", req.Messages[0].Content, ctx.Err())
}

// The note that a cancelled call was not recorded does not repeat a
// secret its error echoes.
func TestCancelledRecordingLogsNoSecret(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestLog")
	rec.run(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		_, err := mirascope.Call(ctx, replay.New(rec, slowEcho{}), KeyPrompt{Key: "sk-hidden-in-logs"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	require.Empty(t, rec.errors())
	require.NotEmpty(t, rec.logs)
	assert.Equal(t, `replay: not recording a call cut short by its context: gave up on "Use key [REDACTED]": context deadline exceeded`, siteless(rec.logs[0]))
}
