package prompt

import (
	"reflect"
	"testing"
)

// TestPlanPublishedAfterTheMiss: a goroutine that missed a type in the
// cache, while another published it before its own build looked again,
// still gets the plan (it came back with nil, and Render panicked).
func TestPlanPublishedAfterTheMiss(t *testing.T) {
	typ := reflect.StructOf([]reflect.StructField{{Name: "PublishedMeanwhile", Type: reflect.TypeFor[string]()}})
	want := planFor(typ) // the other goroutine's
	if got := buildPlan(typ); got != want {
		t.Fatalf("buildPlan after the type was published: %p, want %p", got, want)
	}
}
