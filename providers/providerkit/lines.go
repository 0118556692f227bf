package providerkit

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"iter"
	"math"
)

// ErrLineTooLong is the error [Lines] yields for a line longer than its
// bound; a caller wraps it in its own words (which file, which bound).
var ErrLineTooLong = errors.New("a line passes the length bound")

// Lines yields the lines of r, a JSON Lines body read as it arrives, never
// held whole: results files of batch jobs. A yielded line is valid only until
// the next is asked for (it is read in place). Its line ending, "\n" or
// "\r\n", is dropped; blank lines (whitespace only) are skipped; a last line
// without "\n" is a line. A line of more than bound bytes (ending excluded)
// ends the sequence with [ErrLineTooLong], after the lines before it; so
// does a read error, yielded as it is, a truncated last line not yielded.
// The cost is linear whatever the chunking of r, a byte per Read included,
// and the memory the longest line read, at most bound plus its ending.
func Lines(r io.Reader, bound int) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		bound := min(max(bound, 0), math.MaxInt/2-2)
		er := &errReader{r: r}
		sc := bufio.NewScanner(er)
		sc.Buffer(make([]byte, min(64<<10, bound+2)), bound+2) // +2: room for "\r\n"
		// seen is how much of the pending line is known to hold no "\n":
		// the scanner hands the whole pending line again after every Read,
		// so searching it from its start would be quadratic in 1-byte reads.
		seen := 0
		sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
			if i := bytes.IndexByte(data[seen:], '\n'); i >= 0 {
				i += seen
				seen = 0
				line := dropCR(data[:i])
				if len(line) > bound {
					return 0, nil, ErrLineTooLong
				}
				return i + 1, line, nil
			}
			seen = len(data)
			if len(data) > bound+1 { // the line and at most a "\r"
				return 0, nil, ErrLineTooLong
			}
			if atEOF && !er.eof {
				// A read error, or the scanner's own (io.ErrNoProgress after
				// many empty reads): not the truncated line before it.
				if er.err != nil {
					return 0, nil, er.err
				}
				return 0, nil, nil
			}
			if atEOF && len(data) > 0 {
				seen = 0
				line := dropCR(data)
				if len(line) > bound {
					return 0, nil, ErrLineTooLong
				}
				return len(data), line, nil
			}
			return 0, nil, nil
		})
		for sc.Scan() {
			if line := sc.Bytes(); len(bytes.TrimSpace(line)) > 0 && !yield(line, nil) {
				return
			}
		}
		if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			yield(nil, ErrLineTooLong)
		} else if err != nil {
			yield(nil, err)
		}
	}
}

func dropCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// errReader keeps the error of a failed Read other than io.EOF, which the
// scanner hands its split function only as the end of the input, and
// whether the input really ended: the scanner also ends it, with
// io.ErrNoProgress, after many Reads that return nothing.
type errReader struct {
	r   io.Reader
	err error
	eof bool
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.eof = true
	} else if err != nil {
		e.err = err
	}
	return n, err
}
