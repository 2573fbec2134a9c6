package googlehealth

// Wire types and converters of the health metrics and workouts, as the
// discovery document spells them (health/v4, schemas DailyHeartRateVariability,
// HeartRateVariability, DailyOxygenSaturation, DailyRespiratoryRate,
// DailySleepTemperatureDerivations, DailyVO2Max, DailyHeartRateZones,
// ActiveZoneMinutes, ActiveZoneMinutesRollupValue,
// TimeInHeartRateZoneRollupValue, Exercise and MetricsSummary). int64
// fields arrive as strings, doubles as numbers, durations as "NNNs",
// enums as strings; zero values are left out.

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

type dailyHRVValue struct {
	Date                *civilDate `json:"date"`
	AverageMilliseconds *wireFloat `json:"averageHeartRateVariabilityMilliseconds"`
	DeepSleepRMSSD      *wireFloat `json:"deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds"`
	NonRemHeartRate     wireInt    `json:"nonRemHeartRateBeatsPerMinute"`
	Entropy             wireFloat  `json:"entropy"`
}

type hrvValue struct {
	RMSSD      *wireFloat `json:"rootMeanSquareOfSuccessiveDifferencesMilliseconds"`
	SDNN       wireFloat  `json:"standardDeviationMilliseconds"`
	SampleTime *obsSample `json:"sampleTime"`
}

type dailySpO2Value struct {
	Date    *civilDate `json:"date"`
	Average *wireFloat `json:"averagePercentage"`
	Lower   wireFloat  `json:"lowerBoundPercentage"`
	Upper   wireFloat  `json:"upperBoundPercentage"`
}

type dailyBreathingValue struct {
	Date             *civilDate `json:"date"`
	BreathsPerMinute *wireFloat `json:"breathsPerMinute"`
}

type dailyTempValue struct {
	Date     *civilDate `json:"date"`
	Nightly  *wireFloat `json:"nightlyTemperatureCelsius"`
	Baseline *wireFloat `json:"baselineTemperatureCelsius"`
}

type dailyVO2MaxValue struct {
	Date               *civilDate `json:"date"`
	VO2Max             *wireFloat `json:"vo2Max"`
	CardioFitnessLevel string     `json:"cardioFitnessLevel"`
	Estimated          bool       `json:"estimated"`
}

type dailyZonesValue struct {
	Date  *civilDate `json:"date"`
	Zones []struct {
		Type string  `json:"heartRateZoneType"`
		Min  wireInt `json:"minBeatsPerMinute"`
		Max  wireInt `json:"maxBeatsPerMinute"`
	} `json:"heartRateZones"`
}

type zoneMinutesValue struct {
	Minutes  wireInt      `json:"activeZoneMinutes"`
	Zone     string       `json:"heartRateZone"`
	Interval *obsInterval `json:"interval"`
}

type zoneMinutesRollup struct {
	FatBurn wireInt `json:"sumInFatBurnHeartZone"`
	Cardio  wireInt `json:"sumInCardioHeartZone"`
	Peak    wireInt `json:"sumInPeakHeartZone"`
}

type zoneTimeRollup struct {
	Zones []struct {
		Zone     string       `json:"heartRateZone"`
		Duration wireDuration `json:"duration"`
	} `json:"timeInHeartRateZones"`
}

type exerciseValue struct {
	Type           string        `json:"exerciseType"`
	DisplayName    string        `json:"displayName"`
	Interval       *obsInterval  `json:"interval"`
	ActiveDuration *wireDuration `json:"activeDuration"`
	Summary        *struct {
		CaloriesKcal        *wireFloat `json:"caloriesKcal"`
		DistanceMillimeters *wireFloat `json:"distanceMillimeters"`
		Steps               *wireInt   `json:"steps"`
		AverageHeartRate    *wireInt   `json:"averageHeartRateBeatsPerMinute"`
		ActiveZoneMinutes   *wireInt   `json:"activeZoneMinutes"`
	} `json:"metricsSummary"`
}

// zoneOf maps Google's zone names: the zone types of heart-rate zones and
// time in zones (LIGHT, MODERATE, VIGOROUS, PEAK) and the zones Active
// Zone Minutes are earned in (FAT_BURN, CARDIO, PEAK).
func zoneOf(name string) (providers.HeartZone, bool) {
	switch name {
	case "LIGHT":
		return providers.ZoneLight, true
	case "MODERATE", "FAT_BURN":
		return providers.ZoneFatBurn, true
	case "VIGOROUS", "CARDIO":
		return providers.ZoneCardio, true
	case "PEAK":
		return providers.ZonePeak, true
	}
	return 0, false
}

// fitnessOf maps cardioFitnessLevel.
func fitnessOf(level string) providers.CardioFitness {
	switch level {
	case "POOR", "FAIR", "AVERAGE", "GOOD", "VERY_GOOD", "EXCELLENT":
		return providers.CardioFitness(strings.ToLower(level))
	}
	return ""
}

// workoutTypeOf maps exerciseType.
func workoutTypeOf(t string) providers.WorkoutType {
	switch t {
	case "RUNNING":
		return providers.WorkoutRun
	case "WALKING":
		return providers.WorkoutWalk
	case "BIKING":
		return providers.WorkoutBike
	case "SWIMMING":
		return providers.WorkoutSwim
	case "HIKING":
		return providers.WorkoutHike
	case "YOGA":
		return providers.WorkoutYoga
	case "PILATES":
		return providers.WorkoutPilates
	case "WORKOUT":
		return providers.WorkoutWorkout
	case "HIIT":
		return providers.WorkoutHIIT
	case "WEIGHTLIFTING":
		return providers.WorkoutWeights
	case "STRENGTH_TRAINING":
		return providers.WorkoutStrength
	}
	return providers.WorkoutOther
}

func inRange(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }

func fptr(v wireFloat) *float64 {
	f := float64(v)
	return &f
}

// dailyDate reads a daily point's date.
func dailyDate(d *civilDate, what string) (providers.Date, error) {
	day, err := d.date()
	if err != nil {
		return day, fmt.Errorf("%s: %w", what, err)
	}
	return day, nil
}

// convertDailyHealth adds a daily list point of dt to the day's entry,
// found by day (nil when the point's day was not asked for). A point
// without dt's member adds nothing.
func convertDailyHealth(p *point, dt dataType, day func(providers.Date) *providers.HealthDay) error {
	switch dt {
	case dtDailyHRV:
		var v dailyHRVValue
		if ok, err := member(p, dt, &v); !ok || err != nil {
			return err
		}
		d, err := dailyDate(v.Date, "daily heart rate variability")
		if err != nil {
			return err
		}
		ms := v.AverageMilliseconds
		if ms == nil {
			ms = v.DeepSleepRMSSD
		}
		if ms == nil {
			return nil // only the night's heart rate or entropy
		}
		if !inRange(float64(*ms), 0, 1000) {
			return errors.New("heart rate variability out of range")
		}
		if h := day(d); h != nil {
			h.HRV = fptr(*ms)
		}
	case dtDailySpO2:
		var v dailySpO2Value
		if ok, err := member(p, dt, &v); !ok || err != nil {
			return err
		}
		d, err := dailyDate(v.Date, "daily oxygen saturation")
		if err != nil {
			return err
		}
		if v.Average == nil {
			return errors.New("daily oxygen saturation without averagePercentage")
		}
		s := providers.SpO2{AvgPct: float64(*v.Average), LowPct: float64(v.Lower), HighPct: float64(v.Upper)}
		if !inRange(s.AvgPct, 50, 100) || !inRange(s.LowPct, 0, 100) || !inRange(s.HighPct, 0, 100) {
			return errors.New("oxygen saturation out of range")
		}
		if h := day(d); h != nil {
			h.SpO2 = &s
		}
	case dtDailyBreath:
		var v dailyBreathingValue
		if ok, err := member(p, dt, &v); !ok || err != nil {
			return err
		}
		d, err := dailyDate(v.Date, "daily respiratory rate")
		if err != nil {
			return err
		}
		if v.BreathsPerMinute == nil {
			return errors.New("daily respiratory rate without breathsPerMinute")
		}
		if !inRange(float64(*v.BreathsPerMinute), 1, 100) {
			return errors.New("respiratory rate out of range")
		}
		if h := day(d); h != nil {
			h.BreathingRate = fptr(*v.BreathsPerMinute)
		}
	case dtDailyTemp:
		var v dailyTempValue
		if ok, err := member(p, dt, &v); !ok || err != nil {
			return err
		}
		d, err := dailyDate(v.Date, "daily sleep temperature")
		if err != nil {
			return err
		}
		if v.Nightly == nil || v.Baseline == nil {
			return nil // no baseline yet (the first nights): no deviation
		}
		delta := float64(*v.Nightly) - float64(*v.Baseline)
		if !inRange(float64(*v.Nightly), 20, 45) || !inRange(float64(*v.Baseline), 20, 45) {
			return errors.New("skin temperature out of range")
		}
		delta = math.Round(delta*100)/100 + 0
		if h := day(d); h != nil {
			h.SkinTempDelta = &delta
		}
	case dtDailyVO2Max:
		var v dailyVO2MaxValue
		if ok, err := member(p, dt, &v); !ok || err != nil {
			return err
		}
		d, err := dailyDate(v.Date, "daily VO2 max")
		if err != nil {
			return err
		}
		if v.VO2Max == nil {
			return errors.New("daily VO2 max without vo2Max")
		}
		if !inRange(float64(*v.VO2Max), 1, 100) {
			return errors.New("VO2 max out of range")
		}
		if h := day(d); h != nil {
			h.VO2Max = &providers.VO2Max{Value: float64(*v.VO2Max), Level: fitnessOf(v.CardioFitnessLevel)}
		}
	case dtDailyZones:
		var v dailyZonesValue
		if ok, err := member(p, dt, &v); !ok || err != nil {
			return err
		}
		d, err := dailyDate(v.Date, "daily heart rate zones")
		if err != nil {
			return err
		}
		var b providers.ZoneBounds
		known := false
		for _, z := range v.Zones {
			zone, ok := zoneOf(z.Type)
			if !ok {
				continue
			}
			if z.Min < 0 || z.Max > 300 || z.Max > 0 && z.Max < z.Min {
				return errors.New("heart rate zone out of range")
			}
			b[zone].Min, b[zone].Max, known = int(z.Min), int(z.Max), true
		}
		if h := day(d); h != nil && known {
			h.ZoneBounds = &b
		}
	default:
		return fmt.Errorf("no daily health conversion for %s", dt.id)
	}
	return nil
}

// convertHealthRollup adds a dailyRollUp point of dt (active zone minutes,
// time in zones, body fat) to the day's entry.
func convertHealthRollup(p *point, dt dataType, h *providers.HealthDay) error {
	switch dt {
	case dtZoneMinutes:
		var r zoneMinutesRollup
		if _, err := member(p, dt, &r); err != nil {
			return err
		}
		for _, v := range []wireInt{r.FatBurn, r.Cardio, r.Peak} {
			if v < 0 || v > 3000 {
				return errors.New("active zone minutes out of range")
			}
		}
		// A day in the rollup with nothing earned is {}: zero, known.
		h.ZoneMinutes = &providers.ZoneMinutes{FatBurn: int(r.FatBurn), Cardio: int(r.Cardio), Peak: int(r.Peak)}
	case dtZoneTime:
		var r zoneTimeRollup
		if _, err := member(p, dt, &r); err != nil {
			return err
		}
		var zt providers.ZoneTime
		for _, z := range r.Zones {
			zone, ok := zoneOf(z.Zone)
			if !ok {
				continue
			}
			d := time.Duration(z.Duration)
			if d < 0 || d > 25*time.Hour {
				return errors.New("time in heart rate zone out of range")
			}
			zt[zone] += int(d.Round(time.Minute) / time.Minute)
		}
		h.ZoneTime = &zt
	case dtBodyFat:
		v, present, err := convertDaily(p, dt)
		if err != nil {
			return err
		}
		if present && v.bodyFat > 0 {
			h.BodyFatPct = &v.bodyFat
		}
	default:
		return fmt.Errorf("no health rollup conversion for %s", dt.id)
	}
	return nil
}

// convertHRVSample reads a heart-rate-variability sample.
func convertHRVSample(p *point, loc *time.Location) (s providers.Sample, ok bool, err error) {
	var v hrvValue
	if ok, err = member(p, dtHRV, &v); !ok || err != nil {
		return s, ok, err
	}
	if v.RMSSD == nil {
		return s, false, nil // only an SDNN: not fittui's measure
	}
	if s.Time, err = sampleInstant(v.SampleTime, loc); err != nil {
		return s, true, fmt.Errorf("heart rate variability: %w", err)
	}
	if !inRange(float64(*v.RMSSD), 0, 1000) {
		return s, true, errors.New("heart rate variability out of range")
	}
	s.Value = float64(*v.RMSSD)
	return s, true, nil
}

// convertZoneMinute reads an active-zone-minutes interval.
func convertZoneMinute(p *point, loc *time.Location) (z providers.ZoneMinute, ok bool, err error) {
	var v zoneMinutesValue
	if ok, err = member(p, dtZoneMinutes, &v); !ok || err != nil {
		return z, ok, err
	}
	start, end, err := v.Interval.span(loc)
	if err != nil {
		return z, true, fmt.Errorf("active zone minutes: %w", err)
	}
	zone, known := zoneOf(v.Zone)
	if !known || zone == providers.ZoneLight {
		return z, false, nil
	}
	if v.Minutes < 0 || v.Minutes > 1000 {
		return z, true, errors.New("active zone minutes out of range")
	}
	return providers.ZoneMinute{Start: start, Length: end.Sub(start), Zone: zone, Earned: int(v.Minutes)}, true, nil
}

// convertExercise reads an exercise session.
func convertExercise(p *point, loc *time.Location) (w providers.Workout, ok bool, err error) {
	var v exerciseValue
	if ok, err = member(p, dtExercise, &v); !ok || err != nil {
		return w, ok, err
	}
	if w.Start, w.End, err = v.Interval.span(loc); err != nil {
		return w, true, fmt.Errorf("exercise: %w", err)
	}
	if w.End.Sub(w.Start) > 7*24*time.Hour {
		return w, true, errors.New("exercise longer than a week")
	}
	w.Date = providers.DateOf(w.Start)
	if c := v.Interval.CivilStartTime; c != nil && c.Date != nil {
		if d, derr := c.Date.date(); derr == nil {
			w.Date = d
		}
	}
	w.Type, w.Name = workoutTypeOf(v.Type), strings.TrimSpace(v.DisplayName)
	if w.Name == "" {
		w.Name = strings.ToUpper(string(w.Type[:1])) + string(w.Type[1:])
	}
	if a := v.ActiveDuration; a != nil {
		d := time.Duration(*a)
		if d < 0 || d > w.End.Sub(w.Start)+time.Minute {
			return w, true, errors.New("exercise active duration longer than the exercise")
		}
		w.Active = &d
	}
	if s := v.Summary; s != nil {
		if s.DistanceMillimeters != nil {
			km := float64(*s.DistanceMillimeters) / 1e6
			if !inRange(km, 0, 1000) {
				return w, true, errors.New("exercise distance out of range")
			}
			w.DistanceKm = &km
		}
		if s.CaloriesKcal != nil {
			if !inRange(float64(*s.CaloriesKcal), 0, 50000) {
				return w, true, errors.New("exercise calories out of range")
			}
			c := int(math.Round(float64(*s.CaloriesKcal)))
			w.Calories = &c
		}
		for _, f := range []struct {
			in  *wireInt
			out **int
			max int64
		}{{s.Steps, &w.Steps, 1_000_000}, {s.AverageHeartRate, &w.AvgHeartRate, 300}, {s.ActiveZoneMinutes, &w.ZoneMinutes, 10_000}} {
			if f.in == nil {
				continue
			}
			if *f.in < 0 || int64(*f.in) > f.max {
				return w, true, errors.New("exercise summary out of range")
			}
			n := int(*f.in)
			*f.out = &n
		}
		// Zero is left out of the JSON: with a heart rate measured, no
		// zone minutes means none were earned.
		if w.ZoneMinutes == nil && w.AvgHeartRate != nil {
			zero := 0
			w.ZoneMinutes = &zero
		}
	}
	return w, true, nil
}
