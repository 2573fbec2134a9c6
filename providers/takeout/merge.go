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

// tally counts what a merge did.
type tally struct{ added, changed, unchanged int }

func (t *tally) same(equal bool) {
	if equal {
		t.unchanged++
	} else {
		t.changed++
	}
}

// mergeSeries merges new points into old samples; at the same instant the
// new value wins.
func mergeSeries(old []providers.Sample, ps []point, t *tally) []providers.Sample {
	out := make([]providers.Sample, 0, len(old)+len(ps))
	i, j := 0, 0
	for i < len(old) || j < len(ps) {
		switch {
		case j == len(ps) || i < len(old) && old[i].Time.Before(ps[j].t):
			out = append(out, old[i])
			i++
		case i == len(old) || ps[j].t.Before(old[i].Time):
			out = append(out, providers.Sample{Time: ps[j].t, Value: ps[j].v})
			t.added++
			j++
		default: // same instant
			out = append(out, providers.Sample{Time: ps[j].t, Value: ps[j].v})
			t.same(old[i].Value == ps[j].v)
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
	case mFloors:
		return &d.Floors
	}
	return &d.Calories
}

func has(ms []string, s string) bool {
	for _, x := range ms {
		if x == s {
			return true
		}
	}
	return false
}

func hasCSV(ms []string, m metric) bool { return has(ms, m.String()) }

// getDaily and setDaily read and write a daily key of a day's extras.
func getDaily(e *dayExtra, key string) (float64, bool) {
	pick := func(p *int) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return float64(*p), true
	}
	switch key {
	case "resting_hr":
		return e.RestingHR, e.RestingHR > 0
	case "very_active_minutes":
		return pick(e.Very)
	case "moderately_active_minutes":
		return pick(e.Moderate)
	case "lightly_active_minutes":
		return pick(e.Light)
	case "sedentary_minutes":
		return pick(e.Sedentary)
	}
	v, ok := e.Metrics[key]
	return v, ok
}

func setDaily(e *dayExtra, key string, v float64) {
	n := int(v + 0.5)
	switch key {
	case "resting_hr":
		e.RestingHR = v
	case "very_active_minutes":
		e.Very = &n
	case "moderately_active_minutes":
		e.Moderate = &n
	case "lightly_active_minutes":
		e.Light = &n
	case "sedentary_minutes":
		e.Sedentary = &n
	default:
		if e.Metrics == nil {
			e.Metrics = map[string]float64{}
		}
		e.Metrics[key] = v
	}
}

// counts are what a day holds per report metric (for the manifest).
func counts(d *dayData) map[string]int {
	c := map[string]int{}
	for m := metric(0); m < nSeries; m++ {
		if n := len(d.seriesOf(m).Samples); n > 0 {
			c[m.String()] = n
		}
	}
	if d.Extra.RestingHR > 0 {
		c[mResting.String()] = 1
	}
	if d.Extra.Very != nil || d.Extra.Moderate != nil || d.Extra.Light != nil || d.Extra.Sedentary != nil {
		c[mActive.String()] = 1
	}
	if n := len(d.Extra.Weights); n > 0 {
		c[mWeight.String()] = n
	}
	if n := len(d.Extra.Sleeps); n > 0 {
		c[mSleep.String()] = n
	}
	if n := len(d.Extra.Exercises); n > 0 {
		c[mExercise.String()] = n
	}
	for k := range d.Extra.Metrics {
		c[dailyGroup(k)]++
	}
	if n := len(d.Extra.HRV); n > 0 {
		c[hrvReadings] = n
	}
	if n := len(d.Extra.Zones); n > 0 {
		c[zoneMinutes] = n
	}
	return c
}

// Report names of the intraday health values.
const (
	hrvReadings = "hrv_readings"
	zoneMinutes = "zone_minute_intervals"
)

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

func (in *importer) change(name string) *MetricChange {
	c := in.changes[name]
	if c == nil {
		c = &MetricChange{Metric: name}
		in.changes[name] = c
	}
	return c
}

func (in *importer) tallied(name string, t tally) {
	c := in.change(name)
	c.Added += t.added
	c.Changed += t.changed
	c.Unchanged += t.unchanged
}

func (in *importer) foundOn(name string, day providers.Date, n int) {
	if n == 0 {
		return
	}
	if in.found[name] == nil {
		in.found[name] = map[providers.Date]int{}
	}
	in.found[name][day] += n
}

func (in *importer) flushDay(day providers.Date, p *pendDay) error {
	old, ok, err := in.x.day(day, in.loc)
	if err != nil {
		in.warn(err.Error() + "; it is rebuilt from this archive")
	}
	before := map[string]int{}
	if ok {
		before = counts(old)
	} else {
		old = &dayData{Date: day}
	}
	d := &dayData{Date: day, HR: old.HR, Steps: old.Steps, Distance: old.Distance, Calories: old.Calories, Floors: old.Floors, Extra: old.Extra}
	d.HR.Resolution, d.Steps.Resolution, d.Distance.Resolution, d.Calories.Resolution, d.Floors.Resolution = 0, time.Minute, time.Minute, time.Minute, time.Minute
	for m := metric(0); m < nSeries; m++ {
		ps := p.series[m]
		if len(ps) == 0 {
			continue
		}
		name := m.String()
		ps = dedupe(ps)
		s := d.seriesOf(m)
		oldCSV := hasCSV(d.Extra.CSV, m)
		switch {
		case p.csv[m] && len(s.Samples) > 0 && !oldCSV:
			// The JSON tree's copy is already indexed: never count twice.
			in.dup(name, len(ps))
			continue
		case !p.csv[m] && oldCSV:
			c := in.change(name)
			c.Removed += len(s.Samples)
			c.Added += len(ps)
			s.Samples = toSamples(ps) // the JSON tree replaces a CSV copy
		default:
			var t tally
			s.Samples = mergeSeries(s.Samples, ps, &t)
			in.tallied(name, t)
		}
		in.foundOn(name, day, len(ps))
		d.Extra.CSV = setKey(d.Extra.CSV, name, p.csv[m])
	}
	keys := make([]string, 0, len(p.daily))
	for k := range p.daily {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		pv := p.daily[key]
		name := groupOf(key)
		was, had := getDaily(&d.Extra, key)
		if pv.csv && had && !has(d.Extra.CSVKeys, key) {
			in.dup(name, 1)
			continue
		}
		var t tally
		if had {
			t.same(was == pv.v)
		} else {
			t.added++
		}
		in.tallied(name, t)
		setDaily(&d.Extra, key, pv.v)
		d.Extra.CSVKeys = setKey(d.Extra.CSVKeys, key, pv.csv)
		in.foundOn(name, day, 1)
	}
	if len(p.weights) > 0 {
		d.Extra.Weights = in.mergeWeights(d.Extra.Weights, p.weights, day)
	}
	if len(p.sleeps) > 0 {
		d.Extra.Sleeps = in.mergeSleeps(d.Extra.Sleeps, p.sleeps, day)
	}
	if len(p.exercises) > 0 {
		var t tally
		d.Extra.Exercises = mergeBy(d.Extra.Exercises, p.exercises, func(e exerciseEntry) string {
			if e.LogID != 0 {
				return fmt.Sprint("id", e.LogID)
			}
			return fmt.Sprint("t", e.Start.Unix())
		}, func(a, b exerciseEntry) bool { return fmt.Sprint(a) == fmt.Sprint(b) }, func(e exerciseEntry) time.Time { return e.Start }, &t)
		in.tallied(mExercise.String(), t)
		in.foundOn(mExercise.String(), day, len(p.exercises))
	}
	if len(p.hrv) > 0 {
		var t tally
		d.Extra.HRV = mergeBy(d.Extra.HRV, p.hrv, func(h hrvReading) string { return fmt.Sprint(h.Time.Unix()) },
			func(a, b hrvReading) bool { return a.RMSSD == b.RMSSD }, func(h hrvReading) time.Time { return h.Time }, &t)
		in.tallied(hrvReadings, t)
		in.foundOn(hrvReadings, day, len(p.hrv))
	}
	if len(p.zones) > 0 {
		in.mergeZones(d, p, day)
	}
	after := counts(d)
	if !ok && len(after) == 0 {
		return nil // only copies of what the index has: no day to write
	}
	if err := in.x.st.Put(in.x.account, dayKey(day), in.opt.Now(), encodeDay(d)); err != nil {
		return fmt.Errorf("writing the index of %q: %w", in.x.account, err)
	}
	for _, name := range unionKeys(before, after) {
		dl := in.delta[name]
		if dl == nil {
			dl = &[2]int{}
			in.delta[name] = dl
		}
		dl[0] += after[name] - before[name]
		switch {
		case after[name] > 0 && before[name] == 0:
			dl[1]++
			in.change(name).NewDays++
		case after[name] == 0 && before[name] > 0:
			dl[1]--
		}
	}
	in.months[[2]int{day.Year, int(day.Month)}] = true
	// The month roll-up needs this day again: keep its roll, not a
	// second decode.
	rd := rolledDay{roll: roll(d)}
	for _, s := range d.Extra.Sleeps {
		rd.sleeps = append(rd.sleeps, s.Session)
	}
	in.rolled[day] = rd
	return nil
}

// rolledDay is a flushed day's part of its month's roll-up.
type rolledDay struct {
	roll   dailyRoll
	sleeps []providers.SleepSession
}

func unionKeys(a, b map[string]int) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func setKey(ms []string, key string, on bool) []string {
	out := ms[:0:0]
	for _, x := range ms {
		if x != key {
			out = append(out, x)
		}
	}
	if on {
		out = append(out, key)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mergeBy merges add into old: an entry with the same key is replaced
// (counted changed or unchanged), the rest added; sorted by time.
func mergeBy[T any](old, add []T, key func(T) string, equal func(a, b T) bool, at func(T) time.Time, t *tally) []T {
	idx := map[string]int{}
	out := append([]T(nil), old...)
	for i, x := range out {
		idx[key(x)] = i
	}
	for _, x := range add {
		if i, ok := idx[key(x)]; ok {
			t.same(equal(out[i], x))
			out[i] = x
			continue
		}
		t.added++
		idx[key(x)] = len(out)
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool { return at(out[i]).Before(at(out[j])) })
	return out
}

// mergeZones merges a day's zone minutes like its daily sums: the AZM
// folder's replace a Google data copy's, a copy never joins the folder's.
func (in *importer) mergeZones(d *dayData, p *pendDay, day providers.Date) {
	switch {
	case p.zonesCSV && len(d.Extra.Zones) > 0 && !d.Extra.ZonesCSV:
		return // the folder's minutes are indexed; the copy's sums were counted as duplicates
	case !p.zonesCSV && d.Extra.ZonesCSV:
		in.change(zoneMinutes).Removed += len(d.Extra.Zones)
		d.Extra.Zones = nil
	}
	var t tally
	d.Extra.Zones = mergeBy(d.Extra.Zones, p.zones, func(z zoneEntry) string { return fmt.Sprint(z.Start.Unix()) },
		func(a, b zoneEntry) bool { return a.Zone == b.Zone && a.Earned == b.Earned }, func(z zoneEntry) time.Time { return z.Start }, &t)
	d.Extra.ZonesCSV = p.zonesCSV
	in.tallied(zoneMinutes, t)
	in.foundOn(zoneMinutes, day, len(p.zones))
}

// mergeWeights: a weigh-in with the same log id (or, without one, the
// same time) is replaced. The JSON tree's weigh-ins replace a CSV copy's;
// a CSV copy never joins the JSON tree's.
func (in *importer) mergeWeights(old, add []weightEntry, day providers.Date) []weightEntry {
	name := mWeight.String()
	oldJSON, addJSON := false, false
	for _, w := range old {
		oldJSON = oldJSON || !w.CSV
	}
	for _, w := range add {
		addJSON = addJSON || !w.CSV
	}
	switch {
	case !addJSON && oldJSON:
		in.dup(name, len(add))
		return old
	case addJSON:
		old = dropCSV(old, func(w weightEntry) bool { return w.CSV }, func(n int) { in.change(name).Removed += n })
	}
	var t tally
	out := mergeBy(old, add, func(w weightEntry) string {
		if w.LogID != 0 {
			return fmt.Sprint("id", w.LogID)
		}
		return fmt.Sprint("t", w.Time.Unix())
	}, func(a, b weightEntry) bool { return a.Kg == b.Kg && a.FatPct == b.FatPct && a.Time.Equal(b.Time) }, func(w weightEntry) time.Time { return w.Time }, &t)
	in.tallied(name, t)
	in.foundOn(name, day, len(add))
	return out
}

// mergeSleeps: a sleep with the same log id (or the same start) is
// replaced; JSON logs replace UserSleeps copies, never the other way.
func (in *importer) mergeSleeps(old, add []sleepEntry, day providers.Date) []sleepEntry {
	name := mSleep.String()
	oldJSON, addJSON := false, false
	for _, s := range old {
		oldJSON = oldJSON || !s.CSV
	}
	for _, s := range add {
		addJSON = addJSON || !s.CSV
	}
	switch {
	case !addJSON && oldJSON:
		in.dup(name, len(add))
		return old
	case addJSON:
		old = dropCSV(old, func(s sleepEntry) bool { return s.CSV }, func(n int) { in.change(name).Removed += n })
	}
	var t tally
	out := mergeBy(old, add, func(s sleepEntry) string {
		if s.LogID != 0 {
			return fmt.Sprint("id", s.LogID)
		}
		return fmt.Sprint("t", s.Session.Start.Unix())
	}, func(a, b sleepEntry) bool {
		return a.Session.Start.Equal(b.Session.Start) && a.Session.End.Equal(b.Session.End) && a.Session.Asleep == b.Session.Asleep &&
			len(a.Session.Segments) == len(b.Session.Segments) && a.Session.Main == b.Session.Main
	}, func(s sleepEntry) time.Time { return s.Session.Start }, &t)
	in.tallied(name, t)
	in.foundOn(name, day, len(add))
	return out
}

// finish adds what is summed over the whole import (active zone
// minutes, the sleep tables), flushes, rebuilds the touched months'
// roll-ups and writes the manifest and the report.
func (in *importer) finish(man *Manifest, archives []string) error {
	for day, s := range in.azm {
		total := 0.0
		for _, z := range []string{"fat_burn", "cardio", "peak"} {
			in.putDaily(day, "azm_"+z, s.sum[z], s.csv)
			total += s.sum[z]
		}
		in.putDaily(day, "azm_total", total, s.csv)
		pd := in.day(day)
		pd.zones, pd.zonesCSV = s.minutes, s.csv
	}
	for _, s := range in.csvSessions() {
		in.addSleep(s)
	}
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
	for name, dl := range in.delta {
		man.Samples[name] += dl[0]
		man.Days[name] += dl[1]
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

	for _, name := range reportOrder(in.found) {
		days := in.found[name]
		mc := MetricCount{Metric: name}
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
	if in.rep.Reimport {
		for _, name := range reportOrder(in.changes) {
			in.rep.Changes = append(in.rep.Changes, *in.changes[name])
		}
	}
	return nil
}

// reportOrder lists a report's metric names: series first, then the rest
// by name.
func reportOrder[V any](m map[string]V) []string {
	rank := map[string]int{}
	for i := metric(0); i < nMetrics; i++ {
		rank[i.String()] = int(i) + 1
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank[out[i]], rank[out[j]]
		switch {
		case ri > 0 && rj > 0:
			return ri < rj
		case ri > 0 || rj > 0:
			return ri > 0
		}
		return out[i] < out[j]
	})
	return out
}

func parseDate(s string) providers.Date {
	d, _ := providers.ParseDate(s)
	return d
}

// rollMonth rebuilds a month's roll-up from its day entries.
func (in *importer) rollMonth(y int, m time.Month) (monthRoll, error) {
	r := monthRoll{Version: rollVersion}
	first := providers.Date{Year: y, Month: m, Day: 1}
	for d := first; d.Month == m; d = d.AddDays(1) {
		if rd, ok := in.rolled[d]; ok {
			r.Days = append(r.Days, rd.roll)
			r.Sleeps = append(r.Sleeps, rd.sleeps...)
			continue
		}
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
