package takeout

import (
	"regexp"
	"strings"
)

// metric is a per-sample series the index keeps per minute (heart rate
// as recorded), or one of the other things an archive holds.
type metric int

const (
	mHeart metric = iota
	mSteps
	mDistance
	mCalories
	mFloors
	mResting
	mActive
	mWeight
	mSleep
	mExercise
	mDaily // the daily values kept under documented keys (see dailyGroup)
	nMetrics
)

// nSeries: the metrics before it are per-sample series.
const nSeries = mFloors + 1

var metricNames = [nMetrics]string{"heart_rate", "steps", "distance", "calories", "floors",
	"resting_heart_rate", "active_minutes", "weight", "sleep", "exercise", "daily"}

func (m metric) String() string { return metricNames[m] }

// kind is how a file is read.
type kind int

const (
	kIgnore kind = iota
	kProfileCSV
	kProfileJSON
	kJSONSeries   // [{"dateTime": "MM/DD/YY HH:MM:SS", "value": ...}] per sample
	kJSONResting  // resting_heart_rate-*.json
	kJSONActive   // *_active_minutes / sedentary_minutes
	kJSONWeight   // weight-*.json
	kJSONHeight   // height-*.json (read before the import, for weight units)
	kJSONSleep    // sleep-*.json
	kJSONZones    // time_in_heart_rate_zones-*.json
	kJSONVO2      // demographic_vo2_max-*.json, run_vo2_max-*.json
	kJSONExercise // exercise-N.json
	kCSVSeries    // Physical Activity_GoogleData: timestamp, value, data source
	kCSVWeight    // Physical Activity_GoogleData weight: grams
	kCSVResting   // daily_resting_heart_rate.csv
	kCSVAZM       // active zone minutes, per minute (both CSV trees)
	kCSVSleeps    // Health Fitness Data_GoogleData/UserSleeps_*.csv
	kCSVStages    // Health Fitness Data_GoogleData/UserSleepStages_*.csv
	kCSVScore     // Sleep Score/sleep_score.csv
	kCSVDaily     // daily summaries: HRV, respiratory rate, SpO2
	kCSVHRV       // Heart Rate Variability Details: the night's readings
)

// fileClass is what a file holds and how to read it.
type fileClass struct {
	kind   kind
	metric metric
	level  string // active-minute level; VO2 max kind
	// scale turns the file's unit into the index's: centimetres and
	// metres to km, feet of altitude to floors, grams to kg.
	scale float64
	csv   bool // a Google data CSV copy of what the JSON tree has
	// clocked: the file's times are per-sample times whose clock (UTC or
	// local) is read from the files (see clock.go).
	clocked bool
	daily   []dailyColumn // kCSVDaily: columns and their keys
}

type dailyColumn struct{ column, key string }

var (
	reJSON      = regexp.MustCompile(`^([a-z0-9_]+)-\d{4}-\d{2}-\d{2}\.json$`)
	reExercise  = regexp.MustCompile(`^exercise-\d+\.json$`)
	reGoogleCSV = regexp.MustCompile(`^([a-z_]+?)(?:[_-]\d{4}-\d{2}-\d{2})?\.csv$`)
	reUserSleep = regexp.MustCompile(`^usersleep(s|stages)(?:_.*)?\.csv$`)
	reAZMFolder = regexp.MustCompile(`^active zone minutes - \d{4}-\d{2}-\d{2}\.csv$`)
)

// Units of the archive's numbers (checked on a real export): distance
// JSON is centimetres per minute, altitude JSON feet (10 ft a floor), the
// Google data CSVs metres and grams.
const (
	cmToKm      = 1e-5
	mToKm       = 1e-3
	feetToFloor = 0.1
	gToKg       = 1e-3
)

// classify says how to read a file, by its name (and, for the CSV trees,
// its folders), wherever it is in the tree.
func classify(m member) fileClass {
	base := strings.ToLower(m.base())
	switch base {
	case "profile.csv":
		return fileClass{kind: kProfileCSV}
	case "profile.json":
		return fileClass{kind: kProfileJSON}
	case "sleep_score.csv":
		return fileClass{kind: kCSVScore, metric: mDaily}
	}
	if reExercise.MatchString(base) {
		return fileClass{kind: kJSONExercise, metric: mExercise, clocked: true}
	}
	if g := reJSON.FindStringSubmatch(base); g != nil {
		series := func(m metric, scale float64) fileClass {
			return fileClass{kind: kJSONSeries, metric: m, scale: scale, clocked: true}
		}
		switch g[1] {
		case "heart_rate":
			return series(mHeart, 1)
		case "steps":
			return series(mSteps, 1)
		case "distance":
			return series(mDistance, cmToKm)
		case "calories":
			return series(mCalories, 1)
		case "altitude":
			return series(mFloors, feetToFloor)
		case "resting_heart_rate":
			return fileClass{kind: kJSONResting, metric: mResting}
		case "very_active_minutes", "moderately_active_minutes", "lightly_active_minutes", "sedentary_minutes":
			return fileClass{kind: kJSONActive, metric: mActive, level: g[1]}
		case "weight":
			return fileClass{kind: kJSONWeight, metric: mWeight}
		case "height":
			return fileClass{kind: kJSONHeight}
		case "sleep":
			return fileClass{kind: kJSONSleep, metric: mSleep}
		case "time_in_heart_rate_zones":
			return fileClass{kind: kJSONZones, metric: mDaily}
		case "demographic_vo2_max", "run_vo2_max":
			return fileClass{kind: kJSONVO2, metric: mDaily, level: g[1]}
		}
		return fileClass{}
	}
	if !strings.HasSuffix(base, ".csv") {
		return fileClass{}
	}
	if reAZMFolder.MatchString(base) {
		return fileClass{kind: kCSVAZM, metric: mDaily}
	}
	if m.inFolder("_googledata") {
		if g := reUserSleep.FindStringSubmatch(base); g != nil {
			if g[1] == "s" {
				return fileClass{kind: kCSVSleeps, metric: mSleep, csv: true}
			}
			return fileClass{kind: kCSVStages, metric: mSleep, csv: true}
		}
		g := reGoogleCSV.FindStringSubmatch(base)
		if g == nil {
			return fileClass{}
		}
		series := func(m metric, scale float64) fileClass {
			return fileClass{kind: kCSVSeries, metric: m, scale: scale, csv: true}
		}
		switch g[1] {
		case "heart_rate":
			return series(mHeart, 1)
		case "steps":
			return series(mSteps, 1)
		case "distance":
			return series(mDistance, mToKm)
		case "calories":
			return series(mCalories, 1)
		case "floors": // header not seen in a real file: see readCSVSeries
			return series(mFloors, 1)
		case "weight":
			return fileClass{kind: kCSVWeight, metric: mWeight, scale: gToKg, csv: true}
		case "daily_resting_heart_rate":
			return fileClass{kind: kCSVResting, metric: mResting, csv: true}
		case "active_zone_minutes":
			return fileClass{kind: kCSVAZM, metric: mDaily, csv: true}
		}
		return fileClass{}
	}
	switch {
	case strings.HasPrefix(base, "heart rate variability details - "):
		return fileClass{kind: kCSVHRV, metric: mDaily}
	case strings.HasPrefix(base, "daily heart rate variability summary - "):
		return fileClass{kind: kCSVDaily, metric: mDaily, daily: []dailyColumn{{"rmssd", "hrv_rmssd_ms"}, {"nremhr", "hrv_nrem_hr"}, {"entropy", "hrv_entropy"}}}
	case strings.HasPrefix(base, "daily respiratory rate summary - "):
		return fileClass{kind: kCSVDaily, metric: mDaily, daily: []dailyColumn{{"daily_respiratory_rate", "respiratory_rate"}}}
	case strings.HasPrefix(base, "daily spo2 - "):
		return fileClass{kind: kCSVDaily, metric: mDaily, daily: []dailyColumn{{"average_value", "spo2_avg_pct"}, {"lower_bound", "spo2_lower_pct"}, {"upper_bound", "spo2_upper_pct"}}}
	}
	return fileClass{}
}

// dailyGroup is the report's name for a daily key.
func dailyGroup(key string) string {
	switch {
	case strings.HasPrefix(key, "hr_zone_"):
		return "heart_rate_zones"
	case strings.HasPrefix(key, "azm_"):
		return "active_zone_minutes"
	case strings.Contains(key, "vo2_max"):
		return "vo2_max"
	case strings.HasPrefix(key, "hrv_"):
		return "hrv"
	case strings.HasPrefix(key, "spo2_"):
		return "spo2"
	case strings.HasPrefix(key, "sleep_score"):
		return "sleep_score"
	}
	return key
}

var (
	reDate   = regexp.MustCompile(`\d{4}-\d{2}-(\d{2}|\(\d{2}\))`)
	reNumber = regexp.MustCompile(`\b\d+\b`)
)

// family names a file the way the report lists what was left out:
// "Stress Score/Stress Score.csv", "swim_lengths_data-YYYY-MM-DD.json".
func family(m member) string {
	b := reDate.ReplaceAllString(m.base(), "YYYY-MM-DD")
	b = reNumber.ReplaceAllString(b, "N")
	if f := m.folder(); f != "" && !strings.EqualFold(f, "Global Export Data") && !strings.EqualFold(f, "user-site-export") {
		return f + "/" + b
	}
	return b
}
