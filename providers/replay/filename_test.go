package replay

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFileNameKeepsOrdinaryNames(t *testing.T) {
	for name, want := range map[string]string{
		"TestRecommend":                   "TestRecommend",
		"TestParallelSubtests/fantasy":    "TestParallelSubtests__fantasy",
		"TestUnderTraced/replayed_tracer": "TestUnderTraced__replayed_tracer",
		"TestA/v1.2-beta/deep_sub":        "TestA__v1.2-beta__deep_sub",
	} {
		assert.Equal(t, want, fileName(name), name)
	}
}

// Names that differ give files that differ, even where the readable part
// is the same.
func TestFileNameNeverMergesNames(t *testing.T) {
	groups := [][]string{
		{"TestCmp/x>0", "TestCmp/x<0", "TestCmp/x_0", "TestCmp/x=0"},
		{"TestA/b/c", "TestA/b__c", "TestA__b/c"},
		{"TestA/b_/c", "TestA/b/_c", "TestA/b___c", "TestA/b_/_c"},
		{"TestA//b", "TestA/_/b", "TestA/b"},
		{"TestA/é", "TestA/è", "TestA/_"},
		{"TestA/case", "TestA/case#01", "TestA/case_01"},
		{strings.Repeat("a", 300) + "1", strings.Repeat("a", 300) + "2"},
	}
	for _, names := range groups {
		seen := map[string]string{}
		for _, n := range names {
			f := fileName(n)
			assert.NotContains(t, seen, f, "%q and %q share %s", seen[f], n, f)
			seen[f] = n
			assert.LessOrEqual(t, len(f+".json"), 255, "a file system takes the name")
			assert.NotContains(t, f, "/")
		}
	}
	assert.Equal(t, "TestCmp__x_0+d73470388605", fileName("TestCmp/x>0"), "still readable, as the package doc shows")
}

func FuzzFileNameIsOneToOne(f *testing.F) {
	f.Add("TestCmp/x>0", "TestCmp/x<0")
	f.Add("TestA/b/c", "TestA/b__c")
	f.Add("TestA/b_/c", "TestA/b/_c")
	f.Fuzz(func(t *testing.T, a, b string) {
		if a != b && fileName(a) == fileName(b) {
			t.Fatalf("%q and %q share %s", a, b, fileName(a))
		}
	})
}
