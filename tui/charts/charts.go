// Package charts renders the dashboard's small charts to strings.
//
// Every chart function returns exactly height lines of exactly width
// terminal cells (or "" when either size is not positive), whatever the
// data: nil, all zeros, NaN, ±Inf, negative or huge values. Zero, NaN and
// ±Inf are "no data" and are drawn as gaps. Styles are used for their
// foreground colour only, so a style with padding, borders or a width can
// never change a chart's size.
//
// The sparkline is drawn by ntcharts (sparkline) and the line with
// ntcharts' braille grid and line primitives (canvas/graph); the bars are
// eighth blocks written straight into the grid, rounded as ntcharts'
// barchart rounds them (its canvas cost most of a year's redraw). The finished cells are then coloured here in runs rather
// than through ntcharts' per-cell lipgloss rendering, which would cost one
// Style.Render per cell.
package charts

import (
	"math"
	"math/bits"
	"slices"
)

// Agg says how Downsample merges the values of one bucket.
type Agg int

const (
	Mean Agg = iota // mean of the non-zero values (zero means "no data")
	Max
	Sum
)

// Downsample reduces values to at most n buckets. Zero values are "no data".
//
// n <= 0 gives nil; len(values) <= n gives an unchanged copy. Otherwise the
// result has n buckets of near-equal size that cover all values in order
// (bucket b holds the indices i with BucketOf(i, len(values), n) == b).
// Mean averages the bucket's non-zero values, Max takes the largest non-zero
// value, Sum adds them; a bucket without data is 0. NaN and ±Inf inside a
// bucket are no data; a Sum too large for float64 is clamped to
// ±math.MaxFloat64. An unknown Agg behaves like Mean.
func Downsample(values []float64, n int, agg Agg) []float64 {
	if n <= 0 {
		return nil
	}
	if len(values) <= n {
		return slices.Clone(values)
	}
	out := make([]float64, n)
	total := len(values)
	start := 0
	for b := range n {
		end := bucketStart(b+1, total, n)
		out[b] = aggregate(values[start:end], agg)
		start = end
	}
	return out
}

// BucketOf maps index i of a series of length total to its bucket when the
// series is downsampled to n buckets.
//
// It returns -1 when i is outside 0..total-1 or n <= 0. When total <= n
// (Downsample keeps every value) the bucket is i itself.
func BucketOf(i, total, n int) int {
	if n <= 0 || i < 0 || i >= total {
		return -1
	}
	if total <= n {
		return i
	}
	// floor(i*n/total) without overflow: i < total, so the quotient < n.
	hi, lo := bits.Mul64(uint64(i), uint64(n))
	q, _ := bits.Div64(hi, lo, uint64(total))
	return int(q)
}

// bucketStart is the first index of bucket b (0 <= b <= n, n < total):
// ceil(b*total/n). It is the inverse of BucketOf: index i is in bucket b
// exactly when b*total <= i*n < (b+1)*total.
func bucketStart(b, total, n int) int {
	hi, lo := bits.Mul64(uint64(b), uint64(total))
	lo, carry := bits.Add64(lo, uint64(n-1), 0)
	hi += carry
	q, _ := bits.Div64(hi, lo, uint64(n))
	return int(q)
}

// valid reports whether v is data: not zero, NaN or ±Inf.
func valid(v float64) bool {
	// v-v is 0 for finite v and NaN for NaN and ±Inf; one compare is
	// measurably cheaper than IsNaN+IsInf over 86,400 samples.
	return v != 0 && v-v == 0
}

func aggregate(bucket []float64, agg Agg) float64 {
	switch agg {
	case Max:
		best, seen := 0.0, false
		for _, v := range bucket {
			if valid(v) && (!seen || v > best) {
				best, seen = v, true
			}
		}
		return best
	case Sum:
		sum := 0.0
		for _, v := range bucket {
			if valid(v) {
				sum += v
			}
		}
		return clampFinite(sum)
	default:
		sum, count := 0.0, 0
		for _, v := range bucket {
			if valid(v) {
				sum += v
				count++
			}
		}
		if count == 0 {
			return 0
		}
		if math.IsInf(sum, 0) || math.IsNaN(sum) {
			// The plain sum overflowed: average the values pre-divided.
			sum = 0
			for _, v := range bucket {
				if valid(v) {
					sum += v / float64(count)
				}
			}
			return clampFinite(sum)
		}
		return sum / float64(count)
	}
}

func clampFinite(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}

// prepare downsamples values to at most width points with agg and turns
// NaN and ±Inf into 0 (no data). The result is always a fresh slice.
func prepare(values []float64, width int, agg Agg) []float64 {
	ds := Downsample(values, width, agg)
	for i, v := range ds {
		if !valid(v) {
			ds[i] = 0
		}
	}
	return ds
}

// nonZeroRange returns the min and max of the non-zero values; ok is false
// when there are none.
func nonZeroRange(values []float64) (lo, hi float64, ok bool) {
	for _, v := range values {
		if v == 0 {
			continue
		}
		if !ok {
			lo, hi, ok = v, v, true
			continue
		}
		lo = min(lo, v)
		hi = max(hi, v)
	}
	return lo, hi, ok
}

// unit maps v in lo..hi to 0..1 without overflowing on huge ranges; a flat
// range (lo == hi) maps to 0.5, the middle.
func unit(v, lo, hi float64) float64 {
	if hi <= lo {
		return 0.5
	}
	t := (v/2 - lo/2) / (hi/2 - lo/2)
	if math.IsNaN(t) {
		return 0.5
	}
	return min(max(t, 0), 1)
}
