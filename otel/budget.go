package otel

import "slices"

// A span's captured content — field values, the template, the system
// instructions, the input and output messages, tool definitions, a tool's
// arguments and result — shares one budget, in bytes ([WithMaxContentSize]),
// so that no span can outgrow what a collector accepts and take its whole
// export batch down with it.
//
// The budget is shared fairly: every text that fits within an equal share is
// kept whole, and the longer ones are all cut to the same length (fairCap).
// A chat span's request side takes at most three quarters of the budget,
// so that the answer always has at least a quarter; the answer then gets
// what the request left. Within one attribute the same rule shares the
// attribute's part among its texts; when the parts of an attribute (tool
// calls, tool results, tool definitions, system instructions) are so many
// that their framing alone exceeds its part, the later ones are left out
// and counted (see encode.go).

// fairCap returns the largest length c such that the texts of the given
// sizes, each cut to c, total at most budget; noLimit when they fit whole.
func fairCap(sizes []int, budget int) int {
	budget = max(budget, 0)
	total := 0
	for _, s := range sizes {
		total += s
	}
	if total <= budget {
		return noLimit
	}
	sorted := slices.Clone(sizes)
	slices.Sort(sorted)
	for i, s := range sorted {
		n := len(sorted) - i
		if s*n > budget {
			return budget / n
		}
		budget -= s
	}
	return 0 // unreachable: the total exceeded the budget
}

// requestShare is the part of the budget a chat span's request side may use.
func requestShare(budget int, capture bool) int {
	if budget < 0 || !capture {
		return budget
	}
	return budget - budget/4
}
