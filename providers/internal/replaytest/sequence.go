package replaytest

import (
	"net/http"
	"sync"
)

// Sequence answers the n-th request with the n-th handler, and every
// request after the last with the last: the turns of a conversation, such
// as a tool call and the answer after its result.
func Sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := handlers[min(n, len(handlers)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}
