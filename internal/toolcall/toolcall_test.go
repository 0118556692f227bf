package toolcall

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mirascope-go/mirascope/prompt"
)

func TestAssembler(t *testing.T) {
	var a Assembler
	assert.Nil(t, a.Calls())
	// Pieces of two calls interleaved, the later index first, as a service
	// may send them.
	a.Add(3, "call_b", "get_year", "", "")
	a.Add(1, "call_a", "get_author", `{"ti`, "")
	a.Add(3, "", "", `{"title":"Dune"}`, "c2ln")
	a.Add(1, "", "", `tle":"Dune"}`, "")
	assert.Equal(t, 2, a.Len())
	assert.Equal(t, []prompt.ToolCall{
		{ID: "call_a", Name: "get_author", Arguments: `{"title":"Dune"}`},
		{ID: "call_b", Name: "get_year", Arguments: `{"title":"Dune"}`, Signature: "c2ln"},
	}, a.Calls())
}

// Many calls, their pieces interleaved: each piece costs O(1), not a scan
// of the calls seen so far.
func BenchmarkAssemblerManyCalls(b *testing.B) {
	const n = 10000
	for b.Loop() {
		var a Assembler
		for i := range n {
			a.Add(i, fmt.Sprint("call_", i), "f", "{", "")
		}
		for i := range n {
			a.Add(i, "", "", "}", "")
		}
		if a.Len() != n {
			b.Fatal(a.Len())
		}
	}
}
