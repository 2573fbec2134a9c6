package googlehealthtest

import (
	"regexp"
	"strings"
	"testing"
)

// The health types in the discovery document's shapes: int64 members as
// strings, doubles as numbers, durations as "NNNs", enums as strings,
// daily types filtered on their date, sample and interval types on their
// times, exercise pages of at most 25, rollups by civil day; the
// night-shift tracker, which has no SpO2 sensor, has no SpO2 points.
func TestHealthWireFormat(t *testing.T) {
	s, tok := start(t, Config{Persona: "runner"})
	day := `"2026-11-19"`
	next := `"2026-11-20"`
	for _, c := range []struct {
		dt, filter string
		member     string
		strings    []string // int64 members: quoted digits
		numbers    []string // doubles: bare numbers
		enums      []string // enum members: a quoted upper-case word
	}{
		{"daily-heart-rate-variability", "daily_heart_rate_variability.date >= " + day + " AND daily_heart_rate_variability.date < " + next,
			"dailyHeartRateVariability", []string{"nonRemHeartRateBeatsPerMinute"}, []string{"averageHeartRateVariabilityMilliseconds", "deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds"}, nil},
		{"daily-oxygen-saturation", "daily_oxygen_saturation.date >= " + day + " AND daily_oxygen_saturation.date < " + next,
			"dailyOxygenSaturation", nil, []string{"averagePercentage", "lowerBoundPercentage", "upperBoundPercentage"}, nil},
		{"daily-respiratory-rate", "daily_respiratory_rate.date >= " + day + " AND daily_respiratory_rate.date < " + next,
			"dailyRespiratoryRate", nil, []string{"breathsPerMinute"}, nil},
		{"daily-sleep-temperature-derivations", "daily_sleep_temperature_derivations.date >= " + day + " AND daily_sleep_temperature_derivations.date < " + next,
			"dailySleepTemperatureDerivations", nil, []string{"nightlyTemperatureCelsius", "baselineTemperatureCelsius"}, nil},
		{"daily-vo2-max", "daily_vo2_max.date >= " + day + " AND daily_vo2_max.date < " + next,
			"dailyVo2Max", nil, []string{"vo2Max"}, []string{"cardioFitnessLevel"}},
		{"daily-heart-rate-zones", "daily_heart_rate_zones.date >= " + day + " AND daily_heart_rate_zones.date < " + next,
			"dailyHeartRateZones", []string{"minBeatsPerMinute", "maxBeatsPerMinute"}, nil, []string{"heartRateZoneType"}},
		{"heart-rate-variability", "heart_rate_variability.sample_time.civil_time >= \"2026-11-18T18:00:00\" AND heart_rate_variability.sample_time.civil_time < \"2026-11-19T18:00:00\"",
			"heartRateVariability", nil, []string{"rootMeanSquareOfSuccessiveDifferencesMilliseconds"}, nil},
		{"active-zone-minutes", "active_zone_minutes.interval.civil_start_time >= " + day + " AND active_zone_minutes.interval.civil_start_time < " + next,
			"activeZoneMinutes", []string{"activeZoneMinutes"}, nil, []string{"heartRateZone"}},
		{"exercise", "exercise.interval.civil_start_time >= " + day + " AND exercise.interval.civil_start_time < " + next,
			"exercise", []string{"steps", "averageHeartRateBeatsPerMinute"}, []string{"caloriesKcal", "distanceMillimeters"}, []string{"exerciseType"}},
	} {
		a := call(t, s, tok, "GET", list(c.dt, c.filter), "")
		pts, _ := a.body["dataPoints"].([]any)
		if a.status != 200 || len(pts) == 0 {
			t.Errorf("%s: %d, %.200s", c.dt, a.status, a.raw)
			continue
		}
		if _, ok := pts[0].(map[string]any)[c.member]; !ok {
			t.Errorf("%s: no %s member in %.200s", c.dt, c.member, a.raw)
		}
		for _, k := range c.strings {
			if !regexp.MustCompile(`"` + k + `":"\d+"`).MatchString(a.raw) {
				t.Errorf("%s: %s is not an int64 string in %.300s", c.dt, k, a.raw)
			}
		}
		for _, k := range c.numbers {
			if !regexp.MustCompile(`"` + k + `":\d`).MatchString(a.raw) {
				t.Errorf("%s: %s is not a number in %.300s", c.dt, k, a.raw)
			}
		}
		for _, k := range c.enums {
			if !regexp.MustCompile(`"` + k + `":"[A-Z_]+"`).MatchString(a.raw) {
				t.Errorf("%s: %s is not an enum in %.300s", c.dt, k, a.raw)
			}
		}
	}
	// An exercise has a session interval with civil times and an active
	// duration; pages of exercise hold at most 25.
	a := call(t, s, tok, "GET", list("exercise", `exercise.interval.civil_start_time >= "2026-09-01"`, "pageSize", "100"), "")
	if n := len(a.body["dataPoints"].([]any)); n != 25 || a.body["nextPageToken"] == nil {
		t.Fatalf("exercise page of %d", n)
	}
	if !regexp.MustCompile(`"activeDuration":"\d+s"`).MatchString(a.raw) || !strings.Contains(a.raw, `"civilStartTime"`) {
		t.Fatalf("exercise %.400s", a.raw)
	}
	// Rollups by civil day: zone minutes as int64 strings, time in zones as durations.
	body := `{"range":{"start":{"date":{"year":2026,"month":11,"day":12}},"end":{"date":{"year":2026,"month":11,"day":19}}}}`
	a = call(t, s, tok, "POST", "/v4/users/me/dataTypes/active-zone-minutes/dataPoints:dailyRollUp", body)
	if a.status != 200 || len(a.body["rollupDataPoints"].([]any)) != 7 || !regexp.MustCompile(`"sumInCardioHeartZone":"\d+"`).MatchString(a.raw) {
		t.Fatalf("zone minutes rollup: %d %.300s", a.status, a.raw)
	}
	a = call(t, s, tok, "POST", "/v4/users/me/dataTypes/time-in-heart-rate-zone/dataPoints:dailyRollUp", body)
	if a.status != 200 || !regexp.MustCompile(`"duration":"\d+s","heartRateZone":"VIGOROUS"`).MatchString(a.raw) {
		t.Fatalf("time in zones rollup: %d %.300s", a.status, a.raw)
	}
	// Daily types are not rolled up; their filters are on the date.
	a = call(t, s, tok, "GET", list("daily-oxygen-saturation", `daily_oxygen_saturation.interval.start_time >= "2026-11-19T00:00:00Z"`), "")
	if _, reason := googleError(t, a); a.status != 400 || reason != "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER" {
		t.Errorf("an interval filter on a daily type: %d %s", a.status, a.raw)
	}
	// No SpO2 sensor, no SpO2 points.
	s2, tok2 := start(t, Config{Persona: "nightshift"})
	a = call(t, s2, tok2, "GET", list("daily-oxygen-saturation", "daily_oxygen_saturation.date >= \"2026-10-01\""), "")
	if a.status != 200 || a.body["dataPoints"] != nil {
		t.Fatalf("nightshift SpO2: %.200s", a.raw)
	}
	a = call(t, s2, tok2, "GET", list("daily-heart-rate-variability", "daily_heart_rate_variability.date >= \"2026-10-01\""), "")
	if a.status != 200 || len(a.body["dataPoints"].([]any)) < 40 {
		t.Fatalf("nightshift HRV: %.200s", a.raw)
	}
}
