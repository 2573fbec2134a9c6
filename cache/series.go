package cache

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// Series encoding, before compression:
//
//	uvarint resolution (ns), uvarint n, uvarint unit (ns), varint start (unix ns),
//	byte value mode (0: integers, 1: float64 bits),
//	n-1 uvarint time steps in units, then n values:
//	integers as zig-zag varint deltas, floats as 8 bytes each.
//
// Heart rate and steps are whole numbers one resolution apart, so a
// sample costs about two bytes before and well under one after
// compression. Columns (all steps, then all values) keep like with like
// for the compressor.

// appendSeries appends s's encoding to dst.
func appendSeries(dst []byte, s providers.Series) []byte {
	n := len(s.Samples)
	dst = binary.AppendUvarint(dst, uint64(s.Resolution))
	dst = binary.AppendUvarint(dst, uint64(n))
	if n == 0 {
		return dst
	}
	if !sort.SliceIsSorted(s.Samples, func(i, j int) bool { return s.Samples[i].Time.Before(s.Samples[j].Time) }) {
		s.Samples = append([]providers.Sample(nil), s.Samples...)
		sort.SliceStable(s.Samples, func(i, j int) bool { return s.Samples[i].Time.Before(s.Samples[j].Time) })
	}
	unit := pickUnit(s)
	dst = binary.AppendUvarint(dst, uint64(unit))
	start := s.Samples[0].Time.UnixNano()
	dst = binary.AppendVarint(dst, start)
	ints := true
	for _, x := range s.Samples {
		if x.Value != math.Trunc(x.Value) || math.Abs(x.Value) > 1<<52 {
			ints = false
			break
		}
	}
	if ints {
		dst = append(dst, 0)
	} else {
		dst = append(dst, 1)
	}
	prev := start
	for _, x := range s.Samples[1:] {
		t := x.Time.UnixNano()
		dst = binary.AppendUvarint(dst, uint64((t-prev)/int64(unit)))
		prev = t
	}
	if ints {
		var pv int64
		for _, x := range s.Samples {
			v := int64(x.Value)
			dst = binary.AppendVarint(dst, v-pv)
			pv = v
		}
	} else {
		for _, x := range s.Samples {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x.Value))
		}
	}
	return dst
}

// pickUnit is the coarsest of resolution, second and nanosecond that
// divides every step between samples (oldest first, by the providers'
// contract; appendSeries sorts a copy when they are not).
func pickUnit(s providers.Series) time.Duration {
	for _, u := range []time.Duration{s.Resolution, time.Second, 1} {
		if u <= 0 {
			continue
		}
		ok := true
		prev := s.Samples[0].Time.UnixNano()
		for _, x := range s.Samples[1:] {
			d := x.Time.UnixNano() - prev
			if d < 0 || d%int64(u) != 0 {
				ok = false
				break
			}
			prev = x.Time.UnixNano()
		}
		if ok {
			return u
		}
	}
	return 1
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("truncated series")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errors.New("truncated series")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte1() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = errors.New("truncated series")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// readSeries decodes one series placed in loc.
func (r *reader) series(loc *time.Location) providers.Series {
	var s providers.Series
	s.Resolution = time.Duration(r.uvarint())
	n := r.uvarint()
	if r.err != nil || n == 0 {
		return s
	}
	if n > maxSamples || n > uint64(len(r.b)) { // every sample takes at least one byte
		r.err = fmt.Errorf("series claims %d samples in %d bytes", n, len(r.b))
		return s
	}
	unit := int64(r.uvarint())
	t := r.varint()
	mode := r.byte1()
	if r.err != nil {
		return s
	}
	if unit <= 0 || mode > 1 {
		r.err = errors.New("bad series header")
		return s
	}
	s.Samples = make([]providers.Sample, n)
	base := time.Unix(0, t).In(loc)
	s.Samples[0].Time = base
	// Hot loops: one-byte varints (the usual case) decoded inline.
	b := r.b
	var off int64
	for i := 1; i < int(n); i++ {
		var step uint64
		if len(b) > 0 && b[0] < 0x80 {
			step, b = uint64(b[0]), b[1:]
		} else {
			v, k := binary.Uvarint(b)
			if k <= 0 {
				r.err = errors.New("truncated series")
				return providers.Series{}
			}
			step, b = v, b[k:]
		}
		off += int64(step) * unit
		s.Samples[i].Time = base.Add(time.Duration(off))
	}
	if mode == 0 {
		var v int64
		for i := range s.Samples {
			if len(b) > 0 && b[0] < 0x80 {
				u := int64(b[0])
				v += u>>1 ^ -(u & 1) // zig-zag
				b = b[1:]
			} else {
				d, k := binary.Varint(b)
				if k <= 0 {
					r.err = errors.New("truncated series")
					return providers.Series{}
				}
				v += d
				b = b[k:]
			}
			s.Samples[i].Value = float64(v)
		}
	} else {
		if uint64(len(b)) < 8*n {
			r.err = errors.New("truncated series")
			return providers.Series{}
		}
		for i := range s.Samples {
			s.Samples[i].Value = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		b = b[8*n:]
	}
	r.b = b
	if r.err != nil {
		s.Samples = nil
	}
	return s
}

// locName is a name LoadLocation understands for loc, or "" (then the
// offset of the first sample is used).
func locName(loc *time.Location) string {
	if loc == nil || loc == time.Local {
		return ""
	}
	name := loc.String()
	if _, err := loadLocation(name); err != nil {
		return ""
	}
	return name
}

var locs sync.Map // name -> *time.Location

func loadLocation(name string) (*time.Location, error) {
	if l, ok := locs.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locs.Store(name, l)
	return l, nil
}

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// compress deflates b.
func compress(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, _ = w.Write(b) // a bytes.Buffer does not fail
	_ = w.Close()
	flateWriters.Put(w)
	return buf.Bytes()
}

// maxInflated and maxSamples bound a decoded payload (a damaged or
// hostile file must not eat the memory); a day of per-second data is
// 86,400 samples.
const (
	maxInflated = 16 << 20
	maxSamples  = 1 << 20
)

// decompress inflates b; sizeHint is the expected size, 0 if unknown.
func decompress(b []byte, sizeHint int) ([]byte, error) {
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, max(sizeHint, 4*len(b))))
	n, err := io.Copy(out, io.LimitReader(r, maxInflated+1))
	if err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	if n > maxInflated {
		return nil, errors.New("decompressed payload too large")
	}
	return out.Bytes(), nil
}

// intraday payload: deflate of
//
//	uvarint raw length (outside the deflate stream, for the buffer size),
//	then compressed: string zone, string note, int32 date, two series.
func encodeIntraday(in providers.Intraday) []byte {
	var loc *time.Location
	if s, ok := in.HeartRate.Last(); ok {
		loc = s.Time.Location()
	} else if s, ok := in.Steps.Last(); ok {
		loc = s.Time.Location()
	}
	raw := make([]byte, 0, 64+2*len(in.HeartRate.Samples)+2*len(in.Steps.Samples))
	raw = appendString(raw, locName(loc))
	raw = appendOffset(raw, in)
	raw = appendString(raw, in.Note)
	raw = binary.AppendVarint(raw, int64(in.Date.Year))
	raw = append(raw, byte(in.Date.Month), byte(in.Date.Day))
	raw = appendSeries(raw, in.HeartRate)
	raw = appendSeries(raw, in.Steps)
	raw = appendRanges(raw, in.HeartRate)
	out := binary.AppendUvarint(nil, uint64(len(raw)))
	return append(out, compress(raw)...)
}

// The heart-rate series' Min and Max (windows of readings, see
// providers.Series), when it has them, follow the two series: the byte
// 'R', then each column as the values are (mode byte, zig-zag varint
// deltas or float64 bits). Entries written before had nothing there.
const rangesTag = 'R'

func appendRanges(dst []byte, s providers.Series) []byte {
	n := len(s.Samples)
	if n == 0 || len(s.Min) != n || len(s.Max) != n {
		return dst
	}
	dst = append(dst, rangesTag)
	for _, col := range [][]float64{s.Min, s.Max} {
		ints := true
		for _, v := range col {
			if v != math.Trunc(v) || math.Abs(v) > 1<<52 {
				ints = false
				break
			}
		}
		if !ints {
			dst = append(dst, 1)
			for _, v := range col {
				dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
			}
			continue
		}
		dst = append(dst, 0)
		var pv int64
		for _, v := range col {
			dst = binary.AppendVarint(dst, int64(v)-pv)
			pv = int64(v)
		}
	}
	return dst
}

// ranges reads what appendRanges wrote, if anything.
func (r *reader) ranges(s *providers.Series) {
	if r.err != nil || len(r.b) == 0 || r.b[0] != rangesTag {
		return
	}
	r.b = r.b[1:]
	n := len(s.Samples)
	cols := [2][]float64{make([]float64, n), make([]float64, n)}
	for c := range cols {
		switch r.byte1() {
		case 0:
			var v int64
			for i := range cols[c] {
				v += r.varint()
				cols[c][i] = float64(v)
			}
		case 1:
			if len(r.b) < 8*n {
				r.err = errors.New("truncated series")
				return
			}
			for i := range cols[c] {
				cols[c][i] = math.Float64frombits(binary.LittleEndian.Uint64(r.b[8*i:]))
			}
			r.b = r.b[8*n:]
		default:
			if r.err == nil {
				r.err = errors.New("bad heart-rate ranges")
			}
		}
		if r.err != nil {
			return
		}
	}
	s.Min, s.Max = cols[0], cols[1]
}

// appendOffset records the zone offset of the first sample, for series
// whose location has no loadable name.
func appendOffset(b []byte, in providers.Intraday) []byte {
	var off int
	if len(in.HeartRate.Samples) > 0 {
		_, off = in.HeartRate.Samples[0].Time.Zone()
	} else if len(in.Steps.Samples) > 0 {
		_, off = in.Steps.Samples[0].Time.Zone()
	}
	return binary.AppendVarint(b, int64(off))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errors.New("truncated string")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func decodeIntraday(p []byte) (providers.Intraday, error) {
	size, n := binary.Uvarint(p)
	if n <= 0 || size > maxInflated {
		return providers.Intraday{}, errors.New("bad intraday header")
	}
	raw, err := decompress(p[n:], int(size))
	if err != nil {
		return providers.Intraday{}, err
	}
	if uint64(len(raw)) != size {
		return providers.Intraday{}, errors.New("intraday payload has the wrong length")
	}
	r := &reader{b: raw}
	name := r.string()
	off := r.varint()
	loc := time.FixedZone("", int(off))
	if name != "" {
		if l, err := loadLocation(name); err == nil {
			loc = l
		}
	}
	var in providers.Intraday
	in.Note = r.string()
	in.Date.Year = int(r.varint())
	in.Date.Month = time.Month(r.byte1())
	in.Date.Day = int(r.byte1())
	in.HeartRate = r.series(loc)
	in.Steps = r.series(loc)
	r.ranges(&in.HeartRate)
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return providers.Intraday{}, r.err
	}
	return in, nil
}
