package replay_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// Two replay providers in one test share its cassette, from many
// goroutines at once, recording and replaying.
func TestTwoProvidersShareOneCassette(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	genres := []string{"fantasy", "scifi", "mystery", "poetry"}
	session := func(tb testing.TB, answer func(string) mirascope.Provider) map[string]string {
		a, b := replay.New(tb, answer("a")), replay.New(tb, answer("b"))
		var mu sync.Mutex
		got := map[string]string{}
		var wg sync.WaitGroup
		for _, g := range genres {
			for name, p := range map[string]mirascope.Provider{"a": a, "b": b} {
				wg.Go(func() {
					s, err := mirascope.Stream(ctx, p, RecommendBook{Genre: g}, mirascope.WithMaxTokens(map[string]int{"a": 100, "b": 200}[name]))
					if !assert.NoError(t, err) {
						return
					}
					for _, err := range s.Chunks() {
						assert.NoError(t, err)
					}
					mu.Lock()
					got[name+"/"+g] = s.Response().Content
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		return got
	}
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestShared")
	var want map[string]string
	rec.run(func() {
		want = session(rec, func(n string) mirascope.Provider { return mock.New(mock.Text("From " + n + ".")) })
	})
	require.Empty(t, rec.errors())
	require.Len(t, want, 8)

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestShared")
	var got map[string]string
	play.run(func() {
		got = session(play, func(string) mirascope.Provider { return mock.New() })
	})
	require.Empty(t, play.errors())
	assert.Equal(t, want, got)
}

// A cancelled context ends a replayed call or stream with the context's
// error, and what it did not replay is still there for the next request.
func TestReplayHonoursCancellation(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestCancel")
	rec.run(func() {
		p := replay.New(rec, mock.New(mock.Text("Try Dune."), mock.Text("Try Dune.")))
		_, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		s, err := mirascope.Stream(context.Background(), p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		for _, err := range s.Chunks() {
			require.NoError(t, err)
		}
	})
	require.Empty(t, rec.errors())

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestCancel")
	play.run(func() {
		p := replay.New(play, mock.New())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := p.Call(ctx, &mirascope.Request{Messages: []prompt.Message{prompt.User("Recommend a scifi book.")}})
		assert.ErrorIs(t, err, context.Canceled)
		resp, err := mirascope.Call(context.Background(), p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err, "the cancelled call used no recording")
		assert.Equal(t, "Try Dune.", resp.Content)

		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		s, err := mirascope.Stream(ctx, p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		var n int
		var last error
		for c, err := range s.Chunks() {
			if err != nil {
				last = err
				break
			}
			n++
			if c.Content == "Try" {
				cancel()
			}
		}
		assert.ErrorIs(t, last, context.Canceled)
		assert.Equal(t, 1, n, "no chunk after the cancel")
	})
	require.Empty(t, play.errors())
}
