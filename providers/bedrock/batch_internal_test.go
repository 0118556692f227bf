package bedrock

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers/providerkit"
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

// TestOutputLinesOneByteChunks reads 40 MB of output one byte per Read,
// within the output file's bound: every line is seen, and the heap stays
// flat (one reused line buffer). The reading's bounds and endings are
// providerkit.Lines's tests'.
func TestOutputLinesOneByteChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 40 MB byte by byte")
	}
	const n, size = 20_000, 2000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	seen, peak := 0, uint64(0)
	for line, err := range providerkit.Lines(iotest.OneByteReader(&lines{n: n, size: size}), maxBatchLine) {
		require.NoError(t, err)
		if !bytes.HasPrefix(line, []byte(fmt.Sprintf(`{"recordId":"mirascopeX2D%d",`, seen))) {
			t.Fatalf("line %d: %.40q", seen, line)
		}
		seen++
		if seen%5000 == 0 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}
	runtime.ReadMemStats(&after)
	assert.Equal(t, n, seen)
	assert.Less(t, peak, before.HeapInuse+8<<20, "the heap grew with the file")
}
