package bedrock

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecordIDRoundTrip(t *testing.T) {
	for _, id := range []string{"", "mirascope-0", "mirascope-123456", "X", "XX2D", "a b", "\xff\xfe", "日本", "\n\"\\", strings.Repeat("-", 300)} {
		rid := recordID(id)
		for i := 0; i < len(rid); i++ {
			require.True(t, alnum(rid[i]), "%q: %q is not alphanumeric", id, rid)
		}
		back, ok := customID(rid)
		require.True(t, ok, "%q", rid)
		assert.Equal(t, id, back)
	}
	assert.Equal(t, "mirascopeX2D7", recordID("mirascope-7"))
	for _, rid := range []string{"X", "X2", "XZZ", "X2d", "X41", "a-b", "a/b", "\xff"} {
		_, ok := customID(rid)
		assert.False(t, ok, "%q", rid)
	}
}

// lines is an endless-looking output file made on the fly: n lines of
// about size bytes, never held whole.
type lines struct {
	n, size int
	buf     bytes.Buffer
	i       int
}

func (l *lines) Read(p []byte) (int, error) {
	for l.buf.Len() == 0 {
		if l.i == l.n {
			return 0, io.EOF
		}
		fmt.Fprintf(&l.buf, `{"recordId":"mirascopeX2D%d","modelOutput":{"pad":"%s"}}`+"\n", l.i, strings.Repeat("x", l.size))
		l.i++
	}
	return l.buf.Read(p)
}

// TestEachLineOneByteChunks reads 40 MB of output one byte per Read: every
// line is seen, and the heap stays flat (one reused line buffer).
func TestEachLineOneByteChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 40 MB byte by byte")
	}
	const n, size = 20_000, 2000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	seen, peak := 0, uint64(0)
	err := eachLine(iotest.OneByteReader(&lines{n: n, size: size}), maxBatchLine, func(line []byte) bool {
		if !bytes.HasPrefix(line, []byte(fmt.Sprintf(`{"recordId":"mirascopeX2D%d",`, seen))) {
			t.Fatalf("line %d: %.40q", seen, line)
		}
		seen++
		if seen%5000 == 0 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
		return true
	})
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	assert.Equal(t, n, seen)
	assert.Less(t, peak, before.HeapInuse+8<<20, "the heap grew with the file")
}

func TestEachLineBounds(t *testing.T) {
	var got []string
	collect := func(l []byte) bool { got = append(got, string(l)); return true }
	require.NoError(t, eachLine(strings.NewReader("a\n\n  \r\nb\r\nc"), 10, collect))
	assert.Equal(t, []string{"a", "b", "c"}, got)

	// A line past the bound stops the reading, whatever the chunking.
	for _, r := range []io.Reader{strings.NewReader("ok\n" + strings.Repeat("x", 200_000) + "\nnever\n"),
		iotest.OneByteReader(strings.NewReader("ok\n" + strings.Repeat("x", 200_000) + "\nnever\n"))} {
		got = nil
		err := eachLine(r, 100_000, collect)
		require.ErrorIs(t, err, errLongLine)
		assert.Equal(t, []string{"ok"}, got)
	}
	// A line exactly at the bound passes.
	got = nil
	require.NoError(t, eachLine(strings.NewReader(strings.Repeat("y", 100)+"\n"), 100, collect))
	assert.Len(t, got, 1)

	// A failing body is the reader's error; stopping early reads no further.
	boom := errors.New("boom")
	require.ErrorIs(t, eachLine(io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom)), 10, collect), boom)
	n := 0
	require.NoError(t, eachLine(strings.NewReader("a\nb\nc\n"), 10, func([]byte) bool { n++; return false }))
	assert.Equal(t, 1, n)
}
