package engine

import (
	"math"
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
	l.HeartDay, l.HeartLo, l.HeartHi = heartDay(in.HeartRate, day)
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

// heartDay averages the day's heart rate into minutes from midnight in the
// samples' own zone (a 25-hour day folds its last hour into the last
// minute) and finds the day's lowest and highest reading. No samples
// give nil.
func heartDay(s providers.Series, day providers.Date) (bins []float64, lo, hi float64) {
	if len(s.Samples) == 0 {
		return nil, 0, 0
	}
	const n = 24 * 60
	bins = make([]float64, n)
	counts := make([]int, n)
	midnight := day.In(s.Samples[0].Time.Location())
	for i, smp := range s.Samples {
		if smp.Value <= 0 {
			continue
		}
		m := int(smp.Time.Sub(midnight) / time.Minute)
		if m < 0 {
			continue
		}
		m = min(m, n-1)
		bins[m] += smp.Value
		counts[m]++
		a, b := s.Range(i)
		if a <= 0 {
			a = smp.Value
		}
		if lo == 0 || a < lo {
			lo = a
		}
		hi = max(hi, b, smp.Value)
	}
	for i := range bins {
		if counts[i] > 0 {
			bins[i] /= float64(counts[i])
		}
	}
	return bins, lo, hi
}

// personalRange is the typical range of values (the 30 days before the
// day shown): their mean ± two standard deviations, at least ± minHalf,
// rounded outward to step (the precision the pane shows). Fewer than
// minRangeDays values give no range.
func personalRange(values []float64, minHalf, step float64) state.Range {
	if len(values) < minRangeDays {
		return state.Range{}
	}
	mean := 0.0
	for _, v := range values {
		mean += v
	}
	mean /= float64(len(values))
	variance := 0.0
	for _, v := range values {
		variance += (v - mean) * (v - mean)
	}
	half := max(2*math.Sqrt(variance/float64(len(values))), minHalf)
	return state.Range{Lo: math.Floor((mean-half)/step) * step, Hi: math.Ceil((mean+half)/step) * step, Step: step, OK: true}
}

// minRangeDays is how many of the 30 days need a value for a range.
const minRangeDays = 7

// healthRanges are the personal ranges of the day's health metrics from
// the days before it.
func healthRanges(days []providers.HealthDay, day providers.Date) map[providers.HealthMetric]state.Range {
	var hrv, spo2, br, temp []float64
	for _, d := range days {
		if !d.Date.Before(day) {
			continue
		}
		if d.HRV != nil {
			hrv = append(hrv, *d.HRV)
		}
		if d.SpO2 != nil {
			spo2 = append(spo2, d.SpO2.AvgPct)
		}
		if d.BreathingRate != nil {
			br = append(br, *d.BreathingRate)
		}
		if d.SkinTempDelta != nil {
			temp = append(temp, *d.SkinTempDelta)
		}
	}
	out := map[providers.HealthMetric]state.Range{}
	for m, r := range map[providers.HealthMetric]state.Range{
		providers.HealthHRV:         personalRange(hrv, 3, 1),
		providers.HealthSpO2:        personalRange(spo2, 1, 1),
		providers.HealthBreathing:   personalRange(br, 0.5, 0.1),
		providers.HealthTemperature: personalRange(temp, 0.3, 0.1),
	} {
		if r.OK {
			out[m] = r
		}
	}
	return out
}

// restingRange is the resting heart rate's personal range from the days
// of series before day.
func restingRange(series []providers.DailyValues, day providers.Date) state.Range {
	var v []float64
	for _, d := range series {
		if d.Date.Before(day) && d.RestingHeartRate > 0 {
			v = append(v, float64(d.RestingHeartRate))
		}
	}
	return personalRange(v, 2, 1)
}
