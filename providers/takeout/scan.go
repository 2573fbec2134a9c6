package takeout

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// arrayReader streams the elements of a top-level JSON array one at a
// time, so a file of any size costs one element's memory. It checks the
// structure (brackets, strings, commas); each element's content is
// checked by whoever reads it.
type arrayReader struct {
	r     *bufio.Reader
	buf   []byte
	state int // 0: before '[', 1: inside, 2: after ']'
	first bool
}

// maxElement bounds one array element (a sleep log with its stages is a
// few tens of kB).
const maxElement = 4 << 20

func newArrayReader(r io.Reader) *arrayReader {
	return &arrayReader{r: bufio.NewReaderSize(r, 64<<10), first: true}
}

var errSyntax = errors.New("not valid JSON")

func (a *arrayReader) skipSpace() (byte, error) {
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return 0, err
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return c, nil
		}
	}
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return errors.New("the file ends in the middle of the data (truncated?)")
	}
	return err
}

// next returns the next element's bytes (valid until the next call), or
// io.EOF after the closing bracket.
func (a *arrayReader) next() ([]byte, error) {
	switch a.state {
	case 0:
		c, err := a.skipSpace()
		if err != nil {
			if err == io.EOF {
				return nil, errors.New("the file is empty")
			}
			return nil, err
		}
		if c != '[' {
			return nil, fmt.Errorf("%w: expected a list ([) but found %q", errSyntax, c)
		}
		a.state = 1
	case 2:
		return nil, io.EOF
	}
	c, err := a.skipSpace()
	if err != nil {
		return nil, unexpectedEOF(err)
	}
	if c == ']' && a.first {
		return nil, a.end()
	}
	if !a.first {
		switch c {
		case ']':
			return nil, a.end()
		case ',':
			if c, err = a.skipSpace(); err != nil {
				return nil, unexpectedEOF(err)
			}
		default:
			return nil, fmt.Errorf("%w: expected , or ] between list items but found %q", errSyntax, c)
		}
	}
	a.first = false
	a.buf = append(a.buf[:0], c)
	switch c {
	case '{', '[':
		err = a.compound()
	case '"':
		err = a.str()
	default:
		err = a.scalar()
	}
	if err != nil {
		return nil, err
	}
	return a.buf, nil
}

// end checks nothing but space follows the closing bracket.
func (a *arrayReader) end() error {
	a.state = 2
	if c, err := a.skipSpace(); err == nil {
		return fmt.Errorf("%w: %q after the end of the list", errSyntax, c)
	} else if err != io.EOF {
		return err
	}
	return io.EOF
}

func (a *arrayReader) add(c byte) error {
	if len(a.buf) >= maxElement {
		return fmt.Errorf("a list item is larger than %d MB", maxElement>>20)
	}
	a.buf = append(a.buf, c)
	return nil
}

// str reads the rest of a string whose quote is in buf.
func (a *arrayReader) str() error {
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return unexpectedEOF(err)
		}
		if err := a.add(c); err != nil {
			return err
		}
		switch c {
		case '\\':
			c, err = a.r.ReadByte()
			if err != nil {
				return unexpectedEOF(err)
			}
			if err := a.add(c); err != nil {
				return err
			}
		case '"':
			return nil
		}
	}
}

// compound reads the rest of an object or array whose opening is in buf,
// scanning the reader's buffer in place (byte-at-a-time reads cost more
// than the parsing).
func (a *arrayReader) compound() error {
	depth, inStr, esc := 1, false, false
	for {
		if _, err := a.r.Peek(1); err != nil {
			return unexpectedEOF(err)
		}
		buf, _ := a.r.Peek(a.r.Buffered())
		i, done := 0, false
		for ; i < len(buf); i++ {
			c := buf[i]
			if inStr {
				switch {
				case esc:
					esc = false
				case c == '\\':
					esc = true
				case c == '"':
					inStr = false
				}
				continue
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				done = depth == 0
			}
			if done {
				i++
				break
			}
		}
		if len(a.buf)+i > maxElement {
			return fmt.Errorf("a list item is larger than %d MB", maxElement>>20)
		}
		a.buf = append(a.buf, buf[:i]...)
		_, _ = a.r.Discard(i)
		if done {
			return nil
		}
	}
}

// scalar reads the rest of a number or literal.
func (a *arrayReader) scalar() error {
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch c {
		case ',', ']', ' ', '\n', '\r', '\t':
			return a.r.UnreadByte()
		}
		if err := a.add(c); err != nil {
			return err
		}
	}
}

// fields calls f with each member of the JSON object b (keys unquoted,
// values raw). It fails on anything that is not a well-formed object.
func fields(b []byte, f func(key, val []byte)) error {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errSyntax
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errSyntax
		}
		end, err := skipValue(b, i)
		if err != nil {
			return err
		}
		key := b[i+1 : end-1]
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return errSyntax
		}
		i = skipWS(b, i+1)
		vend, err := skipValue(b, i)
		if err != nil {
			return err
		}
		f(key, b[i:vend])
		i = skipWS(b, vend)
		if i >= len(b) {
			return errSyntax
		}
		if b[i] == '}' {
			if skipWS(b, i+1) != len(b) {
				return errSyntax
			}
			return nil
		}
		if b[i] != ',' {
			return errSyntax
		}
		i = skipWS(b, i+1)
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipValue returns the end of the value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, errSyntax
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, err := skipValue(b, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errSyntax
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
		j++
	}
	if j == i {
		return 0, errSyntax
	}
	return j, nil
}

// unquote strips the quotes of a simple JSON string (export strings have
// no escapes where it matters: dates, numbers, levels).
func unquote(v []byte) []byte {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// number reads a JSON number, or a number written as a string ("120",
// " 64.2 "). ok is false for anything else ("", "null", "abc").
func number(v []byte) (float64, bool) {
	v = unquote(v)
	for len(v) > 0 && v[0] == ' ' {
		v = v[1:]
	}
	for len(v) > 0 && v[len(v)-1] == ' ' {
		v = v[:len(v)-1]
	}
	if len(v) == 0 {
		return 0, false
	}
	// Fast path: a plain non-negative integer.
	if len(v) <= 15 {
		n := 0
		ok := true
		for _, c := range v {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			n = n*10 + int(c-'0')
		}
		if ok {
			return float64(n), true
		}
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

// parseTime reads the formats the archives use, in loc when they carry no
// zone:
//
//	MM/DD/YY HH:MM:SS (and MM/DD/YYYY), two-digit years are 20YY
//	MM/DD/YY (a date alone: midnight)
//	2006-01-02T15:04:05[.000] (local, no zone)
//	2006-01-02T15:04:05[.000]Z or with an offset (an instant)
//	2006-01-02 15:04:05 and 2006-01-02
func parseTime(b []byte, loc *time.Location) (time.Time, bool) {
	b = unquote(b)
	if len(b) >= 8 && b[2] == '/' && b[5] == '/' {
		mo, ok1 := digits(b[0:2])
		d, ok2 := digits(b[3:5])
		rest := b[6:]
		yl := 0
		for yl < len(rest) && rest[yl] >= '0' && rest[yl] <= '9' {
			yl++
		}
		y, ok3 := digits(rest[:yl])
		if !ok1 || !ok2 || !ok3 || (yl != 2 && yl != 4) {
			return time.Time{}, false
		}
		if yl == 2 {
			y += 2000
		}
		rest = rest[yl:]
		var h, mi, s int
		if len(rest) > 0 {
			if len(rest) != 9 || rest[0] != ' ' || rest[3] != ':' || rest[6] != ':' {
				return time.Time{}, false
			}
			var ok4, ok5, ok6 bool
			h, ok4 = digits(rest[1:3])
			mi, ok5 = digits(rest[4:6])
			s, ok6 = digits(rest[7:9])
			if !ok4 || !ok5 || !ok6 {
				return time.Time{}, false
			}
		}
		if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(mo), d, h, mi, s, 0, loc), true
	}
	s := string(b)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(loc), true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
