package otel_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// DescribeCover is a template placing media with the template specs, one
// field of them redacted.
type DescribeCover struct {
	Cover   prompt.Part   `prompt:"cover"`
	Backs   []prompt.Part `prompt:"backs"`
	Private prompt.Part   `prompt:"private,redact"`
	Genre   string        `prompt:"genre"`
}

func (DescribeCover) Template() string {
	return "Describe this {genre} cover: {cover:image} and its backs {backs:images}, not {private:image}."
}

// TestMediaTemplate: a template's media is recorded in place among its
// texts; its fields as URL, MIME type and size; a redacted media field
// as [REDACTED], its part in the input messages too, its bytes nowhere.
func TestMediaTemplate(t *testing.T) {
	cover, private := image(1000, 11), image(1000, 12)
	h := newHarness(t)
	p := h.traced(mock.New(mock.Text("A ship.")))
	_, err := mirascope.Call(context.Background(), p, DescribeCover{
		Cover:   prompt.ImageData(cover, "image/png"),
		Backs:   []prompt.Part{prompt.ImageURL("https://example.com/back1.png"), prompt.ImageURL("https://example.com/back2.png")},
		Private: prompt.ImageData(private, "image/png"),
		Genre:   "sea",
	})
	require.NoError(t, err)
	s := h.only(t)
	a := attrs(s.Attributes)
	assert.Equal(t, "image/png, 1000 bytes", a["mirascope.prompt.field.cover"].AsString())
	assert.Equal(t, []string{"https://example.com/back1.png", "https://example.com/back2.png"}, a["mirascope.prompt.field.backs"].AsStringSlice())
	assert.Equal(t, prompt.RedactedText, a["mirascope.prompt.field.private"].AsString())
	in := partsOf(t, a["gen_ai.input.messages"])
	require.Len(t, in, 1)
	var kinds []string
	for _, p := range in[0] {
		kinds = append(kinds, p["type"].(string))
	}
	assert.Equal(t, []string{"text", "blob", "text", "uri", "uri", "text", "text", "text"}, kinds)
	assert.Equal(t, "image", in[0][1]["modality"])
	assert.Equal(t, base64.StdEncoding.EncodeToString(cover), in[0][1]["content"])
	assert.Contains(t, in[0], map[string]any{"type": "text", "content": prompt.RedactedText})
	for _, kv := range s.Attributes {
		assert.NotContains(t, kv.Value.String(), base64.StdEncoding.EncodeToString(private)[:40], "%s", kv.Key)
	}
}
