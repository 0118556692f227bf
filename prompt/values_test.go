package prompt_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

type secretNode struct {
	Name  string        `prompt:"name"`
	Token string        `prompt:"token,redact"`
	Kids  []*secretNode `prompt:"kids"`
}

// cyclicRedact has a redacted field and a cyclic one its template does not
// use: a tracer's masking used to recurse for ever on it.
type cyclicRedact struct {
	Key  string      `prompt:"key,redact"`
	Tree *secretNode `prompt:"tree"`
}

func (cyclicRedact) Template() string { return "key {key}" }

type plainNode struct {
	Name string       `validate:"required"`
	Kids []*plainNode `validate:"dive"`
}

// cyclicValidated is validated: the validator recurses into Tree.Kids.
type cyclicValidated struct {
	Genre string     `validate:"required"`
	Tree  *plainNode `prompt:"-"`
}

func (cyclicValidated) Prompt() string { return "hi" }

type loop struct{ Self any }

// cyclicAny holds a cycle through interfaces, which the validator follows
// into structs.
type cyclicAny struct {
	Genre string `validate:"required"`
	Any   any    `prompt:"-"`
}

func (cyclicAny) Prompt() string { return "hi" }

type cyclicJSON struct {
	Tree *treeNode `prompt:"tree"`
}

func (cyclicJSON) Template() string { return "{tree:json}" }

type cyclicList struct {
	Items []any `prompt:"items"`
}

func (cyclicList) Template() string { return "{items}" }

// TestCyclicValuesAreErrors: a cyclic value is an error wherever it would
// be walked (masking, validation, rendering), never a stack overflow.
func TestCyclicValuesAreErrors(t *testing.T) {
	sn := &secretNode{Name: "root", Token: "sk-1"}
	sn.Kids = []*secretNode{sn}
	pn := &plainNode{Name: "root"}
	pn.Kids = []*plainNode{pn, pn}
	tn := &treeNode{Name: "root"}
	tn.Kids = []*treeNode{tn}
	l := &loop{}
	l.Self = l
	items := []any{"a", nil}
	items[1] = items
	deepTree := &treeNode{Name: "leaf"}
	for range 300 {
		deepTree = &treeNode{Name: "n", Kids: []*treeNode{deepTree}}
	}

	const deep = "value nested more than 256 levels deep, or cyclic: break the cycle or tag the field "
	tests := []struct {
		name string
		p    any
		want string
	}{
		{"masked for a tracer", cyclicRedact{Key: "k", Tree: sn}, `prompt: cyclicRedact.Tree: ` + deep + `prompt:"-"`},
		{"validated through dive", cyclicValidated{Genre: "g", Tree: pn}, `prompt: cyclicValidated.Tree: ` + deep + `validate:"-"`},
		{"validated through an interface", cyclicAny{Genre: "g", Any: l}, `prompt: cyclicAny.Any: ` + deep + `validate:"-"`},
		{"rendered as json", cyclicJSON{Tree: tn}, `prompt: cyclicJSON.Tree: ` + deep + `prompt:"-"`},
		{"rendered as a list", cyclicList{Items: items}, `prompt: cyclicList.Items: ` + deep + `prompt:"-"`},
		{"finite but deeper than 256", cyclicJSON{Tree: deepTree}, `prompt: cyclicJSON.Tree: ` + deep + `prompt:"-"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := prompt.Render(tt.p)
			require.ErrorIs(t, err, prompt.ErrInvalidValue)
			assert.EqualError(t, err, tt.want)
			assert.NotContains(t, err.Error(), "sk-1")
		})
	}
}

func TestDeepButFiniteValueRenders(t *testing.T) {
	n := &treeNode{Name: "leaf"}
	for range 20 {
		n = &treeNode{Name: "n", Kids: []*treeNode{n}}
	}
	r, err := prompt.Render(cyclicJSON{Tree: n})
	require.NoError(t, err)
	assert.Contains(t, r.Messages[0].Content, `"Name":"leaf"`)
}
