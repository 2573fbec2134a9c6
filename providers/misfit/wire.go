package misfit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/wire"
)

// This file holds the Misfit wire formats (reference §2.4, §2.5) and pure
// decoders from response bodies to values. The decoders never panic on
// any input (they are fuzzed) and name what they could not read by field,
// never by value.

// num is a JSON number that may also come as a string (package wire).
type num = wire.Number

// maxCount bounds numbers read from the wire so conversions stay defined.
const maxCount = 1e9

// ---- errors ----

// errorBody holds both of Misfit's error spellings.
type errorBody struct {
	Code         *num   `json:"code"`
	ErrorCode    *num   `json:"error_code"`
	Message      string `json:"message"`
	ErrorMessage string `json:"error_message"`
}

// parseAPIError reads an error answer: a JSON body in either spelling,
// or plain text (kept as the message when short and printable).
func parseAPIError(status int, body []byte) *APIError {
	ae := &APIError{Status: status}
	trimmed := bytes.TrimSpace(body)
	var b errorBody
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &b) == nil {
		code := b.ErrorCode
		if code == nil {
			code = b.Code
		}
		if code != nil && *code >= 100 && *code <= 599 && *code == num(math.Trunc(float64(*code))) {
			ae.Code = int(*code)
		}
		msg := b.ErrorMessage
		if msg == "" {
			msg = b.Message
		}
		ae.Message = safeText(msg)
		return ae
	}
	ae.Message = safeText(string(trimmed))
	return ae
}

// safeText makes server text fit for an error message: one line, at most
// 120 characters, and without any word that could be a secret (tokens
// are long unbroken runs of letters and digits; servers sometimes echo
// them). HTML bodies are dropped whole.
func safeText(s string) string {
	if strings.HasPrefix(strings.TrimSpace(s), "<") {
		return ""
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) })
	out := words[:0]
	for _, w := range words {
		if secretLike(w) {
			w = "[redacted]"
		}
		out = append(out, w)
	}
	t := strings.Join(out, " ")
	if len(t) > 120 {
		t = t[:117] + "..."
	}
	return t
}

// secretLike: 16 or more characters of a token alphabet in a row.
func secretLike(w string) bool {
	run := 0
	for _, r := range w {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' || r == '~' || r == '+' || r == '=') {
			if run++; run >= 16 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// ---- profile and device ----

// User is the Misfit profile.
type User struct {
	ID       string // userId
	Name     string // may be empty (Misfit sends null)
	Birthday string // YYYY-MM-DD as sent; empty when not shared
	Gender   string
	Email    string
}

type profileBody struct {
	UserID   string  `json:"userId"`
	Name     *string `json:"name"`
	Birthday string  `json:"birthday"`
	Gender   string  `json:"gender"`
	Email    string  `json:"email"`
}

func decodeProfile(body []byte) (User, error) {
	var b *profileBody
	if err := decode(body, "profile", &b); err != nil {
		return User{}, err
	}
	if b == nil {
		return User{}, bad("profile", errors.New("profile is null"))
	}
	u := User{ID: b.UserID, Birthday: b.Birthday, Gender: b.Gender, Email: b.Email}
	if b.Name != nil {
		u.Name = strings.TrimSpace(*b.Name)
	}
	if u.Birthday != "" {
		if _, err := providers.ParseDate(u.Birthday); err != nil {
			return User{}, bad("profile", errors.New("birthday is not a date"))
		}
	}
	return u, nil
}

// Device is the Misfit device linked to the account.
type Device struct {
	ID       string
	Type     string // deviceType: "shine", "flash", ...
	Serial   string // serialNumber
	Firmware string // firmwareVersion
	// BatteryPercent is 0..100, or -1 when not sent.
	BatteryPercent int
	LastSync       time.Time // zero when not sent
}

type deviceBody struct {
	ID              string          `json:"id"`
	DeviceType      string          `json:"deviceType"`
	SerialNumber    string          `json:"serialNumber"`
	FirmwareVersion string          `json:"firmwareVersion"`
	BatteryLevel    *num            `json:"batteryLevel"`
	LastSyncTime    json.RawMessage `json:"lastSyncTime"`
}

// decodeDevice reads GET .../device, the bare object (as documented) or
// wrapped as {"device": {...}} (as list answers wrap theirs, and some
// servers did); ok is false for an empty answer (no device linked).
func decodeDevice(body []byte) (d Device, ok bool, err error) {
	const what = "device"
	var wrapped struct {
		Device *deviceBody `json:"device"`
	}
	var b *deviceBody
	if err := decode(body, what, &wrapped); err != nil {
		return Device{}, false, err
	}
	if wrapped.Device != nil {
		b = wrapped.Device
	} else if err := decode(body, what, &b); err != nil {
		return Device{}, false, err
	}
	if b == nil || (b.ID == "" && b.DeviceType == "" && b.SerialNumber == "") {
		return Device{}, false, nil
	}
	d = Device{ID: b.ID, Type: b.DeviceType, Serial: b.SerialNumber, Firmware: b.FirmwareVersion, BatteryPercent: -1}
	if b.BatteryLevel != nil {
		v := float64(*b.BatteryLevel)
		if v < 0 || v > 100 {
			return Device{}, false, bad(what, errors.New("batteryLevel is not a percentage"))
		}
		d.BatteryPercent = int(math.Round(v))
	}
	if t, err := syncTime(b.LastSyncTime); err != nil {
		return Device{}, false, bad(what, fmt.Errorf("lastSyncTime: %w", err))
	} else {
		d.LastSync = t
	}
	return d, true, nil
}

// syncTime reads lastSyncTime: epoch seconds as sent in the one known
// fixture, or (defensively) epoch milliseconds or an RFC 3339 string.
func syncTime(raw json.RawMessage) (time.Time, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, errors.New("not a time")
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
		raw = []byte(s)
	}
	var n num
	if err := json.Unmarshal(raw, &n); err != nil {
		return time.Time{}, errors.New("not a time")
	}
	f := float64(n)
	switch {
	case f <= 0:
		return time.Time{}, nil
	case f > 1e11 && f < 1e14: // milliseconds
		f /= 1000
	case f >= 1e14:
		return time.Time{}, errors.New("not a time")
	}
	return time.Unix(int64(f), 0), nil
}

// ---- goals ----

// Goal is one day's points goal.
type Goal struct {
	ID           string
	Date         providers.Date
	Points       float64
	TargetPoints float64
	// Offset is the day's time-zone offset (timeZoneOffset, sent in
	// hours); HasOffset is false when older data leaves it out.
	Offset    time.Duration
	HasOffset bool
}

type goalBody struct {
	ID             string `json:"id"`
	Date           string `json:"date"`
	Points         num    `json:"points"`
	TargetPoints   num    `json:"targetPoints"`
	TimeZoneOffset *num   `json:"timeZoneOffset"`
}

// decodeGoals reads {"goals":[...]} (or a single bare goal), by date.
func decodeGoals(body []byte) (map[providers.Date]Goal, error) {
	const what = "goals"
	var b struct {
		Goals *[]goalBody `json:"goals"`
		goalBody
	}
	if err := decode(body, what, &b); err != nil {
		return nil, err
	}
	list := []goalBody{}
	switch {
	case b.Goals != nil:
		list = *b.Goals
	case b.goalBody.Date != "":
		list = append(list, b.goalBody)
	default:
		return nil, bad(what, errors.New(`no "goals" array`))
	}
	out := make(map[providers.Date]Goal, len(list))
	for i, g := range list {
		d, err := providers.ParseDate(g.Date)
		if err != nil {
			return nil, bad(what, fmt.Errorf("goals[%d].date is not a date", i))
		}
		pts, err1 := g.Points.Quantity("points", maxCount)
		target, err2 := g.TargetPoints.Quantity("targetPoints", maxCount)
		if err := errors.Join(err1, err2); err != nil {
			return nil, bad(what, fmt.Errorf("goals[%d]: %w", i, err))
		}
		goal := Goal{ID: g.ID, Date: d, Points: pts, TargetPoints: target}
		if g.TimeZoneOffset != nil {
			h := float64(*g.TimeZoneOffset)
			if h < -14 || h > 14 {
				return nil, bad(what, fmt.Errorf("goals[%d].timeZoneOffset out of range", i))
			}
			goal.Offset, goal.HasOffset = time.Duration(math.Round(h*60))*time.Minute, true
		}
		out[d] = goal
	}
	return out, nil
}

// ---- summary ----

// Summary is one day's Misfit totals (summary with detail=true).
type Summary struct {
	Date             providers.Date
	Points           float64
	Steps            int
	Calories         float64 // total burned, basal included
	ActivityCalories float64
	DistanceKm       float64 // converted from the account's distance unit
}

type summaryEntry struct {
	Date             string `json:"date"`
	Points           num    `json:"points"`
	Steps            num    `json:"steps"`
	Calories         num    `json:"calories"`
	ActivityCalories num    `json:"activityCalories"`
	Distance         num    `json:"distance"`
}

// decodeSummaries reads {"summary":[...]} by date; kmPerUnit converts the
// distance.
func decodeSummaries(body []byte, kmPerUnit float64) (map[providers.Date]Summary, error) {
	const what = "daily summary"
	entries, err := httpapi.DecodeList[summaryEntry](Name, body, what, "summary")
	if err != nil {
		return nil, err
	}
	out := make(map[providers.Date]Summary, len(entries))
	for i, e := range entries {
		d, err := providers.ParseDate(e.Date)
		if err != nil {
			return nil, bad(what, fmt.Errorf("summary[%d].date is not a date", i))
		}
		pts, err1 := e.Points.Quantity("points", maxCount)
		steps, err2 := e.Steps.Quantity("steps", maxCount)
		cal, err3 := e.Calories.Quantity("calories", maxCount)
		act, err4 := e.ActivityCalories.Quantity("activityCalories", maxCount)
		dist, err5 := e.Distance.Quantity("distance", maxCount)
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return nil, bad(what, fmt.Errorf("summary[%d]: %w", i, err))
		}
		out[d] = Summary{Date: d, Points: pts, Steps: int(math.Round(steps)), Calories: cal,
			ActivityCalories: act, DistanceKm: toKm(dist, kmPerUnit)}
	}
	return out, nil
}

// toKm converts a distance, to the metre.
func toKm(v, kmPerUnit float64) float64 {
	return math.Round(v*kmPerUnit*1000) / 1000
}

// ---- sessions ----

// Session is one detected (or logged) activity.
type Session struct {
	ID           string
	ActivityType string    // "Walking", "Running", ...
	Start        time.Time // with the offset Misfit sent
	Duration     time.Duration
	Points       float64
	Steps        int
	Calories     float64 // 0 when not sent
	DistanceKm   float64
}

type sessionBody struct {
	ID           string `json:"id"`
	ActivityType string `json:"activityType"`
	StartTime    string `json:"startTime"`
	Duration     num    `json:"duration"` // seconds
	Points       num    `json:"points"`
	Steps        num    `json:"steps"`
	Calories     num    `json:"calories"`
	Distance     num    `json:"distance"`
}

// maxSpan bounds durations read from the wire (sessions and sleeps).
const maxSpan = 48 * time.Hour

// decodeSessions reads {"sessions":[...]}, grouped by the local date of
// their start, oldest first.
func decodeSessions(body []byte, kmPerUnit float64) (map[providers.Date][]Session, error) {
	const what = "sessions"
	entries, err := httpapi.DecodeList[sessionBody](Name, body, what, "sessions")
	if err != nil {
		return nil, err
	}
	list := make([]Session, 0, len(entries))
	for i, s := range entries {
		start, err := parseTime(s.StartTime)
		if err != nil {
			return nil, bad(what, fmt.Errorf("sessions[%d].startTime: %w", i, err))
		}
		dur, err := seconds(s.Duration)
		if err != nil {
			return nil, bad(what, fmt.Errorf("sessions[%d].duration: %w", i, err))
		}
		pts, err1 := s.Points.Quantity("points", maxCount)
		steps, err2 := s.Steps.Quantity("steps", maxCount)
		cal, err3 := s.Calories.Quantity("calories", maxCount)
		dist, err4 := s.Distance.Quantity("distance", maxCount)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, bad(what, fmt.Errorf("sessions[%d]: %w", i, err))
		}
		list = append(list, Session{ID: s.ID, ActivityType: s.ActivityType, Start: start, Duration: dur,
			Points: pts, Steps: int(math.Round(steps)), Calories: cal, DistanceKm: toKm(dist, kmPerUnit)})
	}
	wire.SortByTime(list, func(s Session) time.Time { return s.Start })
	return wire.ByDay(list, func(s Session) providers.Date { return providers.DateOf(s.Start) }), nil
}

// parseTime reads an ISO 8601 time with an offset ("2015-04-13T11:46:00-07:00"
// or "...Z"); the result keeps that offset.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date-time with an offset")
}

// seconds reads a duration in seconds.
func seconds(n num) (time.Duration, error) {
	f := float64(n)
	if f < 0 || f > maxSpan.Seconds() {
		return 0, errors.New("out of range")
	}
	return time.Duration(f * float64(time.Second)), nil
}

// ---- sleeps ----

// Sleep is one Misfit sleep: the domain session plus Misfit's id and
// whether the device detected it (false: logged by hand).
type Sleep struct {
	ID           string
	AutoDetected bool
	providers.SleepSession
	// Skipped says why the sleep cannot be read (its details contradict
	// it); such a sleep is left out of every answer, with a note, and the
	// others are kept.
	Skipped string
}

type sleepBody struct {
	ID           string `json:"id"`
	AutoDetected bool   `json:"autoDetected"`
	StartTime    string `json:"startTime"`
	Duration     num    `json:"duration"` // seconds
	SleepDetails []struct {
		DateTime  string `json:"datetime"`
		DateTimeC string `json:"dateTime"` // Fitbit's spelling, in case
		Value     num    `json:"value"`
	} `json:"sleepDetails"`
}

// Misfit's sleepDetails values: each entry is a change of state.
const (
	sleepAwake = 1
	sleepLight = 2
	sleepDeep  = 3
)

// stageOf maps a sleepDetails value: 1 awake, 2 sleep (Misfit's app
// called it light sleep), 3 deep ("restful") sleep. Misfit has no REM, so
// the stages are the modern deep/light/wake set without rem.
func stageOf(v num) (providers.SleepStage, bool) {
	switch v {
	case sleepAwake:
		return providers.StageWake, true
	case sleepLight:
		return providers.StageLight, true
	case sleepDeep:
		return providers.StageDeep, true
	}
	return "", false
}

// decodeSleeps reads {"sleeps":[...]}, grouped by the local date of their
// start, oldest first. Date is the local date the sleep ended on; Main is
// set later (it needs every sleep of the day).
func decodeSleeps(body []byte) (map[providers.Date][]Sleep, error) {
	const what = "sleeps"
	entries, err := httpapi.DecodeList[sleepBody](Name, body, what, "sleeps")
	if err != nil {
		return nil, err
	}
	list := make([]Sleep, 0, len(entries))
	for i, s := range entries {
		sl, err := sleepOf(s)
		if err != nil {
			// One bad sleep must not cost the answer's others: keep it as
			// skipped, placed by its start when that reads.
			start, perr := parseTime(s.StartTime)
			if perr != nil {
				return nil, bad(what, fmt.Errorf("sleeps[%d]: %w", i, err))
			}
			sl = Sleep{ID: s.ID, SleepSession: providers.SleepSession{Date: providers.DateOf(start), Start: start, End: start},
				Skipped: fmt.Sprintf("sleeps[%d]: %v", i, err)}
		}
		list = append(list, sl)
	}
	wire.SortByTime(list, func(s Sleep) time.Time { return s.Start })
	return wire.ByDay(list, func(s Sleep) providers.Date { return providers.DateOf(s.Start) }), nil
}

func sleepOf(s sleepBody) (Sleep, error) {
	start, err := parseTime(s.StartTime)
	if err != nil {
		return Sleep{}, fmt.Errorf("startTime: %w", err)
	}
	dur, err := seconds(s.Duration)
	if err != nil {
		return Sleep{}, fmt.Errorf("duration: %w", err)
	}
	end := start.Add(dur)
	out := Sleep{ID: s.ID, AutoDetected: s.AutoDetected, SleepSession: providers.SleepSession{
		Date: providers.DateOf(end), Start: start, End: end}}
	// Each entry lasts until the next one; the last until the end.
	for j, d := range s.SleepDetails {
		ts := d.DateTime
		if ts == "" {
			ts = d.DateTimeC
		}
		at, err := parseTime(ts)
		if err != nil {
			return Sleep{}, fmt.Errorf("sleepDetails[%d].datetime: %w", j, err)
		}
		if at.Before(start) || at.After(end) {
			return Sleep{}, fmt.Errorf("sleepDetails[%d].datetime is outside the sleep", j)
		}
		st, ok := stageOf(d.Value)
		if !ok {
			return Sleep{}, fmt.Errorf("sleepDetails[%d].value is not 1, 2 or 3", j)
		}
		segs := out.Segments
		if n := len(segs); n > 0 {
			if at.Before(segs[n-1].Start) {
				return Sleep{}, fmt.Errorf("sleepDetails[%d] is out of order", j)
			}
			segs[n-1].Duration = at.Sub(segs[n-1].Start)
			if segs[n-1].Stage == st { // no change: one segment
				continue
			}
			if segs[n-1].Duration == 0 {
				segs = segs[:n-1]
			}
		}
		out.Segments = append(segs, providers.SleepSegment{Stage: st, Start: at.In(start.Location())})
	}
	if n := len(out.Segments); n > 0 {
		out.Segments[n-1].Duration = end.Sub(out.Segments[n-1].Start)
		if out.Segments[n-1].Duration == 0 {
			out.Segments = out.Segments[:n-1]
		}
	}
	if len(out.Segments) == 0 {
		out.Asleep = dur // totals only: all of it counts as sleep
		return out, nil
	}
	for _, seg := range out.Segments {
		if seg.Stage != providers.StageWake {
			out.Asleep += seg.Duration
		}
	}
	return out, nil
}

// markMain marks the longest sleep ending on each date as the main one;
// sleeps must be oldest first.
func markMain(sleeps []Sleep) {
	best := map[providers.Date]int{}
	for i, s := range sleeps {
		if s.Skipped != "" {
			continue
		}
		j, ok := best[s.Date]
		if !ok || s.End.Sub(s.Start) > sleeps[j].End.Sub(sleeps[j].Start) {
			best[s.Date] = i
		}
	}
	for _, i := range best {
		sleeps[i].Main = true
	}
}

// ---- helpers ----

// decode unmarshals a body, bad reports what it could not read: both as
// KindBadData errors naming what.
func decode(body []byte, what string, v any) error { return httpapi.Decode(Name, body, what, v) }
func bad(what string, err error) error             { return providers.ErrBadData(Name, what, err) }
