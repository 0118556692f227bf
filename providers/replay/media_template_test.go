package replay_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
	"github.com/mirascope-go/mirascope/providers/replay"
)

// CoverTemplate places an image and a redacted one with template specs.
type CoverTemplate struct {
	Cover   prompt.Part `prompt:"cover"`
	Private prompt.Part `prompt:"private,redact"`
}

func (CoverTemplate) Template() string { return "Compare {cover:image} with {private:image}." }

// TestMediaTemplateCassette: a template's image is stored by digest, a
// redacted one as [REDACTED]; a changed cover fails, a changed secret
// still matches.
func TestMediaTemplateCassette(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	cover, private := picture(2<<20, 21), picture(2<<20, 22)
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestMediaTemplate")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("Alike."))),
			CoverTemplate{Cover: prompt.ImageData(cover, "image/png"), Private: prompt.ImageData(private, "image/png")})
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestMediaTemplate.json"))
	require.NoError(t, err)
	assert.Less(t, len(file), 4<<10)
	assert.Contains(t, string(file), sha(cover))
	assert.NotContains(t, string(file), sha(private))

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestMediaTemplate")
	play.run(func() {
		p := replay.New(play, mock.New())
		_, err := mirascope.Call(ctx, p, CoverTemplate{Cover: prompt.ImageData(cover, "image/png"), Private: prompt.ImageData(picture(2<<20, 23), "image/png")})
		require.NoError(t, err, "a changed secret still matches")
		_, err = mirascope.Call(ctx, p, CoverTemplate{Cover: prompt.ImageData(other(cover), "image/png"), Private: prompt.ImageData(private, "image/png")})
		assert.ErrorIs(t, err, replay.ErrNotRecorded)
	})
	assert.Contains(t, play.errors(), "+           \"sha256\": \""+sha(other(cover))+"\",")
}
