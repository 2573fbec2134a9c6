package takeout

import (
	"context"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// The health metrics of an archive are the daily values the import keeps
// under documented keys (dayExtra in index.go), served from the month
// roll-ups: last night's HRV (the Daily HRV Summary's rmssd), SpO2 (the
// Daily SpO2 average and bounds), breathing rate (the Daily Respiratory
// Rate Summary), VO2 max (demographic_vo2_max, else run_vo2_max; an
// archive gives no fitness level), Active Zone Minutes by zone (the AZM
// folder or its Google data copy: fat burn, cardio and peak minutes as the
// files count them, which this reads as already weighted, a cardio or peak
// minute counting two: the documented API meaning, not checked on a real
// AZM file), the time in heart-rate zones (time_in_heart_rate_zones: the
// "below zone 1" minutes, every minute under the fat-burn zone resting
// included, as the light zone), body fat (the weigh-ins' fat), and the
// exercise logs as workouts. For the day shown, the night's HRV readings
// (Heart Rate Variability Details) and the minutes that earned zone
// minutes (the AZM folder or its copy). Archives hold no skin temperature
// or zone bounds that fittui reads: those stay unknown.

var _ providers.HealthReader = (*Provider)(nil)

// healthKeys are the day's extras a month roll-up keeps for Health.
var healthKeys = []string{"hrv_rmssd_ms", "spo2_avg_pct", "spo2_lower_pct", "spo2_upper_pct", "respiratory_rate",
	"vo2_max", "run_vo2_max", "azm_fat_burn", "azm_cardio", "azm_peak",
	"hr_zone_below_minutes", "hr_zone_fat_burn_minutes", "hr_zone_cardio_minutes", "hr_zone_peak_minutes"}

// bodyFatKey holds the last weigh-in's body fat in a roll-up's Health.
const bodyFatKey = "body_fat_pct"

// rollHealth picks a day's health values for its month roll-up.
func rollHealth(e dayExtra) map[string]float64 {
	var out map[string]float64
	put := func(k string, v float64) {
		if out == nil {
			out = map[string]float64{}
		}
		out[k] = v
	}
	for _, k := range healthKeys {
		if v, ok := e.Metrics[k]; ok {
			put(k, v)
		}
	}
	for i := len(e.Weights) - 1; i >= 0; i-- {
		if f := e.Weights[i].FatPct; f > 0 {
			put(bodyFatKey, f)
			break
		}
	}
	return out
}

// healthDay turns a roll-up's health values into a HealthDay.
func healthDay(d providers.Date, m map[string]float64) providers.HealthDay {
	h := providers.HealthDay{Date: d}
	get := func(k string) (float64, bool) {
		v, ok := m[k]
		return v, ok
	}
	opt := func(k string) *float64 {
		if v, ok := get(k); ok {
			return &v
		}
		return nil
	}
	h.HRV = opt("hrv_rmssd_ms")
	h.BreathingRate = opt("respiratory_rate")
	h.BodyFatPct = opt(bodyFatKey)
	if avg, ok := get("spo2_avg_pct"); ok {
		lo, _ := get("spo2_lower_pct")
		hi, _ := get("spo2_upper_pct")
		h.SpO2 = &providers.SpO2{AvgPct: avg, LowPct: lo, HighPct: hi}
	}
	if v, ok := get("vo2_max"); ok {
		h.VO2Max = &providers.VO2Max{Value: v}
	} else if v, ok := get("run_vo2_max"); ok {
		h.VO2Max = &providers.VO2Max{Value: v}
	}
	fb, okF := get("azm_fat_burn")
	ca, okC := get("azm_cardio")
	pk, okP := get("azm_peak")
	if okF || okC || okP {
		h.ZoneMinutes = &providers.ZoneMinutes{FatBurn: round(fb), Cardio: round(ca), Peak: round(pk)}
	}
	var zt providers.ZoneTime
	known := false
	for z, k := range []string{"hr_zone_below_minutes", "hr_zone_fat_burn_minutes", "hr_zone_cardio_minutes", "hr_zone_peak_minutes"} {
		if v, ok := get(k); ok {
			zt[z], known = round(v), true
		}
	}
	if known {
		h.ZoneTime = &zt
	}
	return h
}

func round(v float64) int { return int(v + 0.5) }

// Health implements providers.HealthReader from the month roll-ups.
func (p *Provider) Health(ctx context.Context, from, to providers.Date) ([]providers.HealthDay, error) {
	out := providers.EmptyHealth(from, to) // months checks the range
	err := p.months(ctx, from, to, func(r monthRoll) {
		for _, d := range r.Days {
			if i := from.DaysUntil(d.Date); i >= 0 && i < len(out) && len(d.Health) > 0 {
				out[i] = healthDay(d.Date, d.Health)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HealthIntraday implements providers.HealthReader from the day's entry:
// the night's HRV readings (the night ending that day) and the minutes
// that earned Active Zone Minutes.
func (p *Provider) HealthIntraday(ctx context.Context, day providers.Date) (providers.HealthIntraday, error) {
	out := providers.HealthIntraday{Date: day, HRV: providers.Series{Resolution: 5 * time.Minute}}
	if err := ctx.Err(); err != nil {
		return providers.HealthIntraday{}, err
	}
	loc, err := p.load()
	if err != nil {
		return providers.HealthIntraday{}, err
	}
	d, ok, err := p.x.day(day, loc)
	if err != nil {
		return providers.HealthIntraday{}, badData(err.Error(), nil)
	}
	if !ok {
		return out, nil
	}
	for _, h := range d.Extra.HRV {
		out.HRV.Samples = append(out.HRV.Samples, providers.Sample{Time: h.Time, Value: h.RMSSD})
	}
	for _, z := range d.Extra.Zones {
		hz, ok := azmZone[z.Zone]
		if !ok {
			continue
		}
		out.Zones = append(out.Zones, providers.ZoneMinute{Start: z.Start, Length: time.Minute, Zone: hz, Earned: round(z.Earned)})
	}
	return out, nil
}

// azmZone are the zones the AZM files name, as the index keeps them.
var azmZone = map[string]providers.HeartZone{"fat_burn": providers.ZoneFatBurn, "cardio": providers.ZoneCardio, "peak": providers.ZonePeak}

// Workouts implements providers.HealthReader: the exercise logs that
// started on from..to, oldest first.
func (p *Provider) Workouts(ctx context.Context, from, to providers.Date) ([]providers.Workout, error) {
	var out []providers.Workout
	err := p.months(ctx, from, to, func(r monthRoll) {
		for _, d := range r.Days {
			if d.Date.Before(from) || d.Date.After(to) {
				continue
			}
			for _, e := range d.Exercises {
				out = append(out, workoutOf(d.Date, e))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// workoutOf is an exercise log as a workout; the log's zeros are numbers
// it did not record.
func workoutOf(day providers.Date, e exerciseEntry) providers.Workout {
	w := providers.Workout{Date: day, Type: workoutType(e.Name), Name: e.Name, Start: e.Start,
		End: e.Start.Add(time.Duration(e.DurationS) * time.Second)}
	if e.ActiveS > 0 {
		a := time.Duration(e.ActiveS) * time.Second
		w.Active = &a
	}
	if e.DistanceKm > 0 {
		w.DistanceKm = &e.DistanceKm
	}
	if e.Steps > 0 {
		w.Steps = &e.Steps
	}
	if e.Calories > 0 {
		w.Calories = &e.Calories
	}
	if e.AvgHR > 0 {
		w.AvgHeartRate = &e.AvgHR
	}
	return w
}

// workoutType reads an exercise log's activityName ("Run", "Outdoor
// Bike", "Treadmill", "Weights", ...).
func workoutType(name string) providers.WorkoutType {
	n := strings.ToLower(name)
	for _, k := range []struct {
		words []string
		t     providers.WorkoutType
	}{
		{[]string{"hike"}, providers.WorkoutHike},
		{[]string{"run", "treadmill", "jog"}, providers.WorkoutRun},
		{[]string{"walk"}, providers.WorkoutWalk},
		{[]string{"bike", "cycl", "spin"}, providers.WorkoutBike},
		{[]string{"swim"}, providers.WorkoutSwim},
		{[]string{"yoga"}, providers.WorkoutYoga},
		{[]string{"pilates"}, providers.WorkoutPilates},
		{[]string{"hiit", "interval"}, providers.WorkoutHIIT},
		{[]string{"weight"}, providers.WorkoutWeights},
		{[]string{"strength", "circuit"}, providers.WorkoutStrength},
		{[]string{"workout", "aerobic", "elliptical", "sport"}, providers.WorkoutWorkout},
	} {
		for _, w := range k.words {
			if strings.Contains(n, w) {
				return k.t
			}
		}
	}
	return providers.WorkoutOther
}
