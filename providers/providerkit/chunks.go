package providerkit

import (
	"bytes"
	"io"
	"net/http"
)

// chunkSize is the size of a [Chunks] piece: a 256 MB body is a few
// hundred of them, and the last wastes little.
const chunkSize = 1 << 20

// Chunks is a request body written once and kept in fixed pieces: unlike a
// growing buffer it is never copied whole, and it is read again from its
// start as often as a retry asks. Batch uploads, hundreds of megabytes,
// are built in one. The zero value is empty and ready; it is not for
// concurrent writes.
type Chunks struct {
	pieces [][]byte
	n      int
}

// Write appends p, filling the last piece before starting another.
func (c *Chunks) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		last := len(c.pieces) - 1
		if last < 0 || len(c.pieces[last]) == cap(c.pieces[last]) {
			c.pieces = append(c.pieces, make([]byte, 0, chunkSize))
			last++
		}
		piece := c.pieces[last]
		k := copy(piece[len(piece):cap(piece)], p)
		c.pieces[last] = piece[:len(piece)+k]
		p = p[k:]
	}
	c.n += n
	return n, nil
}

// Len is the number of bytes written.
func (c *Chunks) Len() int { return c.n }

// Reader reads everything written, from the start.
func (c *Chunks) Reader() io.ReadCloser {
	rs := make([]io.Reader, len(c.pieces))
	for i, p := range c.pieces {
		rs[i] = bytes.NewReader(p)
	}
	return io.NopCloser(io.MultiReader(rs...))
}

// SetBody makes c the body of r, with its length and content type, and a
// GetBody that reads it afresh so that the shared transport can retry r.
// An SDK middleware calls it, replacing the body the SDK built.
func (c *Chunks) SetBody(r *http.Request, contentType string) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	r.Body, r.ContentLength = c.Reader(), int64(c.n)
	r.GetBody = func() (io.ReadCloser, error) { return c.Reader(), nil }
	r.Header.Set("Content-Type", contentType)
}
