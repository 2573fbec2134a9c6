package providers

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Health metrics and workouts are optional: a provider that can read them
// implements HealthReader as well as Provider; fittui shows nothing of
// them for one that does not. Every metric is optional per provider and
// per device too (a tracker without an SpO2 sensor, an archive without
// temperature files): unknown is nil, never zero, so the panes show
// nothing and `--json` says null.
type HealthReader interface {
	// Health returns one HealthDay per day from..to inclusive, oldest
	// first; a day without data has only its Date (and any Missing
	// notes). Sleep-derived metrics (HRV, SpO2, breathing rate, skin
	// temperature) belong to the day the night's main sleep ended.
	Health(ctx context.Context, from, to Date) ([]HealthDay, error)
	// HealthIntraday returns the day's fine-grained health series (HRV
	// through the night, Active Zone Minutes minute by minute). Providers
	// ask for it only for the day shown. For today it stops at now.
	HealthIntraday(ctx context.Context, day Date) (HealthIntraday, error)
	// Workouts returns the workouts that started on a date in from..to,
	// oldest first. When the person did not share them (a scope left out
	// at sign-in) the error is a *NotGrantedError and nothing else fails.
	Workouts(ctx context.Context, from, to Date) ([]Workout, error)
}

// HealthOf returns p's health reader, when it reads health metrics. A
// wrapper that is a HealthReader whatever it wraps (the cache) says with
// ServesHealth whether the provider beneath reads them.
func HealthOf(p Provider) (HealthReader, bool) {
	h, ok := p.(HealthReader)
	if w, wraps := p.(interface{ ServesHealth() bool }); ok && wraps && !w.ServesHealth() {
		return nil, false
	}
	return h, ok
}

// HealthMetric names a health metric, for notes about it and for the
// metrics the panes and exports list.
type HealthMetric string

const (
	HealthHRV         HealthMetric = "hrv"
	HealthSpO2        HealthMetric = "spo2"
	HealthBreathing   HealthMetric = "breathing"
	HealthTemperature HealthMetric = "temperature"
	HealthVO2Max      HealthMetric = "vo2max"
	HealthZones       HealthMetric = "zones"
	HealthBodyFat     HealthMetric = "body_fat"
	HealthWorkouts    HealthMetric = "workouts"
)

// HealthMetrics lists the metrics in the order the panes show them.
func HealthMetrics() []HealthMetric {
	return []HealthMetric{HealthHRV, HealthSpO2, HealthBreathing, HealthTemperature, HealthVO2Max,
		HealthZones, HealthBodyFat, HealthWorkouts}
}

// Title is the metric's name for people ("HRV", "SpO2", "breathing rate").
func (m HealthMetric) Title() string {
	switch m {
	case HealthHRV:
		return "HRV"
	case HealthSpO2:
		return "SpO2"
	case HealthBreathing:
		return "breathing rate"
	case HealthTemperature:
		return "skin temperature"
	case HealthVO2Max:
		return "VO2 max"
	case HealthZones:
		return "zone minutes"
	case HealthBodyFat:
		return "body fat"
	case HealthWorkouts:
		return "workouts"
	}
	return string(m)
}

// HealthDay is one day's health metrics. Every metric is nil when
// unknown.
type HealthDay struct {
	Date Date
	// HRV is the night's heart-rate variability: the root mean square of
	// successive differences between beats (RMSSD), in milliseconds.
	HRV *float64 `json:",omitempty"`
	// SpO2 is the night's blood oxygen saturation.
	SpO2 *SpO2 `json:",omitempty"`
	// BreathingRate is breaths per minute during the night's sleep.
	BreathingRate *float64 `json:",omitempty"`
	// SkinTempDelta is the night's skin temperature against the
	// person's own baseline, in °C (negative: cooler).
	SkinTempDelta *float64 `json:",omitempty"`
	// VO2Max is the cardio fitness estimate.
	VO2Max *VO2Max `json:",omitempty"`
	// ZoneMinutes are the day's Active Zone Minutes.
	ZoneMinutes *ZoneMinutes `json:",omitempty"`
	// ZoneTime is the time spent in each heart-rate zone.
	ZoneTime *ZoneTime `json:",omitempty"`
	// ZoneBounds are the day's heart-rate zones in beats per minute.
	ZoneBounds *ZoneBounds `json:",omitempty"`
	// BodyFatPct is the day's (last) body-fat reading, percent.
	BodyFatPct *float64 `json:",omitempty"`
	// Missing says, per metric, why it is unknown when the provider
	// could say: "not granted: ..." with the scope and how to grant it.
	// Metrics a device does not measure are simply nil.
	Missing map[HealthMetric]string `json:",omitempty"`
}

// Note adds why metric m is missing.
func (d *HealthDay) Note(m HealthMetric, why string) {
	if d.Missing == nil {
		d.Missing = map[HealthMetric]string{}
	}
	d.Missing[m] = why
}

// Empty reports whether d holds no metric at all (notes aside).
func (d HealthDay) Empty() bool {
	return d.HRV == nil && d.SpO2 == nil && d.BreathingRate == nil && d.SkinTempDelta == nil && d.VO2Max == nil &&
		d.ZoneMinutes == nil && d.ZoneTime == nil && d.ZoneBounds == nil && d.BodyFatPct == nil
}

// EmptyHealth returns one HealthDay per day of from..to with only its
// date set, for a provider to fill in.
func EmptyHealth(from, to Date) []HealthDay {
	out := make([]HealthDay, max(0, from.DaysUntil(to)+1))
	for i := range out {
		out[i].Date = from.AddDays(i)
	}
	return out
}

// SpO2 is a night's blood oxygen saturation, in percent.
type SpO2 struct {
	AvgPct float64
	// LowPct and HighPct are the night's range (the bounds of the
	// readings' confidence interval); 0 when not given.
	LowPct, HighPct float64 `json:",omitempty"`
}

// CardioFitness is the level a VO2 max puts the person at, for their age
// and sex, as the provider rates it.
type CardioFitness string

const (
	FitnessPoor      CardioFitness = "poor"
	FitnessFair      CardioFitness = "fair"
	FitnessAverage   CardioFitness = "average"
	FitnessGood      CardioFitness = "good"
	FitnessVeryGood  CardioFitness = "very_good"
	FitnessExcellent CardioFitness = "excellent"
)

// Title is the level for people ("very good").
func (c CardioFitness) Title() string {
	if c == FitnessVeryGood {
		return "very good"
	}
	return string(c)
}

// VO2Max is a cardio fitness estimate: millilitres of oxygen per kilogram
// of body weight per minute.
type VO2Max struct {
	Value float64
	// Level is the provider's rating; "" when it gives none.
	Level CardioFitness `json:",omitempty"`
}

// HeartZone is a heart-rate zone, lowest first. Google Health calls them
// LIGHT, MODERATE, VIGOROUS and PEAK; Fitbit called them below zones (out
// of range), fat burn, cardio and peak. fittui uses Fitbit's names, the
// ones Active Zone Minutes are counted in.
type HeartZone int

const (
	ZoneLight HeartZone = iota
	ZoneFatBurn
	ZoneCardio
	ZonePeak
	// NumZones is the number of zones.
	NumZones
)

// String is the zone's name for people.
func (z HeartZone) String() string {
	switch z {
	case ZoneLight:
		return "light"
	case ZoneFatBurn:
		return "fat burn"
	case ZoneCardio:
		return "cardio"
	case ZonePeak:
		return "peak"
	}
	return fmt.Sprintf("zone %d", int(z))
}

// ZoneMinutes are Active Zone Minutes, weighted as Fitbit counts them: a
// minute in the fat-burn zone earns one, a minute in the cardio or peak
// zone two.
type ZoneMinutes struct {
	FatBurn, Cardio, Peak int
}

// Total is the day's Active Zone Minutes.
func (z ZoneMinutes) Total() int { return z.FatBurn + z.Cardio + z.Peak }

// Add adds o to z.
func (z *ZoneMinutes) Add(o ZoneMinutes) {
	z.FatBurn += o.FatBurn
	z.Cardio += o.Cardio
	z.Peak += o.Peak
}

// Earned is what one minute in zone earns (0 in the light zone).
func Earned(zone HeartZone) int {
	switch zone {
	case ZoneFatBurn:
		return 1
	case ZoneCardio, ZonePeak:
		return 2
	}
	return 0
}

// ZoneTime is the time spent in each heart-rate zone, indexed by
// HeartZone, in whole minutes.
type ZoneTime [NumZones]int

// ZoneBounds are the heart-rate zones' lower and upper bounds in beats
// per minute, indexed by HeartZone; a zero pair is a zone not given.
type ZoneBounds [NumZones]struct{ Min, Max int }

// Zone returns the zone bpm falls in, and false when no zone holds it
// (below the light zone or above the peak zone's upper bound).
func (b ZoneBounds) Zone(bpm float64) (HeartZone, bool) {
	for z := NumZones - 1; z >= 0; z-- {
		r := b[z]
		if r.Min > 0 && bpm >= float64(r.Min) && (r.Max == 0 || bpm <= float64(r.Max)+0.5) {
			return z, true
		}
	}
	return 0, false
}

// HealthIntraday is a day's fine-grained health series.
type HealthIntraday struct {
	Date Date
	// HRV is RMSSD in milliseconds through the night (every five minutes
	// of sleep on Fitbit devices).
	HRV Series
	// Zones are the day's minutes that earned Active Zone Minutes, oldest
	// first; minutes that earned none are absent.
	Zones []ZoneMinute
	// Missing says why a series is unknown when the provider could say.
	Missing map[HealthMetric]string `json:",omitempty"`
}

// ZoneMinute is one interval (usually a minute) spent in a zone.
type ZoneMinute struct {
	Start time.Time
	// Length is the interval's length (a minute unless the provider says
	// otherwise).
	Length time.Duration
	Zone   HeartZone
	// Earned are the Active Zone Minutes of the interval (see Earned).
	Earned int
}

// WorkoutType is a workout's kind.
type WorkoutType string

const (
	WorkoutRun      WorkoutType = "run"
	WorkoutWalk     WorkoutType = "walk"
	WorkoutBike     WorkoutType = "bike"
	WorkoutSwim     WorkoutType = "swim"
	WorkoutHike     WorkoutType = "hike"
	WorkoutYoga     WorkoutType = "yoga"
	WorkoutPilates  WorkoutType = "pilates"
	WorkoutHIIT     WorkoutType = "hiit"
	WorkoutWeights  WorkoutType = "weights"
	WorkoutStrength WorkoutType = "strength"
	WorkoutWorkout  WorkoutType = "workout"
	WorkoutOther    WorkoutType = "other"
)

// Workout is one exercise session (a logged run, an auto-detected walk).
// Its numbers are nil when the provider does not give them.
type Workout struct {
	// Date is the civil day the workout started on.
	Date Date
	Type WorkoutType
	// Name is what the provider or the person called it ("Morning run",
	// "Walk").
	Name       string
	Start, End time.Time
	// Active is the time spent moving (pauses left out).
	Active       *time.Duration `json:",omitempty"`
	DistanceKm   *float64       `json:",omitempty"`
	Steps        *int           `json:",omitempty"`
	Calories     *int           `json:",omitempty"`
	AvgHeartRate *int           `json:",omitempty"`
	// ZoneMinutes are the Active Zone Minutes earned during it.
	ZoneMinutes *int `json:",omitempty"`
}

// HeartRate returns the samples of hr recorded during w (from the
// intraday series), oldest first; they share hr's memory.
func (w Workout) HeartRate(hr Series) Series {
	out := Series{Resolution: hr.Resolution}
	lo, hi := -1, len(hr.Samples)
	for i, s := range hr.Samples {
		if lo < 0 && !s.Time.Before(w.Start) {
			lo = i
		}
		if !s.Time.Before(w.End) {
			hi = i
			break
		}
	}
	if lo >= 0 && lo < hi {
		out.Samples = hr.Samples[lo:hi:hi]
	}
	return out
}

// NotGrantedError is a provider saying the person did not share a metric
// with fittui (a scope left out at sign-in). It is an answer, not a
// failure: the account is fine and the rest shows.
type NotGrantedError struct {
	Provider string
	Metric   HealthMetric
	// Scope is the permission that is missing, as the provider names it.
	Scope string
	// How says how to grant it.
	How string
}

func (e *NotGrantedError) Error() string { return e.Metric.Title() + " " + e.Reason() }

// Reason says what is missing and how to grant it, like HealthDay's
// Missing notes: "not granted: scope S; how".
func (e *NotGrantedError) Reason() string {
	msg := "not granted"
	if e.Scope != "" {
		msg += ": scope " + e.Scope
	}
	if e.How != "" {
		msg += "; " + e.How
	}
	return msg
}

// IsNotGranted reports whether err says a metric was not shared.
func IsNotGranted(err error) bool {
	var ng *NotGrantedError
	return errors.As(err, &ng)
}
