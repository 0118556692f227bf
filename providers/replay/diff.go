package replay

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// A mismatch message is read by a person in a test log, so it stays small
// whatever the size of the requests: a request of megabytes (a long
// document in a prompt, often on one line) must not print megabytes.
const (
	// maxDiffLines bounds the quadratic line diff, after the lines both
	// texts share at their start and end are set aside; past it the
	// differing lines are shown one text after the other.
	maxDiffLines = 4000
	// maxLineShown bounds what is shown of one line: a window around where
	// it first differs from its counterpart.
	maxLineShown = 160
	// maxDiffShown bounds a whole diff or excerpt.
	maxDiffShown = 4 << 10
)

type diffLine struct {
	op   byte
	text string
}

// diffLines returns a line diff of two texts, for render, and how many
// lines changed, so the nearest of several candidates can be chosen.
func diffLines(a, b string) ([]diffLine, int) {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// The lines both share at their start and end need no search, and are
	// usually nearly all of them.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	lines := make([]diffLine, 0, len(x)+len(y)-pre-suf)
	for _, l := range x[:pre] {
		lines = append(lines, diffLine{' ', l})
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	var changed int
	lines, changed = lcsDiff(lines, mx, my)
	for _, l := range x[len(x)-suf:] {
		lines = append(lines, diffLine{' ', l})
	}
	return lines, changed
}

// lcsDiff appends the diff of x and y to lines, by a longest common
// subsequence when x and y are small enough and as all of x removed and
// all of y added otherwise.
func lcsDiff(lines []diffLine, x, y []string) ([]diffLine, int) {
	if len(x)*len(y) > maxDiffLines*maxDiffLines/4 {
		for _, l := range x {
			lines = append(lines, diffLine{'-', l})
		}
		for _, l := range y {
			lines = append(lines, diffLine{'+', l})
		}
		return lines, len(x) + len(y)
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
	changed := 0
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			lines = append(lines, diffLine{' ', x[i]})
			i++
			j++
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, diffLine{'-', x[i]})
			changed++
			i++
		default:
			lines = append(lines, diffLine{'+', y[j]})
			changed++
			j++
		}
	}
	return lines, changed
}

// render writes lines as a unified diff: "-" for a line only in the first
// text, "+" for one only in the second, " " for one in both; each run of
// changes as its removed lines and then its added ones, the k-th removed
// line clipped around where it first differs from the k-th added one,
// three lines of context, and no more than maxDiffShown bytes in all.
func render(lines []diffLine, changed int) string {
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
	write := func(op byte, text, other string) bool {
		if out.Len() >= maxDiffShown {
			fmt.Fprintf(&out, "  ... (cut at %d bytes; %d changed line(s) in all)\n", maxDiffShown, changed)
			return false
		}
		out.WriteByte(op)
		out.WriteByte(' ')
		out.WriteString(clip(text, other))
		out.WriteByte('\n')
		return true
	}
	skipped := false
	for k := 0; k < len(lines); {
		if !keep[k] {
			skipped = true
			k++
			continue
		}
		if skipped {
			out.WriteString("  ...\n")
			skipped = false
		}
		if lines[k].op == ' ' {
			if !write(' ', lines[k].text, "") {
				return out.String()
			}
			k++
			continue
		}
		var del, add []string
		for ; k < len(lines) && lines[k].op != ' '; k++ {
			if lines[k].op == '-' {
				del = append(del, lines[k].text)
			} else {
				add = append(add, lines[k].text)
			}
		}
		// A long run shows the start of both sides, not only removals.
		half := out.Len() + (maxDiffShown-out.Len())/2
		for i, l := range del {
			if len(add) > 0 && out.Len() >= half {
				fmt.Fprintf(&out, "  ... (%d more removed line(s))\n", len(del)-i)
				break
			}
			if !write('-', l, at(add, i)) {
				return out.String()
			}
		}
		for i, l := range add {
			if !write('+', l, at(del, i)) {
				return out.String()
			}
		}
	}
	if skipped {
		out.WriteString("  ...\n")
	}
	return out.String()
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// clip returns line whole if it is short, or else a window of it around
// the first byte where it differs from other, with its size.
func clip(line, other string) string {
	if len(line) <= maxLineShown {
		return line
	}
	first := 0
	for first < len(line) && first < len(other) && line[first] == other[first] {
		first++
	}
	start := max(0, min(first-maxLineShown/3, len(line)-maxLineShown))
	end := start + maxLineShown
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	b.WriteString(line[start:end])
	if end < len(line) {
		b.WriteString("…")
	}
	fmt.Fprintf(&b, " (a line of %d bytes, shown from byte %d)", len(line), start)
	return b.String()
}

// excerpt returns text with its long lines clipped and cut at
// maxDiffShown bytes, with its size when it was cut.
func excerpt(text string) string {
	var out strings.Builder
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		if out.Len() >= maxDiffShown {
			fmt.Fprintf(&out, "... (cut at %d bytes of %d)", maxDiffShown, len(text))
			break
		}
		out.WriteString(clip(l, ""))
	}
	return out.String()
}
