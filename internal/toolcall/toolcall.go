// Package toolcall assembles streamed tool-call pieces into whole calls, the
// one way every consumer of a stream does it, through mirascope.Accumulator:
// the root's ResponseStream, the otel layer's span, and the mock provider's
// Call over scripted chunks.
package toolcall

import (
	"cmp"
	"slices"
	"strings"

	"github.com/mirascope-go/mirascope/prompt"
)

// Assembler gathers pieces by index: the last non-empty ID, Name and
// Signature win and arguments are concatenated. The zero value is ready; it
// is not safe for concurrent use.
type Assembler struct {
	calls   []*call // by first appearance
	byIndex map[int]*call
	last    *call // the call of the previous piece: pieces of one call come in runs
}

type call struct {
	index               int
	id, name, signature string
	args                strings.Builder
}

// Add adds one piece of the call identified by index. It costs O(1) whatever
// the number of calls.
func (a *Assembler) Add(index int, id, name, arguments, signature string) {
	c := a.last
	if c == nil || c.index != index {
		c = a.byIndex[index]
		if c == nil {
			c = &call{index: index}
			a.calls = append(a.calls, c)
			if a.byIndex == nil {
				a.byIndex = make(map[int]*call)
			}
			a.byIndex[index] = c
		}
		a.last = c
	}
	if id != "" {
		c.id = id
	}
	if name != "" {
		c.name = name
	}
	if signature != "" {
		c.signature = signature
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
		out[i] = prompt.ToolCall{ID: c.id, Name: c.name, Arguments: c.args.String(), Signature: c.signature}
	}
	return out
}
