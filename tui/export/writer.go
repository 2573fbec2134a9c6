package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Format is an output format.
type Format string

const (
	CSV  Format = "csv"  // header row, then one line per row
	JSON Format = "json" // an array of objects keyed by the column names
)

// Formats lists the output formats.
func Formats() []Format { return []Format{CSV, JSON} }

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%q is not a format: use csv or json", s)
}

// Encoder writes rows in one format. Begin comes first, then any number of
// Rows whose cells match the columns, then End, which flushes. An encoder
// buffers: nothing reaches the writer before Begin's buffer fills or End.
type Encoder interface {
	Begin(columns []string) error
	Row(r *Row) error
	End() error
}

// NewEncoder returns an encoder of format f writing to w.
func NewEncoder(f Format, w io.Writer) Encoder {
	bw := bufio.NewWriterSize(w, 64<<10)
	if f == JSON {
		return &jsonEncoder{w: bw}
	}
	return &csvEncoder{w: bw}
}

type csvEncoder struct {
	w    *bufio.Writer
	cols int
	line []byte
}

func (e *csvEncoder) Begin(columns []string) error {
	e.cols = len(columns)
	e.line = e.line[:0]
	for i, c := range columns {
		if i > 0 {
			e.line = append(e.line, ',')
		}
		e.line = csvField(e.line, []byte(c))
	}
	e.line = append(e.line, '\n')
	_, err := e.w.Write(e.line)
	return err
}

func (e *csvEncoder) Row(r *Row) error {
	if r.Len() != e.cols {
		return fmt.Errorf("export: row has %d cells for %d columns", r.Len(), e.cols)
	}
	e.line = e.line[:0]
	for i := range r.Len() {
		if i > 0 {
			e.line = append(e.line, ',')
		}
		if b, k := r.text(i); k != kNull {
			e.line = csvField(e.line, b)
		}
	}
	e.line = append(e.line, '\n')
	_, err := e.w.Write(e.line)
	return err
}

func (e *csvEncoder) End() error { return e.w.Flush() }

// csvField appends b, quoted as RFC 4180 asks when it holds a comma, a
// quote, a line break or leading space.
func csvField(dst, b []byte) []byte {
	quote := len(b) > 0 && (b[0] == ' ' || b[0] == '\t')
	for _, c := range b {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(dst, b...)
	}
	dst = append(dst, '"')
	for _, c := range b {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

type jsonEncoder struct {
	w    *bufio.Writer
	keys [][]byte // `"name":` per column
	rows int
	line []byte
}

func (e *jsonEncoder) Begin(columns []string) error {
	e.keys = make([][]byte, len(columns))
	for i, c := range columns {
		e.keys[i] = append(jsonString(nil, []byte(c)), ':')
	}
	e.rows = 0
	_, err := e.w.WriteString("[")
	return err
}

func (e *jsonEncoder) Row(r *Row) error {
	if r.Len() != len(e.keys) {
		return fmt.Errorf("export: row has %d cells for %d columns", r.Len(), len(e.keys))
	}
	e.line = e.line[:0]
	if e.rows > 0 {
		e.line = append(e.line, ',')
	}
	e.line = append(e.line, "\n  {"...)
	for i := range r.Len() {
		if i > 0 {
			e.line = append(e.line, ',')
		}
		e.line = append(e.line, e.keys[i]...)
		switch b, k := r.text(i); k {
		case kNull:
			e.line = append(e.line, "null"...)
		case kString:
			e.line = jsonString(e.line, b)
		default:
			e.line = append(e.line, b...)
		}
	}
	e.line = append(e.line, '}')
	e.rows++
	_, err := e.w.Write(e.line)
	return err
}

func (e *jsonEncoder) End() error {
	end := "\n]\n"
	if e.rows == 0 {
		end = "]\n"
	}
	if _, err := e.w.WriteString(end); err != nil {
		return err
	}
	return e.w.Flush()
}

// jsonString appends b as a JSON string. Timestamps, dates and stage
// names take the fast path; anything else goes through encoding/json.
func jsonString(dst, b []byte) []byte {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			q, _ := json.Marshal(string(b)) // a string always marshals
			return append(dst, q...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, b...)
	return append(dst, '"')
}
