package engine

import (
	"sort"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
)

// The reductions run in the command's goroutine, so Update only compares
// and stores small results: a day of 1-second heart rate becomes the few
// hundred values a sparkline shows.

// mainSleep picks the day's main sleep; without one marked main, the
// longest session that ended that day.
func mainSleep(ss []providers.SleepSession, day providers.Date) (providers.SleepSession, bool) {
	var best providers.SleepSession
	found := false
	for _, s := range ss {
		if s.Date != day {
			continue
		}
		switch {
		case !found:
			best, found = s, true
		case s.Main && !best.Main:
			best = s
		case s.Main == best.Main && s.End.Sub(s.Start) > best.End.Sub(best.Start):
			best = s
		}
	}
	return best, found
}

// reduceIntraday fills l's heart and steps fields from in.
func reduceIntraday(l *state.Live, day providers.Date, in providers.Intraday) {
	l.Note = in.Note
	l.HeartKey = state.KeyOf(in.HeartRate)
	l.StepsKey = state.KeyOf(in.Steps)
	l.Latest, l.HasLatest = in.HeartRate.Last()
	l.Heart, l.HeartFrom, l.HeartTo, l.HeartBin = heartBins(in.HeartRate)
	l.Steps15, l.StepsSlots = stepsPer15(in.Steps, day)
}

// heartBins averages the samples of the last state.HeartWindow into bins of one
// minute (or the series' resolution when coarser), by time rather than by
// index so irregular readings land where they belong.
func heartBins(s providers.Series) (bins []float64, from, to time.Time, bin time.Duration) {
	last, ok := s.Last()
	if !ok {
		return nil, time.Time{}, time.Time{}, 0
	}
	bin = time.Minute
	if s.Resolution > bin {
		bin = s.Resolution
	}
	n := int(state.HeartWindow / bin)
	if n < 1 {
		n = 1
	}
	to = last.Time.Truncate(bin).Add(bin)
	if s.Resolution > 0 && s.Resolution < bin {
		// Finer samples than a bin: the newest bin is still filling. Leave it
		// out so the chart changes once a minute, not on every sample (the
		// latest reading is shown as text).
		to = last.Time.Truncate(bin)
	}
	from = to.Add(-time.Duration(n) * bin)
	start := sort.Search(len(s.Samples), func(i int) bool { return !s.Samples[i].Time.Before(from) })
	sums := make([]float64, n)
	counts := make([]int, n)
	for _, smp := range s.Samples[start:] {
		i := int(smp.Time.Sub(from) / bin)
		if i < 0 || i >= n || smp.Value <= 0 {
			continue
		}
		sums[i] += smp.Value
		counts[i]++
	}
	for i := range sums {
		if counts[i] > 0 {
			sums[i] /= float64(counts[i])
		}
	}
	return sums, from, to, bin
}

// stepsPer15 sums steps into the day's 15-minute slots from midnight in the
// samples' own zone.
func stepsPer15(s providers.Series, day providers.Date) ([]float64, int) {
	out := make([]float64, 96)
	if len(s.Samples) == 0 {
		return out, 0
	}
	reached := 0
	midnight := day.In(s.Samples[0].Time.Location())
	for _, smp := range s.Samples {
		i := int(smp.Time.Sub(midnight) / (15 * time.Minute))
		if i < 0 || smp.Value <= 0 {
			continue
		}
		if i >= len(out) {
			i = len(out) - 1 // a 25-hour day folds its last hour into the last slot
		}
		reached = max(reached, i+1)
		out[i] += smp.Value
	}
	return out, reached
}
