package providerkit_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// readLines collects what Lines yields: the lines, then the error, if any.
func readLines(r io.Reader, bound int) (lines []string, err error) {
	for l, e := range providerkit.Lines(r, bound) {
		if e != nil {
			return lines, e
		}
		lines = append(lines, string(l))
	}
	return lines, nil
}

// chunked reads at most n bytes per Read.
type chunked struct {
	r io.Reader
	n int
}

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// failing hands its data and its error in the same Read.
type failing struct {
	data string
	err  error
}

func (f *failing) Read(p []byte) (int, error) {
	n := copy(p, f.data)
	f.data = f.data[n:]
	if f.data == "" {
		return n, f.err
	}
	return n, nil
}

func TestLines(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		in    string
		bound int
		want  []string
		err   error
	}{
		{"empty", "", 10, nil, nil},
		{"endings, blank lines, a last line without a newline", "a\n\n  \r\nb\r\n\t\nc", 10, []string{"a", "b", "c"}, nil},
		{"a last line ending in CR", "a\r", 10, []string{"a"}, nil},
		{"inner spaces kept", " a b \n", 10, []string{" a b "}, nil},
		{"a lone CR inside a line", "a\rb\n", 10, []string{"a\rb"}, nil},
		{"at the bound, LF", "0123456789\n", 10, []string{"0123456789"}, nil},
		{"at the bound, CRLF", "0123456789\r\n", 10, []string{"0123456789"}, nil},
		{"at the bound, at EOF", "0123456789", 10, []string{"0123456789"}, nil},
		{"past the bound, LF", "ok\n01234567890\nnever\n", 10, []string{"ok"}, providerkit.ErrLineTooLong},
		{"past the bound, CRLF", "ok\n01234567890\r\nnever\n", 10, []string{"ok"}, providerkit.ErrLineTooLong},
		{"past the bound, at EOF", "ok\n01234567890", 10, []string{"ok"}, providerkit.ErrLineTooLong},
		{"past the bound, a CR at EOF", "ok\n0123456789x\r", 10, []string{"ok"}, providerkit.ErrLineTooLong},
		{"far past the bound", "ok\n" + strings.Repeat("x", 200_000) + "\nnever\n", 1000, []string{"ok"}, providerkit.ErrLineTooLong},
		{"bound zero", "\n\r\n\n", 0, nil, nil},
		{"bound zero, a line", "\nx\n", 0, nil, providerkit.ErrLineTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range []int{1, 2, 3, 7, 64 << 10} {
				got, err := readLines(chunked{strings.NewReader(tc.in), size}, tc.bound)
				if tc.err != nil {
					require.ErrorIs(t, err, tc.err, "chunks of %d", size)
				} else {
					require.NoError(t, err, "chunks of %d", size)
				}
				assert.Equal(t, tc.want, got, "chunks of %d", size)
			}
		})
	}

	t.Run("a read error ends the lines, a truncated line not yielded", func(t *testing.T) {
		got, err := readLines(io.MultiReader(strings.NewReader("a\nb\ntrunc"), iotest.ErrReader(boom)), 10)
		require.ErrorIs(t, err, boom)
		assert.Equal(t, []string{"a", "b"}, got)
		got, err = readLines(&failing{"a\nb\ntrunc", boom}, 10)
		require.ErrorIs(t, err, boom)
		assert.Equal(t, []string{"a", "b"}, got, "lines read along with the error are yielded")
		got, err = readLines(&failing{"a\nb\n", boom}, 10)
		require.ErrorIs(t, err, boom)
		assert.Equal(t, []string{"a", "b"}, got)
	})

	t.Run("stopping early reads no further", func(t *testing.T) {
		r := strings.NewReader("a\n" + strings.Repeat("b", 100<<10) + "\n")
		for l, err := range providerkit.Lines(r, 1<<20) {
			require.NoError(t, err)
			require.Equal(t, "a", string(l))
			break
		}
		assert.Positive(t, r.Len(), "read past what was asked for")
	})
}

// A long line read a byte per Read costs linear time: a search of the
// whole pending line after every Read would take minutes here.
func TestLinesOneByteLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 4 MB byte by byte")
	}
	long := strings.Repeat("x", 4<<20)
	got, err := readLines(iotest.OneByteReader(strings.NewReader("a\n"+long+"\r\nb")), 4<<20)
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, []string{"a", "b"}, []string{got[0], got[2]})
	assert.Equal(t, len(long), len(got[1]))
}

// The allocations do not grow with the number of lines: one buffer, reused.
func TestLinesAllocsFlat(t *testing.T) {
	in := func(n int) string { return strings.Repeat(`{"custom_id":"x","response":{}}`+"\n", n) }
	small, big := in(10), in(10_000)
	count := func(s string) float64 {
		return testing.AllocsPerRun(10, func() {
			for _, err := range providerkit.Lines(strings.NewReader(s), 1<<20) {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	assert.Equal(t, count(small), count(big))
}

// linesByHand is what Lines yields, written plainly over the whole input.
func linesByHand(in []byte, bound int) ([]string, bool) {
	var out []string
	for len(in) > 0 {
		line, rest, _ := bytes.Cut(in, []byte("\n"))
		in = rest
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > bound {
			return out, false
		}
		if len(bytes.TrimSpace(line)) > 0 {
			out = append(out, string(line))
		}
	}
	return out, true
}

// Whatever the chunking, Lines yields what a plain split of the whole input
// gives.
func FuzzLinesChunking(f *testing.F) {
	for _, s := range []string{"", "a\nb", "a\r\n\r\nb\r", "\n\n\n", "xxxxxxxxxxxx\nb\n", " \t\r\n \nzz\r\r\n", "aaaa\r"} {
		f.Add([]byte(s), uint8(1), uint8(5))
		f.Add([]byte(s), uint8(3), uint8(4))
	}
	f.Fuzz(func(t *testing.T, in []byte, chunk, bound uint8) {
		want, ok := linesByHand(in, int(bound))
		got, err := readLines(chunked{bytes.NewReader(in), int(chunk%16) + 1}, int(bound))
		if ok {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, providerkit.ErrLineTooLong)
		}
		require.Equal(t, want, got)
	})
}

// stalling hands its data, then returns (0, nil) for ever.
type stalling struct{ data string }

func (s *stalling) Read(p []byte) (int, error) {
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// A reader that stops answering (0, nil, over and over) ends the lines with
// io.ErrNoProgress, not a panic nor a spin, and its truncated last line is
// not yielded as a line, as for any other read error.
func TestLinesNoProgress(t *testing.T) {
	got, err := readLines(&stalling{data: "{\"a\":1}\n{\"b\":"}, 100)
	require.ErrorIs(t, err, io.ErrNoProgress)
	assert.Equal(t, []string{`{"a":1}`}, got)
}
