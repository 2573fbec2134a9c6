package takeout

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
)

// The index of one imported account is a cache.Store rooted at
// DefaultRoot() (never pruned: imported data is the only copy fittui has,
// so it lives under the data folder, not the cache folder that
// `fittui cache clear` empties). Entries, under the escaped account name:
//
//	manifest            JSON Manifest
//	day-YYYY-MM-DD      one day: intraday heart rate and steps, distance
//	                    and calories per minute, the day's other values
//	month-YYYY-MM       JSON roll-up of a month's daily values and sleeps,
//	                    so a year of history is twelve small reads
//
// Every entry is written atomically and checksummed by the Store; a damaged
// day reads as "no data" with a note, never as wrong numbers.

// neverPrune is the Store's size cap: far beyond any archive, so imported
// data is never deleted to make room.
const neverPrune = 1 << 62

// DefaultRoot is $XDG_DATA_HOME/fittui/archives.
func DefaultRoot() string { return filepath.Join(xdg.DataHome, "fittui", "archives") }

// AccountDir is the folder holding account's index under root ("": the
// default root).
func AccountDir(root, account string) string {
	if root == "" {
		root = DefaultRoot()
	}
	return filepath.Join(root, cache.AccountDir(account))
}

const (
	manifestKey = "manifest"
	dayPrefix   = "day-"
	monthPrefix = "month-"
)

func dayKey(d providers.Date) string { return dayPrefix + d.String() }

func monthKey(y int, m time.Month) string { return fmt.Sprintf("%s%04d-%02d", monthPrefix, y, int(m)) }

// Manifest describes an account's imported data.
type Manifest struct {
	Account string `json:"account"`
	// DisplayName is the name in the archive's profile, if any.
	DisplayName string `json:"display_name,omitempty"`
	// TimeZone is the IANA zone the archive's local times were read in;
	// TimeZoneFrom where it came from: "--time-zone", "profile",
	// "earlier import" or "assumed".
	TimeZone     string `json:"time_zone"`
	TimeZoneFrom string `json:"time_zone_from,omitempty"`
	// Clocks is the clock ("UTC" or "local") each per-sample file family
	// was read in.
	Clocks map[string]string `json:"clocks,omitempty"`
	// WeightUnit and DistanceUnit are the account's unit settings as found
	// in the archive ("kg", "lb", "stone"; "km", "mi"); the index holds kg
	// and km.
	WeightUnit     string    `json:"weight_unit"`
	WeightUnitFrom string    `json:"weight_unit_from,omitempty"` // profile, bmi, earlier import, assumed
	DistanceUnit   string    `json:"distance_unit"`
	Sources        []Source  `json:"sources"`
	From           string    `json:"from,omitempty"` // first day with data, YYYY-MM-DD
	To             string    `json:"to,omitempty"`   // last day with data
	Updated        time.Time `json:"updated"`
	// Days and Samples count what the index holds per metric.
	Days    map[string]int `json:"days"`
	Samples map[string]int `json:"samples"`
}

// Source is one import run.
type Source struct {
	Paths    []string  `json:"paths"`
	Imported time.Time `json:"imported"`
	Files    int       `json:"files"`
	Skipped  int       `json:"skipped"`
}

// index is an open account index.
type index struct {
	st      *cache.Store
	account string
	dir     string
}

func openIndex(root, account string, create bool) (*index, error) {
	if root == "" {
		root = DefaultRoot()
	}
	dir := AccountDir(root, account)
	if !create {
		if _, err := os.Stat(filepath.Join(dir, manifestKey+".fc")); err != nil {
			return nil, &providers.Error{Kind: providers.KindBadData, Provider: Name,
				Message: fmt.Sprintf("account %q has no imported data in %s: run `fittui import PATH --account %s`", account, dir, account)}
		}
	}
	st, err := cache.Open(cache.Options{Root: root, MaxBytes: neverPrune})
	if err != nil {
		return nil, err
	}
	return &index{st: st, account: account, dir: dir}, nil
}

func (x *index) manifest() (Manifest, bool, error) {
	e, ok := x.st.Get(x.account, manifestKey)
	if !ok {
		return Manifest{}, false, nil
	}
	var m Manifest
	if err := json.Unmarshal(e.Payload, &m); err != nil {
		return Manifest{}, false, fmt.Errorf("manifest of %q: %w", x.account, err)
	}
	return m, true, nil
}

func (x *index) putJSON(key string, now time.Time, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return x.st.Put(x.account, key, now, b)
}

// dayExtra is a day's values other than its series. It is stored as
// JSON, and its keys are a documented form a later version can show
// without a re-import:
//
//	resting_hr, very_active, moderately_active, lightly_active, sedentary
//	weights    weigh-ins: time, kg, fat_pct, bmi (csv: from the Google data copy)
//	sleeps     sessions with log id, efficiency and the export's own
//	           levels.summary minutes per stage (csv: from UserSleeps)
//	exercises  exercise logs: log id, name, type id, start, duration_s,
//	           active_s, steps, calories, avg_hr, distance_km, source
//	metrics    daily values the domain model has no field for yet:
//	  hr_zone_below_minutes, hr_zone_fat_burn_minutes, hr_zone_cardio_minutes,
//	  hr_zone_peak_minutes          time_in_heart_rate_zones-*.json
//	  azm_fat_burn, azm_cardio, azm_peak, azm_total
//	                                active zone minutes (AZM folder or its copy)
//	  vo2_max, vo2_max_error        demographic_vo2_max-*.json (filtered)
//	  run_vo2_max, run_vo2_max_error run_vo2_max-*.json
//	  sleep_score, sleep_score_composition, sleep_score_revitalization,
//	  sleep_score_duration, sleep_score_deep_minutes, sleep_score_resting_hr,
//	  sleep_score_restlessness, sleep_score_log_id
//	                                Sleep Score/sleep_score.csv, on the day
//	                                the sleep ended; log_id joins the sleep
//	  hrv_rmssd_ms, hrv_nrem_hr, hrv_entropy   Daily HRV Summary CSVs
//	  respiratory_rate              Daily Respiratory Rate Summary CSVs
//	  spo2_avg_pct, spo2_lower_pct, spo2_upper_pct   Daily SpO2 CSVs
//	hrv        the night's HRV readings (Heart Rate Variability Details):
//	           time, rmssd_ms; on the day the night ends (from 18:00 the
//	           evening before, as Google Health's day view counts them)
//	zones      the day's Active Zone Minutes per minute: start, zone
//	           (fat_burn, cardio, peak), earned (zones_csv: from the Google
//	           data copy)
//	csv, csv_keys  series and daily keys whose values came from a Google
//	           data CSV copy (a JSON tree imported later replaces them)
type dayExtra struct {
	RestingHR float64 `json:"resting_hr,omitempty"`
	// Active minutes by Fitbit's levels; nil when the archive has none.
	Very      *int               `json:"very_active,omitempty"`
	Moderate  *int               `json:"moderately_active,omitempty"`
	Light     *int               `json:"lightly_active,omitempty"`
	Sedentary *int               `json:"sedentary,omitempty"`
	Weights   []weightEntry      `json:"weights,omitempty"`
	Sleeps    []sleepEntry       `json:"sleeps,omitempty"`
	Exercises []exerciseEntry    `json:"exercises,omitempty"`
	Metrics   map[string]float64 `json:"metrics,omitempty"`
	HRV       []hrvReading       `json:"hrv,omitempty"`
	Zones     []zoneEntry        `json:"zones,omitempty"`
	ZonesCSV  bool               `json:"zones_csv,omitempty"`
	// CSV lists the series metrics whose samples came from a Google data
	// CSV rather than the JSON tree (which replaces them when imported).
	CSV []string `json:"csv,omitempty"`
	// CSVKeys lists the daily keys (resting_hr, metrics) that did.
	CSVKeys []string `json:"csv_keys,omitempty"`
}

type weightEntry struct {
	LogID  int64     `json:"log_id,omitempty"`
	Time   time.Time `json:"time"`
	Kg     float64   `json:"kg"`
	FatPct float64   `json:"fat_pct,omitempty"`
	BMI    float64   `json:"bmi,omitempty"`
	CSV    bool      `json:"csv,omitempty"`
}

type sleepEntry struct {
	LogID      int64                  `json:"log_id,omitempty"`
	Session    providers.SleepSession `json:"session"`
	Efficiency int                    `json:"efficiency,omitempty"`
	// Summary is the log's levels.summary: minutes per stage as the
	// export counted them.
	Summary map[string]int `json:"summary,omitempty"`
	CSV     bool           `json:"csv,omitempty"`
}

// exerciseEntry is an exercise log.
type exerciseEntry struct {
	LogID      int64     `json:"log_id,omitempty"`
	Name       string    `json:"name"`
	TypeID     int64     `json:"type_id,omitempty"`
	Start      time.Time `json:"start"`
	DurationS  int64     `json:"duration_s"`
	ActiveS    int64     `json:"active_s,omitempty"`
	Steps      int       `json:"steps,omitempty"`
	Calories   int       `json:"calories,omitempty"`
	AvgHR      int       `json:"avg_hr,omitempty"`
	DistanceKm float64   `json:"distance_km,omitempty"`
	Source     string    `json:"source,omitempty"` // logType: auto_detected, manual, ...
}

// hrvReading is one HRV reading of a night.
type hrvReading struct {
	Time  time.Time `json:"time"`
	RMSSD float64   `json:"rmssd_ms"`
}

// zoneEntry is a minute that earned Active Zone Minutes.
type zoneEntry struct {
	Start  time.Time `json:"start"`
	Zone   string    `json:"zone"` // fat_burn, cardio, peak
	Earned float64   `json:"earned"`
}

// dayData is one day of the index.
type dayData struct {
	Date     providers.Date
	HR       providers.Series
	Steps    providers.Series
	Distance providers.Series // km per minute
	Calories providers.Series // kcal per minute
	Floors   providers.Series // floors per minute
	Extra    dayExtra
}

// dayFormat 2 adds the floors series; format 1 entries still read.
const dayFormat = 2

func encodeDay(d *dayData) []byte {
	var b []byte
	b = append(b, 'D', dayFormat)
	put := func(p []byte) {
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	put(cache.EncodeIntraday(providers.Intraday{Date: d.Date, HeartRate: d.HR, Steps: d.Steps}))
	put(cache.EncodeSeries(d.Distance))
	put(cache.EncodeSeries(d.Calories))
	put(cache.EncodeSeries(d.Floors))
	ex, _ := json.Marshal(d.Extra) // plain data: cannot fail
	put(ex)
	return b
}

func decodeDay(p []byte, loc *time.Location) (*dayData, error) {
	if len(p) < 2 || p[0] != 'D' || p[1] < 1 || p[1] > dayFormat {
		return nil, errors.New("not a day entry of this version")
	}
	n := 4 // format 1: intraday, distance, calories, extra
	if p[1] >= 2 {
		n = 5 // and floors
	}
	p = p[2:]
	next := func() ([]byte, error) {
		n, k := binary.Uvarint(p)
		if k <= 0 || n > uint64(len(p)-k) {
			return nil, errors.New("truncated day entry")
		}
		out := p[k : k+int(n)]
		p = p[k+int(n):]
		return out, nil
	}
	parts := make([][]byte, n)
	for i := range parts {
		var err error
		if parts[i], err = next(); err != nil {
			return nil, err
		}
	}
	in, err := cache.DecodeIntraday(parts[0])
	if err != nil {
		return nil, err
	}
	d := &dayData{Date: in.Date, HR: relocate(in.HeartRate, loc), Steps: relocate(in.Steps, loc)}
	if d.Distance, err = cache.DecodeSeries(parts[1], loc); err != nil {
		return nil, err
	}
	if d.Calories, err = cache.DecodeSeries(parts[2], loc); err != nil {
		return nil, err
	}
	if n == 5 {
		if d.Floors, err = cache.DecodeSeries(parts[3], loc); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal(parts[n-1], &d.Extra); err != nil {
		return nil, err
	}
	for i := range d.Extra.Sleeps {
		d.Extra.Sleeps[i].Session = sessionIn(d.Extra.Sleeps[i].Session, loc)
	}
	for i := range d.Extra.Weights {
		d.Extra.Weights[i].Time = d.Extra.Weights[i].Time.In(loc)
	}
	for i := range d.Extra.HRV {
		d.Extra.HRV[i].Time = d.Extra.HRV[i].Time.In(loc)
	}
	for i := range d.Extra.Zones {
		d.Extra.Zones[i].Start = d.Extra.Zones[i].Start.In(loc)
	}
	for i := range d.Extra.Exercises {
		d.Extra.Exercises[i].Start = d.Extra.Exercises[i].Start.In(loc)
	}
	return d, nil
}

// relocate puts samples in loc (the intraday decoder places them in the
// zone they were written in, which is loc unless it had no loadable name).
func relocate(s providers.Series, loc *time.Location) providers.Series {
	if loc == nil || len(s.Samples) == 0 || s.Samples[0].Time.Location() == loc {
		return s
	}
	for i := range s.Samples {
		s.Samples[i].Time = s.Samples[i].Time.In(loc)
	}
	return s
}

func sessionIn(s providers.SleepSession, loc *time.Location) providers.SleepSession {
	s.Start, s.End = s.Start.In(loc), s.End.In(loc)
	for i := range s.Segments {
		s.Segments[i].Start = s.Segments[i].Start.In(loc)
	}
	return s
}

func (x *index) day(d providers.Date, loc *time.Location) (*dayData, bool, error) {
	e, ok := x.st.Get(x.account, dayKey(d))
	if !ok {
		return nil, false, nil
	}
	dd, err := decodeDay(e.Payload, loc)
	if err != nil {
		return nil, false, fmt.Errorf("imported day %s of %q is damaged (%v); import the archive again", d, x.account, err)
	}
	return dd, true, nil
}

// monthRoll is a month's roll-up.
type monthRoll struct {
	// Version 2: sleep minutes are the main sleep's, naps apart.
	// Version 3: each day's health metrics and exercise logs (health.go).
	// An older roll-up is rebuilt from its days when read.
	Version int                      `json:"v,omitempty"`
	Days    []dailyRoll              `json:"days"`
	Sleeps  []providers.SleepSession `json:"sleeps"`
}

const rollVersion = 3

type dailyRoll struct {
	Date          providers.Date `json:"date"`
	Steps         int            `json:"steps"`
	DistanceKm    float64        `json:"distance_km,omitempty"`
	Calories      int            `json:"calories,omitempty"`
	ActiveMinutes int            `json:"active_minutes,omitempty"`
	Floors        int            `json:"floors,omitempty"`
	RestingHR     int            `json:"resting_hr,omitempty"`
	SleepMinutes  int            `json:"sleep_minutes,omitempty"` // the main sleep
	NapMinutes    int            `json:"nap_minutes,omitempty"`   // the other sleeps
	WeightKg      float64        `json:"weight_kg,omitempty"`
	// Health are the day's health metrics (keys of dayExtra.Metrics, see
	// healthKeys) and "body_fat_pct" from the last weigh-in with one.
	Health    map[string]float64 `json:"health,omitempty"`
	Exercises []exerciseEntry    `json:"exercises,omitempty"`
}

func (x *index) month(y int, m time.Month, loc *time.Location) (monthRoll, bool, error) {
	e, ok := x.st.Get(x.account, monthKey(y, m))
	if !ok {
		return monthRoll{}, false, nil
	}
	var r monthRoll
	if err := json.NewDecoder(bytes.NewReader(e.Payload)).Decode(&r); err != nil {
		return monthRoll{}, false, fmt.Errorf("imported month %04d-%02d of %q is damaged (%v); import the archive again", y, m, x.account, err)
	}
	if r.Version < rollVersion {
		return x.rebuildMonth(y, m, loc)
	}
	for i := range r.Sleeps {
		r.Sleeps[i] = sessionIn(r.Sleeps[i], loc)
	}
	for i := range r.Days {
		for k := range r.Days[i].Exercises {
			r.Days[i].Exercises[k].Start = r.Days[i].Exercises[k].Start.In(loc)
		}
	}
	return r, true, nil
}

// rebuildMonth computes a month's roll-up from its days (for a roll-up
// written by an older version; the next import rewrites it).
func (x *index) rebuildMonth(y int, m time.Month, loc *time.Location) (monthRoll, bool, error) {
	r := monthRoll{Version: rollVersion}
	for d := (providers.Date{Year: y, Month: m, Day: 1}); d.Month == m; d = d.AddDays(1) {
		dd, ok, err := x.day(d, loc)
		if err != nil {
			return monthRoll{}, false, err
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
	return r, true, nil
}

// roll computes a day's daily values.
func roll(d *dayData) dailyRoll {
	r := dailyRoll{Date: d.Date, RestingHR: int(d.Extra.RestingHR + 0.5)}
	for _, s := range d.Steps.Samples {
		r.Steps += int(s.Value)
	}
	var km, kcal float64
	for _, s := range d.Distance.Samples {
		km += s.Value
	}
	for _, s := range d.Calories.Samples {
		kcal += s.Value
	}
	r.DistanceKm = float64(int(km*100+0.5)) / 100
	var floors float64
	for _, s := range d.Floors.Samples {
		floors += s.Value
	}
	r.Floors = int(floors + 0.5)
	r.Calories = int(kcal + 0.5)
	if d.Extra.Very != nil {
		r.ActiveMinutes += *d.Extra.Very
	}
	if d.Extra.Moderate != nil {
		r.ActiveMinutes += *d.Extra.Moderate
	}
	for _, s := range d.Extra.Sleeps {
		if s.Session.Main {
			r.SleepMinutes += int(s.Session.Asleep / time.Minute)
		} else {
			r.NapMinutes += int(s.Session.Asleep / time.Minute)
		}
	}
	if n := len(d.Extra.Weights); n > 0 {
		r.WeightKg = d.Extra.Weights[n-1].Kg
	}
	r.Health = rollHealth(d.Extra)
	r.Exercises = d.Extra.Exercises
	return r
}

// AccountInfo is one imported account.
type AccountInfo struct {
	Name     string
	Dir      string
	From, To providers.Date // zero when unknown
	Updated  time.Time
	// Err is set when the account's manifest cannot be read.
	Err error
}

// Accounts lists the accounts imported under root ("": DefaultRoot()),
// sorted by name. A missing root is no accounts.
func Accounts(root string) ([]AccountInfo, error) {
	if root == "" {
		root = DefaultRoot()
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("imported archives in %s: %w", root, err)
	}
	var out []AccountInfo
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, e.Name(), manifestKey+".fc")); err != nil {
			continue
		}
		name := unescape(e.Name())
		info := AccountInfo{Name: name, Dir: filepath.Join(root, e.Name())}
		x := &index{account: name, dir: info.Dir}
		if st, err := cache.Open(cache.Options{Root: root, MaxBytes: neverPrune}); err == nil {
			x.st = st
			m, ok, err := x.manifest()
			switch {
			case err != nil:
				info.Err = err
			case !ok:
				info.Err = fmt.Errorf("the manifest of %q is damaged; import the archive again", name)
			default:
				info.From, _ = providers.ParseDate(m.From)
				info.To, _ = providers.ParseDate(m.To)
				info.Updated = m.Updated
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// unescape reverses cache.AccountDir.
func unescape(dir string) string {
	if dir == "%00" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(dir); i++ {
		if dir[i] == '%' && i+2 < len(dir) {
			var c byte
			if _, err := fmt.Sscanf(dir[i+1:i+3], "%02X", &c); err == nil {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(dir[i])
	}
	return b.String()
}
