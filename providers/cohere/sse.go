package cohere

import (
	"bufio"
	"bytes"
	"io"
)

// sseReader reads server-sent events. It buffers across network reads, so
// an event split over several reads is dispatched whole, once its closing
// blank line has arrived (the SDK's reader hands the partial bytes to
// json.Unmarshal instead).
type sseReader struct {
	r *bufio.Reader
}

func newSSEReader(r io.Reader) *sseReader { return &sseReader{r: bufio.NewReaderSize(r, 32<<10)} }

// next returns the next event's type and data. An event still open when the
// body ends is not returned: next then reports io.ErrUnexpectedEOF, and a
// clean end between events io.EOF.
func (s *sseReader) next() (event string, data []byte, err error) {
	var buf bytes.Buffer
	var open, hasData bool
	for {
		line, err := s.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A very long line: gather it whole.
			rest, err2 := s.r.ReadBytes('\n')
			line = append(append([]byte(nil), line...), rest...)
			err = err2
		}
		if err != nil {
			if err == io.EOF {
				if open || len(line) > 0 {
					return "", nil, io.ErrUnexpectedEOF
				}
				return "", nil, io.EOF
			}
			return "", nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			if hasData {
				return event, buf.Bytes(), nil
			}
			event, open = "", false
			continue
		}
		open = true
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			event = string(value)
		case "data":
			if hasData {
				buf.WriteByte('\n')
			}
			buf.Write(value)
			hasData = true
		}
	}
}
