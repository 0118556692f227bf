package providerkit_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// A failed job's reason is short however many or long its errors are, and
// valid UTF-8 where a message is cut.
func TestBatchReason(t *testing.T) {
	assert.Empty(t, providerkit.BatchReason(nil))
	assert.Equal(t, "a; b", providerkit.BatchReason([]string{"a", "b"}))
	assert.Equal(t, "a; b; c; and 2 more", providerkit.BatchReason([]string{"a", "b", "c", "d", "e"}))
	long := strings.Repeat("é", 1000) // 2 bytes each: a cut at 300 falls between runes only by luck
	r := providerkit.BatchReason([]string{"x" + long})
	assert.True(t, utf8.ValidString(r))
	assert.LessOrEqual(t, len(r), 300+len("…"))
	assert.True(t, strings.HasSuffix(r, "…"))
}

// Chunks keeps what is written across pieces, in order, and reads it whole
// as often as asked; SetBody makes a request that a retry can send again.
func TestChunks(t *testing.T) {
	var c providerkit.Chunks
	var want bytes.Buffer
	for i := range 3000 {
		p := bytes.Repeat([]byte{byte('a' + i%26)}, i) // pieces of 1 MiB are crossed
		n, err := c.Write(p)
		require.NoError(t, err)
		require.Equal(t, len(p), n)
		want.Write(p)
	}
	require.Equal(t, want.Len(), c.Len())
	for range 2 {
		got, err := io.ReadAll(c.Reader())
		require.NoError(t, err)
		require.True(t, bytes.Equal(want.Bytes(), got))
	}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("old"))
	c.SetBody(r, "application/json")
	assert.Equal(t, int64(want.Len()), r.ContentLength)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	first, _ := io.ReadAll(r.Body)
	again, err := r.GetBody()
	require.NoError(t, err)
	second, _ := io.ReadAll(again)
	assert.True(t, bytes.Equal(first, second))
	assert.Len(t, first, want.Len())
}
