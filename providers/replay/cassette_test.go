package replay_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/otel"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// These tests replay the cassettes committed in testdata/replay, as a
// user's tests do; MIRASCOPE_RECORD=1 records them again from the mock.

func recordingAll() bool { return os.Getenv(replay.EnvRecord) == "1" }

func TestParallelSubtests(t *testing.T) {
	for _, genre := range []string{"fantasy", "scifi", "mystery"} {
		t.Run(genre, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			m := mock.New(mock.Text("A " + genre + " pick for you."))
			p := replay.New(t, m)

			resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: genre})
			require.NoError(t, err)
			assert.Equal(t, "A "+genre+" pick for you.", resp.Content)

			s, err := mirascope.Stream(ctx, p, RecommendBook{Genre: genre})
			require.NoError(t, err)
			var pieces []string
			for c, err := range s.Chunks() {
				require.NoError(t, err)
				pieces = append(pieces, c.Content)
			}
			assert.Equal(t, []string{"A", " " + genre, " pick", " for", " you."}, pieces)
			assert.Equal(t, []string{"stop"}, s.Response().FinishReasons)

			if !recordingAll() {
				assert.Empty(t, m.Requests(), "replaying never calls the wrapped provider")
			}
		})
	}
}

func TestUnderTraced(t *testing.T) {
	ctx := context.Background()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))

	t.Run("traced replay", func(t *testing.T) {
		p := otel.Traced(replay.New(t, mock.New(mock.Text("Try Dune."))), otel.WithTracerProvider(tp))
		resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		assert.Equal(t, "Try Dune.", resp.Content)
		spans := sr.Ended()
		require.NotEmpty(t, spans)
		span := spans[len(spans)-1]
		assert.Equal(t, "RecommendBook", span.Name())
		attrs := map[string]string{}
		for _, kv := range span.Attributes() {
			attrs[string(kv.Key)] = kv.Value.String()
		}
		assert.Equal(t, "scifi", attrs["mirascope.prompt.field.genre"])
		assert.Equal(t, `["stop"]`, attrs["gen_ai.response.finish_reasons"])
	})

	t.Run("replayed tracer", func(t *testing.T) {
		before := len(sr.Ended())
		m := mock.New(mock.Text("Try Dune."))
		p := replay.New(t, otel.Traced(m, otel.WithTracerProvider(tp)))
		resp, err := mirascope.Call(ctx, p, RecommendBook{Genre: "scifi"})
		require.NoError(t, err)
		assert.Equal(t, "Try Dune.", resp.Content)
		if !recordingAll() {
			assert.Len(t, sr.Ended(), before, "replaying calls nothing it wraps, tracer included")
		}
	})
}

type authorArgs struct {
	Title string `json:"title" validate:"required"`
}

type WhoWrote struct {
	Title string `prompt:"title"`
}

func (WhoWrote) Template() string { return "Who wrote {title}?" }

func TestToolLoopReplaysTurnByTurn(t *testing.T) {
	ctx := context.Background()
	var looked []string
	author := mirascope.NewTool("get_author", "Returns the author of a book",
		func(ctx context.Context, in authorArgs) (string, error) {
			looked = append(looked, in.Title)
			return "Frank Herbert", nil
		})
	m := mock.New(mock.ToolCalls(mock.ToolCall("get_author", authorArgs{Title: "Dune"})), mock.Text("Dune was written by Frank Herbert."))
	tr, err := mirascope.Run(ctx, replay.New(t, m), WhoWrote{Title: "Dune"}, mirascope.WithTools(author))
	require.NoError(t, err)
	assert.Equal(t, "Dune was written by Frank Herbert.", tr.Response.Content)
	assert.Equal(t, 2, tr.Turns)
	assert.Equal(t, []string{"Dune"}, looked, "the tool runs for real; only the model is replayed")
	require.Len(t, tr.Messages, 4)
	assert.Equal(t, "Frank Herbert", tr.Messages[2].Content)
	if !recordingAll() {
		assert.Empty(t, m.Requests())
	}
}
