package otel

// Masking runs regular expressions and substring searches over a text; a
// span records at most a bounded part of it. So a text is cut first and
// masked after, which makes the cost of masking a huge text (a tool's
// 16 MB error) that of masking the part recorded. Cutting first must not
// let out the part of a key that the cut splits, which no pattern would then
// recognise: the text is cut maskMargin bytes past its bound, masked, and
// its last maskMargin bytes (or more, when they begin a secret) are dropped
// before it is cut to its bound.

// maskMargin is how far past its bound a text is masked before being cut
// again. It must exceed the longest text a credential pattern needs to see
// to recognise a key (today "AIza" and 30 more characters; a header name,
// its separator and one character of the value): a key split by the first
// cut is then either recognised and masked, or lies wholly in the last
// maskMargin bytes, which are dropped.
const maskMargin = 256

// cutMasked returns text masked by mask and cut to at most limit bytes
// (noLimit: no bound) at a character boundary, ending in the truncation
// mark when cut; cut reports whether it was. mask runs over at most
// limit+maskMargin bytes. secrets are the exact texts mask masks (see
// maskAll): a secret the first cut splits is recognised by its beginning
// and dropped whole.
func cutMasked(text string, limit int, mask func(string) string, secrets []string) (_ string, cut bool) {
	if limit < 0 || len(text) <= limit+maskMargin {
		return cutString(mask(text), limit)
	}
	window, _ := truncate(text, limit+maskMargin)
	m := mask(window)
	// The window's end may hold the beginning of a key or a secret that
	// the cut split: drop it.
	drop := maskMargin
	for _, s := range secrets {
		if len(s) > drop { // a shorter one is dropped anyway
			drop = max(drop, overlap(m, s))
		}
	}
	m, _ = truncate(m, max(len(m)-drop, 0))
	m, _ = truncate(m, limit)
	return m + truncationMark, true
}

// cutString is truncateString, also reporting whether s was cut.
func cutString(s string, limit int) (string, bool) {
	if limit < 0 || len(s) <= limit {
		return s, false
	}
	return truncateString(s, limit), true
}

// overlap is the length of the longest suffix of text that is a prefix of
// s, found in time linear in the shorter of the two (Knuth–Morris–Pratt).
func overlap(text, s string) int {
	p := s[:min(len(s), len(text))]
	if p == "" {
		return 0
	}
	// fail[i] is the length of the longest proper border of p[:i+1].
	fail := make([]int, len(p))
	for i, k := 1, 0; i < len(p); i++ {
		for k > 0 && p[i] != p[k] {
			k = fail[k-1]
		}
		if p[i] == p[k] {
			k++
		}
		fail[i] = k
	}
	q := 0 // how much of p the text read so far ends with
	for i := len(text) - len(p); i < len(text); i++ {
		for q > 0 && (q == len(p) || text[i] != p[q]) {
			q = fail[q-1]
		}
		if text[i] == p[q] {
			q++
		}
	}
	return q
}
