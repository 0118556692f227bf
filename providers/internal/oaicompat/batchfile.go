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

	"github.com/mirascope-go/mirascope/providers/providerkit"
)

// batchUpload is the multipart body of POST /files (purpose "batch", the
// JSONL file under "file"), written once, line by line, into
// providerkit.Chunks and sent from them. Nothing copies the file whole:
// not a growing buffer, not the SDK's multipart encoder, and a retry reads
// the pieces again.
type batchUpload struct {
	body  providerkit.Chunks
	mw    *multipart.Writer
	file  io.Writer // the "file" part
	start int       // the body's length when the file's first line began
}

func newBatchUpload() (*batchUpload, error) {
	u := &batchUpload{}
	u.mw = multipart.NewWriter(&u.body)
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
	u.start = u.body.Len()
	return u, nil
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
func (u *batchUpload) fileBytes() int { return u.body.Len() - u.start }

// jsonString is s as a JSON string.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// send closes the body and uploads it through the Files API. The SDK is
// handed an empty FileNewParams and the body goes in by middleware,
// replayable, so the shared transport can retry it.
func (u *batchUpload) send(ctx context.Context, c *Core) (*openai.FileObject, error) {
	if err := u.mw.Close(); err != nil {
		return nil, err
	}
	ct := u.mw.FormDataContentType()
	body := option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		u.body.SetBody(r, ct)
		return next(r)
	})
	var hr *http.Response
	f, err := c.files.New(ctx, openai.FileNewParams{}, body, option.WithResponseInto(&hr))
	if err != nil {
		return nil, c.fail(ctx, err, hr)
	}
	return f, nil
}
