package takeout

import (
	"fmt"
	"sort"
	"time"

	"github.com/fittui/fittui/providers"
)

// dedupe sorts points by time and keeps the last of each instant (the
// later file wins, and files are read in a fixed order).
func dedupe(ps []point) []point {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].t.Before(ps[j].t) })
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].t.Equal(p.t) {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}

// mergeSeries merges new points into old samples; at the same instant the
// new value wins.
func mergeSeries(old []providers.Sample, ps []point) []providers.Sample {
	out := make([]providers.Sample, 0, len(old)+len(ps))
	i, j := 0, 0
	for i < len(old) || j < len(ps) {
		switch {
		case j == len(ps) || i < len(old) && old[i].Time.Before(ps[j].t):
			out = append(out, old[i])
			i++
		case i == len(old) || ps[j].t.Before(old[i].Time):
			out = append(out, providers.Sample{Time: ps[j].t, Value: ps[j].v})
			j++
		default: // same instant
			out = append(out, providers.Sample{Time: ps[j].t, Value: ps[j].v})
			i++
			j++
		}
	}
	return out
}

func toSamples(ps []point) []providers.Sample {
	out := make([]providers.Sample, len(ps))
	for i, p := range ps {
		out[i] = providers.Sample{Time: p.t, Value: p.v}
	}
	return out
}

func (d *dayData) seriesOf(m metric) *providers.Series {
	switch m {
	case mHeart:
		return &d.HR
	case mSteps:
		return &d.Steps
	case mDistance:
		return &d.Distance
	}
	return &d.Calories
}

func hasCSV(ms []string, m metric) bool {
	for _, x := range ms {
		if x == m.String() {
			return true
		}
	}
	return false
}

// counts are what a day holds per metric (for the manifest).
func counts(d *dayData) [nMetrics]int {
	var c [nMetrics]int
	for m := metric(0); m < nSeries; m++ {
		c[m] = len(d.seriesOf(m).Samples)
	}
	if d.Extra.RestingHR > 0 {
		c[mResting] = 1
	}
	if d.Extra.Very != nil || d.Extra.Moderate != nil || d.Extra.Light != nil || d.Extra.Sedentary != nil {
		c[mActive] = 1
	}
	c[mWeight] = len(d.Extra.Weights)
	c[mSleep] = len(d.Extra.Sleeps)
	return c
}

// flush merges every pending day into the index.
func (in *importer) flush() error {
	days := make([]providers.Date, 0, len(in.pending))
	for d := range in.pending {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	for _, d := range days {
		if err := in.flushDay(d, in.pending[d]); err != nil {
			return err
		}
		delete(in.pending, d)
	}
	in.nPending = 0
	return nil
}

func (in *importer) flushDay(day providers.Date, p *pendDay) error {
	old, ok, err := in.x.day(day, in.loc)
	if err != nil {
		in.warn(err.Error() + "; it is rebuilt from this archive")
	}
	if !ok {
		old = &dayData{Date: day}
	}
	before := counts(old)
	if !ok {
		before = [nMetrics]int{}
	}
	d := &dayData{Date: day, HR: old.HR, Steps: old.Steps, Distance: old.Distance, Calories: old.Calories, Extra: old.Extra}
	d.HR.Resolution, d.Steps.Resolution, d.Distance.Resolution, d.Calories.Resolution = 0, time.Minute, time.Minute, time.Minute
	for m := metric(0); m < nSeries; m++ {
		ps := p.series[m]
		if len(ps) == 0 {
			continue
		}
		ps = dedupe(ps)
		in.found[m][day] += len(ps)
		s := d.seriesOf(m)
		oldCSV := hasCSV(d.Extra.CSV, m)
		switch {
		case p.csv[m] && len(s.Samples) > 0 && !oldCSV:
			// The JSON tree's copy is already indexed: never count twice.
			in.rep.Duplicates += len(ps)
			continue
		case !p.csv[m] && oldCSV:
			s.Samples = toSamples(ps) // the JSON tree replaces a CSV copy
		default:
			s.Samples = mergeSeries(s.Samples, ps)
		}
		d.Extra.CSV = setCSV(d.Extra.CSV, m, p.csv[m])
	}
	if p.resting != nil {
		d.Extra.RestingHR = *p.resting
	}
	for level, v := range p.active {
		n := int(v + 0.5)
		switch level {
		case "very_active_minutes":
			d.Extra.Very = &n
		case "moderately_active_minutes":
			d.Extra.Moderate = &n
		case "lightly_active_minutes":
			d.Extra.Light = &n
		case "sedentary_minutes":
			d.Extra.Sedentary = &n
		}
	}
	if len(p.weights) > 0 {
		d.Extra.Weights = mergeWeights(d.Extra.Weights, p.weights)
	}
	if len(p.sleeps) > 0 {
		d.Extra.Sleeps = mergeSleeps(d.Extra.Sleeps, p.sleeps)
	}
	if err := in.x.st.Put(in.x.account, dayKey(day), in.opt.Now(), encodeDay(d)); err != nil {
		return fmt.Errorf("writing the index of %q: %w", in.x.account, err)
	}
	after := counts(d)
	for m := range after {
		in.delta[m][0] += after[m] - before[m]
		switch {
		case after[m] > 0 && before[m] == 0:
			in.delta[m][1]++
		case after[m] == 0 && before[m] > 0:
			in.delta[m][1]--
		}
	}
	in.months[[2]int{day.Year, int(day.Month)}] = true
	return nil
}

func setCSV(ms []string, m metric, csv bool) []string {
	out := ms[:0:0]
	for _, x := range ms {
		if x != m.String() {
			out = append(out, x)
		}
	}
	if csv {
		out = append(out, m.String())
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mergeWeights: a weigh-in with the same log id (or, without one, the
// same time) is replaced.
func mergeWeights(old, add []weightEntry) []weightEntry {
	key := func(w weightEntry) string {
		if w.LogID != 0 {
			return fmt.Sprint("id", w.LogID)
		}
		return fmt.Sprint("t", w.Time.Unix())
	}
	idx := map[string]int{}
	out := append([]weightEntry(nil), old...)
	for i, w := range out {
		idx[key(w)] = i
	}
	for _, w := range add {
		if i, ok := idx[key(w)]; ok {
			out[i] = w
			continue
		}
		idx[key(w)] = len(out)
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// mergeSleeps: a sleep with the same log id (or the same start) is
// replaced.
func mergeSleeps(old, add []sleepEntry) []sleepEntry {
	key := func(s sleepEntry) string {
		if s.LogID != 0 {
			return fmt.Sprint("id", s.LogID)
		}
		return fmt.Sprint("t", s.Session.Start.Unix())
	}
	idx := map[string]int{}
	out := append([]sleepEntry(nil), old...)
	for i, s := range out {
		idx[key(s)] = i
	}
	for _, s := range add {
		if i, ok := idx[key(s)]; ok {
			out[i] = s
			continue
		}
		idx[key(s)] = len(out)
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Session.Start.Before(out[j].Session.Start) })
	return out
}

// finish flushes, rebuilds the touched months' roll-ups and writes the
// manifest and the report.
func (in *importer) finish(man *Manifest, archives []string) error {
	if err := in.flush(); err != nil {
		return err
	}
	keys := make([][2]int, 0, len(in.months))
	for k := range in.months {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	first, last := parseDate(man.From), parseDate(man.To)
	for _, k := range keys {
		r, err := in.rollMonth(k[0], time.Month(k[1]))
		if err != nil {
			return err
		}
		for _, d := range r.Days {
			if first.IsZero() || d.Date.Before(first) {
				first = d.Date
			}
			if last.IsZero() || d.Date.After(last) {
				last = d.Date
			}
		}
	}
	if man.Days == nil {
		man.Days = map[string]int{}
	}
	if man.Samples == nil {
		man.Samples = map[string]int{}
	}
	for m := metric(0); m < nMetrics; m++ {
		man.Samples[m.String()] += in.delta[m][0]
		man.Days[m.String()] += in.delta[m][1]
	}
	man.Account = in.opt.Account
	if !first.IsZero() {
		man.From, man.To = first.String(), last.String()
	}
	now := in.opt.Now()
	man.Updated = now
	man.Sources = append(man.Sources, Source{Paths: archives, Imported: now, Files: in.rep.Files, Skipped: len(in.rep.Skipped)})
	if err := in.x.putJSON(manifestKey, now, man); err != nil {
		return fmt.Errorf("writing the index of %q: %w", in.opt.Account, err)
	}
	in.rep.Manifest = *man

	for m := metric(0); m < nMetrics; m++ {
		days := in.found[m]
		if len(days) == 0 {
			continue
		}
		mc := MetricCount{Metric: m.String()}
		for d, n := range days {
			if n == 0 {
				continue
			}
			mc.Days++
			mc.Samples += n
			if in.rep.From.IsZero() || d.Before(in.rep.From) {
				in.rep.From = d
			}
			if d.After(in.rep.To) {
				in.rep.To = d
			}
		}
		if mc.Days > 0 {
			in.rep.Found = append(in.rep.Found, mc)
		}
	}
	return nil
}

func parseDate(s string) providers.Date {
	d, _ := providers.ParseDate(s)
	return d
}

// rollMonth rebuilds a month's roll-up from its day entries.
func (in *importer) rollMonth(y int, m time.Month) (monthRoll, error) {
	var r monthRoll
	first := providers.Date{Year: y, Month: m, Day: 1}
	for d := first; d.Month == m; d = d.AddDays(1) {
		dd, ok, err := in.x.day(d, in.loc)
		if err != nil {
			in.warn(err.Error())
			continue
		}
		if !ok {
			continue
		}
		r.Days = append(r.Days, roll(dd))
		for _, s := range dd.Extra.Sleeps {
			r.Sleeps = append(r.Sleeps, s.Session)
		}
	}
	sort.SliceStable(r.Sleeps, func(i, j int) bool { return r.Sleeps[i].Start.Before(r.Sleeps[j].Start) })
	if err := in.x.putJSON(monthKey(y, m), in.opt.Now(), r); err != nil {
		return r, fmt.Errorf("writing the index of %q: %w", in.x.account, err)
	}
	return r, nil
}
