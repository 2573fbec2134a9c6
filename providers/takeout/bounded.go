package takeout

import (
	"bytes"
	"fmt"
	"io"
)

// Every reader of an archive is bounded, so a hostile or broken file (a
// 1 GiB line compresses to 1 MiB) costs at most a few MB: one CSV record
// (encoding/csv buffers a whole record), one JSON list item
// (maxElement), the records of one file (maxFileRecords), the profile.

// maxCSVRecord bounds one CSV record: real rows are well under 1 kB.
const maxCSVRecord = 1 << 20

// maxProfile bounds Profile.csv and profile.json.
const maxProfile = 1 << 20

// maxFileRecords bounds the records one file may yield.
const maxFileRecords = maxFileSamples

var errLongRecord = fmt.Errorf("a line is longer than %d MB: not a CSV file fittui can read (damaged?)", maxCSVRecord>>20)

// recordLimit fails a read once a CSV record (a line, or several inside
// quotes) grows past max bytes.
type recordLimit struct {
	r       io.Reader
	max     int
	n       int // bytes of the record so far
	inQuote bool
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if len(p) > l.max {
		p = p[:l.max] // a line wholly inside one read is then short enough
	}
	n, err := l.r.Read(p)
	b := p[:n]
	if !l.inQuote && bytes.IndexByte(b, '"') < 0 {
		// The common case, without quotes: only the record carried over
		// from earlier reads and the one left open can be long.
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			if l.n+i > l.max {
				return 0, errLongRecord
			}
			l.n = len(b) - 1 - bytes.LastIndexByte(b, '\n')
		} else if l.n += len(b); l.n > l.max {
			return 0, errLongRecord
		}
		return n, err
	}
	for _, c := range b {
		switch c {
		case '"':
			l.inQuote = !l.inQuote // a doubled quote toggles twice
		case '\n':
			if !l.inQuote {
				l.n = 0
				continue
			}
		}
		if l.n++; l.n > l.max {
			return 0, errLongRecord
		}
	}
	return n, err
}

// capped fails a read past max bytes, saying what was too large.
type capped struct {
	r    io.Reader
	left int64
	what string
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%s is larger than %d MB", c.what, maxProfile>>20)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

var errTooManyRecords = fmt.Errorf("more than %d records in one file", maxFileRecords)

// full reports whether a batch has all the records one file may give.
func (b *batch) full() error {
	if b.records() >= maxFileRecords {
		return errTooManyRecords
	}
	return nil
}
