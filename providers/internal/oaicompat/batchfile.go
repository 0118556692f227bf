package oaicompat

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// uploadChunk is the size of the pieces a batch upload is kept in: large
// enough that a 200 MB file is a few hundred of them, small enough that
// the last one wastes little.
const uploadChunk = 1 << 20

// batchUpload is the multipart body of POST /files (purpose "batch", the
// JSONL file under "file"), written once, line by line, into fixed chunks
// and sent from them. Nothing copies the file whole: not a growing buffer,
// not the SDK's multipart encoder, and a retry reads the chunks again.
type batchUpload struct {
	chunks [][]byte
	size   int // bytes written, multipart envelope included
	mw     *multipart.Writer
	file   io.Writer // the "file" part
	start  int       // size when the file's first line began
}

func newBatchUpload() (*batchUpload, error) {
	u := &batchUpload{}
	u.mw = multipart.NewWriter(u)
	if err := u.mw.WriteField("purpose", string(openai.FilePurposeBatch)); err != nil {
		return nil, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="batch.jsonl"`)
	h.Set("Content-Type", "application/jsonl")
	var err error
	if u.file, err = u.mw.CreatePart(h); err != nil {
		return nil, err
	}
	u.start = u.size
	return u, nil
}

// Write appends p, filling the last chunk before starting another.
func (u *batchUpload) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		last := len(u.chunks) - 1
		if last < 0 || len(u.chunks[last]) == cap(u.chunks[last]) {
			u.chunks = append(u.chunks, make([]byte, 0, uploadChunk))
			last++
		}
		k := copy(u.chunks[last][len(u.chunks[last]):cap(u.chunks[last])], p)
		u.chunks[last] = u.chunks[last][:len(u.chunks[last])+k]
		p = p[k:]
	}
	u.size += n
	return n, nil
}

// line writes one JSONL line: the members before "body" (already encoded,
// each with its trailing comma), then body, which must be one JSON value.
// A body the SDK wrote over several lines is compacted: a line is a line.
func (u *batchUpload) line(head []byte, body []byte) error {
	if bytes.ContainsAny(body, "\r\n") {
		var c bytes.Buffer
		if err := json.Compact(&c, body); err != nil {
			return err
		}
		body = c.Bytes()
	}
	for _, b := range [][]byte{head, []byte(`"body":`), body, []byte("}\n")} {
		if _, err := u.file.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// fileBytes is the size of the JSONL file so far.
func (u *batchUpload) fileBytes() int { return u.size - u.start }

// reader reads the whole body from its start.
func (u *batchUpload) reader() io.ReadCloser {
	rs := make([]io.Reader, len(u.chunks))
	for i, c := range u.chunks {
		rs[i] = bytes.NewReader(c)
	}
	return io.NopCloser(io.MultiReader(rs...))
}

// jsonString is s as a JSON string.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// send closes the body and uploads it through the Files API. The SDK is
// handed an empty FileNewParams and the body goes in by middleware, with
// its length and a GetBody that reads the chunks afresh, so the shared
// transport can replay it on a retry.
func (u *batchUpload) send(ctx context.Context, c *Core) (*openai.FileObject, error) {
	if err := u.mw.Close(); err != nil {
		return nil, err
	}
	ct, n := u.mw.FormDataContentType(), int64(u.size)
	body := option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		r.Body, r.ContentLength = u.reader(), n
		r.GetBody = func() (io.ReadCloser, error) { return u.reader(), nil }
		r.Header.Set("Content-Type", ct)
		return next(r)
	})
	var hr *http.Response
	f, err := c.files.New(ctx, openai.FileNewParams{}, option.WithHeader("Content-Type", ct), body, option.WithResponseInto(&hr))
	if err != nil {
		return nil, c.fail(ctx, err, hr)
	}
	return f, nil
}
