package mirascope_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/prompt"
	"github.com/mirascope-go/mirascope/providers/mock"
)

var errTitleRule = errors.New("title rule bug")

func init() {
	// Panics on "boom"; a zero value passes (as the tag probe sees it).
	if err := prompt.RegisterValidation("root_panics_on_boom", func(fl validator.FieldLevel) bool {
		if fl.Field().String() == "boom" {
			panic(errTitleRule)
		}
		return true
	}); err != nil {
		panic(err)
	}
	// Panics on the zero value: still no tag mistake.
	if err := prompt.RegisterValidation("root_panics_on_empty", func(fl validator.FieldLevel) bool {
		return fl.Field().String()[0] != 'x'
	}); err != nil {
		panic(err)
	}
}

type RuleTitle struct {
	Title string `json:"title" validate:"root_panics_on_boom"`
}

type EmptyRuleTitle struct {
	Title string `json:"title" validate:"root_panics_on_empty"`
}

type RulePrompt struct {
	Genre string `prompt:"genre" validate:"root_panics_on_boom"`
}

func (RulePrompt) Template() string { return "Recommend a {genre} book." }

// A panic in a custom rule is the program's bug: returned at once as a
// *prompt.RulePanicError with its value and stack, never re-asked and
// never taken for a mistyped tag.
func TestExtractRulePanic(t *testing.T) {
	ctx := context.Background()
	p := mock.New(mock.Text(`{"title":"boom"}`), mock.Text(`{"title":"fine"}`))
	_, resp, err := mirascope.Extract[RuleTitle](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(2))
	var rp *prompt.RulePanicError
	require.ErrorAs(t, err, &rp)
	assert.ErrorIs(t, err, errTitleRule)
	assert.NotErrorIs(t, err, prompt.ErrInvalidField)
	assert.Equal(t, "root_panics_on_boom", rp.Rule)
	assert.Equal(t, "RuleTitle.Title", rp.Field)
	assert.Contains(t, string(rp.Stack), "rulepanic_test.go")
	assert.Len(t, p.Requests(), 1, "not asked again")
	assert.Equal(t, `{"title":"boom"}`, resp.Content)
	var xe *mirascope.ExtractError
	assert.False(t, errors.As(err, &xe))

	s, err := mirascope.StreamExtract[RuleTitle](ctx, mock.New(mock.Text(`{"title":"boom"}`)), AskLibrarian{"x"})
	require.NoError(t, err)
	_, _, err = s.Result()
	require.ErrorAs(t, err, &rp)

	// The probe over a zero value does not turn the rule's panic into a
	// tag error: the call is made, and a real value is checked.
	p = mock.New(mock.Text(`{"title":"fine"}`))
	v, _, err := mirascope.Extract[EmptyRuleTitle](ctx, p, AskLibrarian{"x"})
	require.NoError(t, err)
	assert.Equal(t, "fine", v.Title)
	p = mock.New(mock.Text(`{"title":""}`))
	_, _, err = mirascope.Extract[EmptyRuleTitle](ctx, p, AskLibrarian{"x"}, mirascope.WithMaxReasks(2))
	require.ErrorAs(t, err, &rp)
	assert.Len(t, p.Requests(), 1, "not asked again")
}

// In a tool's arguments, the rule's panic is the tool's panic (as one in
// Validate is): the observer gets the value and stack.
func TestToolRulePanic(t *testing.T) {
	tool := mirascope.NewTool("by_title", "Finds a book", func(_ context.Context, in RuleTitle) (string, error) { return "found", nil })
	_, err := tool.Call(context.Background(), `{"title":"boom"}`)
	var tp *mirascope.ToolPanicError
	require.ErrorAs(t, err, &tp)
	assert.Contains(t, string(tp.Stack), "rulepanic_test.go")
	assert.EqualError(t, err, `mirascope: tool by_title panicked: prompt: validate rule "root_panics_on_boom" panicked on RuleTitle.Title: title rule bug`)
	var ae *mirascope.ArgumentsError
	assert.False(t, errors.As(err, &ae), "not the model's arguments' fault")
}

// A prompt's rule panic comes before any request, typed.
func TestCallRulePanic(t *testing.T) {
	p := mock.New(mock.Text("ok"))
	_, err := mirascope.Call(context.Background(), p, RulePrompt{Genre: "boom"})
	var rp *prompt.RulePanicError
	require.ErrorAs(t, err, &rp)
	assert.NotErrorIs(t, err, prompt.ErrInvalidField)
	assert.Empty(t, p.Requests())
	_, err = mirascope.NewRequest(RulePrompt{Genre: "boom"})
	require.ErrorAs(t, err, &rp)
}
