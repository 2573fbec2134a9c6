package googlehealthtest

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// The health metrics and workouts the fake serves: the demo persona's, in
// the discovery document's shapes (DailyHeartRateVariability,
// HeartRateVariability, DailyOxygenSaturation, DailyRespiratoryRate,
// DailySleepTemperatureDerivations, DailyVO2Max, DailyHeartRateZones,
// ActiveZoneMinutes and its rollup, TimeInHeartRateZone's rollup, BodyFat's
// rollup, Exercise with its MetricsSummary). A metric the persona's device
// does not measure (the night-shift tracker's SpO2) has no points at all,
// as Google answers for a device without the sensor.

// skinBaseline is the fake's 30-day median skin temperature; the nightly
// temperature is the demo's deviation above it.
const skinBaseline = 33.6

// health is the demo's health on day (as of the fake's clock).
func (d *dataset) health(ctx context.Context, day providers.Date) (providers.HealthDay, bool) {
	hs, err := d.demo.Health(ctx, day, day)
	if err != nil || len(hs) != 1 {
		return providers.HealthDay{}, false
	}
	return hs[0], true
}

// BodyFatPercent is the fake's body fat on a day with a weigh-in: the
// office persona's scale reading (the only persona with a scale), or 0.
func BodyFatPercent(day providers.Date) float64 {
	end := day.AddDays(2).In(time.UTC)
	p, err := demo.New(providers.AccountSpec{Name: "office", Provider: demo.Name, Options: map[string]string{"persona": "office"}},
		providers.Env{Now: func() time.Time { return end }})
	if err != nil {
		return 0
	}
	hs, err := p.Health(context.Background(), day, day)
	if err != nil || hs[0].BodyFatPct == nil {
		return 0
	}
	return *hs[0].BodyFatPct
}

// zoneNames are Google's names of the zones: heart-rate zone types, and
// the zones Active Zone Minutes are earned in.
var (
	zoneTypes = [providers.NumZones]string{"LIGHT", "MODERATE", "VIGOROUS", "PEAK"}
	azmZones  = [providers.NumZones]string{"", "FAT_BURN", "CARDIO", "PEAK"}
)

// dailyHealthMember is day's member of a daily health type, or false.
func dailyHealthMember(dt string, day providers.Date, h providers.HealthDay) (obj, bool) {
	m := obj{"date": dateJSON(day)}
	switch dt {
	case "daily-heart-rate-variability":
		if h.HRV == nil {
			return nil, false
		}
		putNum(m, "averageHeartRateVariabilityMilliseconds", *h.HRV)
		putNum(m, "deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds", math.Round(*h.HRV*1.25*10)/10)
		putInt(m, "nonRemHeartRateBeatsPerMinute", int64(math.Round(*h.HRV/2+38))) // int64, sent as a string
		putNum(m, "entropy", 2.9)
	case "daily-oxygen-saturation":
		if h.SpO2 == nil {
			return nil, false
		}
		putNum(m, "averagePercentage", h.SpO2.AvgPct)
		putNum(m, "lowerBoundPercentage", h.SpO2.LowPct)
		putNum(m, "upperBoundPercentage", h.SpO2.HighPct)
		putNum(m, "standardDeviationPercentage", 0.6)
	case "daily-respiratory-rate":
		if h.BreathingRate == nil {
			return nil, false
		}
		putNum(m, "breathsPerMinute", *h.BreathingRate)
	case "daily-sleep-temperature-derivations":
		if h.SkinTempDelta == nil {
			return nil, false
		}
		m["nightlyTemperatureCelsius"] = math.Round((skinBaseline+*h.SkinTempDelta)*100) / 100
		m["baselineTemperatureCelsius"] = skinBaseline
		putNum(m, "relativeNightlyStddev30dCelsius", 0.21)
	case "daily-vo2-max":
		if h.VO2Max == nil {
			return nil, false
		}
		putNum(m, "vo2Max", h.VO2Max.Value)
		putNum(m, "vo2MaxCovariance", 1.8)
		m["estimated"] = false
		if l := h.VO2Max.Level; l != "" {
			m["cardioFitnessLevel"] = strings.ToUpper(string(l))
		}
	case "daily-heart-rate-zones":
		if h.ZoneBounds == nil {
			return nil, false
		}
		var zones []any
		for z, b := range h.ZoneBounds {
			e := obj{"heartRateZoneType": zoneTypes[z]}
			putInt(e, "minBeatsPerMinute", int64(b.Min))
			putInt(e, "maxBeatsPerMinute", int64(b.Max))
			zones = append(zones, e)
		}
		m["heartRateZones"] = zones
	default:
		return nil, false
	}
	return m, true
}

// healthItems are day's list items of the health types, or false for a
// type that is not one of them.
func (d *dataset) healthItems(ctx context.Context, dt string, day providers.Date) ([]item, bool) {
	var out []item
	switch dt {
	case "daily-heart-rate-variability", "daily-oxygen-saturation", "daily-respiratory-rate",
		"daily-sleep-temperature-derivations", "daily-vo2-max", "daily-heart-rate-zones":
		h, ok := d.health(ctx, day)
		if !ok {
			return nil, true
		}
		m, ok := dailyHealthMember(dt, day, h)
		if !ok {
			return nil, true
		}
		t := day.In(d.loc)
		out = append(out, item{physStart: t, physEnd: t, civilStart: dateNaive(day), civilEnd: dateNaive(day),
			name: func() string { return pointName(dt, t, "") }, member: func() obj { return m }, source: d.source(false)})
	case "heart-rate-variability":
		hi, err := d.demo.HealthIntraday(ctx, day)
		if err != nil {
			return nil, true
		}
		src := d.source(false)
		for _, s := range hi.HRV.Samples {
			out = append(out, item{physStart: s.Time, physEnd: s.Time, civilStart: civilNaive(s.Time), civilEnd: civilNaive(s.Time),
				name: func() string { return pointName(dt, s.Time, "") },
				member: func() obj {
					return obj{"rootMeanSquareOfSuccessiveDifferencesMilliseconds": s.Value,
						"standardDeviationMilliseconds": math.Round(s.Value*1.3*10) / 10, "sampleTime": sampleTimeJSON(s.Time)}
				}, source: src})
		}
	case "active-zone-minutes":
		hi, err := d.demo.HealthIntraday(ctx, day)
		if err != nil {
			return nil, true
		}
		src := d.source(false)
		for _, z := range hi.Zones {
			end := z.Start.Add(z.Length)
			out = append(out, item{physStart: z.Start, physEnd: end, civilStart: civilNaive(z.Start), civilEnd: civilNaive(end),
				name: func() string { return pointName(dt, z.Start, "") },
				member: func() obj {
					return obj{"activeZoneMinutes": i64(int64(z.Earned)), "heartRateZone": azmZones[z.Zone], "interval": intervalJSON(z.Start, end)}
				}, source: src})
		}
	case "exercise":
		ws, err := d.demo.Workouts(ctx, day, day)
		if err != nil {
			return nil, true
		}
		src := d.source(false)
		for _, w := range ws {
			out = append(out, item{physStart: w.Start, physEnd: w.End, civilStart: civilNaive(w.Start), civilEnd: civilNaive(w.End),
				name: func() string { return pointName(dt, w.Start, "") }, member: func() obj { return exerciseJSON(w) }, source: src})
		}
	default:
		return nil, false
	}
	return out, true
}

// exerciseTypes are Google's names of the demo's workout types.
var exerciseTypes = map[providers.WorkoutType]string{
	providers.WorkoutRun: "RUNNING", providers.WorkoutWalk: "WALKING", providers.WorkoutBike: "BIKING",
	providers.WorkoutSwim: "SWIMMING", providers.WorkoutHike: "HIKING", providers.WorkoutYoga: "YOGA",
	providers.WorkoutWorkout: "WORKOUT", providers.WorkoutHIIT: "HIIT", providers.WorkoutWeights: "WEIGHTLIFTING",
	providers.WorkoutStrength: "STRENGTH_TRAINING", providers.WorkoutPilates: "PILATES",
}

func durationJSON(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s" }

// exerciseJSON converts a demo workout to Google's Exercise.
func exerciseJSON(w providers.Workout) obj {
	typ := exerciseTypes[w.Type]
	if typ == "" {
		typ = "OTHER"
	}
	sum := obj{}
	if w.Calories != nil {
		putNum(sum, "caloriesKcal", float64(*w.Calories))
	}
	if w.DistanceKm != nil {
		putNum(sum, "distanceMillimeters", math.Round(*w.DistanceKm*1e6))
	}
	if w.Steps != nil {
		putInt(sum, "steps", int64(*w.Steps))
	}
	if w.AvgHeartRate != nil {
		putInt(sum, "averageHeartRateBeatsPerMinute", int64(*w.AvgHeartRate))
	}
	if w.ZoneMinutes != nil {
		putInt(sum, "activeZoneMinutes", int64(*w.ZoneMinutes))
	}
	if w.DistanceKm != nil && *w.DistanceKm > 0 && w.Active != nil {
		putNum(sum, "averagePaceSecondsPerMeter", math.Round(w.Active.Seconds()/(*w.DistanceKm*1000)*1000)/1000)
	}
	m := obj{"exerciseType": typ, "displayName": w.Name, "interval": intervalJSON(w.Start, w.End),
		"exerciseMetadata": obj{}, "metricsSummary": sum,
		"createTime": stamp(w.End.Add(3 * time.Minute)), "updateTime": stamp(w.End.Add(4 * time.Minute))}
	if w.Active != nil {
		m["activeDuration"] = durationJSON(*w.Active)
	}
	return m
}

// healthRollup is the dailyRollUp value of active-zone-minutes or
// time-in-heart-rate-zone over the days ws..we (exclusive), or false
// without data.
func (d *dataset) healthRollup(dt string, ws, we providersDate) (obj, bool) {
	ctx := context.Background()
	var zm providers.ZoneMinutes
	var zt providers.ZoneTime
	n := 0
	for day := ws; day.Before(we); day = day.AddDays(1) {
		if !d.inRange(day) {
			continue
		}
		h, ok := d.health(ctx, day)
		if !ok || h.ZoneMinutes == nil {
			continue
		}
		n++
		zm.Add(*h.ZoneMinutes)
		for z := range zt {
			zt[z] += h.ZoneTime[z]
		}
	}
	if n == 0 {
		return nil, false
	}
	v := obj{}
	if dt == "active-zone-minutes" {
		putInt(v, "sumInFatBurnHeartZone", int64(zm.FatBurn))
		putInt(v, "sumInCardioHeartZone", int64(zm.Cardio))
		putInt(v, "sumInPeakHeartZone", int64(zm.Peak))
		return v, true
	}
	var zones []any
	for z, min := range zt {
		if min > 0 {
			zones = append(zones, obj{"heartRateZone": zoneTypes[z], "duration": durationJSON(time.Duration(min) * time.Minute)})
		}
	}
	if len(zones) > 0 {
		v["timeInHeartRateZones"] = zones
	}
	return v, true
}
