package jawbone

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/wire"
)

// This file holds the Jawbone UP wire formats (reference §3.3-3.6) and
// pure decoders from response bodies to domain values. The decoders never
// panic on any input (they are fuzzed) and name what they could not read
// by field, never by value.
//
// Time traps handled here (reference §3.5, §3.6, §5):
//   - instants are UTC epoch seconds (time_created, asleep_time, ...);
//   - a record's day is "date", an int YYYYMMDD in the person's zone of
//     the time (some servers send it as a string);
//   - a record's zone is details.tz: an IANA name, "GMT±hhmm", or null
//     (then the account's zone); item-level "tz"/"time_zone" are read
//     when details has none;
//   - moves' details.tzs lists [epoch, zone] transitions where zone is an
//     IANA name or a UTC offset in seconds (-21600), and hourly_totals
//     keys are local "YYYYMMDDHH" in the zone in effect at that hour.

// envelope is every answer: {"meta":{...},"data":{...}}.
type envelope struct {
	Meta *meta           `json:"meta"`
	Data json.RawMessage `json:"data"`
}

type meta struct {
	UserXID     string `json:"user_xid"`
	Message     string `json:"message"`
	Code        num    `json:"code"`
	Time        num    `json:"time"`
	ErrorType   string `json:"error_type"`
	ErrorDetail string `json:"error_detail"`
}

// list is the data of a collection.
type list struct {
	Items *[]json.RawMessage `json:"items"`
	Links *struct {
		Next string `json:"next"`
	} `json:"links"`
	Size num `json:"size"`
}

// num is a JSON number that may also come as a string (package wire).
type num = wire.Number

// epoch reads epoch seconds; 0 means none.
func epoch(n num, field string) (time.Time, error) {
	f := float64(n)
	if f == 0 {
		return time.Time{}, nil
	}
	// 1990..2200: a value outside is not seconds (nanoseconds, garbage).
	if f < 631152000 || f > 7258118400 {
		return time.Time{}, fmt.Errorf("%s is not a time in epoch seconds", field)
	}
	return time.Unix(int64(f), 0).UTC(), nil
}

// parseDate reads Jawbone's date int YYYYMMDD (20131121), as a number or
// a string.
func parseDate(n num) (providers.Date, error) {
	f := float64(n)
	if f != math.Trunc(f) || f < 19000101 || f > 29991231 {
		return providers.Date{}, errors.New("date is not a YYYYMMDD date")
	}
	v := int(f)
	d := providers.Date{Year: v / 10000, Month: time.Month(v / 100 % 100), Day: v % 100}
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 || providers.DateOf(d.In(time.UTC)) != d {
		return providers.Date{}, errors.New("date is not a YYYYMMDD date")
	}
	return d, nil
}

// DateInt formats d as Jawbone's date parameter (20131121).
func DateInt(d providers.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day)
}

// zone is a record's time zone as sent: an IANA name ("America/Denver"),
// "GMT-0600", a number of seconds east of UTC (-21600, in tzs), or null.
type zone struct {
	set    bool
	name   string
	offset int
	isOff  bool
}

func (z *zone) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*z = zone{}
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		// An offset sent as a string of digits.
		if n, err := strconv.Atoi(s); err == nil {
			return z.setOffset(n)
		}
		z.set, z.name = true, s
		return nil
	}
	var n num
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("time zone is neither a name nor an offset")
	}
	if float64(n) != math.Trunc(float64(n)) {
		return errors.New("time zone offset is not whole seconds")
	}
	return z.setOffset(int(n))
}

func (z *zone) setOffset(secs int) error {
	if secs < -18*3600 || secs > 18*3600 {
		return errors.New("time zone offset out of range")
	}
	z.set, z.isOff, z.offset = true, true, secs
	return nil
}

// location turns z into a *time.Location; ok is false for null or an
// unknown name (the caller then uses the account's zone).
func (z zone) location() (*time.Location, bool) {
	if !z.set {
		return nil, false
	}
	if z.isOff {
		return fixedZone(z.offset), true
	}
	if loc, ok := gmtOffset(z.name); ok {
		return loc, true
	}
	if loc, err := time.LoadLocation(z.name); err == nil && z.name != "" && z.name != "Local" {
		return loc, true
	}
	return nil, false
}

// named reports whether z is an IANA name (which knows about DST).
func (z zone) named() bool {
	if !z.set || z.isOff {
		return false
	}
	_, isGMT := gmtOffset(z.name)
	_, ok := z.location()
	return ok && !isGMT
}

// fixedZone names an offset like the reference's "GMT-0600".
func fixedZone(secs int) *time.Location {
	sign := '+'
	a := secs
	if a < 0 {
		sign, a = '-', -a
	}
	return time.FixedZone(fmt.Sprintf("GMT%c%02d%02d", sign, a/3600, a%3600/60), secs)
}

// gmtOffset reads "GMT-0600", "GMT+05:30", "UTC+1", "GMT".
func gmtOffset(s string) (*time.Location, bool) {
	up := strings.ToUpper(s)
	var rest string
	switch {
	case strings.HasPrefix(up, "GMT"):
		rest = up[3:]
	case strings.HasPrefix(up, "UTC"):
		rest = up[3:]
	default:
		return nil, false
	}
	if rest == "" {
		return fixedZone(0), true
	}
	sign := 1
	switch rest[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return nil, false
	}
	rest = strings.ReplaceAll(rest[1:], ":", "")
	if rest == "" || len(rest) > 4 {
		return nil, false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return nil, false
		}
	}
	h, m := rest, "0"
	if len(rest) > 2 {
		h, m = rest[:len(rest)-2], rest[len(rest)-2:]
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 18 || mm > 59 {
		return nil, false
	}
	return fixedZone(sign * (hh*3600 + mm*60)), true
}

// tzsEntry is one [epoch_seconds, zone] transition of a move.
type tzsEntry struct {
	at   time.Time
	zone zone
}

func (t *tzsEntry) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil || len(pair) != 2 {
		return errors.New("tzs entry is not an [epoch, zone] pair")
	}
	var n num
	if err := json.Unmarshal(pair[0], &n); err != nil {
		return errors.New("tzs entry time is not a number")
	}
	at, err := epoch(n, "tzs time")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(pair[1], &t.zone); err != nil {
		return err
	}
	t.at = at
	return nil
}

// itemZone is the item-level zone fields some records carry beside
// details.tz.
type itemZone struct {
	TZ       zone `json:"tz"`
	TimeZone zone `json:"time_zone"`
}

// tzDetails is the details object of records whose only detail fittui
// reads is the zone.
type tzDetails struct {
	TZ zone `json:"tz"`
}

// zoneOf returns the record's zone: details.tz, else item-level tz or
// time_zone, else the account's zone.
func (z itemZone) zoneOf(details zone, account *time.Location) *time.Location {
	for _, c := range []zone{details, z.TZ, z.TimeZone} {
		if loc, ok := c.location(); ok {
			return loc
		}
	}
	return account
}

// detailsTZ is details.tz of d, or a null zone.
func detailsTZ(d *tzDetails) zone {
	if d == nil {
		return zone{}
	}
	return d.TZ
}

// ---- errors ----

// APIError is a Jawbone error answer: the HTTP status and the meta of its
// envelope. Its text names the status and error_type but never repeats
// error_detail or message, which are the server's free text.
type APIError struct {
	Status  int
	Type    string // meta.error_type, e.g. "authentication_error"
	Detail  string // meta.error_detail: not shown
	Message string // meta.message: not shown
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if e.Type != "" {
		s += " " + e.Type
	}
	return s
}

// parseError reads an error body; anything else gives the status alone.
func parseError(status int, body []byte) *APIError {
	ae := &APIError{Status: status}
	var env envelope
	if json.Unmarshal(body, &env) == nil && env.Meta != nil {
		ae.Type = cleanWord(env.Meta.ErrorType)
		ae.Detail, ae.Message = env.Meta.ErrorDetail, env.Meta.Message
	}
	return ae
}

// cleanWord keeps an error_type only when it looks like one
// (snake_case), so nothing odd reaches a message.
func cleanWord(s string) string {
	if len(s) > 64 {
		return ""
	}
	for _, c := range s {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return ""
		}
	}
	return s
}

// errEnvelope is a 2xx answer whose meta.code says it failed.
type errEnvelope struct{ api *APIError }

func (e errEnvelope) Error() string { return e.api.Error() }

// openEnvelope decodes an envelope and returns its data. A meta.code
// outside 2xx (meta mirrors the HTTP status, but a proxy may answer 200)
// is returned as errEnvelope for the caller to map.
func openEnvelope(body []byte, what string) (json.RawMessage, error) {
	var env envelope
	if err := decode(body, what, &env); err != nil {
		return nil, err
	}
	if env.Meta != nil && env.Meta.Code != 0 && (env.Meta.Code < 200 || env.Meta.Code > 299) {
		c := int(env.Meta.Code)
		if float64(c) != float64(env.Meta.Code) || c < 100 || c > 599 {
			return nil, bad(what, errors.New("meta.code is not an HTTP status"))
		}
		return nil, errEnvelope{parseError(c, body)}
	}
	if len(bytes.TrimSpace(env.Data)) == 0 || string(bytes.TrimSpace(env.Data)) == "null" {
		return nil, bad(what, errors.New(`no "data" in the answer`))
	}
	return env.Data, nil
}

// decodeList reads a collection's items and its next link.
func decodeList(body []byte, what string) (items []json.RawMessage, next string, err error) {
	data, err := openEnvelope(body, what)
	if err != nil {
		return nil, "", err
	}
	var l list
	if err := decode(data, what, &l); err != nil {
		return nil, "", err
	}
	if l.Items == nil {
		return nil, "", bad(what, errors.New(`no "items" list`))
	}
	if l.Links != nil {
		next = strings.TrimSpace(l.Links.Next)
	}
	return *l.Items, next, nil
}

// ---- user ----

type userData struct {
	XID   string  `json:"xid"`
	First *string `json:"first"`
	Last  *string `json:"last"`
}

// decodeUser returns the display name from GET /users/@me.
func decodeUser(body []byte) (string, error) {
	const what = "user"
	data, err := openEnvelope(body, what)
	if err != nil {
		return "", err
	}
	var u userData
	if err := decode(data, what, &u); err != nil {
		return "", err
	}
	var parts []string
	for _, p := range []*string{u.First, u.Last} {
		if p != nil && strings.TrimSpace(*p) != "" {
			parts = append(parts, strings.TrimSpace(*p))
		}
	}
	if len(parts) == 0 {
		return "Jawbone UP", nil
	}
	return strings.Join(parts, " "), nil
}

// ---- moves ----

// Move is one day's activity (a "move" item).
type Move struct {
	XID     string
	Date    providers.Date
	Updated time.Time
	// Zone is the zone of the day: details.tz, or the last transition of
	// tzs, or the account's zone. ZoneNamed says it is an IANA zone.
	Zone      *time.Location
	ZoneNamed bool

	Steps         int
	DistanceKm    float64
	Calories      int // active + basal
	ActiveMinutes int
	// Hourly are the steps of each hour with data, oldest first, each at
	// the hour's start in the zone in effect then.
	Hourly []providers.Sample
}

type moveItem struct {
	itemZone
	XID         string `json:"xid"`
	Date        num    `json:"date"`
	TimeUpdated num    `json:"time_updated"`
	Details     *struct {
		Steps        *num       `json:"steps"`
		Distance     *num       `json:"distance"` // metres
		KM           *num       `json:"km"`
		Calories     num        `json:"calories"` // active
		BMR          *num       `json:"bmr"`
		BMRDay       *num       `json:"bmr_day"`
		ActiveTime   num        `json:"active_time"` // seconds
		TZ           zone       `json:"tz"`
		TZs          []tzsEntry `json:"tzs"`
		HourlyTotals map[string]struct {
			Steps num `json:"steps"`
		} `json:"hourly_totals"`
	} `json:"details"`
}

// decodeMove reads one move item; account is the account's zone.
func decodeMove(raw json.RawMessage, account *time.Location) (Move, error) {
	const what = "moves"
	var it moveItem
	if err := decode(raw, what, &it); err != nil {
		return Move{}, err
	}
	d, err := parseDate(it.Date)
	if err != nil {
		return Move{}, bad(what, err)
	}
	m := Move{XID: it.XID, Date: d, Zone: account}
	if m.Updated, err = epoch(it.TimeUpdated, "time_updated"); err != nil {
		return Move{}, bad(what, err)
	}
	det := it.Details
	if det == nil {
		return m, nil // a day without data
	}
	// The day's zone: details.tz, else the newest transition.
	switch loc, ok := det.TZ.location(); {
	case ok:
		m.Zone, m.ZoneNamed = loc, det.TZ.named()
	default:
		found := false
		for i := len(det.TZs) - 1; i >= 0 && !found; i-- {
			if loc, ok := det.TZs[i].zone.location(); ok {
				m.Zone, m.ZoneNamed, found = loc, det.TZs[i].zone.named(), true
			}
		}
		for _, z := range []zone{it.TZ, it.TimeZone} {
			if loc, ok := z.location(); ok && !found {
				m.Zone, m.ZoneNamed, found = loc, z.named(), true
			}
		}
	}
	var errs []error
	conv := func(n num, field string) int {
		v, err := n.Count(field)
		if err != nil {
			errs = append(errs, err)
		}
		return v
	}
	if det.Steps != nil {
		m.Steps = conv(*det.Steps, "steps")
	}
	switch {
	case det.KM != nil:
		m.DistanceKm = float64(*det.KM)
	case det.Distance != nil:
		m.DistanceKm = math.Round(float64(*det.Distance)) / 1000
	}
	if m.DistanceKm < 0 || m.DistanceKm > 1e6 {
		errs = append(errs, errors.New("distance out of range"))
	}
	basal := 0.0
	switch {
	case det.BMR != nil:
		basal = float64(*det.BMR)
	case det.BMRDay != nil:
		basal = float64(*det.BMRDay)
	}
	m.Calories = conv(num(float64(det.Calories)+basal), "calories")
	m.ActiveMinutes = conv(det.ActiveTime/60, "active_time")
	if len(errs) > 0 {
		return Move{}, bad(what, fmt.Errorf("%s: %w", m.Date, errs[0]))
	}
	trans := make([]tzsEntry, 0, len(det.TZs))
	for _, t := range det.TZs {
		if _, ok := t.zone.location(); ok {
			trans = append(trans, t)
		}
	}
	slices.SortStableFunc(trans, func(a, b tzsEntry) int { return a.at.Compare(b.at) })
	for key, h := range det.HourlyTotals {
		at, err := hourStart(key, trans, m.Zone)
		if err != nil {
			return Move{}, bad(what, fmt.Errorf("%s: hourly_totals: %w", m.Date, err))
		}
		st, err := h.Steps.Count("hourly_totals steps")
		if err != nil {
			return Move{}, bad(what, fmt.Errorf("%s: %w", m.Date, err))
		}
		m.Hourly = append(m.Hourly, providers.Sample{Time: at, Value: float64(st)})
	}
	slices.SortFunc(m.Hourly, func(a, b providers.Sample) int { return a.Time.Compare(b.Time) })
	return m, nil
}

// hourStart places a local "YYYYMMDDHH" key: in the zone of the last
// transition that began at or before it (tzs), else in def.
func hourStart(key string, trans []tzsEntry, def *time.Location) (time.Time, error) {
	if len(key) != 10 {
		return time.Time{}, errors.New("key is not YYYYMMDDHH")
	}
	v, err := strconv.Atoi(key)
	if err != nil || v < 0 {
		return time.Time{}, errors.New("key is not YYYYMMDDHH")
	}
	d, err := parseDate(num(v / 100))
	if err != nil {
		return time.Time{}, errors.New("key is not YYYYMMDDHH")
	}
	h := v % 100
	if h > 23 {
		return time.Time{}, errors.New("key hour is not 00..23")
	}
	place := func(loc *time.Location) time.Time {
		return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, loc)
	}
	t := place(def)
	if len(trans) > 0 {
		loc, _ := trans[0].zone.location()
		t = place(loc) // before the first transition: the first zone
		for _, tr := range trans[1:] {
			loc, _ := tr.zone.location()
			if c := place(loc); !c.Before(tr.at) {
				t = c
			}
		}
	}
	return t, nil
}

// ---- heart rates ----

// RestingHeartRate is one heartrates item.
type RestingHeartRate struct {
	XID  string
	Date providers.Date
	Time time.Time // when it was measured, in the record's zone
	BPM  int
}

type heartItem struct {
	itemZone
	XID              string     `json:"xid"`
	Date             num        `json:"date"`
	TimeCreated      num        `json:"time_created"`
	RestingHeartrate *num       `json:"resting_heartrate"`
	Details          *tzDetails `json:"details"`
}

func decodeHeartRate(raw json.RawMessage, account *time.Location) (RestingHeartRate, bool, error) {
	const what = "heart rates"
	var it heartItem
	if err := decode(raw, what, &it); err != nil {
		return RestingHeartRate{}, false, err
	}
	d, err := parseDate(it.Date)
	if err != nil {
		return RestingHeartRate{}, false, bad(what, err)
	}
	at, err := epoch(it.TimeCreated, "time_created")
	if err != nil {
		return RestingHeartRate{}, false, bad(what, err)
	}
	if it.RestingHeartrate == nil || *it.RestingHeartrate == 0 {
		return RestingHeartRate{}, false, nil
	}
	bpm, err := it.RestingHeartrate.Count("resting_heartrate")
	if err != nil || bpm > 300 {
		return RestingHeartRate{}, false, bad(what, fmt.Errorf("%s: resting_heartrate out of range", d))
	}
	return RestingHeartRate{XID: it.XID, Date: d, Time: at.In(it.zoneOf(detailsTZ(it.Details), account)), BPM: bpm}, true, nil
}

// ---- sleeps ----

// Sleep is one sleeps item: the domain session plus Jawbone's xid (for
// its phases) and totals.
type Sleep struct {
	XID string
	providers.SleepSession
	// Totals by phase (details.light, sound, rem, awake).
	Light, Sound, REM, Awake time.Duration
}

type sleepItem struct {
	itemZone
	XID           string `json:"xid"`
	SubType       num    `json:"sub_type"`
	Date          num    `json:"date"`
	TimeCreated   num    `json:"time_created"`
	TimeCompleted num    `json:"time_completed"`
	Details       *struct {
		AsleepTime num  `json:"asleep_time"`
		AwakeTime  num  `json:"awake_time"`
		Duration   num  `json:"duration"` // in bed, seconds
		Light      num  `json:"light"`
		Sound      *num `json:"sound"`
		Deep       *num `json:"deep"` // v1.0's name for sound
		REM        num  `json:"rem"`
		Awake      num  `json:"awake"`
		TZ         zone `json:"tz"`
	} `json:"details"`
}

// maxSleep bounds a sleep's length.
const maxSleep = 48 * time.Hour

func secs(n num, field string) (time.Duration, error) {
	v, err := n.Count(field)
	if err != nil || time.Duration(v)*time.Second > maxSleep {
		return 0, fmt.Errorf("%s out of range", field)
	}
	return time.Duration(v) * time.Second, nil
}

// decodeSleep reads one sleep item. The session's Date is the item's
// date (the person's day on which it ended); Start is time_created (to
// bed), End time_completed (or Start + duration); sub_type 0 is the main
// sleep, other sub-types are naps.
func decodeSleep(raw json.RawMessage, account *time.Location) (Sleep, error) {
	const what = "sleeps"
	var it sleepItem
	if err := decode(raw, what, &it); err != nil {
		return Sleep{}, err
	}
	d, err := parseDate(it.Date)
	if err != nil {
		return Sleep{}, bad(what, err)
	}
	fail := func(err error) (Sleep, error) { return Sleep{}, bad(what, fmt.Errorf("%s: %w", d, err)) }
	var dtz zone
	if it.Details != nil {
		dtz = it.Details.TZ
	}
	loc := it.zoneOf(dtz, account)
	start, err := epoch(it.TimeCreated, "time_created")
	if err != nil {
		return fail(err)
	}
	end, err := epoch(it.TimeCompleted, "time_completed")
	if err != nil {
		return fail(err)
	}
	s := Sleep{XID: it.XID}
	if det := it.Details; det != nil {
		inBed, err := secs(det.Duration, "duration")
		if err != nil {
			return fail(err)
		}
		if start.IsZero() {
			if start, err = epoch(det.AsleepTime, "asleep_time"); err != nil {
				return fail(err)
			}
		}
		if end.IsZero() && !start.IsZero() && inBed > 0 {
			end = start.Add(inBed)
		}
		sound := det.Sound
		if sound == nil {
			sound = det.Deep
		}
		if sound != nil {
			if s.Sound, err = secs(*sound, "sound"); err != nil {
				return fail(err)
			}
		}
		if s.Light, err = secs(det.Light, "light"); err != nil {
			return fail(err)
		}
		if s.REM, err = secs(det.REM, "rem"); err != nil {
			return fail(err)
		}
		if s.Awake, err = secs(det.Awake, "awake"); err != nil {
			return fail(err)
		}
		s.Asleep = s.Light + s.Sound + s.REM
		if s.Asleep == 0 && inBed > s.Awake {
			s.Asleep = inBed - s.Awake
		}
	}
	if start.IsZero() || end.IsZero() {
		return fail(errors.New("no start or end time"))
	}
	if end.Before(start) || end.Sub(start) > maxSleep {
		return fail(errors.New("end is not within two days after the start"))
	}
	if s.Asleep > end.Sub(start) {
		return fail(errors.New("asleep longer than in bed"))
	}
	s.Date = d
	s.Start, s.End = start.In(loc), end.In(loc)
	s.Main = it.SubType == 0
	return s, nil
}

// Jawbone's sleep phase depths (sleeps/{xid}/ticks): 1 awake, 2 light,
// 3 sound (deep), 4 REM.
var depths = map[int]providers.SleepStage{
	1: providers.StageWake, 2: providers.StageLight, 3: providers.StageDeep, 4: providers.StageREM,
}

type tickItem struct {
	Depth num `json:"depth"`
	Time  num `json:"time"`
}

// decodeTicks turns phase ticks (each the start of a phase) into segments
// of s, each lasting until the next tick or the end of the sleep. Ticks
// in a row with the same depth are one segment; unknown depths end the
// previous segment and are skipped.
func decodeTicks(items []json.RawMessage, s providers.SleepSession) ([]providers.SleepSegment, error) {
	const what = "sleep phases"
	type tick struct {
		at    time.Time
		stage providers.SleepStage
	}
	ticks := make([]tick, 0, len(items))
	for i, raw := range items {
		var it tickItem
		if err := decode(raw, what, &it); err != nil {
			return nil, err
		}
		at, err := epoch(it.Time, "time")
		if err != nil || at.IsZero() {
			return nil, bad(what, fmt.Errorf("tick %d: time is not an epoch time", i))
		}
		ticks = append(ticks, tick{at: at.In(s.Start.Location()), stage: depths[int(it.Depth)]})
	}
	slices.SortStableFunc(ticks, func(a, b tick) int { return a.at.Compare(b.at) })
	segs := make([]providers.SleepSegment, 0, len(ticks))
	for i, t := range ticks {
		if t.stage == "" || t.at.Before(s.Start) || !t.at.Before(s.End) {
			continue
		}
		end := s.End
		if i+1 < len(ticks) && ticks[i+1].at.Before(end) {
			end = ticks[i+1].at
		}
		if k := len(segs) - 1; k >= 0 && segs[k].Stage == t.stage && segs[k].Start.Add(segs[k].Duration).Equal(t.at) {
			segs[k].Duration = end.Sub(segs[k].Start)
			continue
		}
		if end.After(t.at) {
			segs = append(segs, providers.SleepSegment{Stage: t.stage, Start: t.at, Duration: end.Sub(t.at)})
		}
	}
	return segs, nil
}

// ---- body events ----

// BodyEvent is one body_events item with a weight.
type BodyEvent struct {
	XID        string
	Date       providers.Date
	Time       time.Time // in the record's zone
	WeightKg   float64
	FatPercent float64 // 0 when not given
}

type bodyItem struct {
	itemZone
	XID         string     `json:"xid"`
	Date        num        `json:"date"`
	TimeCreated num        `json:"time_created"`
	Weight      *num       `json:"weight"`
	BodyFat     num        `json:"body_fat"`
	Details     *tzDetails `json:"details"`
}

// decodeBody reads one body event; ok is false for events without a
// weight (body fat or a note alone).
func decodeBody(raw json.RawMessage, account *time.Location) (BodyEvent, bool, error) {
	const what = "body events"
	var it bodyItem
	if err := decode(raw, what, &it); err != nil {
		return BodyEvent{}, false, err
	}
	d, err := parseDate(it.Date)
	if err != nil {
		return BodyEvent{}, false, bad(what, err)
	}
	at, err := epoch(it.TimeCreated, "time_created")
	if err != nil {
		return BodyEvent{}, false, bad(what, err)
	}
	if it.Weight == nil || *it.Weight == 0 {
		return BodyEvent{}, false, nil
	}
	if *it.Weight < 0 || *it.Weight > 1000 {
		return BodyEvent{}, false, bad(what, fmt.Errorf("%s: weight out of range", d))
	}
	if it.BodyFat < 0 || it.BodyFat > 100 {
		return BodyEvent{}, false, bad(what, fmt.Errorf("%s: body_fat is not a percentage", d))
	}
	if at.IsZero() {
		at = d.In(time.UTC)
	}
	return BodyEvent{XID: it.XID, Date: d, Time: at.In(it.zoneOf(detailsTZ(it.Details), account)),
		WeightKg: float64(*it.Weight), FatPercent: float64(it.BodyFat)}, true, nil
}

// decode unmarshals a body, bad reports what it could not read: both as
// KindBadData errors naming what.
func decode(body []byte, what string, v any) error { return httpapi.Decode(Name, body, what, v) }
func bad(what string, err error) error             { return providers.ErrBadData(Name, what, err) }
