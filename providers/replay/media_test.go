package replay_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
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

// picture returns n bytes of a PNG-looking image whose bytes differ by seed.
func picture(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Scan is a messages-style prompt with an image and a redacted one.
type Scan struct {
	Page    prompt.Part `prompt:"page"`
	Private prompt.Part `prompt:"private,redact"`
}

func (s Scan) Messages() []prompt.Message {
	return []prompt.Message{prompt.UserParts(prompt.Text("Read these."), s.Page, s.Private)}
}

// TestMediaCassette: a 2 MB image makes a cassette of a few KB (its
// SHA-256, size and MIME type, never its bytes); the same image replays; a
// changed one fails with a diff naming the digests.
func TestMediaCassette(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	img := picture(2<<20, 1)
	request := func(img []byte) []prompt.Message {
		return []prompt.Message{prompt.UserParts(
			prompt.Text("What is in these?"),
			prompt.ImageData(img, "image/png"),
			prompt.ImageURL("https://example.com/a.png"),
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaDocument, FileID: "file-abc123"}},
			prompt.Part{Media: &prompt.Media{Kind: prompt.MediaImage, URL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(img[:3000]), Detail: "low"}},
		)}
	}
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestMedia")
	rec.run(func() {
		resp, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("Two cats."))), Conversation{request(img)})
		require.NoError(t, err)
		assert.Equal(t, "Two cats.", resp.Content)
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestMedia.json"))
	require.NoError(t, err)
	assert.Less(t, len(file), 4<<10, "a cassette of a few KB")
	assert.Contains(t, string(file), `"sha256": "`+sha(img)+`"`)
	assert.Contains(t, string(file), `"size": 2097152`)
	assert.Contains(t, string(file), `"mime_type": "image/png"`)
	assert.Contains(t, string(file), `"url": "https://example.com/a.png"`)
	assert.Contains(t, string(file), `"file_id": "file-abc123"`)
	assert.Contains(t, string(file), `"url": "data:image/png;base64,"`)
	assert.Contains(t, string(file), `"size": 4000`, "a data: URL's payload by digest")
	assert.NotContains(t, string(file), base64.StdEncoding.EncodeToString(img[:30]))

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestMedia")
	play.run(func() {
		p := replay.New(play, mock.New())
		resp, err := mirascope.Call(ctx, p, Conversation{request(bytes.Clone(img))})
		require.NoError(t, err, "the same bytes, elsewhere in memory, match")
		assert.Equal(t, "Two cats.", resp.Content)

		_, err = mirascope.Call(ctx, p, Conversation{request(other(img))})
		assert.ErrorIs(t, err, replay.ErrNotRecorded)
	})
	msg := play.errors()
	assert.Contains(t, msg, "\n-           \"sha256\": \""+sha(img)+"\",\n+           \"sha256\": \""+sha(other(img))+"\",\n")
	assert.Less(t, len(msg), 4<<10)
}

func other(img []byte) []byte {
	o := bytes.Clone(img)
	o[len(o)/2] ^= 1
	return o
}

// TestMediaAnswerReplays: media in an answer is stored whole, so replaying
// gives its bytes back.
func TestMediaAnswerReplays(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	img := picture(500, 2)
	answer := &mirascope.Response{Message: prompt.Message{Role: prompt.RoleAssistant,
		Parts: []prompt.Part{prompt.Text("Here it is:"), prompt.ImageData(img, "image/png")}}}
	q := Conversation{[]prompt.Message{prompt.User("Draw a cat.")}}
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestMediaAnswer")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Respond(answer))), q)
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestMediaAnswer")
	play.run(func() {
		resp, err := mirascope.Call(ctx, replay.New(play, mock.New()), q)
		require.NoError(t, err)
		assert.Equal(t, answer.Message.Parts, resp.Message.Parts)
	})
	require.Empty(t, play.errors())
}

// TestRedactedMediaNeverReachesTheFile: a redacted field's image is
// recorded as [REDACTED], not even by digest, and a changed secret image
// still matches.
func TestRedactedMediaNeverReachesTheFile(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	page, private := picture(3000, 3), picture(3000, 4)
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestRedactedMedia")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("Read."))),
			Scan{Page: prompt.ImageData(page, "image/png"), Private: prompt.ImageData(private, "image/png")})
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestRedactedMedia.json"))
	require.NoError(t, err)
	assert.Contains(t, string(file), sha(page))
	assert.NotContains(t, string(file), sha(private))
	assert.Contains(t, string(file), `"text": "[REDACTED]"`)

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestRedactedMedia")
	play.run(func() {
		_, err := mirascope.Call(ctx, replay.New(play, mock.New()),
			Scan{Page: prompt.ImageData(page, "image/png"), Private: prompt.ImageData(picture(3000, 5), "image/png")})
		require.NoError(t, err)
	})
	require.Empty(t, play.errors())
}

// TestSignedURLsInCassettes: a signed URL is stored with its signature
// masked, and the same object signed again matches.
func TestSignedURLsInCassettes(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	url := func(sig string) Conversation {
		return Conversation{[]prompt.Message{prompt.UserParts(prompt.Text("Read."),
			prompt.ImageURL("https://storage.googleapis.com/b/scan.png?X-Goog-Signature="+sig))}}
	}
	t.Setenv(replay.EnvRecord, "1")
	rec := newFake(t, "TestSignedURL")
	rec.run(func() {
		_, err := mirascope.Call(ctx, replay.New(rec, mock.New(mock.Text("Read."))), url("c2lnbmF0dXJlLW9uZQ"))
		require.NoError(t, err)
	})
	require.Empty(t, rec.errors())
	file, err := os.ReadFile(filepath.Join("testdata", "replay", "TestSignedURL.json"))
	require.NoError(t, err)
	assert.NotContains(t, string(file), "c2lnbmF0dXJlLW9uZQ")
	assert.Contains(t, string(file), `"url": "https://storage.googleapis.com/b/scan.png?X-Goog-Signature=[REDACTED]"`)

	t.Setenv(replay.EnvRecord, "")
	play := newFake(t, "TestSignedURL")
	play.run(func() {
		_, err := mirascope.Call(ctx, replay.New(play, mock.New()), url("c2lnbmF0dXJlLXR3bw"))
		require.NoError(t, err)
	})
	require.Empty(t, play.errors())
}
