package googlehealth

// Wire types: the JSON the Google Health API v4 sends, as typed structs.
// Google speaks proto3 JSON: int64 values arrive as strings ("87"), int32
// and doubles as numbers, timestamps as RFC 3339 UTC strings, durations and
// UTC offsets as "3600s", and zero values are left out. The scalar types
// below accept either form of a number (a parser must, by the proto3 JSON
// rules) and fail with a short message on anything else.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/wire"
)

// The scalars are package wire's: proto3 JSON numbers in either form.
type (
	wireInt   = wire.Int
	wireFloat = wire.Number
)

var (
	jsonKind = wire.Kind
	isNull   = wire.IsNull
	unquote  = wire.Unquote
)

// wireTime is an RFC 3339 timestamp.
type wireTime struct{ time.Time }

func (t *wireTime) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	s, ok := unquote(b)
	if !ok {
		return fmt.Errorf("expected an RFC 3339 timestamp string, got %s", jsonKind(b))
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return errors.New("expected an RFC 3339 timestamp")
	}
	t.Time = v
	return nil
}

// wireDuration is a proto Duration: seconds with an "s" suffix ("3600s",
// "-18000s", "3.5s").
type wireDuration time.Duration

// maxOffset bounds UTC offsets and durations we accept (a week).
const maxDuration = 7 * 24 * time.Hour

func (d *wireDuration) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	s, ok := unquote(b)
	if !ok {
		return fmt.Errorf("expected a duration string like \"3600s\", got %s", jsonKind(b))
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = wireDuration(v)
	return nil
}

func parseDuration(s string) (time.Duration, error) {
	num, ok := strings.CutSuffix(strings.TrimSpace(s), "s")
	if !ok {
		return 0, errors.New("expected a duration like \"3600s\"")
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxDuration.Seconds() {
		return 0, errors.New("expected a duration like \"3600s\" of at most a week")
	}
	return time.Duration(math.Round(f * float64(time.Second))), nil
}

func formatDuration(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// civilDate is a google.type.Date.
type civilDate struct {
	Year  wireInt `json:"year"`
	Month wireInt `json:"month"`
	Day   wireInt `json:"day"`
}

// date checks and converts d.
func (d *civilDate) date() (providers.Date, error) {
	if d == nil {
		return providers.Date{}, errors.New("missing date")
	}
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return providers.Date{}, errors.New("date out of range")
	}
	out := providers.Date{Year: int(d.Year), Month: time.Month(d.Month), Day: int(d.Day)}
	if out.AddDays(0) != out { // 31 February
		return providers.Date{}, errors.New("date out of range")
	}
	return out, nil
}

func wireDate(d providers.Date) civilDate {
	return civilDate{Year: wireInt(d.Year), Month: wireInt(d.Month), Day: wireInt(d.Day)}
}

// civilTimeOfDay is a google.type.TimeOfDay; {} is midnight.
type civilTimeOfDay struct {
	Hours   wireInt `json:"hours,omitempty"`
	Minutes wireInt `json:"minutes,omitempty"`
	Seconds wireInt `json:"seconds,omitempty"`
	Nanos   wireInt `json:"nanos,omitempty"`
}

// civilDateTime is a local wall-clock time without a zone.
type civilDateTime struct {
	Date *civilDate      `json:"date,omitempty"`
	Time *civilTimeOfDay `json:"time,omitempty"`
}

// obsInterval is an ObservationTimeInterval or SessionTimeInterval: UTC
// instants plus the UTC offset the device was in at each end.
type obsInterval struct {
	StartTime      *wireTime      `json:"startTime"`
	EndTime        *wireTime      `json:"endTime"`
	StartUtcOffset *wireDuration  `json:"startUtcOffset"`
	EndUtcOffset   *wireDuration  `json:"endUtcOffset"`
	CivilStartTime *civilDateTime `json:"civilStartTime"`
	CivilEndTime   *civilDateTime `json:"civilEndTime"`
}

// obsSample is an ObservationSampleTime.
type obsSample struct {
	PhysicalTime *wireTime      `json:"physicalTime"`
	UtcOffset    *wireDuration  `json:"utcOffset"`
	CivilTime    *civilDateTime `json:"civilTime"`
}

// point is a DataPoint (list), a RollupDataPoint (rollUp) or a
// DailyRollupDataPoint (dailyRollUp): envelope fields plus one member named
// after the data type, kept raw under its canonical key until the caller,
// who knows the type, decodes it.
type point struct {
	Name           string
	StartTime      *wireTime      // rollUp
	EndTime        *wireTime      // rollUp
	CivilStartTime *civilDateTime // dailyRollUp
	CivilEndTime   *civilDateTime // dailyRollUp
	members        map[string]json.RawMessage
}

func (p *point) UnmarshalJSON(b []byte) error {
	if k := jsonKind(b); k != "an object" {
		return fmt.Errorf("expected a data point object, got %s", k)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*p = point{}
	field := func(key string, v []byte, dst any) error {
		if err := json.Unmarshal(v, dst); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	}
	for k, v := range raw {
		var err error
		switch canon(k) {
		case "name", "datapointname":
			err = field(k, v, &p.Name)
		case "datasource":
			// Where the point came from; fittui does not need it.
		case "starttime":
			err = field(k, v, &p.StartTime)
		case "endtime":
			err = field(k, v, &p.EndTime)
		case "civilstarttime":
			err = field(k, v, &p.CivilStartTime)
		case "civilendtime":
			err = field(k, v, &p.CivilEndTime)
		default:
			if p.members == nil {
				p.members = make(map[string]json.RawMessage, 1)
			}
			p.members[canon(k)] = v
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// member decodes the point's value for dt into out. It reports false when
// the point has no such member (an omitted zero, or another type).
func member[T any](p *point, dt dataType, out *T) (bool, error) {
	raw, ok := p.members[canon(dt.id)]
	if !ok || isNull(raw) {
		return false, nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return true, fmt.Errorf("%s: %w", dt.json(), err)
	}
	return true, nil
}

// page is one page of dataPoints.list, dataPoints:rollUp or
// dataPoints:dailyRollUp.
type page struct {
	DataPoints       []point `json:"dataPoints"`
	RollupDataPoints []point `json:"rollupDataPoints"`
	NextPageToken    string  `json:"nextPageToken"`
}

func (p *page) points() []point {
	if len(p.DataPoints) > 0 {
		return p.DataPoints
	}
	return p.RollupDataPoints
}

// Members of list data points.

type heartRateValue struct {
	BeatsPerMinute wireInt    `json:"beatsPerMinute"`
	SampleTime     *obsSample `json:"sampleTime"`
}

type restingHRValue struct {
	Date           *civilDate `json:"date"`
	BeatsPerMinute wireInt    `json:"beatsPerMinute"`
}

type sleepValue struct {
	Type     string          `json:"type"`
	Interval *obsInterval    `json:"interval"`
	Stages   []sleepStageVal `json:"stages"`
	Summary  *sleepSummary   `json:"summary"`
	Metadata *sleepMetadata  `json:"metadata"`
}

type sleepStageVal struct {
	Type           string        `json:"type"`
	StartTime      *wireTime     `json:"startTime"`
	EndTime        *wireTime     `json:"endTime"`
	StartUtcOffset *wireDuration `json:"startUtcOffset"`
	EndUtcOffset   *wireDuration `json:"endUtcOffset"`
}

type sleepSummary struct {
	MinutesInSleepPeriod wireInt `json:"minutesInSleepPeriod"`
	MinutesAsleep        wireInt `json:"minutesAsleep"`
	MinutesAwake         wireInt `json:"minutesAwake"`
}

type sleepMetadata struct {
	MainSleep    bool   `json:"mainSleep"`
	Nap          bool   `json:"nap"`
	Processed    bool   `json:"processed"`
	StagesStatus string `json:"stagesStatus"`
}

type weightValue struct {
	WeightGrams wireFloat  `json:"weightGrams"`
	SampleTime  *obsSample `json:"sampleTime"`
}

type bodyFatValue struct {
	Percentage wireFloat  `json:"percentage"`
	SampleTime *obsSample `json:"sampleTime"`
}

// Members of rollup data points.

type countRollup struct {
	CountSum wireInt `json:"countSum"`
}

type distanceRollup struct {
	MillimetersSum wireFloat `json:"millimetersSum"`
}

type kcalRollup struct {
	KcalSum wireFloat `json:"kcalSum"`
}

type activeMinutesRollup struct {
	ByLevel []struct {
		ActivityLevel    string  `json:"activityLevel"`
		ActiveMinutesSum wireInt `json:"activeMinutesSum"`
	} `json:"activeMinutesRollupByActivityLevel"`
}

type heartRateRollup struct {
	BeatsPerMinuteAvg wireFloat `json:"beatsPerMinuteAvg"`
	BeatsPerMinuteMin wireFloat `json:"beatsPerMinuteMin"`
	BeatsPerMinuteMax wireFloat `json:"beatsPerMinuteMax"`
}

type weightRollup struct {
	WeightGramsAvg wireFloat `json:"weightGramsAvg"`
}

type bodyFatRollup struct {
	BodyFatPercentageAvg wireFloat `json:"bodyFatPercentageAvg"`
}

// Users' resources.

type settingsResponse struct {
	TimeZone        string        `json:"timeZone"`
	UtcOffset       *wireDuration `json:"utcOffset"`
	LanguageLocale  string        `json:"languageLocale"`
	DistanceUnit    string        `json:"distanceUnit"`
	WeightUnit      string        `json:"weightUnit"`
	HeightUnit      string        `json:"heightUnit"`
	TemperatureUnit string        `json:"temperatureUnit"`
	WaterUnit       string        `json:"waterUnit"`
}

type profileResponse struct {
	Age                                 wireInt    `json:"age"`
	MembershipStartDate                 *civilDate `json:"membershipStartDate"`
	AutoWalkingStrideLengthMm           wireInt    `json:"autoWalkingStrideLengthMm"`
	AutoRunningStrideLengthMm           wireInt    `json:"autoRunningStrideLengthMm"`
	UserConfiguredWalkingStrideLengthMm wireInt    `json:"userConfiguredWalkingStrideLengthMm"`
	UserConfiguredRunningStrideLengthMm wireInt    `json:"userConfiguredRunningStrideLengthMm"`
}

type devicesResponse struct {
	PairedDevices []pairedDevice `json:"pairedDevices"`
	NextPageToken string         `json:"nextPageToken"`
}

type pairedDevice struct {
	Name          string    `json:"name"`
	DeviceType    string    `json:"deviceType"`
	DeviceVersion string    `json:"deviceVersion"`
	BatteryLevel  *wireInt  `json:"batteryLevel"`
	BatteryStatus string    `json:"batteryStatus"`
	LastSyncTime  *wireTime `json:"lastSyncTime"`
	Features      []string  `json:"features"`
}

// Request bodies.

type rollUpRequest struct {
	Range struct {
		StartTime string `json:"startTime"`
		EndTime   string `json:"endTime"`
	} `json:"range"`
	WindowSize string `json:"windowSize"`
	// PageSize: 0 leaves Google's default (1440 windows).
	PageSize  int    `json:"pageSize,omitempty"`
	PageToken string `json:"pageToken,omitempty"`
}

type dailyRollUpRequest struct {
	Range struct {
		Start civilDateTime `json:"start"`
		End   civilDateTime `json:"end"`
	} `json:"range"`
	WindowSizeDays int    `json:"windowSizeDays"`
	PageToken      string `json:"pageToken,omitempty"`
}
