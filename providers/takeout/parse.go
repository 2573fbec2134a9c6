package takeout

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// metric is what a file holds.
type metric int

const (
	mHeart metric = iota
	mSteps
	mDistance
	mCalories
	mResting
	mActive
	mWeight
	mSleep
	nMetrics
)

var metricNames = [nMetrics]string{"heart_rate", "steps", "distance", "calories", "resting_heart_rate", "active_minutes", "weight", "sleep"}

func (m metric) String() string { return metricNames[m] }

// series metrics (per-sample); the rest are per-day values.
const nSeries = 4

// kind is how a file is read.
type kind int

const (
	kIgnore kind = iota
	kProfileCSV
	kProfileJSON
	kJSONSeries  // [{"dateTime": "...", "value": ...}] per sample
	kJSONResting // resting_heart_rate-*.json
	kJSONActive  // *_active_minutes / sedentary_minutes
	kJSONWeight
	kJSONSleep
	kCSVSeries // _GoogleData CSV: timestamp, value, data source
)

type fileClass struct {
	kind   kind
	metric metric
	level  string // active-minute level
	csv    bool   // from a _GoogleData tree (a duplicate of the JSON tree)
}

var (
	reJSON      = regexp.MustCompile(`^([a-z_]+)-\d{4}-\d{2}-\d{2}\.json$`)
	reGoogleCSV = regexp.MustCompile(`^([a-z_]+?)_\d{4}-\d{2}-\d{2}\.csv$`)
)

// classify says how to read a file, by its name (and, for the Google data
// CSVs, its folder), wherever it is in the tree.
func classify(m member) fileClass {
	base := strings.ToLower(m.base())
	switch base {
	case "profile.csv":
		return fileClass{kind: kProfileCSV}
	case "profile.json":
		return fileClass{kind: kProfileJSON}
	}
	if g := reJSON.FindStringSubmatch(base); g != nil {
		switch g[1] {
		case "heart_rate":
			return fileClass{kind: kJSONSeries, metric: mHeart}
		case "steps":
			return fileClass{kind: kJSONSeries, metric: mSteps}
		case "distance":
			return fileClass{kind: kJSONSeries, metric: mDistance}
		case "calories":
			return fileClass{kind: kJSONSeries, metric: mCalories}
		case "resting_heart_rate":
			return fileClass{kind: kJSONResting, metric: mResting}
		case "very_active_minutes", "moderately_active_minutes", "lightly_active_minutes", "sedentary_minutes":
			return fileClass{kind: kJSONActive, metric: mActive, level: g[1]}
		case "weight":
			return fileClass{kind: kJSONWeight, metric: mWeight}
		case "sleep":
			return fileClass{kind: kJSONSleep, metric: mSleep}
		}
		return fileClass{}
	}
	if strings.HasSuffix(strings.ToLower(m.folder()), "_googledata") {
		if g := reGoogleCSV.FindStringSubmatch(base); g != nil {
			switch g[1] {
			case "heart_rate":
				return fileClass{kind: kCSVSeries, metric: mHeart, csv: true}
			case "steps":
				return fileClass{kind: kCSVSeries, metric: mSteps, csv: true}
			}
		}
	}
	return fileClass{}
}

// point is one sample.
type point struct {
	t time.Time
	v float64
}

// batch is what one file yielded; it is kept only if the whole file reads.
type batch struct {
	points  []point
	resting []dayValue
	active  []dayValue
	weights []weightEntry
	sleeps  []sleepEntry
	bad     int // records that could not be read and were left out
}

type dayValue struct {
	day providers.Date
	v   float64
}

// units are the account's settings, which the archive's numbers follow.
type units struct {
	weight   string // kg, lb, stone
	distance string // km, mi
}

func (u units) kg(v float64) float64 {
	switch u.weight {
	case "lb":
		return v * 0.45359237
	case "stone":
		return v * 6.35029318
	}
	return v
}

func (u units) km(v float64) float64 {
	if u.distance == "mi" {
		return v * 1.609344
	}
	return v
}

// maxFileSamples bounds what one file may hold (a day of per-second heart
// rate is 86,400; a 30-day file of minutes 43,200).
const maxFileSamples = 4 << 20

var (
	kDateTime = []byte("dateTime")
	kValue    = []byte("value")
	kBPM      = []byte("bpm")
	kDate     = []byte("date")
)

// readJSONSeries reads [{"dateTime": "MM/DD/YY HH:MM:SS", "value": V}]
// where V is a number, a number in a string, or {"bpm": N, "confidence": C}.
// Distance follows the account's unit.
func readJSONSeries(r io.Reader, m metric, loc *time.Location, u units, b *batch) error {
	ar := newArrayReader(r)
	for {
		el, err := ar.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var t time.Time
		var v float64
		okT, okV := false, false
		err = fields(el, func(k, val []byte) {
			switch {
			case bytes.Equal(k, kDateTime):
				t, okT = parseTime(val, loc)
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
			continue
		}
		if m == mDistance {
			v = u.km(v)
		}
		if len(b.points) >= maxFileSamples {
			return fmt.Errorf("more than %d samples in one file", maxFileSamples)
		}
		b.points = append(b.points, point{t, v})
	}
}

// readJSONDaily reads daily values: resting heart rate
// ({"value": {"date": "MM/DD/YY", "value": 56.4, "error": 6.5}}; value 0
// means none) and active minutes ({"value": "780"}).
func readJSONDaily(r io.Reader, resting bool, loc *time.Location, b *batch) error {
	ar := newArrayReader(r)
	for {
		el, err := ar.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var day providers.Date
		var v float64
		okD, okV := false, false
		err = fields(el, func(k, val []byte) {
			switch {
			case bytes.Equal(k, kDateTime):
				if t, ok := parseTime(val, loc); ok && !okD {
					day, okD = providers.DateOf(t), true
				}
			case bytes.Equal(k, kValue):
				if len(val) > 0 && val[0] == '{' {
					_ = fields(val, func(k2, v2 []byte) {
						switch {
						case bytes.Equal(k2, kValue):
							v, okV = number(v2)
						case bytes.Equal(k2, kDate):
							if t, ok := parseTime(v2, loc); ok {
								day, okD = providers.DateOf(t), true
							}
						}
					})
				} else {
					v, okV = number(val)
				}
			}
		})
		if err != nil {
			return fmt.Errorf("list item %d is not a valid JSON object", len(b.resting)+len(b.active)+b.bad+1)
		}
		switch {
		case !okD || !okV || v < 0:
			b.bad++
		case resting && v == 0: // "no data" in the export
		case resting:
			b.resting = append(b.resting, dayValue{day, v})
		default:
			b.active = append(b.active, dayValue{day, v})
		}
	}
}

// readJSONWeight reads weight logs; weight follows the account's unit.
func readJSONWeight(r io.Reader, loc *time.Location, u units, b *batch) error {
	ar := newArrayReader(r)
	for {
		el, err := ar.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var w struct {
			LogID  json.Number     `json:"logId"`
			Weight json.RawMessage `json:"weight"`
			Fat    json.RawMessage `json:"fat"`
			Date   string          `json:"date"`
			Time   string          `json:"time"`
		}
		if err := json.Unmarshal(el, &w); err != nil {
			return fmt.Errorf("a weight log is not valid JSON: %v", err)
		}
		kg, ok := number(w.Weight)
		t, okT := parseTime([]byte(strings.TrimSpace(w.Date+" "+w.Time)), loc)
		if !okT {
			t, okT = parseTime([]byte(w.Date), loc)
		}
		if !ok || !okT || kg <= 0 {
			b.bad++
			continue
		}
		e := weightEntry{Time: t, Kg: u.kg(kg)}
		e.LogID, _ = w.LogID.Int64()
		if fat, ok := number(w.Fat); ok {
			e.FatPct = fat
		}
		b.weights = append(b.weights, e)
	}
}

// sleepLog is an export sleep log (API v1.2 shape; the export says
// mainSleep where the API says isMainSleep).
type sleepLog struct {
	LogID         json.Number `json:"logId"`
	DateOfSleep   string      `json:"dateOfSleep"`
	StartTime     string      `json:"startTime"`
	EndTime       string      `json:"endTime"`
	MinutesAsleep json.Number `json:"minutesAsleep"`
	MainSleep     *bool       `json:"mainSleep"`
	IsMainSleep   *bool       `json:"isMainSleep"`
	Type          string      `json:"type"`
	Levels        struct {
		Data []struct {
			DateTime  string      `json:"dateTime"`
			DateTime2 string      `json:"datetime"`
			Level     string      `json:"level"`
			Seconds   json.Number `json:"seconds"`
		} `json:"data"`
	} `json:"levels"`
}

func readJSONSleep(r io.Reader, loc *time.Location, b *batch) error {
	ar := newArrayReader(r)
	for {
		el, err := ar.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var l sleepLog
		if err := json.Unmarshal(el, &l); err != nil {
			return fmt.Errorf("a sleep log is not valid JSON: %v", err)
		}
		s, ok := l.session(loc)
		if !ok {
			b.bad++
			continue
		}
		id, _ := l.LogID.Int64()
		b.sleeps = append(b.sleeps, sleepEntry{LogID: id, Session: s})
	}
}

func (l *sleepLog) session(loc *time.Location) (providers.SleepSession, bool) {
	start, ok1 := parseTime([]byte(l.StartTime), loc)
	end, ok2 := parseTime([]byte(l.EndTime), loc)
	if !ok1 || !ok2 || end.Before(start) {
		return providers.SleepSession{}, false
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
	if n, err := l.MinutesAsleep.Int64(); err == nil {
		s.Asleep = time.Duration(n) * time.Minute
	}
	for _, d := range l.Levels.Data {
		dt := d.DateTime
		if dt == "" {
			dt = d.DateTime2
		}
		t, ok := parseTime([]byte(dt), loc)
		secs, err := d.Seconds.Int64()
		if !ok || err != nil || secs < 0 {
			continue
		}
		s.Segments = append(s.Segments, providers.SleepSegment{Stage: providers.SleepStage(strings.ToLower(d.Level)), Start: t, Duration: time.Duration(secs) * time.Second})
	}
	return s, true
}

// readCSVSeries reads a _GoogleData CSV: a header row, then timestamp,
// value[, data source]. Timestamps there are UTC ("…Z").
func readCSVSeries(r io.Reader, loc *time.Location, b *batch) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return errors.New("the file is empty")
		}
		return err
	}
	ti, vi := 0, 1
	for i, h := range head {
		switch h = strings.ToLower(strings.TrimSpace(h)); {
		case h == "timestamp":
			ti = i
		case h == "beats per minute" || h == "steps" || h == "value" || h == "bpm":
			vi = i
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) <= max(ti, vi) {
			b.bad++
			continue
		}
		t, okT := parseTime([]byte(strings.TrimSpace(rec[ti])), loc)
		v, okV := number([]byte(rec[vi]))
		if !okT || !okV || v < 0 || t.Year() < 2000 { // 1970 placeholders occur
			b.bad++
			continue
		}
		if len(b.points) >= maxFileSamples {
			return fmt.Errorf("more than %d samples in one file", maxFileSamples)
		}
		b.points = append(b.points, point{t, v})
	}
}

// profile is what an archive says about the account.
type profile struct {
	name     string
	zone     string
	weight   string
	distance string
}

// readProfileCSV reads Profile.csv: a header row and one row.
func readProfileCSV(r io.Reader) (profile, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return profile{}, err
	}
	row, err := cr.Read()
	if err != nil {
		return profile{}, fmt.Errorf("no profile row: %w", err)
	}
	get := func(names ...string) string {
		for _, n := range names {
			for i, h := range head {
				if strings.EqualFold(strings.TrimSpace(h), n) && i < len(row) {
					return strings.TrimSpace(row[i])
				}
			}
		}
		return ""
	}
	return profile{
		name:     firstNonEmpty(get("display_name"), get("full_name")),
		zone:     get("timezone"),
		weight:   weightUnit(get("weight_unit")),
		distance: distanceUnit(get("distance_unit")),
	}, nil
}

// readProfileJSON reads a profile as the Web API's {"user": {...}} or flat.
func readProfileJSON(r io.Reader) (profile, error) {
	var raw struct {
		User *profileJSON `json:"user"`
		profileJSON
	}
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&raw); err != nil {
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
