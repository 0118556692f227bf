package prompt_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

type selfEmbed struct {
	*selfEmbed //lint:ignore U1000 the recursive embedding is what is tested
	X          string
}

func (selfEmbed) Template() string { return "{X}" }

type mutualA struct {
	*mutualB
	X string
}

type mutualB struct {
	*mutualA
	Y string
}

func (mutualA) Template() string { return "{X}" }

type listNode struct {
	Next *listNode `prompt:"next"`
	V    string    `prompt:"v"`
}

type linked struct {
	Head *listNode `prompt:"head"`
}

func (linked) Template() string { return "{head.v}" }

type ping struct{ Pong *pong }
type pong struct{ Ping *ping }

type pingPrompt struct{ P ping }

func (pingPrompt) Template() string { return "hi" }

type embedsItself struct {
	*embedsItself //lint:ignore U1000 the recursive embedding is what is tested
	S             string
}

type holdsEmbedder struct {
	In *embedsItself
}

func (holdsEmbedder) Prompt() string { return "hi" }

// within runs f and fails the test if it does not return in time: the bug
// it guards against is a hang.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not return within %s", d)
	}
}

func TestRecursiveTypesAreInvalid(t *testing.T) {
	tests := []struct {
		name string
		p    any
		want string
	}{
		{"embeds itself", selfEmbed{}, `prompt: selfEmbed.selfEmbed: recursive embedding (selfEmbed → selfEmbed): its promoted fields never end; tag the field prompt:"-"`},
		{"embed each other", &mutualA{}, `prompt: mutualB.mutualA: recursive embedding (mutualA → mutualB → mutualA): its promoted fields never end; tag the field prompt:"-"`},
		{"pointer to itself", linked{}, `prompt: listNode.Next: recursive type: {next} holds a listNode again, so its nested variables never end; tag the field prompt:"-" or hold the values in a slice`},
		{"pointers to each other", pingPrompt{}, `prompt: pong.Ping: recursive type: {Ping} holds a ping again, so its nested variables never end; tag the field prompt:"-" or hold the values in a slice`},
		{"embedding reached through a field", holdsEmbedder{}, `prompt: embedsItself.embedsItself: recursive embedding (embedsItself → embedsItself): its promoted fields never end; tag the field prompt:"-"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			within(t, 5*time.Second, func() {
				for range 2 { // built, then cached: the same error
					err := prompt.Check(tt.p)
					require.ErrorIs(t, err, prompt.ErrInvalidField)
					assert.EqualError(t, err, tt.want)
					_, err = prompt.Render(tt.p)
					require.ErrorIs(t, err, prompt.ErrInvalidField)
					assert.EqualError(t, err, tt.want)
				}
			})
		})
	}
}

type buildsFirst struct {
	*buildsFirst //lint:ignore U1000 the recursive embedding is what is tested
	A            string
}

func (buildsFirst) Prompt() string { return "a" }

type buildsSecond struct{ B string }

func (buildsSecond) Template() string { return "{B}" }

// TestBuildingOneTypeBlocksNoOther renders a recursive type and an unrelated
// one for the first time, at once: neither waits for the other.
func TestBuildingOneTypeBlocksNoOther(t *testing.T) {
	within(t, 5*time.Second, func() {
		errs := make(chan error, 2)
		go func() {
			_, err := prompt.Render(buildsFirst{})
			errs <- err
		}()
		go func() {
			_, err := prompt.Render(buildsSecond{B: "b"})
			errs <- err
		}()
		var got []error
		for range 2 {
			got = append(got, <-errs)
		}
		assert.Contains(t, got, nil)
		for _, err := range got {
			if err != nil {
				assert.ErrorIs(t, err, prompt.ErrInvalidField)
			}
		}
	})
}

type treeNode struct {
	Name string      `prompt:"name"`
	Kids []*treeNode `prompt:"kids"`
}

type treePrompt struct {
	Tree treeNode `prompt:"tree"`
}

func (treePrompt) Template() string { return "{tree.name}: {tree.kids:json}" }

// A type that reaches itself only through a slice is a tree: its variables
// end ({tree.kids} prints as one value), so it is valid.
func TestRecursionThroughSliceIsValid(t *testing.T) {
	require.NoError(t, prompt.Check(treePrompt{}))
	r, err := prompt.Render(treePrompt{Tree: treeNode{Name: "root", Kids: []*treeNode{{Name: "leaf"}}}})
	require.NoError(t, err)
	assert.Equal(t, `root: [{"Name":"leaf","Kids":null}]`, r.Messages[0].Content)
}
