package takeout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/wire"
)

// point is one sample.
type point struct {
	t time.Time
	v float64
}

// dayValue is one daily value under its key (see dayExtra.Metrics).
type dayValue struct {
	day providers.Date
	key string
	v   float64
}

// batch is what one file yielded; it is kept only if the whole file reads.
type batch struct {
	points    []point
	daily     []dayValue
	weights   []weightEntry
	sleeps    []sleepEntry
	exercises []exerciseEntry
	azm       []azmRow
	hrv       []hrvReading
	csvSleeps []csvSleep
	csvStages []csvStage
	bad       int // records that could not be read and were left out
}

func (b *batch) records() int {
	return len(b.points) + len(b.daily) + len(b.weights) + len(b.sleeps) + len(b.exercises) + len(b.azm) + len(b.hrv) +
		len(b.csvSleeps) + len(b.csvStages) + b.bad
}

// units are the account's settings, which weights follow (and an
// exercise log's distance, which says its own unit).
type units struct {
	weight   string // kg, lb, stone
	distance string // km, mi
}

func (u units) kg(v float64) float64 { return v * weightFactor(u.weight) }

func (u units) km(v float64) float64 {
	if u.distance == "mi" {
		return v * 1.609344
	}
	return v
}

func weightFactor(unit string) float64 {
	switch unit {
	case "lb":
		return 0.45359237
	case "stone":
		return 6.35029318
	}
	return 1
}

// clock reads a file family's naive times: src is the zone they are
// written in (UTC for the per-sample files of a real export, the
// wearer's zone for local files), loc the account's zone every answer
// is in.
type clock struct{ src, loc *time.Location }

func localClock(loc *time.Location) clock { return clock{loc, loc} }

func (c clock) at(b []byte) (time.Time, bool) {
	t, ok := parseTime(b, c.src)
	if ok && c.src != c.loc {
		t = t.In(c.loc)
	}
	return t, ok
}

// maxFileSamples bounds what one file may hold (a day of per-second heart
// rate is 86,400; a 30-day file of minutes 43,200): about 32 MB of samples.
const maxFileSamples = 1 << 20

var (
	kDateTime = []byte("dateTime")
	kValue    = []byte("value")
	kBPM      = []byte("bpm")
	kDate     = []byte("date")
)

// eachElement calls f with each element of a top-level JSON list while b
// (nil: no batch) has room.
func eachElement(r io.Reader, b *batch, f func(el []byte) error) error {
	ar := newArrayReader(r)
	for {
		if b != nil {
			if err := b.full(); err != nil {
				return err
			}
		}
		el, err := ar.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(el); err != nil {
			return err
		}
	}
}

// readJSONSeries reads [{"dateTime": "MM/DD/YY HH:MM:SS", "value": V}]
// where V is a number, a number in a string, or {"bpm": N, "confidence": C},
// in the family's clock; values are multiplied by scale (centimetres to
// km, feet to floors).
func readJSONSeries(r io.Reader, scale float64, clk clock, b *batch) error {
	return eachElement(r, b, func(el []byte) error {
		var t time.Time
		var v float64
		okT, okV := false, false
		err := fields(el, func(k, val []byte) {
			switch {
			case bytes.Equal(k, kDateTime):
				t, okT = clk.at(val)
			case bytes.Equal(k, kValue):
				if len(val) > 0 && val[0] == '{' {
					_ = fields(val, func(k2, v2 []byte) {
						if bytes.Equal(k2, kBPM) {
							v, okV = number(v2)
						}
					})
				} else {
					v, okV = number(val)
				}
			}
		})
		if err != nil {
			return fmt.Errorf("list item %d is not a valid JSON object", len(b.points)+b.bad+1)
		}
		if !okT || !okV || v < 0 {
			b.bad++
			return nil
		}
		if len(b.points) >= maxFileSamples {
			return fmt.Errorf("more than %d samples in one file", maxFileSamples)
		}
		b.points = append(b.points, point{t, v * scale})
		return nil
	})
}

// civilDay reads a daily file's date: "MM/DD/YY HH:MM:SS" or "MM/DD/YY"
// as written (daily files are civil dates, whatever the clock).
func civilDay(b []byte) (providers.Date, bool) {
	t, ok := parseTime(b, time.UTC)
	if !ok {
		return providers.Date{}, false
	}
	return providers.DateOf(t), true
}

// readJSONDaily reads daily values: resting heart rate
// ({"value": {"date": "MM/DD/YY", "value": 56.4, "error": 6.5}}; value 0
// with date null is "no data" and not a value) and active minutes
// ({"value": "780"}), under key.
func readJSONDaily(r io.Reader, resting bool, key string, b *batch) error {
	return eachElement(r, b, func(el []byte) error {
		var day providers.Date
		var v float64
		okD, okV, noData := false, false, false
		err := fields(el, func(k, val []byte) {
			switch {
			case bytes.Equal(k, kDateTime):
				if d, ok := civilDay(val); ok && !okD {
					day, okD = d, true
				}
			case bytes.Equal(k, kValue):
				if len(val) > 0 && val[0] == '{' {
					_ = fields(val, func(k2, v2 []byte) {
						switch {
						case bytes.Equal(k2, kValue):
							v, okV = number(v2)
						case bytes.Equal(k2, kDate):
							if d, ok := civilDay(v2); ok {
								day, okD = d, true
							} else if string(v2) == "null" {
								noData = true
							}
						}
					})
				} else {
					v, okV = number(val)
				}
			}
		})
		if err != nil {
			return fmt.Errorf("list item %d is not a valid JSON object", b.records()+1)
		}
		switch {
		case resting && okV && v == 0: // "no data" in the export
		case resting && noData && !okV:
		case !okD || !okV || v < 0:
			b.bad++
		default:
			b.daily = append(b.daily, dayValue{day, key, v})
		}
		return nil
	})
}

// readJSONValueObject reads daily files whose value is an object
// ({"dateTime": "MM/DD/YY HH:MM:SS", "value": {...}}): f picks the
// numbers it wants from the object.
func readJSONValueObject(r io.Reader, b *batch, f func(day providers.Date, obj []byte, put func(key string, v float64))) error {
	return eachElement(r, b, func(el []byte) error {
		var day providers.Date
		var obj []byte
		okD := false
		err := fields(el, func(k, val []byte) {
			switch {
			case bytes.Equal(k, kDateTime):
				day, okD = civilDay(val)
			case bytes.Equal(k, kValue):
				obj = val
			}
		})
		if err != nil {
			return fmt.Errorf("list item %d is not a valid JSON object", b.records()+1)
		}
		n := len(b.daily)
		if okD && len(obj) > 0 && obj[0] == '{' {
			f(day, obj, func(key string, v float64) { b.daily = append(b.daily, dayValue{day, key, v}) })
		}
		if len(b.daily) == n {
			b.bad++
		}
		return nil
	})
}

// heart-rate zone names of time_in_heart_rate_zones-*.json and the keys
// the index keeps their minutes under.
var zoneKeys = map[string]string{
	"BELOW_DEFAULT_ZONE_1": "hr_zone_below_minutes",
	"IN_DEFAULT_ZONE_1":    "hr_zone_fat_burn_minutes",
	"IN_DEFAULT_ZONE_2":    "hr_zone_cardio_minutes",
	"IN_DEFAULT_ZONE_3":    "hr_zone_peak_minutes",
}

// readJSONZones reads time_in_heart_rate_zones-*.json:
// value.valuesInZones holds minutes per zone.
func readJSONZones(r io.Reader, b *batch) error {
	return readJSONValueObject(r, b, func(_ providers.Date, obj []byte, put func(string, float64)) {
		_ = fields(obj, func(k, v []byte) {
			if string(k) != "valuesInZones" {
				return
			}
			_ = fields(v, func(z, m []byte) {
				if key, ok := zoneKeys[string(z)]; ok {
					if n, ok := number(m); ok && n >= 0 {
						put(key, n)
					}
				}
			})
		})
	})
}

// readJSONVO2 reads demographic_vo2_max-*.json (the filtered estimate,
// else the raw one) and run_vo2_max-*.json (shape assumed: the same
// fields with "run" for "demographic").
func readJSONVO2(r io.Reader, run bool, b *batch) error {
	key, best, raw, errKey := "vo2_max", "filteredDemographicVO2Max", "demographicVO2Max", "filteredDemographicVO2MaxError"
	if run {
		key, best, raw, errKey = "run_vo2_max", "filteredRunVO2Max", "runVO2Max", "filteredRunVO2MaxError"
	}
	return readJSONValueObject(r, b, func(_ providers.Date, obj []byte, put func(string, float64)) {
		var got, fallback, e float64
		okB, okR, okE := false, false, false
		_ = fields(obj, func(k, v []byte) {
			switch string(k) {
			case best:
				got, okB = number(v)
			case raw:
				fallback, okR = number(v)
			case errKey:
				e, okE = number(v)
			}
		})
		switch {
		case okB && got > 0:
		case okR && fallback > 0:
			got = fallback
		default:
			return
		}
		put(key, got)
		if okE {
			put(key+"_error", e)
		}
	})
}

// readJSONHeight reads height-*.json: millimetres ("1770"). The record
// shape ({"dateTime", "value"}) is assumed from the other daily files.
func readJSONHeight(r io.Reader) ([]float64, error) {
	var out []float64
	err := eachElement(r, nil, func(el []byte) error {
		if len(out) >= maxFileRecords {
			return errTooManyRecords
		}
		return fields(el, func(k, val []byte) {
			if bytes.Equal(k, kValue) {
				if mm, ok := number(val); ok && mm > 500 && mm < 2600 {
					out = append(out, mm)
				}
			}
		})
	})
	return out, err
}

// weighIn is a weight log's number and its BMI, to tell the unit.
type weighIn struct{ weight, bmi float64 }

type weightLog struct {
	LogID  wire.Int        `json:"logId"`
	Weight json.RawMessage `json:"weight"`
	BMI    json.RawMessage `json:"bmi"`
	Fat    json.RawMessage `json:"fat"`
	Date   string          `json:"date"`
	Time   string          `json:"time"`
}

// readWeighIns reads a weight file's weights and BMIs only.
func readWeighIns(r io.Reader) ([]weighIn, error) {
	var out []weighIn
	err := eachElement(r, nil, func(el []byte) error {
		if len(out) >= maxFileRecords {
			return errTooManyRecords
		}
		var w weightLog
		if json.Unmarshal(el, &w) != nil {
			return nil
		}
		v, ok1 := number(w.Weight)
		bmi, ok2 := number(w.BMI)
		if ok1 && ok2 && v > 0 && bmi > 0 {
			out = append(out, weighIn{v, bmi})
		}
		return nil
	})
	return out, err
}

// readJSONWeight reads weight logs: local date and time, weight in the
// account's unit (factor turns it into kg).
func readJSONWeight(r io.Reader, loc *time.Location, factor float64, b *batch) error {
	return eachElement(r, b, func(el []byte) error {
		var w weightLog
		if err := json.Unmarshal(el, &w); err != nil {
			return recordError(b, "a weight log", err)
		}
		v, ok := number(w.Weight)
		t, okT := parseTime([]byte(strings.TrimSpace(w.Date+" "+w.Time)), loc)
		if !okT {
			t, okT = parseTime([]byte(w.Date), loc)
		}
		if !ok || !okT || v <= 0 {
			b.bad++
			return nil
		}
		e := weightEntry{Time: t, Kg: v * factor}
		e.LogID = int64(w.LogID)
		if fat, ok := number(w.Fat); ok {
			e.FatPct = fat
		}
		if bmi, ok := number(w.BMI); ok {
			e.BMI = bmi
		}
		b.weights = append(b.weights, e)
		return nil
	})
}

// sleepLevel is one entry of levels.data or levels.shortData.
type sleepLevel struct {
	DateTime  string      `json:"dateTime"`
	DateTime2 string      `json:"datetime"`
	Level     string      `json:"level"`
	Seconds   wire.Number `json:"seconds"`
}

// sleepLog is an export sleep log (API v1.2 shape; the export says
// mainSleep where the API says isMainSleep).
type sleepLog struct {
	LogID         wire.Int     `json:"logId"`
	DateOfSleep   string       `json:"dateOfSleep"`
	StartTime     string       `json:"startTime"`
	EndTime       string       `json:"endTime"`
	MinutesAsleep *wire.Number `json:"minutesAsleep"`
	Efficiency    wire.Number  `json:"efficiency"`
	MainSleep     *bool        `json:"mainSleep"`
	IsMainSleep   *bool        `json:"isMainSleep"`
	Type          string       `json:"type"`
	Levels        struct {
		Summary map[string]struct {
			Minutes *wire.Number `json:"minutes"`
		} `json:"summary"`
		Data      []sleepLevel `json:"data"`
		ShortData []sleepLevel `json:"shortData"`
	} `json:"levels"`
}

// recordError: a record that is not JSON fails its file (the file is
// damaged); one whose values are of the wrong type is left out.
func recordError(b *batch, what string, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%s is not valid JSON: %v", what, err)
	}
	b.bad++
	return nil
}

// readJSONSleep reads sleep logs, in local time.
func readJSONSleep(r io.Reader, loc *time.Location, b *batch) error {
	return eachElement(r, b, func(el []byte) error {
		var l sleepLog
		if err := json.Unmarshal(el, &l); err != nil {
			return recordError(b, "a sleep log", err)
		}
		e, ok := l.entry(loc)
		if !ok {
			b.bad++
			return nil
		}
		b.sleeps = append(b.sleeps, e)
		return nil
	})
}

// onOrAfter picks, for a local time that occurs twice (the hour repeated
// when clocks go back), the occurrence not before lo: a sleep's times
// run forwards.
func onOrAfter(t, lo time.Time) time.Time {
	if !t.Before(lo) {
		return t
	}
	for _, shift := range []time.Duration{time.Hour, 30 * time.Minute, 2 * time.Hour} {
		if u := t.Add(shift); !u.Before(lo) && sameWall(t, u) {
			return u
		}
	}
	return t
}

func sameWall(a, b time.Time) bool {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	return ya == yb && ma == mb && da == db && a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}

func (l *sleepLog) entry(loc *time.Location) (sleepEntry, bool) {
	start, ok1 := parseTime([]byte(l.StartTime), loc)
	end, ok2 := parseTime([]byte(l.EndTime), loc)
	end = onOrAfter(end, start)
	if !ok1 || !ok2 || end.Before(start) {
		return sleepEntry{}, false
	}
	s := providers.SleepSession{Start: start, End: end, Classic: l.Type == "classic", Date: providers.DateOf(end)}
	if d, err := providers.ParseDate(l.DateOfSleep); err == nil {
		s.Date = d
	}
	switch {
	case l.MainSleep != nil:
		s.Main = *l.MainSleep
	case l.IsMainSleep != nil:
		s.Main = *l.IsMainSleep
	}
	if l.MinutesAsleep != nil {
		if n, err := l.MinutesAsleep.Count("minutesAsleep"); err == nil {
			s.Asleep = time.Duration(n) * time.Minute
		}
	}
	s.Segments = overlay(levelSegments(l.Levels.Data, start, true, loc), levelSegments(l.Levels.ShortData, start, false, loc))
	e := sleepEntry{Session: s}
	e.LogID = int64(l.LogID)
	if n, err := l.Efficiency.Count("efficiency"); err == nil {
		e.Efficiency = n
	}
	for stage, v := range l.Levels.Summary {
		if v.Minutes == nil {
			continue
		}
		if n, err := v.Minutes.Count("minutes"); err == nil {
			if e.Summary == nil {
				e.Summary = map[string]int{}
			}
			e.Summary[stage] = int(n)
		}
	}
	return e, true
}

// levelSegments reads levels entries, in order from the sleep's start.
// levels.data tiles the sleep, so an entry whose local time matches where
// the one before ends starts there, even in an hour that occurs twice
// (shortData has only the order to go by).
func levelSegments(ls []sleepLevel, start time.Time, tiles bool, loc *time.Location) []providers.SleepSegment {
	var out []providers.SleepSegment
	lo, next := start, start
	for _, d := range ls {
		dt := d.DateTime
		if dt == "" {
			dt = d.DateTime2
		}
		t, ok := parseTime([]byte(dt), loc)
		secs, err := d.Seconds.Count("seconds")
		if !ok || err != nil || secs <= 0 {
			continue
		}
		if tiles && sameWall(t, next) {
			t = next
		}
		t = onOrAfter(t, lo)
		lo, next = t, t.Add(time.Duration(secs)*time.Second)
		out = append(out, providers.SleepSegment{Stage: providers.SleepStage(strings.ToLower(d.Level)), Start: t, Duration: time.Duration(secs) * time.Second})
	}
	return out // in the file's order, which is the sleep's
}

// overlay lays the short wakes of levels.shortData over the stretches of
// levels.data they interrupt, as the export's own levels.summary counts
// them: the stretch is cut around each short wake.
func overlay(long, short []providers.SleepSegment) []providers.SleepSegment {
	if len(short) == 0 {
		return long
	}
	out := make([]providers.SleepSegment, 0, len(long)+2*len(short))
	add := func(s providers.SleepSegment) {
		// A short wake across two stretches is one wake.
		if n := len(out); n > 0 && out[n-1].Stage == s.Stage && out[n-1].Start.Add(out[n-1].Duration).Equal(s.Start) {
			out[n-1].Duration += s.Duration
			return
		}
		out = append(out, s)
	}
	j := 0
	for _, seg := range long {
		start, end := seg.Start, seg.Start.Add(seg.Duration)
		for j < len(short) && !short[j].Start.Add(short[j].Duration).After(start) {
			j++
		}
		cur := start
		for k := j; k < len(short) && short[k].Start.Before(end); k++ {
			ws, we := short[k].Start, short[k].Start.Add(short[k].Duration)
			if ws.Before(cur) {
				ws = cur
			}
			if we.After(end) {
				we = end
			}
			if !we.After(ws) {
				continue
			}
			if ws.After(cur) {
				add(providers.SleepSegment{Stage: seg.Stage, Start: cur, Duration: ws.Sub(cur)})
			}
			add(providers.SleepSegment{Stage: short[k].Stage, Start: ws, Duration: we.Sub(ws)})
			cur = we
		}
		if end.After(cur) {
			add(providers.SleepSegment{Stage: seg.Stage, Start: cur, Duration: end.Sub(cur)})
		}
	}
	return out
}

// exerciseLog is an exercise-N.json record.
type exerciseLog struct {
	LogID          wire.Int        `json:"logId"`
	ActivityName   string          `json:"activityName"`
	ActivityTypeID wire.Int        `json:"activityTypeId"`
	StartTime      string          `json:"startTime"`
	Duration       json.RawMessage `json:"duration"`
	ActiveDuration json.RawMessage `json:"activeDuration"`
	Steps          json.RawMessage `json:"steps"`
	Calories       json.RawMessage `json:"calories"`
	AverageHR      json.RawMessage `json:"averageHeartRate"`
	Distance       json.RawMessage `json:"distance"`
	DistanceUnit   string          `json:"distanceUnit"`
	LogType        string          `json:"logType"`
}

// readJSONExercise reads exercise logs; start times are in the
// per-sample files' clock.
func readJSONExercise(r io.Reader, clk clock, b *batch) error {
	return eachElement(r, b, func(el []byte) error {
		var l exerciseLog
		if err := json.Unmarshal(el, &l); err != nil {
			return recordError(b, "an exercise log", err)
		}
		t, ok := clk.at([]byte(l.StartTime))
		ms, okD := number(l.Duration)
		if !ok || !okD || ms < 0 {
			b.bad++
			return nil
		}
		e := exerciseEntry{Name: l.ActivityName, Start: t, DurationS: int64(ms / 1000), Source: l.LogType}
		e.LogID, e.TypeID = int64(l.LogID), int64(l.ActivityTypeID)
		if v, ok := number(l.ActiveDuration); ok {
			e.ActiveS = int64(v / 1000)
		}
		if v, ok := number(l.Steps); ok {
			e.Steps = int(v)
		}
		if v, ok := number(l.Calories); ok {
			e.Calories = int(v)
		}
		if v, ok := number(l.AverageHR); ok {
			e.AvgHR = int(v)
		}
		if v, ok := number(l.Distance); ok && v > 0 {
			u := units{distance: "km"}
			if strings.HasPrefix(strings.ToLower(l.DistanceUnit), "mile") {
				u.distance = "mi"
			}
			e.DistanceKm = u.km(v)
		}
		b.exercises = append(b.exercises, e)
		return nil
	})
}

// profile is what an archive says about the account.
type profile struct {
	name     string
	zone     string
	weight   string
	distance string
}

// readProfileJSON reads a profile as the Web API's {"user": {...}} or flat.
func readProfileJSON(r io.Reader) (profile, error) {
	var raw struct {
		User *profileJSON `json:"user"`
		profileJSON
	}
	if err := json.NewDecoder(&capped{r: r, left: maxProfile, what: "the profile"}).Decode(&raw); err != nil {
		return profile{}, err
	}
	p := raw.profileJSON
	if raw.User != nil {
		p = *raw.User
	}
	return profile{name: firstNonEmpty(p.DisplayName, p.FullName), zone: p.Timezone,
		weight: weightUnit(p.WeightUnit), distance: distanceUnit(p.DistanceUnit)}, nil
}

type profileJSON struct {
	DisplayName  string `json:"displayName"`
	FullName     string `json:"fullName"`
	Timezone     string `json:"timezone"`
	WeightUnit   string `json:"weightUnit"`
	DistanceUnit string `json:"distanceUnit"`
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// weightUnit maps the export's unit settings ("METRIC", "en_US", "POUND",
// "en_GB", "STONE", ...) to kg, lb or stone; "" when unknown.
func weightUnit(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return ""
	case "EN_US", "US", "POUND", "POUNDS", "LB", "LBS", "IMPERIAL":
		return "lb"
	case "EN_GB", "STONE", "STONES", "ST":
		return "stone"
	}
	return "kg"
}

// distanceUnit maps the distance setting to km or mi; "" when unknown.
func distanceUnit(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return ""
	case "EN_US", "US", "EN_GB", "MILE", "MILES", "MI", "IMPERIAL":
		return "mi"
	}
	return "km"
}

// loadZone loads an IANA zone; UTC when it is empty or unknown.
func loadZone(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if l, err := time.LoadLocation(name); err == nil {
		return l
	}
	return time.UTC
}
