package prompt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File reads a file from disk into a media part. Its MIME type is sniffed
// from the content; where the content shows only text/plain or nothing
// (application/octet-stream), the file's extension decides (.md is
// text/markdown, .csv text/csv, …). The kind follows the MIME type:
// image/* is an image, audio/* a sound, application/pdf and text/* a
// document; any other type is an [ErrInvalidValue] error, as is an empty
// file. The whole file is read into memory: services take media inline
// up to some megabytes (see each provider's documentation), so for larger
// ones upload the file to the service and send [FileRef].
func File(path string) (Part, error) {
	data, err := readRegular(path)
	if err != nil {
		return Part{}, err
	}
	if len(data) == 0 {
		return Part{}, &Error{Err: ErrInvalidValue, Msg: fmt.Sprintf("file %s is empty", path)}
	}
	mimeType := SniffMIMEType(data)
	if mimeType == "text/plain" || mimeType == "application/octet-stream" {
		if t, ok := textExtensions[strings.ToLower(filepath.Ext(path))]; ok {
			mimeType = t
		}
	}
	kind := kindOfMIME(mimeType)
	if kind == "" {
		return Part{}, &Error{Err: ErrInvalidValue, Msg: fmt.Sprintf(
			"file %s is %s, not an image, a sound or a document: if the service takes it, build the part with Media{Kind, MIMEType, Data}", path, mimeType)}
	}
	return Part{Media: &Media{Kind: kind, MIMEType: mimeType, Data: data}}, nil
}

// readRegular reads a regular file (a symbolic link to one is followed).
// Anything else is refused before a byte is read: a device such as
// /dev/zero never ends, a FIFO may block forever, a directory has no bytes.
// It is checked before opening (opening a FIFO blocks until a writer
// comes) and again on the open file, which may have been swapped.
func readRegular(path string) ([]byte, error) {
	notRegular := func(fi os.FileInfo) error {
		if fi.Mode().IsRegular() {
			return nil
		}
		what := "a device, socket or named pipe"
		if fi.IsDir() {
			what = "a directory"
		}
		return &Error{Err: ErrInvalidValue, Msg: fmt.Sprintf("%s is %s, not a regular file", path, what)}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := notRegular(fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := notRegular(fi); err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// textExtensions name the text formats content alone does not tell apart.
// A fixed table rather than mime.TypeByExtension, whose answers depend on
// the machine's own tables.
var textExtensions = map[string]string{
	".md":       "text/markdown",
	".markdown": "text/markdown",
	".csv":      "text/csv",
	".tsv":      "text/tab-separated-values",
	".html":     "text/html",
	".htm":      "text/html",
	".xml":      "text/xml",
	".txt":      "text/plain",
}

// FileRef returns a media part for a file already uploaded to a service,
// by the id the service gave it, such as OpenAI's "file-abc123" (a file
// uploaded to Gemini is a URL: use [ImageURL] and the like). mimeType may
// be empty where the service knows it.
func FileRef(kind MediaKind, id, mimeType string) Part {
	return Part{Media: &Media{Kind: kind, FileID: id, MIMEType: mimeType}}
}

// WithDetail returns a copy of an image part with OpenAI's detail hint:
// "low" (a fixed small budget of tokens), "high" or "auto" (and "original"
// on the models that take it). Services
// without the hint ignore it; a part without media is returned as is. The
// bytes are not copied.
func (p Part) WithDetail(detail string) Part {
	if p.Media == nil {
		return p
	}
	p = clonePart(p)
	p.Media.Detail = detail
	return p
}
