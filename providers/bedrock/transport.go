package bedrock

import (
	"bytes"
	"io"
	"net/http"
)

// detachBody gives the transport its own copy of the request body. The SDK
// closes the body it built as soon as the response headers arrive, while
// net/http's writer may still make its final read of it (to check for bytes
// past Content-Length); that read then fails and net/http closes the
// connection, cutting a ConverseStream response mid-stream ("use of closed
// network connection"). Converse bodies are small JSON documents.
type detachBody struct{ base http.RoundTripper }

func (t detachBody) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return t.base.RoundTrip(req)
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	r.ContentLength = int64(len(b))
	return t.base.RoundTrip(r)
}
