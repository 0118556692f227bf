package replay

import (
	"strings"
)

// maxDiffLines bounds the quadratic line diff; past it the two texts are
// shown whole, one after the other.
const maxDiffLines = 4000

// diff returns a line diff of two texts: "-" for a line only in a, "+" for
// one only in b, " " for a line in both, with at most three unchanged
// lines kept around each change. It also returns how many lines changed,
// so the nearest of several candidates can be chosen.
func diff(a, b string) (string, int) {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(x)*len(y) > maxDiffLines*maxDiffLines/4 {
		return "-" + strings.ReplaceAll(a, "\n", "\n-") + "\n+" + strings.ReplaceAll(b, "\n", "\n+"), len(x) + len(y)
	}
	// lcs[i][j] is the length of the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	changed := 0
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			lines = append(lines, line{' ', x[i]})
			i++
			j++
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', x[i]})
			changed++
			i++
		default:
			lines = append(lines, line{'+', y[j]})
			changed++
			j++
		}
	}
	const context = 3
	keep := make([]bool, len(lines))
	for k, l := range lines {
		if l.op != ' ' {
			for m := max(0, k-context); m <= min(len(lines)-1, k+context); m++ {
				keep[m] = true
			}
		}
	}
	var out strings.Builder
	skipped := false
	for k, l := range lines {
		if !keep[k] {
			skipped = true
			continue
		}
		if skipped {
			out.WriteString("  ...\n")
			skipped = false
		}
		out.WriteByte(l.op)
		out.WriteByte(' ')
		out.WriteString(l.text)
		out.WriteByte('\n')
	}
	if skipped {
		out.WriteString("  ...\n")
	}
	return out.String(), changed
}
