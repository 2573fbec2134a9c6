package googlehealthtest

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/internal/fakekit"
)

// dataset is the account's data: the demo persona's, in its zone, up to
// the clock (settled days shared by every fake of the process, through
// package fakekit).
type dataset struct {
	persona string
	p       *fakekit.Persona
	demo    *demo.Provider
	loc     *time.Location
	now     func() time.Time
	history int

	// A walk through pages regenerates the same day: keep a few.
	mu    sync.Mutex
	items map[string][]item
}

func newDataset(p *fakekit.Persona, history int) *dataset {
	return &dataset{persona: p.Name(), p: p, demo: p.Demo, loc: p.Loc, now: p.Now, history: history,
		items: map[string][]item{}}
}

// today is the account's current date.
func (d *dataset) today() providers.Date { return providers.DateOf(d.now().In(d.loc)) }

// first is the oldest date with data.
func (d *dataset) first() providers.Date { return d.today().AddDays(-d.history) }

// inRange reports whether day holds data.
func (d *dataset) inRange(day providers.Date) bool {
	return !day.Before(d.first()) && !day.After(d.today())
}

// weighIn returns the day's weight and when it was taken, or ok=false.
// The demo tells when only through its scale's last sync, so ask a demo
// clock set to the end of the day.
func (d *dataset) weighIn(day providers.Date) (kg float64, at time.Time, ok bool) {
	vals, err := d.demo.DailySeries(context.Background(), day, day)
	if err != nil || len(vals) != 1 || vals[0].WeightKg == 0 {
		return 0, at, false
	}
	end := day.AddDays(1).In(d.loc).Add(-time.Second)
	spec := providers.AccountSpec{Name: d.persona, Provider: demo.Name, Options: map[string]string{"persona": d.persona}}
	past, err := demo.New(spec, providers.Env{Now: func() time.Time { return end }})
	if err != nil {
		return 0, at, false
	}
	prof, _ := past.Profile(context.Background())
	at = day.In(d.loc).Add(7 * time.Hour)
	for _, dev := range prof.Devices {
		if dev.Kind == "scale" && !dev.LastSync.IsZero() && providers.DateOf(dev.LastSync.In(d.loc)) == day {
			at = dev.LastSync
		}
	}
	return vals[0].WeightKg, at, true
}

// JSON helpers. Google's rules: int64 as strings, zero values left out,
// RFC 3339 UTC timestamps, durations as "NNNs".

type obj = map[string]any

func i64(v int64) string { return strconv.FormatInt(v, 10) }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func offset(t time.Time) string {
	_, o := t.Zone()
	return strconv.Itoa(o) + "s"
}

func dateJSON(d providers.Date) obj {
	return obj{"year": d.Year, "month": int(d.Month), "day": d.Day}
}

// civilJSON is a CivilDateTime: the wall clock in t's own zone.
func civilJSON(t time.Time) obj {
	tm := obj{}
	h, m, s := t.Clock()
	if h != 0 {
		tm["hours"] = h
	}
	if m != 0 {
		tm["minutes"] = m
	}
	if s != 0 {
		tm["seconds"] = s
	}
	if ns := t.Nanosecond(); ns != 0 {
		tm["nanos"] = ns
	}
	return obj{"date": dateJSON(providers.DateOf(t)), "time": tm}
}

func intervalJSON(start, end time.Time) obj {
	return obj{
		"startTime": stamp(start), "endTime": stamp(end),
		"startUtcOffset": offset(start), "endUtcOffset": offset(end),
		"civilStartTime": civilJSON(start), "civilEndTime": civilJSON(end),
	}
}

func sampleTimeJSON(t time.Time) obj {
	return obj{"physicalTime": stamp(t), "utcOffset": offset(t), "civilTime": civilJSON(t)}
}

// putInt sets k to v as an int64 string unless v is zero.
func putInt(o obj, k string, v int64) {
	if v != 0 {
		o[k] = i64(v)
	}
}

// putNum sets k to v unless v is zero.
func putNum(o obj, k string, v float64) {
	if v != 0 {
		o[k] = v
	}
}

// civilNaive is the wall clock of t as a UTC instant, for comparing civil
// times without zones.
func civilNaive(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

func dateNaive(d providers.Date) time.Time { return d.In(time.UTC) }

// item is one data point of a list answer, with the keys filters use.
type item struct {
	physStart, physEnd   time.Time // sample: both the sample time
	civilStart, civilEnd time.Time // naive wall clock
	name                 func() string
	member               func() obj // built only for the items of a page
	source               obj
}

func pointName(dt string, t time.Time, extra string) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d|%s", dt, t.UnixNano(), extra)
	return fmt.Sprintf("users/me/dataTypes/%s/dataPoints/%016x", dt, h.Sum64())
}

// device is the data source of the persona's wearable.
func (d *dataset) source(scale bool) obj {
	prof, _ := d.demo.Profile(context.Background())
	for _, dev := range prof.Devices {
		if (dev.Kind == "scale") == scale {
			ff := "FITNESS_BAND"
			switch dev.Kind {
			case "watch":
				ff = "WATCH"
			case "scale":
				ff = "SCALE"
			}
			method := "PASSIVELY_MEASURED"
			if scale {
				method = "ACTIVELY_MEASURED"
			}
			return obj{"platform": "FITBIT", "recordingMethod": method,
				"device":      obj{"formFactor": ff, "manufacturer": "Google", "displayName": dev.Name},
				"application": obj{"packageName": "com.google.fitbit"}}
		}
	}
	return obj{"platform": "FITBIT", "recordingMethod": "MANUAL"}
}

// itemsOn returns the list items of type dt recorded on day, newest
// first. ok is false for types the fake does not list.
func (d *dataset) itemsOn(ctx context.Context, dt string, day providers.Date) ([]item, bool) {
	if !d.inRange(day) {
		return nil, knownList[dt]
	}
	key := fmt.Sprintf("%s|%s|%d", dt, day, d.now().UnixNano())
	d.mu.Lock()
	cached, ok := d.items[key]
	d.mu.Unlock()
	if ok {
		return cached, true
	}
	out, known := d.generate(ctx, dt, day)
	if known {
		d.mu.Lock()
		if len(d.items) >= 16 {
			clear(d.items)
		}
		d.items[key] = out
		d.mu.Unlock()
	}
	return out, known
}

// generate builds the items of itemsOn.
func (d *dataset) generate(ctx context.Context, dt string, day providers.Date) ([]item, bool) {
	var out []item
	switch dt {
	case "steps":
		src := d.source(false)
		for _, s := range d.p.Minutes(ctx, day).StepSamples() {
			if s.Value == 0 {
				continue // no steps, no point
			}
			end := s.Time.Add(time.Minute)
			out = append(out, item{physStart: s.Time, physEnd: end, civilStart: civilNaive(s.Time), civilEnd: civilNaive(end),
				name:   func() string { return pointName(dt, s.Time, "") },
				member: func() obj { return obj{"count": i64(int64(s.Value)), "interval": intervalJSON(s.Time, end)} }, source: src})
		}
	case "heart-rate":
		in, err := d.demo.Intraday(ctx, day)
		if err != nil {
			return nil, true
		}
		src := d.source(false)
		for _, s := range in.HeartRate.Samples {
			bpm := int64(math.Round(s.Value))
			out = append(out, item{physStart: s.Time, physEnd: s.Time, civilStart: civilNaive(s.Time), civilEnd: civilNaive(s.Time),
				name: func() string { return pointName(dt, s.Time, "") },
				member: func() obj {
					return obj{"beatsPerMinute": i64(bpm), "sampleTime": sampleTimeJSON(s.Time), "metadata": obj{"sensorLocation": "WRIST"}}
				}, source: src})
		}
	case "daily-resting-heart-rate":
		vals, err := d.demo.DailySeries(ctx, day, day)
		if err != nil || len(vals) != 1 || vals[0].RestingHeartRate == 0 {
			return nil, true
		}
		m := obj{"date": dateJSON(day), "dailyRestingHeartRateMetadata": obj{"calculationMethod": "WITH_SLEEP"}}
		putInt(m, "beatsPerMinute", int64(vals[0].RestingHeartRate))
		t := day.In(d.loc)
		out = append(out, item{physStart: t, physEnd: t, civilStart: dateNaive(day), civilEnd: dateNaive(day),
			name: func() string { return pointName(dt, t, "") }, member: func() obj { return m }, source: d.source(false)})
	case "sleep":
		sessions, err := d.demo.Sleep(ctx, day, day)
		if err != nil {
			return nil, true
		}
		for _, s := range sessions {
			out = append(out, item{physStart: s.Start, physEnd: s.End, civilStart: civilNaive(s.Start), civilEnd: civilNaive(s.End),
				name: func() string { return pointName(dt, s.Start, "") }, member: func() obj { return sleepJSON(s) }, source: d.source(false)})
		}
	case "weight", "body-fat":
		kg, at, ok := d.weighIn(day)
		if !ok || at.After(d.now()) {
			return nil, true
		}
		m := obj{"sampleTime": sampleTimeJSON(at)}
		if dt == "weight" {
			putNum(m, "weightGrams", math.Round(kg*1000*10)/10)
		} else {
			h, ok := d.health(ctx, day)
			if !ok || h.BodyFatPct == nil {
				return nil, true // a scale without body fat
			}
			putNum(m, "percentage", *h.BodyFatPct)
		}
		out = append(out, item{physStart: at, physEnd: at, civilStart: civilNaive(at), civilEnd: civilNaive(at),
			name: func() string { return pointName(dt, at, "") }, member: func() obj { return m }, source: d.source(true)})
	default:
		var ok bool
		if out, ok = d.healthItems(ctx, dt, day); !ok {
			return nil, knownList[dt]
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].physStart.After(out[j].physStart) })
	return out, true
}

// sleepJSON converts a demo session to Google's Sleep.
func sleepJSON(s providers.SleepSession) obj {
	typ := "STAGES"
	if s.Classic {
		typ = "CLASSIC"
	}
	var stages []any
	minutes := map[string]int64{}
	counts := map[string]int64{}
	var awake time.Duration
	for _, seg := range s.Segments {
		name := map[providers.SleepStage]string{
			providers.StageDeep: "DEEP", providers.StageLight: "LIGHT", providers.StageREM: "REM",
			providers.StageWake: "AWAKE", providers.StageAwake: "AWAKE",
			providers.StageAsleep: "ASLEEP", providers.StageRestless: "RESTLESS",
		}[seg.Stage]
		end := seg.Start.Add(seg.Duration)
		stages = append(stages, obj{"type": name, "startTime": stamp(seg.Start), "endTime": stamp(end),
			"startUtcOffset": offset(seg.Start), "endUtcOffset": offset(end)})
		minutes[name] += int64(seg.Duration / time.Minute)
		counts[name]++
		if name == "AWAKE" {
			awake += seg.Duration
		}
	}
	// The API lists stages newest first like everything else; clients sort.
	for i, j := 0, len(stages)-1; i < j; i, j = i+1, j-1 {
		stages[i], stages[j] = stages[j], stages[i]
	}
	summary := obj{}
	putInt(summary, "minutesInSleepPeriod", int64(s.End.Sub(s.Start)/time.Minute))
	putInt(summary, "minutesAsleep", int64(s.Asleep/time.Minute))
	putInt(summary, "minutesAwake", int64(awake/time.Minute))
	var ss []any
	for _, name := range []string{"DEEP", "REM", "LIGHT", "ASLEEP", "RESTLESS", "AWAKE"} {
		if counts[name] == 0 {
			continue
		}
		e := obj{"type": name}
		putInt(e, "minutes", minutes[name])
		putInt(e, "count", counts[name])
		ss = append(ss, e)
	}
	if len(ss) > 0 {
		summary["stagesSummary"] = ss
	}
	meta := obj{"processed": true, "stagesStatus": "SUCCEEDED"}
	if s.Main {
		meta["mainSleep"] = true
	} else {
		meta["nap"] = true
	}
	if s.Classic {
		meta["stagesStatus"] = "REJECTED_NAP"
	}
	m := obj{"type": typ, "interval": intervalJSON(s.Start, s.End), "summary": summary, "metadata": meta,
		"createTime": stamp(s.End.Add(20 * time.Minute)), "updateTime": stamp(s.End.Add(25 * time.Minute))}
	if len(stages) > 0 {
		m["stages"] = stages
	}
	return m
}

// dayTotals are one day's values for dailyRollUp, and whether the day has
// data of each kind.
type dayTotals struct {
	steps, floors, activeMin, lightMin int64
	mm                                 int64
	kcal                               float64
	hasFloors                          bool
	weightKg, fat                      float64
}

// totals computes a day's totals (today up to now). cheap limits it to
// what the cheap demo model gives (steps, weight).
func (d *dataset) totals(ctx context.Context, day providers.Date, dt string) (dayTotals, bool) {
	var t dayTotals
	if !d.inRange(day) {
		return t, false
	}
	switch dt {
	case "steps", "weight", "body-fat":
		vals, err := d.demo.DailySeries(ctx, day, day)
		if err != nil || len(vals) != 1 {
			return t, false
		}
		t.steps = int64(vals[0].Steps)
		t.weightKg = vals[0].WeightKg
		if h, ok := d.health(ctx, day); ok && t.weightKg > 0 && h.BodyFatPct != nil {
			t.fat = *h.BodyFatPct
		}
		return t, true
	}
	s := d.p.Summary(ctx, day)
	t.steps = int64(s.Steps)
	t.floors, t.hasFloors = int64(s.Floors), s.HasFloors
	t.activeMin = int64(s.ActiveMinutes)
	// Light activity is reported too; Fitbit's active minutes leave it out.
	t.lightMin = int64(s.Steps / 60)
	t.mm = int64(math.Round(s.DistanceKm * 1e6))
	t.kcal = float64(s.Calories)
	return t, true
}

// knownList are data types the real API lists; the fake has data for
// some of them and answers an empty list for the rest.
var knownList = map[string]bool{
	"active-energy-burned": true, "active-minutes": true, "active-zone-minutes": true, "activity-level": true,
	"altitude": true, "basal-energy-burned": true, "blood-glucose": true, "body-fat": true,
	"core-body-temperature": true, "daily-heart-rate-variability": true, "daily-heart-rate-zones": true,
	"daily-oxygen-saturation": true, "daily-respiratory-rate": true, "daily-resting-heart-rate": true,
	"daily-sleep-temperature-derivations": true, "daily-vo2-max": true, "distance": true, "electrocardiogram": true,
	"exercise": true, "heart-rate": true, "heart-rate-variability": true, "height": true, "hydration-log": true,
	"irregular-rhythm-notification": true, "menstrual-period": true, "moods": true, "nutrition-log": true,
	"ovulation-test": true, "oxygen-saturation": true, "respiratory-rate-sleep-summary": true, "run-vo2-max": true,
	"sedentary-period": true, "sleep": true, "steps": true, "swim-lengths-data": true, "symptoms": true,
	"time-in-heart-rate-zone": true, "vo2-max": true, "weight": true,
}

// rollupOnly types exist only for rollups.
var rollupOnly = map[string]bool{"floors": true, "total-calories": true, "calories-in-heart-rate-zone": true}

// knownType reports whether dt names a data type at all.
func knownType(dt string) bool { return knownList[dt] || rollupOnly[dt] }

// recordKind is how a type is filtered.
func recordKind(dt string) string {
	switch dt {
	case "heart-rate", "weight", "body-fat", "height", "oxygen-saturation", "blood-glucose", "core-body-temperature",
		"heart-rate-variability", "moods", "ovulation-test", "respiratory-rate-sleep-summary", "run-vo2-max",
		"symptoms", "vo2-max":
		return "sample"
	case "sleep", "exercise", "electrocardiogram", "hydration-log", "irregular-rhythm-notification", "nutrition-log":
		return "session"
	}
	if len(dt) > 6 && dt[:6] == "daily-" {
		return "daily"
	}
	return "interval"
}

// scopeOf is the scope a type needs.
func scopeOf(dt string) string {
	switch dt {
	case "sleep":
		return Scopes[2]
	case "heart-rate", "daily-resting-heart-rate", "weight", "body-fat", "height", "heart-rate-variability",
		"daily-heart-rate-variability", "daily-heart-rate-zones", "oxygen-saturation", "daily-oxygen-saturation",
		"daily-respiratory-rate", "core-body-temperature", "daily-sleep-temperature-derivations":
		return Scopes[1]
	}
	return Scopes[0]
}

// maxRollupDays is the longest range rollUp and dailyRollUp accept.
func maxRollupDays(dt string) int {
	switch dt {
	case "heart-rate", "active-minutes", "total-calories", "calories-in-heart-rate-zone":
		return 14
	}
	return 90
}
