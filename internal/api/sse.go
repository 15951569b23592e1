package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// writeEvent writes ev in the Server-Sent Events format. Data is written one
// "data:" line per line so that a browser's EventSource rebuilds it exactly;
// empty data is written as null because EventSource drops events without
// data.
func writeEvent(w io.Writer, ev Event) error {
	if strings.ContainsAny(ev.Name, "\r\n") {
		return fmt.Errorf("event %d: name %q must be a single line", ev.ID, ev.Name)
	}
	var b bytes.Buffer
	b.WriteString("id: ")
	b.WriteString(strconv.FormatUint(ev.ID, 10))
	b.WriteByte('\n')
	if ev.Name != "" {
		b.WriteString("event: ")
		b.WriteString(ev.Name)
		b.WriteByte('\n')
	}
	data := ev.Data
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	for _, line := range splitLines(string(data)) {
		b.WriteString("data: ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// splitLines splits at "\r\n", "\n" and "\r", the line ends SSE allows.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
}

// maxSSELine bounds one line of an event stream, so a broken server cannot
// make the client buffer without limit.
const maxSSELine = 4 << 20

// errSSELineTooLong is returned for a line longer than maxSSELine.
var errSSELineTooLong = errors.New("event stream: line longer than 4 MiB")

// sseReader parses an event stream as the HTML standard specifies: lines end
// with CR, LF or CRLF; "field: value" with one optional space after the
// colon; lines starting with ':' are comments; a blank line dispatches the
// event; an event with no data is not dispatched. The id must be a bus index
// (a decimal number): anything else is a protocol error, because resuming
// from it would be impossible.
type sseReader struct {
	r       *bufio.Reader
	lastID  uint64
	pending byte // a CR was the last byte read: skip a following LF
}

func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next event; io.EOF at a clean end of the stream. An
// event cut off by the end of the stream is discarded, as the standard says.
func (s *sseReader) Next() (Event, error) {
	var (
		data    strings.Builder
		hasData bool
		name    string
	)
	for {
		line, err := s.readLine()
		if err != nil {
			return Event{}, err
		}
		if line == "" {
			if !hasData {
				name = ""
				continue
			}
			d := data.String()
			return Event{ID: s.lastID, Name: name, Data: json.RawMessage(d)}, nil
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		case "event":
			name = value
		case "id":
			if strings.ContainsRune(value, 0) {
				continue // the standard ignores such ids
			}
			id, err := strconv.ParseUint(value, 10, 64)
			if err != nil {
				return Event{}, fmt.Errorf("event stream: id %q is not an event index", value)
			}
			s.lastID = id
		case "retry":
			// The reconnection delay is the client's own backoff.
		}
	}
}

// readLine returns one line without its end.
func (s *sseReader) readLine() (string, error) {
	var line []byte
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", io.EOF
			}
			return "", err
		}
		if s.pending == '\r' {
			s.pending = 0
			if b == '\n' {
				continue
			}
		}
		switch b {
		case '\n':
			return string(line), nil
		case '\r':
			s.pending = '\r'
			return string(line), nil
		}
		if len(line) >= maxSSELine {
			return "", errSSELineTooLong
		}
		line = append(line, b)
	}
}
