package secrets_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/internal/secrets"
	"github.com/mirascope-go/mirascope/internal/secrets/secretstest"
)

func TestMaskCredentialsShapes(t *testing.T) {
	for _, s := range secretstest.Shapes {
		got := secrets.MaskCredentials(s.Text)
		assert.NotContains(t, got, s.Credential, s.Name)
		assert.Contains(t, got, secrets.Redacted, s.Name)
		assert.Equal(t, got, secrets.MaskCredentials(got), "%s: masking is idempotent", s.Name)
	}
}

func TestMaskCredentialsLeavesText(t *testing.T) {
	for _, s := range []string{
		"the bearer of bad news",
		"rate limit exceeded for task-0123456789abcdefghij",
		"status 500: internal error",
		"monkey=banana", // key= only as a query parameter
		"",
	} {
		assert.Equal(t, s, secrets.MaskCredentials(s))
	}
}

func TestMaskerForms(t *testing.T) {
	const v = `sk-"quoted"\back<t>é`
	m := secrets.NewMasker(v, "abc", "") // "abc" is shorter than MinLen
	for _, text := range []string{
		"plain " + v,
		`json {"k":"sk-\"quoted\"\\back<t>é"}`,
		`html json {"k":"sk-\"quoted\"\\back\u003ct\u003eé"}`,
		fmt.Sprintf("go %q", v),
	} {
		got := m.Mask(text)
		assert.NotContains(t, got, `quoted`, text)
		assert.Contains(t, got, secrets.Redacted, text)
	}
	assert.Equal(t, "abc stays", m.Mask("abc stays"))
	var nilM *secrets.Masker
	assert.Equal(t, "x", nilM.Mask("x"))
	assert.True(t, nilM.Empty())
}

// A value holding another is masked whole, whatever the order they came in.
func TestMaskerLongestFirst(t *testing.T) {
	m := secrets.NewMasker("secret", "secret-and-more")
	assert.Equal(t, "[REDACTED]!", m.Mask("secret-and-more!"))
}

type stringer struct{ s string }

func (s stringer) String() string { return "str:" + s.s }

type node struct {
	Name string
	Next *node
	Map  map[string]any
	skip string
}

func TestLeaves(t *testing.T) {
	n := &node{Name: "a", Map: map[string]any{"key": 42, "t": time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, skip: "unexported"}
	n.Next = n // a cycle ends
	got := secrets.Leaves(struct {
		N   *node
		S   stringer
		E   error
		B   []byte
		F   float64
		Tag string `json:"-"`
	}{n, stringer{"x"}, errors.New("boom"), []byte("bytes"), 1e21, "hidden"})
	for _, want := range []string{"a", "key", "42", "2024-01-02T03:04:05Z", "str:x", "boom", "bytes", "1e+21", "hidden"} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, strings.Join(got, "|"), "unexported")
}

type panicky struct{}

func (*panicky) String() string { panic("no") }

func TestLeavesSurvivesPanickingMethods(t *testing.T) {
	assert.NotPanics(t, func() { secrets.Leaves(struct{ P *panicky }{&panicky{}}) })
}
