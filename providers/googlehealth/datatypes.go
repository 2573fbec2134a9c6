package googlehealth

import "strings"

// Scopes fittui asks for (the auth package's table holds the same list);
// errors name the one a data type needs when Google refuses it.
const (
	ScopeActivity = "https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly"
	ScopeMetrics  = "https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly"
	ScopeSleep    = "https://www.googleapis.com/auth/googlehealth.sleep.readonly"
	ScopeProfile  = "https://www.googleapis.com/auth/googlehealth.profile.readonly"
	ScopeSettings = "https://www.googleapis.com/auth/googlehealth.settings.readonly"
)

// dataType is one Google Health data type. Its identifier is spelled
// three ways: kebab-case in URL paths, snake_case in filter expressions and
// camelCase as the JSON member of a data point.
type dataType struct {
	id    string // kebab-case path spelling, e.g. "daily-resting-heart-rate"
	scope string
	// maxDays is the longest rollUp/dailyRollUp range Google accepts.
	maxDays int
}

var (
	dtSteps         = dataType{"steps", ScopeActivity, 90}
	dtDistance      = dataType{"distance", ScopeActivity, 90}
	dtFloors        = dataType{"floors", ScopeActivity, 90}
	dtTotalCalories = dataType{"total-calories", ScopeActivity, 14}
	dtActiveMinutes = dataType{"active-minutes", ScopeActivity, 14}
	dtHeartRate     = dataType{"heart-rate", ScopeMetrics, 14}
	dtRestingHR     = dataType{"daily-resting-heart-rate", ScopeMetrics, 90}
	dtSleep         = dataType{"sleep", ScopeSleep, 90}
	dtWeight        = dataType{"weight", ScopeMetrics, 90}
	dtBodyFat       = dataType{"body-fat", ScopeMetrics, 90}

	// Health metrics and workouts (health.go). Which scope covers VO2 max
	// is not documented per type; fittui expects activity and fitness,
	// like the zones and exercise ([UNCONFIRMED]: a 403 says which).
	dtDailyHRV    = dataType{"daily-heart-rate-variability", ScopeMetrics, 90}
	dtHRV         = dataType{"heart-rate-variability", ScopeMetrics, 90}
	dtDailySpO2   = dataType{"daily-oxygen-saturation", ScopeMetrics, 90}
	dtDailyBreath = dataType{"daily-respiratory-rate", ScopeMetrics, 90}
	dtDailyTemp   = dataType{"daily-sleep-temperature-derivations", ScopeMetrics, 90}
	dtDailyVO2Max = dataType{"daily-vo2-max", ScopeActivity, 90}
	dtZoneMinutes = dataType{"active-zone-minutes", ScopeActivity, 90}
	dtZoneTime    = dataType{"time-in-heart-rate-zone", ScopeActivity, 90}
	dtDailyZones  = dataType{"daily-heart-rate-zones", ScopeMetrics, 90}
	dtExercise    = dataType{"exercise", ScopeActivity, 90}
)

// path is the spelling in URL paths.
func (d dataType) path() string { return d.id }

// filter is the spelling in filter expressions.
func (d dataType) filter() string { return strings.ReplaceAll(d.id, "-", "_") }

// json is the spelling of the data point member in responses.
func (d dataType) json() string {
	parts := strings.Split(d.id, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// canon folds any of the three spellings (and proto field names) to one
// key: lower case without '-' or '_'.
func canon(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == '_':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}
