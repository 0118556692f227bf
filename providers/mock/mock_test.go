package mock_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

func req(content string) *mirascope.Request {
	return &mirascope.Request{Messages: []prompt.Message{prompt.User(content)}}
}

func TestRepliesInOrderLastRepeats(t *testing.T) {
	boom := errors.New("boom")
	p := mock.New(mock.Text("one"), mock.Fail(boom), mock.Respond(&mirascope.Response{Content: "three", ID: "x"}))
	ctx := context.Background()
	r, err := p.Call(ctx, req("a"))
	require.NoError(t, err)
	assert.Equal(t, "one", r.Content)
	_, err = p.Call(ctx, req("b"))
	assert.ErrorIs(t, err, boom)
	for range 2 {
		r, err = p.Call(ctx, req("c"))
		require.NoError(t, err)
		assert.Equal(t, "three", r.Content)
		assert.Equal(t, "x", r.ID)
	}
	assert.Len(t, p.Requests(), 4)
	p.Reset()
	assert.Empty(t, p.Requests())
}

func TestNoReplies(t *testing.T) {
	_, err := mock.New().Call(context.Background(), req("a"))
	assert.ErrorIs(t, err, mock.ErrNoReplies)
}

func TestRequestsAreCopies(t *testing.T) {
	p := mock.New(mock.Text("ok"))
	r := req("original")
	_, err := p.Call(context.Background(), r)
	require.NoError(t, err)
	r.Messages[0].Content = "changed"
	assert.Equal(t, "original", p.Requests()[0].Messages[0].Content)
}

func TestInfo(t *testing.T) {
	p := mock.New(mock.Text("ok"))
	assert.Equal(t, mirascope.ProviderInfo{Name: "mock", Model: "mock-model"}, p.Info())
	p.SetInfo(mirascope.ProviderInfo{Name: "openai", Model: "gpt-4o-mini", ServerAddress: "api.openai.com", ServerPort: 443})
	r, err := p.Call(context.Background(), req("a"))
	require.NoError(t, err)
	assert.Equal(t, "gpt-4o-mini", r.Model)
}

func TestConcurrentUse(t *testing.T) {
	p := mock.New(mock.Text("a b c"))
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for _, err := range p.Stream(context.Background(), req("x")) {
				if err != nil {
					t.Error(err)
				}
			}
			if _, err := p.Call(context.Background(), req("y")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	assert.Len(t, p.Requests(), 100)
}

// TestRequestsRecordParts: a request's parts and media are recorded as
// they were when the call was made, whatever the caller does afterwards
// with its slices and buffers.
func TestRequestsRecordParts(t *testing.T) {
	p := mock.New(mock.Text("a cat"))
	img := []byte("\x89PNG\r\n\x1a\nfirst image")
	parts := []prompt.Part{prompt.Text("What is this?"), prompt.ImageData(img, "image/png"), prompt.ImageURL("https://example.com/a.png")}
	msgs := []prompt.Message{prompt.UserParts(parts...)}
	_, err := p.Call(context.Background(), &mirascope.Request{Messages: msgs})
	require.NoError(t, err)
	for _, err := range p.Stream(context.Background(), &mirascope.Request{Messages: msgs}) {
		require.NoError(t, err)
	}

	want := []prompt.Part{prompt.Text("What is this?"), prompt.ImageData(bytes.Clone(img), "image/png"), prompt.ImageURL("https://example.com/a.png")}
	// The caller reuses everything.
	copy(img, "overwritten!")
	msgs[0].Parts[0] = prompt.Text("changed")
	msgs[0].Parts[2].Media.URL = "https://example.com/b.png"
	msgs[0].Parts = append(msgs[0].Parts, prompt.Text("more"))

	got := p.Requests()
	require.Len(t, got, 2)
	for _, r := range got {
		assert.Equal(t, want, r.Messages[0].Parts)
	}
}
