package takeout

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// table reads a CSV file with a header row.
type table struct {
	cr  *csv.Reader
	col map[string]int // lower-case header -> index
	n   int            // columns in the header
}

func newTable(r io.Reader) (*table, error) {
	cr := csv.NewReader(&recordLimit{r: r, max: maxCSVRecord})
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("the file is empty")
		}
		return nil, err
	}
	t := &table{cr: cr, col: map[string]int{}, n: len(head)}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.col[h]; !dup {
			t.col[h] = i
		}
	}
	return t, nil
}

// index is the column of the first name found, or -1.
func (t *table) index(names ...string) int {
	for _, n := range names {
		if i, ok := t.col[n]; ok {
			return i
		}
	}
	return -1
}

// valueColumn is the first column that is not the time or the source:
// "beats per minute", "steps", "distance", "calories", "weight grams", and
// whatever the floors file calls its count (no real file showed it).
func (t *table) valueColumn(timeCol int) int {
	for i := range t.n {
		if i == timeCol {
			continue
		}
		for name, j := range t.col {
			if j == i && name != "data source" && name != "timestamp" {
				return i
			}
		}
	}
	return -1
}

// each calls f with every row while b has room; f's error stops the
// read.
func (t *table) each(b *batch, f func(rec []string) error) error {
	for {
		if err := b.full(); err != nil {
			return err
		}
		rec, err := t.cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(rec); err != nil {
			return err
		}
	}
}

func cell(rec []string, i int) (string, bool) {
	if i < 0 || i >= len(rec) {
		return "", false
	}
	return strings.TrimSpace(rec[i]), true
}

// instant reads a CSV time; a 1970 placeholder is not one.
func instant(s string, loc *time.Location) (time.Time, bool) {
	t, ok := parseTime([]byte(s), loc)
	if !ok || t.Year() < 2000 {
		return time.Time{}, false
	}
	return t, true
}

// writtenDay is a daily CSV row's date as written ("2024-01-08T00:00:00Z"
// is 8 January: the Takeout writes a civil date as a UTC midnight, or
// noon, so it must not be moved into the account's zone).
func writtenDay(s string) (providers.Date, bool) {
	if len(s) < 10 {
		return providers.Date{}, false
	}
	d, err := providers.ParseDate(s[:10])
	if err != nil || d.Year < 2000 {
		return providers.Date{}, false
	}
	return d, true
}

// readCSVSeries reads a Physical Activity_GoogleData series: a header,
// then timestamp (UTC, "…Z"), value, data source; values times scale
// (metres to km).
func readCSVSeries(r io.Reader, scale float64, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	ti := max(t.index("timestamp"), 0)
	vi := t.valueColumn(ti)
	return t.each(b, func(rec []string) error {
		ts, ok1 := cell(rec, ti)
		vs, ok2 := cell(rec, vi)
		if !ok1 || !ok2 {
			b.bad++
			return nil
		}
		tm, okT := instant(ts, loc)
		v, okV := number([]byte(vs))
		if !okT || !okV || v < 0 {
			b.bad++
			return nil
		}
		if len(b.points) >= maxFileSamples {
			return fmt.Errorf("more than %d samples in one file", maxFileSamples)
		}
		b.points = append(b.points, point{tm, v * scale})
		return nil
	})
}

// readCSVWeight reads weight_*.csv / weight.csv: timestamp (UTC), weight
// grams, data source.
func readCSVWeight(r io.Reader, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	ti := max(t.index("timestamp"), 0)
	vi := t.index("weight grams")
	if vi < 0 {
		vi = t.valueColumn(ti)
	}
	return t.each(b, func(rec []string) error {
		ts, _ := cell(rec, ti)
		vs, _ := cell(rec, vi)
		tm, okT := instant(ts, loc)
		g, okV := number([]byte(vs))
		if !okT || !okV || g <= 0 {
			b.bad++
			return nil
		}
		b.weights = append(b.weights, weightEntry{Time: tm, Kg: g * gToKg, CSV: true})
		return nil
	})
}

// readCSVDaily reads a CSV of one value per day: the date as written in
// column timeCol ("timestamp" if empty) and the columns' values under
// their keys.
func readCSVDaily(r io.Reader, cols []dailyColumn, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	ti := max(t.index("timestamp", "date"), 0)
	return t.each(b, func(rec []string) error {
		ts, _ := cell(rec, ti)
		day, ok := writtenDay(ts)
		if !ok {
			b.bad++
			return nil
		}
		n := len(b.daily)
		for _, c := range cols {
			i := t.index(c.column)
			if i < 0 && c.column == "" {
				i = t.valueColumn(ti)
			}
			vs, _ := cell(rec, i)
			if v, ok := number([]byte(vs)); ok && v > 0 { // 0 is the export's "no value"
				b.daily = append(b.daily, dayValue{day, c.key, v})
			}
		}
		if len(b.daily) == n {
			b.bad++
		}
		return nil
	})
}

// azmRow is one minute of active zone minutes.
type azmRow struct {
	day     providers.Date
	at      time.Time // the minute's start
	zone    string    // fat_burn, cardio, peak
	minutes float64
}

// readCSVAZM reads active zone minutes per minute: the AZM folder's
// date_time (local, no zone), heart_zone_id, total_minutes, or the Google
// data copy's timestamp (UTC), heart rate zone, total minutes.
func readCSVAZM(r io.Reader, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	ti := max(t.index("date_time", "timestamp"), 0)
	zi := t.index("heart_zone_id", "heart rate zone")
	mi := t.index("total_minutes", "total minutes")
	return t.each(b, func(rec []string) error {
		ts, _ := cell(rec, ti)
		zs, _ := cell(rec, zi)
		ms, _ := cell(rec, mi)
		tm, okT := instant(ts, loc)
		v, okV := number([]byte(ms))
		zone := strings.ToLower(zs)
		if !okT || !okV || v < 0 || (zone != "fat_burn" && zone != "cardio" && zone != "peak") {
			b.bad++
			return nil
		}
		b.azm = append(b.azm, azmRow{providers.DateOf(tm), tm, zone, v})
		return nil
	})
}

// readCSVHRV reads Heart Rate Variability/Heart Rate Variability Details
// - YYYY-MM-DD.csv: the night's readings (every five minutes of sleep),
// timestamp (local, no zone), rmssd (ms), coverage, low_frequency,
// high_frequency. Only the time and rmssd are kept.
func readCSVHRV(r io.Reader, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	ti, ri := max(t.index("timestamp"), 0), t.index("rmssd")
	return t.each(b, func(rec []string) error {
		ts, _ := cell(rec, ti)
		rs, _ := cell(rec, ri)
		tm, okT := instant(ts, loc)
		v, okV := number([]byte(rs))
		if !okT || !okV || v <= 0 || v > 1000 {
			b.bad++
			return nil
		}
		b.hrv = append(b.hrv, hrvReading{Time: tm, RMSSD: v})
		return nil
	})
}

// csvSleep is a UserSleeps row: UTC times with the offset each was
// recorded at.
type csvSleep struct {
	id      string
	classic bool
	asleep  int // minutes
	start   time.Time
	end     time.Time
	date    providers.Date // the civil date it ended, at its own offset
}

// csvStage is a UserSleepStages row.
type csvStage struct {
	id    string
	stage providers.SleepStage
	start time.Time
	end   time.Time
}

// utcOffset reads "+05:30" / "-07:00".
func utcOffset(s string) (*time.Location, bool) {
	t, err := time.Parse("-07:00", strings.TrimSpace(s))
	if err != nil {
		return nil, false
	}
	_, off := t.Zone()
	return time.FixedZone(s, off), true
}

// readCSVSleeps reads Health Fitness Data_GoogleData/UserSleeps_*.csv.
func readCSVSleeps(r io.Reader, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	id, typ, asleep := t.index("sleep_id"), t.index("sleep_type"), t.index("minutes_asleep")
	st, et, eo := t.index("sleep_start"), t.index("sleep_end"), t.index("end_utc_offset")
	return t.each(b, func(rec []string) error {
		ids, _ := cell(rec, id)
		ss, _ := cell(rec, st)
		es, _ := cell(rec, et)
		start, ok1 := instant(ss, loc)
		end, ok2 := instant(es, loc)
		if ids == "" || !ok1 || !ok2 || end.Before(start) {
			b.bad++
			return nil
		}
		s := csvSleep{id: ids, start: start, end: end, date: providers.DateOf(end)}
		if ty, _ := cell(rec, typ); strings.EqualFold(ty, "classic") {
			s.classic = true
		}
		if as, _ := cell(rec, asleep); as != "" {
			if n, ok := number([]byte(as)); ok {
				s.asleep = int(n)
			}
		}
		if os, _ := cell(rec, eo); os != "" {
			if z, ok := utcOffset(os); ok {
				s.date = providers.DateOf(end.In(z))
			}
		}
		b.csvSleeps = append(b.csvSleeps, s)
		return nil
	})
}

// stageNames are UserSleepStages' words (AWAKE in the files seen, WAKE
// in one description).
var stageNames = map[string]providers.SleepStage{
	"LIGHT": providers.StageLight, "DEEP": providers.StageDeep, "REM": providers.StageREM,
	"AWAKE": providers.StageWake, "WAKE": providers.StageWake,
	"ASLEEP": providers.StageAsleep, "RESTLESS": providers.StageRestless,
}

// readCSVStages reads Health Fitness Data_GoogleData/UserSleepStages_*.csv.
func readCSVStages(r io.Reader, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	id, typ := t.index("sleep_id"), t.index("sleep_stage_type")
	st, et := t.index("sleep_stage_start"), t.index("sleep_stage_end")
	return t.each(b, func(rec []string) error {
		ids, _ := cell(rec, id)
		ty, _ := cell(rec, typ)
		ss, _ := cell(rec, st)
		es, _ := cell(rec, et)
		stage, okS := stageNames[strings.ToUpper(ty)]
		start, ok1 := instant(ss, loc)
		end, ok2 := instant(es, loc)
		if ids == "" || !okS || !ok1 || !ok2 || !end.After(start) {
			b.bad++
			return nil
		}
		b.csvStages = append(b.csvStages, csvStage{ids, stage, start, end})
		return nil
	})
}

// scoreColumns are sleep_score.csv's columns and the keys the index keeps
// them under (on the day the sleep ended).
var scoreColumns = []dailyColumn{
	{"overall_score", "sleep_score"}, {"composition_score", "sleep_score_composition"},
	{"revitalization_score", "sleep_score_revitalization"}, {"duration_score", "sleep_score_duration"},
	{"deep_sleep_in_minutes", "sleep_score_deep_minutes"}, {"resting_heart_rate", "sleep_score_resting_hr"},
	{"restlessness", "sleep_score_restlessness"}, {"sleep_log_entry_id", "sleep_score_log_id"},
}

// readCSVScore reads Sleep Score/sleep_score.csv: one row per sleep,
// timestamp (UTC) its end; the scores go on that day in the account's
// zone, with the sleep's log id to join them.
func readCSVScore(r io.Reader, loc *time.Location, b *batch) error {
	t, err := newTable(r)
	if err != nil {
		return err
	}
	ti := max(t.index("timestamp"), 0)
	return t.each(b, func(rec []string) error {
		ts, _ := cell(rec, ti)
		tm, ok := instant(ts, loc)
		if !ok {
			b.bad++
			return nil
		}
		day := providers.DateOf(tm)
		for _, c := range scoreColumns {
			vs, _ := cell(rec, t.index(c.column))
			if v, ok := number([]byte(vs)); ok {
				b.daily = append(b.daily, dayValue{day, c.key, v})
			}
		}
		return nil
	})
}

// profile CSV: a header row and one row, in at most maxProfile bytes.
func readProfileCSV(r io.Reader) (profile, error) {
	t, err := newTable(&capped{r: r, left: maxProfile, what: "the profile"})
	if err != nil {
		return profile{}, err
	}
	row, err := t.cr.Read()
	if err != nil {
		return profile{}, fmt.Errorf("no profile row: %w", err)
	}
	get := func(names ...string) string {
		s, _ := cell(row, t.index(names...))
		return s
	}
	return profile{
		name:     firstNonEmpty(get("display_name"), get("full_name")),
		zone:     get("timezone"),
		weight:   weightUnit(get("weight_unit")),
		distance: distanceUnit(get("distance_unit")),
	}, nil
}
