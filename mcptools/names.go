package mcptools

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// maxName is the longest tool name every service accepts.
const maxName = 64

// validName reports whether name is 1 to 64 letters, digits, '_' or '-',
// the rule every service shares (and mirascope.CheckTools enforces).
func validName(name string) bool {
	if name == "" || len(name) > maxName {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !nameByte(name[i]) {
			return false
		}
	}
	return true
}

func nameByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// modelNames maps the names a server lists (MCP allows up to 128
// characters, dots among them) to names every service accepts, one for
// one, all distinct. The rule, as documented on [Tools]:
//   - a valid name is kept;
//   - otherwise every other byte becomes '_' ("github.search" becomes
//     "github_search"), and a name that is then longer than 64, empty, or
//     taken by a tool listed before it is cut to 55 bytes and ended with '_'
//     and the first 8 hex digits of the SHA-256 of the server's name;
//   - should that be taken too, the suffix grows to 16 digits, then a
//     counter is added.
//
// Kept names are reserved first, so a valid name never changes because of
// another tool.
func modelNames(names []string) []string {
	out := make([]string, len(names))
	taken := make(map[string]bool, len(names))
	next := map[string]int{} // a counter per base, so many repeats stay linear
	for i, n := range names {
		if validName(n) && !taken[n] {
			out[i], taken[n] = n, true
		}
	}
	for i, n := range names {
		if out[i] != "" {
			continue
		}
		m := sanitize(n)
		if m == "" || len(m) > maxName || taken[m] {
			base := m
			m = hashed(base, n, 8)
			if taken[m] {
				m = hashed(base, n, 16)
			}
			if taken[m] {
				long := m
				for k := max(next[long], 2); ; k++ {
					s := "_" + strconv.Itoa(k)
					if m = long[:min(len(long), maxName-len(s))] + s; !taken[m] {
						next[long] = k + 1
						break
					}
				}
			}
		}
		out[i], taken[m] = m, true
	}
	return out
}

// sanitize replaces every byte a service would refuse with '_'.
func sanitize(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		if c := name[i]; nameByte(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// hashed is m cut to leave room for '_' and digits hex digits of the
// SHA-256 of the server's name, so different server names stay apart.
func hashed(m, server string, digits int) string {
	sum := sha256.Sum256([]byte(server))
	h := hex.EncodeToString(sum[:])[:digits]
	return m[:min(len(m), maxName-1-digits)] + "_" + h
}
