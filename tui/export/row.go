package export

import (
	"math"
	"strconv"
	"time"
)

// kind says how a cell is written: JSON quotes strings, writes numbers
// and booleans bare and unknown values as null; CSV leaves null empty.
type kind uint8

const (
	kString kind = iota
	kNumber
	kBool
	kNull
)

// Row is one output row being built, cell by cell, in the order of the
// columns. Its memory is reused from row to row, so a year of 1-second
// heart rate is written without a heap allocation per row.
type Row struct {
	buf   []byte
	ends  []int
	kinds []kind
}

func (r *Row) reset() {
	r.buf, r.ends, r.kinds = r.buf[:0], r.ends[:0], r.kinds[:0]
}

func (r *Row) cell(k kind) {
	r.ends = append(r.ends, len(r.buf))
	r.kinds = append(r.kinds, k)
}

// Len is the number of cells so far.
func (r *Row) Len() int { return len(r.ends) }

// text returns cell i's text and kind.
func (r *Row) text(i int) ([]byte, kind) {
	start := 0
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.buf[start:r.ends[i]], r.kinds[i]
}

// Time adds an RFC 3339 timestamp in loc (seconds, with the offset).
func (r *Row) Time(t time.Time, loc *time.Location) {
	r.buf = t.In(loc).AppendFormat(r.buf, time.RFC3339)
	r.cell(kString)
}

// Date adds a civil date, YYYY-MM-DD.
func (r *Row) Date(y int, m time.Month, d int) {
	r.buf = strconv.AppendInt(r.buf, int64(y), 10)
	r.buf = append(r.buf, '-', byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+d/10), byte('0'+d%10))
	r.cell(kString)
}

// String adds a text cell.
func (r *Row) String(s string) {
	r.buf = append(r.buf, s...)
	r.cell(kString)
}

// Int adds a whole number.
func (r *Row) Int(n int) {
	r.buf = strconv.AppendInt(r.buf, int64(n), 10)
	r.cell(kNumber)
}

// Float adds v rounded to two decimals, without trailing zeros ("72",
// "72.5", "72.33"). NaN and infinities are unknown (null).
func (r *Row) Float(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		r.Null()
		return
	}
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	r.buf = strconv.AppendFloat(r.buf, v, 'f', -1, 64)
	r.cell(kNumber)
}

// Bool adds true or false.
func (r *Row) Bool(b bool) {
	r.buf = strconv.AppendBool(r.buf, b)
	r.cell(kBool)
}

// Null adds an unknown value: empty in CSV, null in JSON.
func (r *Row) Null() { r.cell(kNull) }

// IntOrNull adds n, or null when n is zero (providers' "not known").
func (r *Row) IntOrNull(n int) {
	if n == 0 {
		r.Null()
		return
	}
	r.Int(n)
}

// FloatOrNull adds v, or null when v is zero.
func (r *Row) FloatOrNull(v float64) {
	if v == 0 {
		r.Null()
		return
	}
	r.Float(v)
}
