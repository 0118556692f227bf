package otel

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mirascope-go/mirascope/prompt"
)

// A key split by the cut, at any offset, is masked or dropped: no piece of
// it reaches the recorded text, even when masking earlier text shortened it.
func TestCutThenMaskKeepsSplitKeys(t *testing.T) {
	keys := map[string]string{ // what precedes the key's body, and the body
		"openai":  "sk-proj-QWERTYUIOPASDFGHJKLZXCVBNM",
		"google":  "AIzaSyQWERTYUIOPASDFGHJKLZXCVBNMqwert",
		"xai":     "xai-QWERTYUIOPASDFGHJKLZXCVBNM",
		"aws":     "AKIAQWERTYUIOPASDFGH",
		"bearer":  "Bearer QWERTYUIOPASDFGHJKLZXCVBNM",
		"header":  "x-api-key: QWERTYUIOPASDFGHJKLZXCVBNM",
		"param":   "GET /v1/m?key=QWERTYUIOPASDFGHJKLZXCVBNM",
		"partial": "authorization: basic QWERTYUIOPASDFGHJKLZXCVBNM",
	}
	short := "S3CR3T" + strings.Repeat("-value-", 8) // 62 bytes, masked to 10
	shrink := strings.Repeat("x "+short+" ", 8)      // 520 bytes masked to 104
	const limit = 1000                               // small, for speed; the logic is maxErrorText's
	mask := func(w string) string { return validString(maskCredentials(maskAll(w, []string{short}))) }
	for name, key := range keys {
		body := key[len(key)-16:]
		// The key straddles the first cut, or the second.
		var offsets []int
		for off := -len(key) - 1; off <= 2; off++ {
			offsets = append(offsets, off, maskMargin+len(key)+off)
		}
		for _, pre := range []string{"", shrink} {
			for _, off := range offsets {
				// The key ends off bytes before the first cut.
				pad := strings.Repeat(".", limit+maskMargin-off-len(key)-len(pre)-1)
				text := pre + pad + " " + key + strings.Repeat(".", 2*maskMargin)
				got, cut := cutMasked(text, limit, mask, []string{short})
				require.True(t, cut)
				require.LessOrEqual(t, len(got), limit+len(truncationMark))
				require.True(t, utf8.ValidString(got))
				require.True(t, strings.HasSuffix(got, truncationMark))
				for i := 0; i+6 <= len(body); i++ {
					require.NotContains(t, got, body[i:i+6], "%s at offset %d (pre %d)", name, off, len(pre))
				}
				require.NotContains(t, got, "S3CR3T")
			}
		}
	}
	// And through the error text a span records.
	key := keys["google"]
	text := strings.Repeat(".", maxErrorText+maskMargin-10) + key + strings.Repeat(".", 1<<20)
	assert.NotContains(t, scrubbedErrorText(text, nil), key[:10])
}

// A redacted value split by the cut is dropped whole, however long.
func TestCutThenMaskKeepsSplitSecrets(t *testing.T) {
	secret := "BEGIN" + strings.Repeat("0123456789", 5000)
	for _, off := range []int{1, 5, 100, maskMargin - 1, maskMargin, maskMargin + 1, 4000, maxErrorText} {
		text := strings.Repeat(".", maxErrorText+maskMargin-off) + secret + strings.Repeat(".", 1<<20)
		got := scrubbedErrorText(text, []string{secret})
		assert.NotContains(t, got, "BEGIN", "offset %d", off)
		assert.NotContains(t, got, "01234", "offset %d", off)
	}
	// A whole one is masked as before.
	secret = secret[:4000]
	got := scrubbedErrorText("a "+secret+" b"+strings.Repeat(".", 1<<20), []string{secret})
	assert.True(t, strings.HasPrefix(got, "a "+prompt.RedactedText+" b..."), got[:40])
}

func TestOverlap(t *testing.T) {
	tests := []struct {
		text, s string
		want    int
	}{
		{"abcabc", "abcd", 3},
		{"xxaab", "aabaa", 3},
		{"aaaa", "aaab", 3},
		{"abc", "xyz", 0},
		{"ab", "", 0},
		{"", "ab", 0},
		{"abab", "ab", 2},
		{"xabab", "ababx", 4},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, overlap(tt.text, tt.s), "%q %q", tt.text, tt.s)
	}
}

// Masking sees at most the bound and the margin of a huge text.
func TestCutMaskedMasksOnlyTheWindow(t *testing.T) {
	huge := strings.Repeat("abc ", 4<<20)
	seen := 0
	got, cut := cutMasked(huge, maxErrorText, func(s string) string { seen = len(s); return s }, nil)
	assert.True(t, cut)
	assert.LessOrEqual(t, seen, maxErrorText+maskMargin)
	assert.Equal(t, maxErrorText+len(truncationMark), len(got))
	got, cut = cutMasked("short", maxErrorText, strings.ToUpper, nil)
	assert.Equal(t, "SHORT", got)
	assert.False(t, cut)
}
