package misfittest

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// How the fake turns the demo's data into Misfit's.
const (
	// StepsPerPoint: a point per ten steps, Misfit's rough rule.
	StepsPerPoint = 10
	// KmPerMile: distances are served in miles.
	KmPerMile = 1.609344
	// SessionMinSteps is the steps per minute a minute needs to count
	// towards a session, SessionMinMinutes how many such minutes in a row
	// make one, and RunCadence the mean steps per minute of a run.
	SessionMinSteps   = 70
	SessionMinMinutes = 10
	RunCadence        = 140
	// DeviceType is the deviceType served.
	DeviceType = "shine"
)

// Object-id prefixes per kind; ids are 24 hex digits like Misfit's.
const (
	goalPrefix    = "54fa13a8440f"
	sessionPrefix = "552eab896c59"
	sleepPrefix   = "54fa13a8441a"
)

var epoch = providers.Date{Year: 2000, Month: 1, Day: 1}

func objectID(prefix string, d providers.Date, k int) string {
	return fmt.Sprintf("%s%08x%04x", prefix, epoch.DaysUntil(d), k)
}

// parseID reads an id made by objectID with prefix.
func parseID(prefix, id string) (providers.Date, int, bool) {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || len(rest) != 12 {
		return providers.Date{}, 0, false
	}
	days, err1 := strconv.ParseUint(rest[:8], 16, 32)
	k, err2 := strconv.ParseUint(rest[8:], 16, 16)
	if err1 != nil || err2 != nil || days > 200*366 {
		return providers.Date{}, 0, false
	}
	return epoch.AddDays(int(days)), int(k), true
}

// GoalID, SessionID and SleepID are the ids served for the k-th object
// (0-based) of day d.
func GoalID(d providers.Date) string           { return objectID(goalPrefix, d, 0) }
func SessionID(d providers.Date, k int) string { return objectID(sessionPrefix, d, k) }
func SleepID(d providers.Date, k int) string   { return objectID(sleepPrefix, d, k) }

// stamp formats t as Misfit's ISO time with a numeric offset.
func stamp(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Miles converts the demo's kilometres as served (4 decimals, like the
// documented examples).
func Miles(km float64) float64 { return round(km/KmPerMile, 4) }

// Points is what the fake serves as points for steps.
func Points(steps int) float64 { return round(float64(steps)/StepsPerPoint, 1) }

// OffsetHours is the timeZoneOffset served for day d in loc: the offset at
// noon, in hours.
func OffsetHours(d providers.Date, loc *time.Location) float64 {
	_, off := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, loc).Zone()
	return float64(off) / 3600
}

// today is the current date in the account's zone.
func (s *Server) today() providers.Date { return providers.DateOf(s.Data.Now().In(s.Data.Loc)) }

// span reads start_date and end_date and checks the 31-day limit.
func (s *Server) span(w http.ResponseWriter, r *http.Request) (from, to providers.Date, ok bool) {
	q := r.URL.Query()
	from, err1 := providers.ParseDate(q.Get("start_date"))
	to, err2 := providers.ParseDate(q.Get("end_date"))
	if err1 != nil || err2 != nil || to.Before(from) || from.DaysUntil(to)+1 > MaxRangeDays {
		invalidParams(w)
		return from, to, false
	}
	return from, to, true
}

// route answers a GET under ResourceRoot: the JSON value and true, or it
// writes an error and returns false.
func (s *Server) route(w http.ResponseWriter, r *http.Request) (any, bool) {
	seg := strings.Split(strings.TrimPrefix(r.URL.Path, ResourceRoot), "/")
	if len(seg) < 2 {
		cannot(w, r)
		return nil, false
	}
	if seg[0] != "me" && seg[0] != UserID {
		forbidden(w)
		return nil, false
	}
	ctx := r.Context()
	rest := seg[1:]
	switch {
	case len(rest) == 1 && rest[0] == "profile":
		return s.profile(), true
	case len(rest) == 1 && rest[0] == "device":
		return s.device(ctx), true
	case len(rest) == 2 && rest[0] == "activity":
		from, to, ok := s.span(w, r)
		if !ok {
			return nil, false
		}
		switch rest[1] {
		case "goals":
			return map[string]any{"goals": s.goals(ctx, from, to)}, true
		case "summary":
			if r.URL.Query().Get("detail") == "true" {
				return map[string]any{"summary": s.summaries(ctx, from, to)}, true
			}
			return s.aggregate(ctx, from, to), true
		case "sessions":
			return map[string]any{"sessions": s.sessions(ctx, from, to)}, true
		case "sleeps":
			return map[string]any{"sleeps": s.sleeps(ctx, from, to)}, true
		}
	case len(rest) == 3 && rest[0] == "activity":
		if v := s.object(ctx, rest[1], rest[2]); v != nil {
			return v, true
		}
	}
	cannot(w, r)
	return nil, false
}

// object finds one goal, session or sleep by id; nil when there is none.
func (s *Server) object(ctx context.Context, kind, id string) map[string]any {
	var prefix string
	var list func(context.Context, providers.Date, providers.Date) []map[string]any
	switch kind {
	case "goals":
		prefix, list = goalPrefix, s.goals
	case "sessions":
		prefix, list = sessionPrefix, s.sessions
	case "sleeps":
		prefix, list = sleepPrefix, s.sleeps
	default:
		return nil
	}
	d, _, ok := parseID(prefix, id)
	if !ok {
		return nil
	}
	for _, o := range list(ctx, d, d) {
		if o["id"] == id {
			return o
		}
	}
	return nil
}

// DisplayName, Birthday, Gender and Email of the served profile.
func (s *Server) DisplayName() string {
	prof := s.Data.Profile(context.Background())
	return prof.DisplayName
}

const (
	Birthday = "1988-05-14"
	Gender   = "female"
)

// Email is the served e-mail address.
func (s *Server) Email() string { return s.cfg.Persona + "@example.com" }

func (s *Server) profile() any {
	return map[string]any{"userId": UserID, "name": s.DisplayName(), "birthday": Birthday,
		"gender": Gender, "email": s.Email()}
}

// DemoDevice is the demo device served as the Misfit device: the first
// one that is not a scale.
func (s *Server) DemoDevice(ctx context.Context) (providers.Device, bool) {
	prof := s.Data.Profile(ctx)
	for _, d := range prof.Devices {
		if d.Kind != "scale" {
			return d, true
		}
	}
	return providers.Device{}, false
}

// Serial is the serialNumber served for a demo device id.
func Serial(demoID string) string {
	h := fnv.New32a()
	h.Write([]byte(demoID))
	return fmt.Sprintf("SH0A%06d", h.Sum32()%1000000)
}

func (s *Server) device(ctx context.Context) any {
	s.mu.Lock()
	none, wrapped := s.noDevice, s.wrappedDevice
	s.mu.Unlock()
	d, ok := s.DemoDevice(ctx)
	if none || !ok {
		return map[string]any{}
	}
	out := map[string]any{"id": objectID("51a4189acf12", epoch, 1), "deviceType": DeviceType,
		"serialNumber": Serial(d.ID), "firmwareVersion": "0.0.65r", "lastSyncTime": d.LastSync.Unix()}
	if d.BatteryPercent >= 0 {
		out["batteryLevel"] = d.BatteryPercent
	}
	if wrapped {
		return map[string]any{"device": out}
	}
	return out
}

// days lists the dates of from..to that have data (not after today).
func (s *Server) days(from, to providers.Date) []providers.Date {
	var out []providers.Date
	today := s.today()
	for d := from; !d.After(to) && !d.After(today); d = d.AddDays(1) {
		out = append(out, d)
	}
	return out
}

func (s *Server) goals(ctx context.Context, from, to providers.Date) []map[string]any {
	out := []map[string]any{}
	for _, d := range s.days(from, to) {
		sum := s.Data.Summary(ctx, d)
		out = append(out, map[string]any{"id": GoalID(d), "date": d.String(), "points": Points(sum.Steps),
			"targetPoints": sum.Goals.Steps / StepsPerPoint, "timeZoneOffset": OffsetHours(d, s.Data.Loc)})
	}
	return out
}

func (s *Server) summaries(ctx context.Context, from, to providers.Date) []map[string]any {
	out := []map[string]any{}
	for _, d := range s.days(from, to) {
		sum := s.Data.Summary(ctx, d)
		out = append(out, map[string]any{"date": d.String(), "points": Points(sum.Steps), "steps": sum.Steps,
			"calories": float64(sum.Calories), "activityCalories": ActivityCalories(sum),
			"distance": Miles(sum.DistanceKm)})
	}
	return out
}

// ActivityCalories is what the fake serves as activityCalories: the
// calories above a basal 1,500 kcal a day, pro rata.
func ActivityCalories(sum providers.DaySummary) float64 {
	return round(math.Max(0, float64(sum.Calories)-1500), 2)
}

// aggregate is the detail=false answer: the range's totals in one object.
func (s *Server) aggregate(ctx context.Context, from, to providers.Date) any {
	var steps, cal int
	var act, miles, pts float64
	for _, d := range s.days(from, to) {
		sum := s.Data.Summary(ctx, d)
		steps += sum.Steps
		cal += sum.Calories
		act += ActivityCalories(sum)
		miles += Miles(sum.DistanceKm)
		pts += Points(sum.Steps)
	}
	return map[string]any{"activityCalories": round(act, 2), "calories": float64(cal),
		"distance": round(miles, 4), "points": round(pts, 1), "steps": steps}
}

// Session is a session as the fake derives it from the demo's steps per
// minute: SessionMinMinutes or more minutes in a row with at least
// SessionMinSteps steps each.
type Session struct {
	ID       string
	Type     string // "Walking" or "Running"
	Start    time.Time
	Duration time.Duration
	Steps    int
}

// Sessions lists the sessions that start on d (today: up to now).
func (s *Server) Sessions(ctx context.Context, d providers.Date) []Session {
	var out []Session
	samples := s.Data.Minutes(ctx, d).StepSamples()
	flush := func(a, b int) { // samples[a:b] is a run
		if b-a < SessionMinMinutes {
			return
		}
		steps := 0
		for _, x := range samples[a:b] {
			steps += int(x.Value)
		}
		typ := "Walking"
		if steps/(b-a) >= RunCadence {
			typ = "Running"
		}
		out = append(out, Session{ID: SessionID(d, len(out)), Type: typ, Start: samples[a].Time,
			Duration: time.Duration(b-a) * time.Minute, Steps: steps})
	}
	start := -1
	for i, x := range samples {
		switch {
		case x.Value >= SessionMinSteps && start < 0:
			start = i
		case x.Value < SessionMinSteps && start >= 0:
			flush(start, i)
			start = -1
		}
	}
	if start >= 0 {
		flush(start, len(samples))
	}
	return out
}

func (s *Server) sessions(ctx context.Context, from, to providers.Date) []map[string]any {
	out := []map[string]any{}
	for _, d := range s.days(from, to) {
		for _, x := range s.Sessions(ctx, d) {
			km := float64(x.Steps) * 0.75 / 1000
			if x.Type == "Running" {
				km = float64(x.Steps) * 1.05 / 1000
			}
			o := map[string]any{"id": x.ID, "activityType": x.Type, "startTime": stamp(x.Start.In(s.Data.Loc)),
				"duration": int(x.Duration / time.Second), "points": Points(x.Steps), "steps": x.Steps,
				"distance": Miles(km)}
			if x.Type == "Running" { // calories may be missing; leave them out of walks
				o["calories"] = round(float64(x.Steps)*0.06, 1)
			}
			out = append(out, o)
		}
	}
	return out
}

// SleepValue is the sleepDetails value served for a demo stage: 1 awake
// (wake, awake, restless), 2 sleep (light, rem, asleep), 3 deep.
func SleepValue(st providers.SleepStage) int {
	switch st {
	case providers.StageWake, providers.StageAwake, providers.StageRestless:
		return 1
	case providers.StageDeep:
		return 3
	}
	return 2
}

// DemoSleeps are the demo sleeps served for from..to: those that start on
// a date in from..to (Misfit files a sleep under the date it starts).
func (s *Server) DemoSleeps(ctx context.Context, from, to providers.Date) []providers.SleepSession {
	all := s.Data.Sleep(ctx, from, to.AddDays(2))
	var out []providers.SleepSession
	for _, x := range all {
		if d := providers.DateOf(x.Start.In(s.Data.Loc)); !d.Before(from) && !d.After(to) {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) sleeps(ctx context.Context, from, to providers.Date) []map[string]any {
	out := []map[string]any{}
	k := map[providers.Date]int{}
	for _, x := range s.DemoSleeps(ctx, from, to) {
		d := providers.DateOf(x.Start.In(s.Data.Loc))
		details := []map[string]any{}
		last := 0
		for _, seg := range x.Segments {
			v := SleepValue(seg.Stage)
			if v == last {
				continue // Misfit lists changes of state only
			}
			last = v
			details = append(details, map[string]any{"datetime": stamp(seg.Start.In(s.Data.Loc)), "value": v})
		}
		id := SleepID(d, k[d])
		s.mu.Lock()
		stray := s.stray[id]
		s.mu.Unlock()
		if stray {
			details = append(details, map[string]any{"datetime": stamp(x.End.Add(30 * time.Minute).In(s.Data.Loc)), "value": 1})
		}
		out = append(out, map[string]any{"id": id, "autoDetected": x.Main,
			"startTime": stamp(x.Start.In(s.Data.Loc)), "duration": int(x.End.Sub(x.Start) / time.Second),
			"sleepDetails": details})
		k[d]++
	}
	return out
}
