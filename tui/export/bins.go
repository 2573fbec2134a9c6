package export

import (
	"time"

	"github.com/fittui/fittui/providers"
)

// Bin is what fell into one interval of a series.
type Bin struct {
	Start    time.Time // the interval's start, in the account's zone
	Sum      float64
	Min, Max float64
	N        int // samples in the interval
}

// Mean is the mean of the bin's samples.
func (b Bin) Mean() float64 { return b.Sum / float64(b.N) }

// BinStart returns the start of the width-long interval holding t, with
// intervals aligned to the wall clock of loc (15 minutes: :00, :15, ...,
// also in zones 30 or 45 minutes off the hour). Across a change of
// offset the two readings of one wall-clock time fall in different bins:
// an hour repeated in autumn gives two sets of rows, each with its offset.
func BinStart(t time.Time, width time.Duration, loc *time.Location) time.Time {
	_, off := t.In(loc).Zone()
	w := int64(width / time.Second)
	if w <= 1 {
		return time.Unix(t.Unix(), 0).In(loc)
	}
	local := t.Unix() + int64(off)
	k := local - mod(local, w)
	return time.Unix(k-int64(off), 0).In(loc)
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// Bins calls emit with each non-empty width-long interval of samples, in
// order. Samples are expected oldest first (as Series promises); one out of
// order that falls outside the current interval starts a new bin (which may
// repeat an earlier interval's start) rather than being lost.
func Bins(samples []providers.Sample, width time.Duration, loc *time.Location, emit func(Bin) error) error {
	return SeriesBins(providers.Series{Samples: samples}, width, loc, emit)
}

// SeriesBins is Bins over a series whose samples may each summarise a
// window of readings (providers.Series.Min and Max): a bin's minimum and
// maximum are then the lowest and highest readings, not of the means.
func SeriesBins(series providers.Series, width time.Duration, loc *time.Location, emit func(Bin) error) error {
	var cur Bin
	var curEnd time.Time
	for i, s := range series.Samples {
		lo, hi := series.Range(i)
		if cur.N > 0 && (s.Time.Before(cur.Start) || !s.Time.Before(curEnd)) {
			if err := emit(cur); err != nil {
				return err
			}
			cur.N = 0
		}
		if cur.N == 0 {
			cur = Bin{Start: BinStart(s.Time, width, loc), Sum: s.Value, Min: lo, Max: hi, N: 1}
			curEnd = cur.Start.Add(width)
			continue
		}
		cur.Sum += s.Value
		cur.Min = min(cur.Min, lo)
		cur.Max = max(cur.Max, hi)
		cur.N++
	}
	if cur.N > 0 {
		return emit(cur)
	}
	return nil
}

// Overall is the whole series as one bin (count, sum and range; no Start).
func Overall(samples []providers.Sample) Bin {
	return SeriesOverall(providers.Series{Samples: samples})
}

// SeriesOverall is Overall with the series' window ranges (see
// SeriesBins).
func SeriesOverall(series providers.Series) Bin {
	var b Bin
	for i, s := range series.Samples {
		lo, hi := series.Range(i)
		if i == 0 {
			b.Min, b.Max = lo, hi
		}
		b.Sum += s.Value
		b.Min = min(b.Min, lo)
		b.Max = max(b.Max, hi)
		b.N++
	}
	return b
}
