package cache

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"time"

	"github.com/fittui/fittui/providers"
)

// HeartRateBins returns the mean heart rate of perDay equal slices of
// every day from..to (days*perDay values, oldest first; 0: no data), for
// the history view. Settled days come straight from the encoded entries
// without building samples (a year of per-minute data in a few
// milliseconds); stale or missing days go through Intraday. Days that
// cannot be had are left at 0 and the first such failure is returned
// with the rest of the bins.
func (c *Cached) HeartRateBins(ctx context.Context, from, to providers.Date, perDay int) ([]float64, error) {
	n := from.DaysUntil(to) + 1
	if n <= 0 || perDay <= 0 || perDay > 86400 || n > maxCachedRange || n*perDay > 1<<24 {
		return nil, errors.New("cache: heart-rate bins need from <= to and 1..86400 bins a day, 16M at most")
	}
	loc, ok := c.location(ctx, Ask)
	if !ok {
		loc = time.UTC
	}
	out := make([]float64, n*perDay)
	cnt := make([]int32, perDay)
	var dec binDecoder
	var first error
	for i := range n {
		day := from.AddDays(i)
		start, end := day.In(loc), day.AddDays(1).In(loc)
		bins := out[i*perDay : (i+1)*perDay]
		clear(cnt)
		if ok && c.store != nil {
			if e, hit := c.store.Get(c.account, intradayKey(day)); hit && c.fresh(day, e.Fetched, loc, true) {
				if err := dec.heart(e.Payload, start.UnixNano(), end.Sub(start).Nanoseconds(), bins, cnt); err == nil {
					c.served(e.Fetched)
					meanBins(bins, cnt)
					continue
				}
				clear(bins)
				c.store.drop(c.store.path(c.account, intradayKey(day)), "cannot decode heart rate")
			}
		}
		in, err := c.Intraday(ctx, day)
		if err != nil {
			if first == nil {
				first = err
			}
			if ctx.Err() != nil {
				return out, first
			}
			continue
		}
		copy(bins, Downsample(in.HeartRate.Samples, start, end, perDay))
	}
	return out, first
}

func meanBins(sum []float64, cnt []int32) {
	for i := range sum {
		if cnt[i] > 0 {
			sum[i] /= float64(cnt[i])
		}
	}
}

// binDecoder decodes intraday payloads into bins, reusing its buffers
// from one day to the next.
type binDecoder struct {
	fr  io.ReadCloser
	raw bytes.Buffer
	idx []int32
	src bytes.Reader
}

// heart adds the heart-rate samples of an intraday payload into
// sum/cnt, binned over from..from+span (unix ns).
func (d *binDecoder) heart(p []byte, from, span int64, sum []float64, cnt []int32) error {
	size, n := binary.Uvarint(p)
	if n <= 0 || size > maxInflated {
		return errors.New("bad intraday header")
	}
	d.src.Reset(p[n:])
	if d.fr == nil {
		d.fr = flate.NewReader(&d.src)
	} else if err := d.fr.(flate.Resetter).Reset(&d.src, nil); err != nil {
		return err
	}
	d.raw.Reset()
	d.raw.Grow(int(size))
	if _, err := io.Copy(&d.raw, io.LimitReader(d.fr, int64(size)+1)); err != nil {
		return err
	}
	if uint64(d.raw.Len()) != size {
		return errors.New("intraday payload has the wrong length")
	}
	r := &reader{b: d.raw.Bytes()}
	r.string()  // zone
	r.varint()  // offset
	r.string()  // note
	r.varint()  // year
	r.byte1()   // month
	r.byte1()   // day
	r.uvarint() // resolution
	m := r.uvarint()
	if r.err != nil || m == 0 {
		return r.err
	}
	if m > maxSamples || m > uint64(len(r.b)) {
		return errors.New("bad series length")
	}
	unit := int64(r.uvarint())
	t := r.varint()
	mode := r.byte1()
	if r.err != nil {
		return r.err
	}
	if unit <= 0 || mode > 1 {
		return errors.New("bad series header")
	}
	if cap(d.idx) < int(m) {
		d.idx = make([]int32, m)
	}
	idx := d.idx[:m]
	bins := int64(len(sum))
	b := r.b
	for i := range idx {
		if i > 0 {
			var step uint64
			if len(b) > 0 && b[0] < 0x80 {
				step, b = uint64(b[0]), b[1:]
			} else {
				v, k := binary.Uvarint(b)
				if k <= 0 {
					return errors.New("truncated series")
				}
				step, b = v, b[k:]
			}
			t += int64(step) * unit
		}
		off := t - from
		if off < 0 || off >= span {
			idx[i] = -1
			continue
		}
		j := int64(float64(off) / float64(span) * float64(bins))
		idx[i] = int32(min(j, bins-1))
	}
	var v int64
	for i := range idx {
		var f float64
		if mode == 0 {
			if len(b) > 0 && b[0] < 0x80 {
				u := int64(b[0])
				v += u>>1 ^ -(u & 1)
				b = b[1:]
			} else {
				dv, k := binary.Varint(b)
				if k <= 0 {
					return errors.New("truncated series")
				}
				v += dv
				b = b[k:]
			}
			f = float64(v)
		} else {
			if len(b) < 8 {
				return errors.New("truncated series")
			}
			f = math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
		}
		if j := idx[i]; j >= 0 {
			sum[j] += f
			cnt[j]++
		}
	}
	return nil
}
