package prompt

import (
	"errors"

	"github.com/go-playground/validator/v10"
)

// Check verifies a prompt type without rendering a value: its style, its
// prompt tags, its template (syntax, variables, specs) and its validate
// rules' names. It does not apply the rules to v, so a zero value will do:
//
//	func TestPrompts(t *testing.T) {
//		require.NoError(t, prompt.Check(RecommendBook{}))
//	}
func Check(v any) error {
	pl, _, st, err := inspect(v)
	if err != nil {
		return err
	}
	if st == styleTemplate {
		if c := pl.template(v.(Templater).Template()); c.err != nil {
			return c.err
		}
	}
	if pl.validate {
		// Only a rule that does not exist is an error here: not a value
		// that fails one, nor a custom rule that panics on it (v may be a
		// zero value the program never renders).
		var ve *ValidationError
		var rp *RulePanicError
		if err := validateStruct(pl, v); err != nil && !errors.As(err, &ve) && !errors.As(err, &rp) {
			var ves validator.ValidationErrors
			if !errors.As(err, &ves) {
				return err
			}
		}
	}
	return nil
}
