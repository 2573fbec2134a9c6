package fitbit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/wire"
)

// This file holds the Fitbit wire formats (reference §1.7) and pure
// decoders from response bodies to domain values. The decoders never
// panic on any input (they are fuzzed) and report what they could not read
// by field name, never by value.

// num is a JSON number that may also come as a string (package wire).
type num = wire.Number

// id is a Fitbit id: an unsigned 64-bit integer that may exceed 2^53, sent
// as a JSON number or a string. The digits are kept as text, never passed
// through float64.
type id string

func (i *id) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*i = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*i = id(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("not an id")
	}
	*i = id(n.String())
	return nil
}

// Time layouts of Fitbit's floating local times.
const (
	layoutMillis = "2006-01-02T15:04:05.000"
	layoutSecs   = "2006-01-02T15:04:05"
	layoutMins   = "2006-01-02T15:04"
)

// parseLocal reads a local date-time without a zone ("2024-03-05T07:03:30.000")
// in loc, the profile's time zone.
func parseLocal(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{layoutMillis, layoutSecs, layoutMins} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	// Some fields (and the successor API) carry a zone; accept it.
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(loc), nil
	}
	return time.Time{}, errors.New("not a local date-time")
}

// clock is a parsed HH:mm[:ss] wall-clock time.
type clock struct{ h, m, s int }

func parseClock(s string) (clock, error) {
	var c clock
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return c, errors.New("not a time of day")
	}
	vals := [3]int{}
	for i, p := range parts {
		if len(p) != 2 {
			return c, errors.New("not a time of day")
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return c, errors.New("not a time of day")
		}
		vals[i] = v
	}
	c = clock{vals[0], vals[1], vals[2]}
	if c.h > 23 || c.m > 59 || c.s > 59 {
		return c, errors.New("not a time of day")
	}
	return c, nil
}

// at places a wall-clock time on day in loc.
func (c clock) at(day providers.Date, loc *time.Location) time.Time {
	return time.Date(day.Year, day.Month, day.Day, c.h, c.m, c.s, 0, loc)
}

// ---- errors ----

// errorBody is Fitbit's error shape: {"errors":[...],"success":false}.
type errorBody struct {
	Errors []struct {
		ErrorType string `json:"errorType"`
		FieldName string `json:"fieldName"`
		Message   string `json:"message"`
	} `json:"errors"`
}

// ---- profile and devices ----

type profileBody struct {
	User *struct {
		EncodedID           string `json:"encodedId"`
		DisplayName         string `json:"displayName"`
		FullName            string `json:"fullName"`
		Timezone            string `json:"timezone"`
		OffsetFromUTCMillis num    `json:"offsetFromUTCMillis"`
	} `json:"user"`
}

// decodeProfile returns the display name and the account's time zone:
// the IANA zone when known, else the current offset, else UTC.
func decodeProfile(body []byte) (name string, loc *time.Location, err error) {
	var b profileBody
	if err := decode(body, "profile", &b); err != nil {
		return "", nil, err
	}
	if b.User == nil {
		return "", nil, bad("profile", errors.New(`no "user" object`))
	}
	name = b.User.DisplayName
	if name == "" {
		name = b.User.FullName
	}
	loc = zoneOf(b.User.Timezone, float64(b.User.OffsetFromUTCMillis))
	return name, loc, nil
}

// zoneOf loads an IANA zone, falling back to a fixed offset (which loses
// DST) and then UTC.
func zoneOf(name string, offsetMillis float64) *time.Location {
	if name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	if offsetMillis != 0 && math.Abs(offsetMillis) <= 18*3600*1000 {
		return time.FixedZone(name, int(offsetMillis/1000))
	}
	return time.UTC
}

type deviceBody struct {
	Battery       string `json:"battery"`
	BatteryLevel  *num   `json:"batteryLevel"`
	DeviceVersion string `json:"deviceVersion"`
	ID            id     `json:"id"`
	LastSyncTime  string `json:"lastSyncTime"`
	Type          string `json:"type"`
}

func decodeDevices(body []byte, loc *time.Location) ([]providers.Device, error) {
	var b []deviceBody
	if err := decode(body, "device list", &b); err != nil {
		return nil, err
	}
	out := make([]providers.Device, 0, len(b))
	for i, d := range b {
		dev := providers.Device{
			ID:             string(d.ID),
			Name:           d.DeviceVersion,
			Kind:           strings.ToLower(d.Type),
			BatteryPercent: -1,
			BatteryLevel:   d.Battery,
		}
		if dev.Name == "" {
			dev.Name = "Fitbit device"
		}
		if d.BatteryLevel != nil {
			p, err := d.BatteryLevel.Int("batteryLevel")
			if err != nil || p < 0 || p > 100 {
				return nil, bad("device list", fmt.Errorf("device %d: batteryLevel is not a percentage", i))
			}
			dev.BatteryPercent = p
		}
		if d.LastSyncTime != "" {
			t, err := parseLocal(d.LastSyncTime, loc)
			if err != nil {
				return nil, bad("device list", fmt.Errorf("device %d: lastSyncTime: %w", i, err))
			}
			dev.LastSync = t
		}
		out = append(out, dev)
	}
	return out, nil
}

// ---- daily activity summary ----

type summaryBody struct {
	Goals *struct {
		ActiveMinutes num `json:"activeMinutes"`
		CaloriesOut   num `json:"caloriesOut"`
		Distance      num `json:"distance"`
		Floors        num `json:"floors"`
		Steps         num `json:"steps"`
	} `json:"goals"`
	Summary *struct {
		CaloriesOut num `json:"caloriesOut"`
		Distances   []struct {
			Activity string `json:"activity"`
			Distance num    `json:"distance"`
		} `json:"distances"`
		Floors              *num `json:"floors"`
		Steps               *num `json:"steps"`
		RestingHeartRate    *num `json:"restingHeartRate"`
		FairlyActiveMinutes num  `json:"fairlyActiveMinutes"`
		VeryActiveMinutes   num  `json:"veryActiveMinutes"`
	} `json:"summary"`
}

func decodeSummary(body []byte, day providers.Date) (providers.DaySummary, error) {
	const what = "daily activity summary"
	var b summaryBody
	if err := decode(body, what, &b); err != nil {
		return providers.DaySummary{}, err
	}
	if b.Summary == nil {
		return providers.DaySummary{}, bad(what, errors.New(`no "summary" object`))
	}
	if b.Summary.Steps == nil {
		return providers.DaySummary{}, bad(what, errors.New(`summary has no "steps"`))
	}
	s := b.Summary
	out := providers.DaySummary{Date: day}
	var errs []error
	conv := func(n num, field string) int {
		v, err := n.Int(field)
		if err != nil || v < 0 {
			errs = append(errs, fmt.Errorf("%s is not a count", field))
		}
		return v
	}
	out.Steps = conv(*s.Steps, "steps")
	out.Calories = conv(s.CaloriesOut, "caloriesOut")
	out.ActiveMinutes = conv(s.FairlyActiveMinutes, "fairlyActiveMinutes") + conv(s.VeryActiveMinutes, "veryActiveMinutes")
	for _, d := range s.Distances {
		if d.Activity == "total" {
			out.DistanceKm = float64(d.Distance)
		}
	}
	if out.DistanceKm < 0 {
		errs = append(errs, errors.New("distance is negative"))
	}
	if s.Floors != nil {
		out.Floors, out.HasFloors = conv(*s.Floors, "floors"), true
	}
	if s.RestingHeartRate != nil {
		out.RestingHeartRate = conv(*s.RestingHeartRate, "restingHeartRate")
	}
	if g := b.Goals; g != nil {
		out.Goals = providers.Goals{
			Steps:         conv(g.Steps, "goals.steps"),
			DistanceKm:    float64(g.Distance),
			Calories:      conv(g.CaloriesOut, "goals.caloriesOut"),
			ActiveMinutes: conv(g.ActiveMinutes, "goals.activeMinutes"),
			Floors:        conv(g.Floors, "goals.floors"),
		}
	}
	if len(errs) > 0 {
		return providers.DaySummary{}, bad(what, errs[0])
	}
	return out, nil
}

// ---- time series ----

type seriesEntry struct {
	DateTime string          `json:"dateTime"`
	Value    json.RawMessage `json:"value"`
}

// seriesEntries reads the "activities-<resource>" array of a time series.
func seriesEntries(body []byte, key, what string) ([]seriesEntry, error) {
	var b map[string]json.RawMessage
	if err := decode(body, what, &b); err != nil {
		return nil, err
	}
	raw, ok := b[key]
	if !ok {
		return nil, bad(what, fmt.Errorf("no %q array", key))
	}
	var out []seriesEntry
	if err := decode(raw, what, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeStepsSeries reads GET .../activities/steps/date/A/B.json: one
// string value per day.
func decodeStepsSeries(body []byte) (map[providers.Date]int, error) {
	const what = "steps series"
	entries, err := seriesEntries(body, "activities-steps", what)
	if err != nil {
		return nil, err
	}
	out := make(map[providers.Date]int, len(entries))
	for _, e := range entries {
		d, err := providers.ParseDate(e.DateTime)
		if err != nil {
			return nil, bad(what, errors.New("dateTime is not a date"))
		}
		var n num
		if err := json.Unmarshal(e.Value, &n); err != nil {
			return nil, bad(what, fmt.Errorf("%s: value is not a number", d))
		}
		v, err := n.Int("value")
		if err != nil || v < 0 {
			return nil, bad(what, fmt.Errorf("%s: value is not a count", d))
		}
		out[d] = v
	}
	return out, nil
}

// heartValue is the object form of activities-heart[].value.
type heartValue struct {
	RestingHeartRate *num `json:"restingHeartRate"`
}

// decodeHeartSeries reads GET .../activities/heart/date/A/B.json into
// resting heart rate per day (absent on days without enough data).
func decodeHeartSeries(body []byte) (map[providers.Date]int, error) {
	const what = "heart-rate series"
	entries, err := seriesEntries(body, "activities-heart", what)
	if err != nil {
		return nil, err
	}
	out := make(map[providers.Date]int, len(entries))
	for _, e := range entries {
		d, err := providers.ParseDate(e.DateTime)
		if err != nil {
			return nil, bad(what, errors.New("dateTime is not a date"))
		}
		v := bytes.TrimSpace(e.Value)
		if len(v) == 0 || v[0] != '{' {
			// The intraday shape puts a string here; it carries no
			// resting heart rate.
			out[d] = 0
			continue
		}
		var hv heartValue
		if err := json.Unmarshal(v, &hv); err != nil {
			return nil, bad(what, fmt.Errorf("%s: value is not a heart-rate object", d))
		}
		if hv.RestingHeartRate != nil {
			r, err := hv.RestingHeartRate.Int("restingHeartRate")
			if err != nil || r < 0 || r > 300 {
				return nil, bad(what, fmt.Errorf("%s: restingHeartRate out of range", d))
			}
			out[d] = r
		} else {
			out[d] = 0
		}
	}
	return out, nil
}

// ---- intraday ----

type intradayBlock struct {
	Dataset []struct {
		Time  string `json:"time"`
		Value num    `json:"value"`
	} `json:"dataset"`
	DatasetInterval num    `json:"datasetInterval"`
	DatasetType     string `json:"datasetType"`
}

// errNoIntraday: the response has no "-intraday" block (older servers
// leave it out instead of answering 403).
var errNoIntraday = errors.New("no intraday block")

// decodeIntraday reads the "activities-<res>-intraday" dataset of day in
// loc. Times are local wall-clock times with no date; on the day clocks go
// back a repeated hour is placed after the first one.
func decodeIntraday(body []byte, res string, day providers.Date, loc *time.Location) (providers.Series, error) {
	what := res + " intraday"
	var b map[string]json.RawMessage
	if err := decode(body, what, &b); err != nil {
		return providers.Series{}, err
	}
	raw, ok := b["activities-"+res+"-intraday"]
	if !ok {
		return providers.Series{}, errNoIntraday
	}
	var blk intradayBlock
	if err := decode(raw, what, &blk); err != nil {
		return providers.Series{}, err
	}
	out := providers.Series{Samples: make([]providers.Sample, 0, len(blk.Dataset))}
	switch iv, unit := float64(blk.DatasetInterval), blk.DatasetType; {
	case unit == "second":
		out.Resolution = 0 // 1sec data is irregular
	case iv >= 1 && iv <= 1440 && (unit == "minute" || unit == ""):
		out.Resolution = time.Duration(iv) * time.Minute
	default:
		return providers.Series{}, bad(what, errors.New("datasetInterval/datasetType not understood"))
	}
	var prev time.Time
	for i, s := range blk.Dataset {
		c, err := parseClock(s.Time)
		if err != nil {
			return providers.Series{}, bad(what, fmt.Errorf("dataset[%d].time: %w", i, err))
		}
		t := c.at(day, loc)
		if i > 0 && !t.After(prev) {
			// The second pass through the hour repeated when DST ends.
			if t2 := t.Add(time.Hour); t2.After(prev) && providers.DateOf(t2) == day {
				t = t2
			} else {
				return providers.Series{}, bad(what, fmt.Errorf("dataset[%d].time is out of order", i))
			}
		}
		prev = t
		v := float64(s.Value)
		if v < 0 || v > 1e6 {
			return providers.Series{}, bad(what, fmt.Errorf("dataset[%d].value out of range", i))
		}
		out.Samples = append(out.Samples, providers.Sample{Time: t, Value: v})
	}
	return out, nil
}

// ---- sleep ----

type sleepLevel struct {
	DateTime  string `json:"dateTime"`
	DateTimeL string `json:"datetime"` // the docs' spelling in one example
	Level     string `json:"level"`
	Seconds   num    `json:"seconds"`
}

type sleepLog struct {
	DateOfSleep   string `json:"dateOfSleep"`
	LogID         id     `json:"logId"`
	IsMainSleep   bool   `json:"isMainSleep"`
	Type          string `json:"type"`
	StartTime     string `json:"startTime"`
	EndTime       string `json:"endTime"`
	Duration      num    `json:"duration"` // milliseconds
	MinutesAsleep num    `json:"minutesAsleep"`
	Levels        *struct {
		Data []sleepLevel `json:"data"`
	} `json:"levels"`
}

type sleepBody struct {
	Sleep *[]sleepLog `json:"sleep"`
	Meta  *struct {
		State         string `json:"state"`
		RetryDuration num    `json:"retryDuration"`
	} `json:"meta"`
}

// errSleepPending: Fitbit is still processing sleep logs.
type errSleepPending struct{ retry time.Duration }

func (e errSleepPending) Error() string {
	return fmt.Sprintf("Fitbit is still processing sleep data (try again in %s)", e.retry)
}

// SleepLog is one Fitbit sleep log: the domain session plus its id.
type SleepLog struct {
	LogID string // decimal, may exceed 2^53
	providers.SleepSession
}

var stages = map[string]providers.SleepStage{
	"deep": providers.StageDeep, "light": providers.StageLight, "rem": providers.StageREM, "wake": providers.StageWake,
	"asleep": providers.StageAsleep, "restless": providers.StageRestless, "awake": providers.StageAwake,
}

// decodeSleep reads GET /1.2/user/-/sleep/date/A[/B].json, oldest first.
func decodeSleep(body []byte, loc *time.Location) ([]SleepLog, error) {
	const what = "sleep log"
	var b sleepBody
	if err := decode(body, what, &b); err != nil {
		return nil, err
	}
	if b.Meta != nil && b.Meta.State == "pending" {
		ms := math.Min(math.Max(float64(b.Meta.RetryDuration), 0), 600000)
		return nil, errSleepPending{time.Duration(ms) * time.Millisecond}
	}
	if b.Sleep == nil {
		return nil, bad(what, errors.New(`no "sleep" array`))
	}
	out := make([]SleepLog, 0, len(*b.Sleep))
	for i, l := range *b.Sleep {
		s, err := sleepSession(l, loc)
		if err != nil {
			return nil, bad(what, fmt.Errorf("sleep[%d]: %w", i, err))
		}
		out = append(out, SleepLog{LogID: string(l.LogID), SleepSession: s})
	}
	// Fitbit lists newest first; the domain wants oldest first.
	wire.SortByTime(out, func(l SleepLog) time.Time { return l.Start })
	return out, nil
}

func sleepSession(l sleepLog, loc *time.Location) (providers.SleepSession, error) {
	var s providers.SleepSession
	d, err := providers.ParseDate(l.DateOfSleep)
	if err != nil {
		return s, errors.New("dateOfSleep is not a date")
	}
	start, err := parseLocal(l.StartTime, loc)
	if err != nil {
		return s, fmt.Errorf("startTime: %w", err)
	}
	end, err := parseLocal(l.EndTime, loc)
	if err != nil {
		return s, fmt.Errorf("endTime: %w", err)
	}
	if end.Before(start) || end.Sub(start) > 48*time.Hour {
		return s, errors.New("endTime is not within two days after startTime")
	}
	asleep, err := l.MinutesAsleep.Int("minutesAsleep")
	if err != nil || asleep < 0 || asleep > 48*60 {
		return s, errors.New("minutesAsleep out of range")
	}
	s = providers.SleepSession{
		Date:    d,
		Start:   start,
		End:     end,
		Main:    l.IsMainSleep,
		Classic: l.Type == "classic",
		Asleep:  time.Duration(asleep) * time.Minute,
	}
	if l.Levels == nil {
		return s, nil
	}
	s.Segments = make([]providers.SleepSegment, 0, len(l.Levels.Data))
	for j, seg := range l.Levels.Data {
		ts := seg.DateTime
		if ts == "" {
			ts = seg.DateTimeL
		}
		at, err := parseLocal(ts, loc)
		if err != nil {
			return s, fmt.Errorf("levels.data[%d].dateTime: %w", j, err)
		}
		st, ok := stages[seg.Level]
		if !ok {
			// Unknown levels (newer devices) are skipped, not fatal.
			continue
		}
		secs := float64(seg.Seconds)
		if secs < 0 || secs > 48*3600 {
			return s, fmt.Errorf("levels.data[%d].seconds out of range", j)
		}
		s.Segments = append(s.Segments, providers.SleepSegment{Stage: st, Start: at, Duration: time.Duration(secs) * time.Second})
	}
	return s, nil
}

// ---- weight and body fat ----

// WeightLog is one weigh-in.
type WeightLog struct {
	LogID      string // decimal, may exceed 2^53
	Time       time.Time
	WeightKg   float64
	BMI        float64
	FatPercent float64 // 0 when the entry has none
	Source     string
}

// FatLog is one body-fat measurement.
type FatLog struct {
	LogID      string
	Time       time.Time
	FatPercent float64
	Source     string
}

// weightEntry is one of {"weight": [...]}.
type weightEntry struct {
	BMI    num    `json:"bmi"`
	Date   string `json:"date"`
	Fat    num    `json:"fat"`
	LogID  id     `json:"logId"`
	Source string `json:"source"`
	Time   string `json:"time"`
	Weight *num   `json:"weight"`
}

// fatEntry is one of {"fat": [...]}.
type fatEntry struct {
	Date   string `json:"date"`
	Fat    *num   `json:"fat"`
	LogID  id     `json:"logId"`
	Source string `json:"source"`
	Time   string `json:"time"`
}

// logTime combines a log's local date and HH:mm:ss.
func logTime(date, tod string, loc *time.Location) (time.Time, error) {
	d, err := providers.ParseDate(date)
	if err != nil {
		return time.Time{}, errors.New("date is not a date")
	}
	if tod == "" {
		return d.In(loc), nil
	}
	c, err := parseClock(tod)
	if err != nil {
		return time.Time{}, fmt.Errorf("time: %w", err)
	}
	return c.at(d, loc), nil
}

func decodeWeight(body []byte, loc *time.Location) ([]WeightLog, error) {
	const what = "weight log"
	list, err := httpapi.DecodeList[weightEntry](Name, body, what, "weight")
	if err != nil {
		return nil, err
	}
	out := make([]WeightLog, 0, len(list))
	for i, w := range list {
		t, err := logTime(w.Date, w.Time, loc)
		if err != nil {
			return nil, bad(what, fmt.Errorf("weight[%d]: %w", i, err))
		}
		if w.Weight == nil || *w.Weight <= 0 || *w.Weight > 1000 {
			return nil, bad(what, fmt.Errorf("weight[%d]: weight missing or out of range", i))
		}
		if w.Fat < 0 || w.Fat > 100 {
			return nil, bad(what, fmt.Errorf("weight[%d]: fat is not a percentage", i))
		}
		out = append(out, WeightLog{LogID: string(w.LogID), Time: t, WeightKg: float64(*w.Weight),
			BMI: float64(w.BMI), FatPercent: float64(w.Fat), Source: w.Source})
	}
	wire.SortByTime(out, func(w WeightLog) time.Time { return w.Time })
	return out, nil
}

func decodeFat(body []byte, loc *time.Location) ([]FatLog, error) {
	const what = "body-fat log"
	list, err := httpapi.DecodeList[fatEntry](Name, body, what, "fat")
	if err != nil {
		return nil, err
	}
	out := make([]FatLog, 0, len(list))
	for i, f := range list {
		t, err := logTime(f.Date, f.Time, loc)
		if err != nil {
			return nil, bad(what, fmt.Errorf("fat[%d]: %w", i, err))
		}
		if f.Fat == nil || *f.Fat < 0 || *f.Fat > 100 {
			return nil, bad(what, fmt.Errorf("fat[%d]: fat missing or not a percentage", i))
		}
		out = append(out, FatLog{LogID: string(f.LogID), Time: t, FatPercent: float64(*f.Fat), Source: f.Source})
	}
	wire.SortByTime(out, func(f FatLog) time.Time { return f.Time })
	return out, nil
}

// decode unmarshals a body, bad reports what it could not read: both as
// KindBadData errors naming what.
func decode(body []byte, what string, v any) error { return httpapi.Decode(Name, body, what, v) }
func bad(what string, err error) error             { return providers.ErrBadData(Name, what, err) }
