package mirascope_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope"
	"github.com/mirascope-go/mirascope/providers/mock"
)

// An option that does nothing where it is passed is refused there, before
// any request, the same way by every function: WithMaxTurns and
// WithMaxReasks used to compile on Call and Stream and do nothing.
func TestUnusedLoopOptionsAreRefused(t *testing.T) {
	ctx := context.Background()
	tools := mirascope.WithTools(authorTool(nil))
	run := map[string]func(p *mock.Provider, opts ...mirascope.CallOption) error{
		"Call": func(p *mock.Provider, opts ...mirascope.CallOption) error {
			_, err := mirascope.Call(ctx, p, AskLibrarian{"x"}, opts...)
			return err
		},
		"Stream": func(p *mock.Provider, opts ...mirascope.CallOption) error {
			_, err := mirascope.Stream(ctx, p, AskLibrarian{"x"}, opts...)
			return err
		},
		"Run": func(p *mock.Provider, opts ...mirascope.CallOption) error {
			_, err := mirascope.Run(ctx, p, AskLibrarian{"x"}, opts...)
			return err
		},
		"Extract": func(p *mock.Provider, opts ...mirascope.CallOption) error {
			_, _, err := mirascope.Extract[Novel](ctx, p, AskLibrarian{"x"}, opts...)
			return err
		},
		"StreamExtract": func(p *mock.Provider, opts ...mirascope.CallOption) error {
			_, err := mirascope.StreamExtract[Novel](ctx, p, AskLibrarian{"x"}, opts...)
			return err
		},
	}
	const (
		turns  = "it bounds a tool loop; only Run, and Extract with WithTools, run one"
		reasks = "only Extract asks again"
	)
	for _, tc := range []struct {
		fn     string
		opts   []mirascope.CallOption
		refuse string // the option refused; "" when accepted
		reason string
	}{
		{"Call", []mirascope.CallOption{mirascope.WithMaxTurns(3)}, "WithMaxTurns", turns},
		{"Call", []mirascope.CallOption{mirascope.WithMaxReasks(0)}, "WithMaxReasks", reasks},
		{"Stream", []mirascope.CallOption{mirascope.WithMaxTurns(3)}, "WithMaxTurns", turns},
		{"Stream", []mirascope.CallOption{mirascope.WithMaxReasks(2)}, "WithMaxReasks", reasks},
		{"Run", []mirascope.CallOption{mirascope.WithMaxReasks(2)}, "WithMaxReasks", reasks},
		{"Run", []mirascope.CallOption{mirascope.WithMaxTurns(3)}, "", ""},
		{"Extract", []mirascope.CallOption{mirascope.WithMaxTurns(3)}, "WithMaxTurns", turns},
		{"Extract", []mirascope.CallOption{tools, mirascope.WithMaxTurns(3), mirascope.WithMaxReasks(1)}, "", ""},
		{"StreamExtract", []mirascope.CallOption{mirascope.WithMaxTurns(3)}, "WithMaxTurns", turns},
		{"StreamExtract", []mirascope.CallOption{mirascope.WithMaxReasks(1)}, "WithMaxReasks", reasks},
	} {
		t.Run(tc.fn+"/"+tc.refuse, func(t *testing.T) {
			p := mock.New(mock.JSON(Novel{Title: "Dune", Author: "Frank Herbert", Year: 1965, Genres: []string{"sf"}}))
			err := run[tc.fn](p, tc.opts...)
			if tc.refuse == "" {
				require.NoError(t, err)
				return
			}
			var ue *mirascope.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, mirascope.ErrUnsupportedParameter)
			assert.Equal(t, tc.fn, ue.Provider)
			assert.EqualError(t, err, "mirascope: "+tc.fn+": "+tc.refuse+" is not supported: "+tc.reason)
			assert.Empty(t, p.Requests(), "refused before any request")
		})
	}
}
