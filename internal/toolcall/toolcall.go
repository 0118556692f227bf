// Package toolcall assembles streamed tool-call pieces into whole calls, the
// one way every consumer of a stream does it: the root's ResponseStream, the
// otel layer's span, and the mock provider's Call over scripted chunks.
package toolcall

import (
	"cmp"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope/prompt"
)

// Assembler gathers pieces by index: the last non-empty ID and Name win and
// arguments are concatenated. The zero value is ready; it is not safe for
// concurrent use.
type Assembler struct {
	calls []*call // by first appearance
}

type call struct {
	index    int
	id, name string
	args     strings.Builder
}

// Add adds one piece of the call identified by index.
func (a *Assembler) Add(index int, id, name, arguments string) {
	var c *call
	for _, x := range a.calls {
		if x.index == index {
			c = x
			break
		}
	}
	if c == nil {
		c = &call{index: index}
		a.calls = append(a.calls, c)
	}
	if id != "" {
		c.id = id
	}
	if name != "" {
		c.name = name
	}
	c.args.WriteString(arguments)
}

// Len is the number of calls seen.
func (a *Assembler) Len() int { return len(a.calls) }

// Calls returns the calls in index order; nil when none was seen.
func (a *Assembler) Calls() []prompt.ToolCall {
	if len(a.calls) == 0 {
		return nil
	}
	calls := slices.Clone(a.calls)
	slices.SortStableFunc(calls, func(x, y *call) int { return cmp.Compare(x.index, y.index) })
	out := make([]prompt.ToolCall, len(calls))
	for i, c := range calls {
		out[i] = prompt.ToolCall{ID: c.id, Name: c.name, Arguments: c.args.String()}
	}
	return out
}
