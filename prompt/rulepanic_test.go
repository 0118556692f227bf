package prompt_test

import (
	"errors"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

var errRuleBug = errors.New("rule bug")

func init() {
	// Panics on "boom" only, and on a zero value never (so Check passes).
	if err := prompt.RegisterValidation("panics_on_boom", func(fl validator.FieldLevel) bool {
		if fl.Field().String() == "boom" {
			panic(errRuleBug)
		}
		return true
	}); err != nil {
		panic(err)
	}
	if err := prompt.RegisterValidation("panics_always", func(fl validator.FieldLevel) bool {
		return fl.Field().String()[0] == 'x' // a runtime error on ""
	}); err != nil {
		panic(err)
	}
}

type ruleInner struct {
	Word string `prompt:"word" validate:"panics_on_boom"`
}

type rulePanicPrompt struct {
	Genre string    `prompt:"genre" validate:"panics_on_boom"`
	Inner ruleInner `prompt:"inner"`
}

func (rulePanicPrompt) Template() string { return "Recommend a {genre} book ({inner.word})." }

type zeroPanicPrompt struct {
	Genre string `prompt:"genre" validate:"panics_always"`
}

func (zeroPanicPrompt) Template() string { return "Recommend a {genre} book." }

// A panic in a registered rule is the rule's bug, with its value and stack:
// not a mistyped tag (ErrInvalidField), not a failed value.
func TestRulePanicIsTyped(t *testing.T) {
	_, err := prompt.Render(rulePanicPrompt{Genre: "boom"})
	var rp *prompt.RulePanicError
	require.ErrorAs(t, err, &rp)
	assert.NotErrorIs(t, err, prompt.ErrInvalidField)
	assert.NotErrorIs(t, err, prompt.ErrValidation)
	assert.ErrorIs(t, err, errRuleBug, "the panic value is reachable")
	assert.Equal(t, "panics_on_boom", rp.Rule)
	assert.Equal(t, "rulePanicPrompt.Genre", rp.Field)
	assert.Contains(t, string(rp.Stack), "rulepanic_test.go", "the stack reaches the rule")
	assert.EqualError(t, err, `prompt: validate rule "panics_on_boom" panicked on rulePanicPrompt.Genre: rule bug`)

	_, err = prompt.Render(rulePanicPrompt{Genre: "fantasy", Inner: ruleInner{Word: "boom"}})
	require.ErrorAs(t, err, &rp)
	assert.Equal(t, "ruleInner.Word", rp.Field, "a nested struct's field")

	_, err = prompt.Render(&zeroPanicPrompt{})
	require.ErrorAs(t, err, &rp)
	var re interface{ RuntimeError() }
	assert.ErrorAs(t, err, &re, "a runtime error is reachable")

	r, err := prompt.Render(rulePanicPrompt{Genre: "fantasy", Inner: ruleInner{Word: "x"}})
	require.NoError(t, err, "the validator is still usable after a panic")
	assert.Equal(t, "Recommend a fantasy book (x).", r.Messages[0].Content)
}

// Check looks at rules' names, not their behaviour on a zero value.
func TestCheckIgnoresRulePanic(t *testing.T) {
	require.NoError(t, prompt.Check(zeroPanicPrompt{}))
	require.NoError(t, prompt.Check(rulePanicPrompt{Genre: "boom"}))
}
