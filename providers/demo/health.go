package demo

import (
	"context"
	"math"
	"time"

	"github.com/fittui/fittui/providers"
)

// Health metrics, like everything else, are pure functions of (persona,
// date). The nightly ones (HRV, SpO2, breathing rate, skin temperature)
// drift smoothly over days around the persona's habit, HRV moving against
// the resting heart rate as it does in people, and appear once the night's
// main sleep has ended. Zone minutes, the time in heart-rate zones and the
// workouts come from the cheap per-minute model (minuteHR): the heart rate
// the 1-second generator is pulled towards each minute, without its
// random wander, so a year of them costs no second-by-second generation
// and they agree with the intraday heart rate to within a few beats.

var _ providers.HealthReader = (*Provider)(nil)

// streamHRV draws the night's 5-minute HRV readings.
const streamHRV = streamHeart + 1

// Seeds of the smooth, date-only health functions.
const (
	seedHRVDay   uint64 = 0x4a70001
	seedSpO2Slow uint64 = 0x5b020001
	seedSpO2Day  uint64 = 0x5b020002
	seedSpO2Low  uint64 = 0x5b020003
	seedSpO2High uint64 = 0x5b020004
	seedBreath   uint64 = 0xb4ea0001
	seedBreathD  uint64 = 0xb4ea0002
	seedTemp     uint64 = 0x7e390001
	seedTempDay  uint64 = 0x7e390002
	seedVO2      uint64 = 0x0f020001
	seedFat      uint64 = 0xfa70001
)

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// noise1 is a deterministic value in [-1,1) for (seed, n).
func noise1(seed uint64, n int64) float64 { return 2*hash01(seed, n) - 1 }

// zoneBounds are the day's heart-rate zones by the Karvonen method
// Fitbit uses: shares of the heart-rate reserve above the day's resting
// rate (light 30%, fat burn 40%, cardio 60%, peak 85%).
func (p *persona) zoneBounds(restingHR int) providers.ZoneBounds {
	rest := float64(restingHR)
	at := func(f float64) int { return int(math.Round(rest + f*(p.maxHR-rest))) }
	var b providers.ZoneBounds
	lo := []float64{0.30, 0.40, 0.60, 0.85, 1}
	for z := range providers.NumZones {
		b[z].Min = at(lo[z])
		b[z].Max = at(lo[z+1]) - 1
	}
	b[providers.ZonePeak].Max = int(p.maxHR)
	return b
}

// minuteHR writes the model's heart rate for each of the day's minutes:
// the targets of the 1-second generator (heart) with its lingering rise
// after effort, without its random wander.
func (p *persona) minuteHR(m *minutes, restingHR int, out []float64) {
	rest := float64(restingHR)
	runMins := 0
	var glow float64
	for i, st := range m.stage {
		steps := int(m.steps[i])
		if st != stUp {
			out[i], runMins = rest, 0
			glow *= 0.9
			continue
		}
		base := rest + p.awakeLift + glow
		target := base
		switch {
		case steps >= runCadence:
			runMins++
			target = min(rest+(p.maxHR-rest)*0.72+0.12*float64(runMins), p.maxHR-4)
		case steps > 0:
			runMins = 0
			target = base + 0.22*float64(steps)
		default:
			runMins = 0
		}
		glow = max(glow*0.92, (target-base)*0.25)
		out[i] = target
	}
}

// healthModel is one day's health as the model makes it.
type healthModel struct {
	day      providers.HealthDay
	workouts []providers.Workout
	zones    []providers.ZoneMinute
}

// health computes day d's metrics as known at now. cur and next are d's
// plan and the next day's; m and hr are scratch reused across days.
func (pr *Provider) health(d providers.Date, cur, next *dayPlan, m *minutes, hr *[]float64, now time.Time, details bool) healthModel {
	p := pr.p
	out := healthModel{day: providers.HealthDay{Date: d}}
	h := &out.day
	n := cur.n
	if main := cur.sleeps[0]; !main.End.After(now) {
		rest := float64(cur.restingHR)
		hrv := round1(p.health.hrv - 2.2*(rest-p.restingHR) + 0.12*p.health.hrv*noise1(p.seed^seedHRVDay, n))
		h.HRV = &hrv
		if p.health.spo2 > 0 {
			avg := round1(p.health.spo2 + 0.6*smoothNoise(p.seed^seedSpO2Slow, n, 11) + 0.3*noise1(p.seed^seedSpO2Day, n))
			low := round1(avg - 1.6 - 1.2*hash01(p.seed^seedSpO2Low, n))
			high := round1(min(100, avg+1.4+1.1*hash01(p.seed^seedSpO2High, n)))
			h.SpO2 = &providers.SpO2{AvgPct: avg, LowPct: low, HighPct: high}
		}
		br := round1(p.health.breathing + 0.5*smoothNoise(p.seed^seedBreath, n, 8) + 0.2*noise1(p.seed^seedBreathD, n))
		h.BreathingRate = &br
		// Skin temperature wanders a few tenths around the baseline,
		// rising a little with a raised resting heart rate.
		t := 0.3*smoothNoise(p.seed^seedTemp, n, 6) + 0.12*noise1(p.seed^seedTempDay, n) + 0.06*(rest-p.restingHR)
		temp := math.Round(t*100)/100 + 0 // + 0: never -0
		h.SkinTempDelta = &temp
	}
	vo2 := round1(p.health.vo2Max + 1.1*smoothNoise(p.seed^seedVO2, n, 40) - 0.15*(float64(cur.restingHR)-p.restingHR))
	h.VO2Max = &providers.VO2Max{Value: vo2, Level: fitnessLevel(vo2)}
	if cur.weightKg > 0 && !cur.weighIn.After(now) && p.health.bodyFat > 0 {
		fat := round1(p.health.bodyFat + 0.7*(cur.weightKg-p.bodyKg) + 0.3*noise1(p.seed^seedFat, n))
		h.BodyFatPct = &fat
	}

	fr := newFrame(d, pr.loc)
	p.fillDay(fr, cur, next, m, false)
	_, mins := fr.cut(now)
	if cap(*hr) < fr.minutes {
		*hr = make([]float64, fr.minutes)
	}
	bpm := (*hr)[:fr.minutes]
	p.minuteHR(m, cur.restingHR, bpm)
	bounds := p.zoneBounds(cur.restingHR)
	h.ZoneBounds = &bounds
	var zm providers.ZoneMinutes
	var zt providers.ZoneTime
	for i := range mins {
		z, ok := bounds.Zone(bpm[i])
		if !ok {
			continue
		}
		zt[z]++
		switch z {
		case providers.ZoneFatBurn:
			zm.FatBurn++
		case providers.ZoneCardio:
			zm.Cardio += 2
		case providers.ZonePeak:
			zm.Peak += 2
		}
		if details && z != providers.ZoneLight {
			out.zones = append(out.zones, providers.ZoneMinute{Start: fr.start.Add(time.Duration(i) * time.Minute),
				Length: time.Minute, Zone: z, Earned: providers.Earned(z)})
		}
	}
	if mins > 0 {
		h.ZoneMinutes, h.ZoneTime = &zm, &zt
	}
	kg := p.kg(cur)
	for _, s := range m.sessions {
		from, to := max(s.from, 0), min(s.to, fr.minutes)
		if from >= to || to > mins {
			continue // not over yet (or not today's)
		}
		var steps, active, earned int
		var metres, kcal, beats float64
		for i := from; i < to; i++ {
			st := int(m.steps[i])
			steps += st
			if st > 0 {
				active++
			}
			metres += p.metres(st)
			kcal += p.activityKcal(st, kg)
			beats += bpm[i]
			if z, ok := bounds.Zone(bpm[i]); ok {
				earned += providers.Earned(z)
			}
		}
		kcal += p.bmr * float64(to-from) / (24 * 60)
		w := providers.Workout{Date: d, Type: s.kind, Name: s.name,
			Start: fr.start.Add(time.Duration(from) * time.Minute), End: fr.start.Add(time.Duration(to) * time.Minute)}
		act := time.Duration(active) * time.Minute
		km := math.Round(metres/10) / 100
		cal := int(math.Round(kcal))
		avg := int(math.Round(beats / float64(to-from)))
		w.Active, w.DistanceKm, w.Steps, w.Calories, w.AvgHeartRate, w.ZoneMinutes = &act, &km, &steps, &cal, &avg, &earned
		out.workouts = append(out.workouts, w)
	}
	return out
}

// fitnessLevel rates a VO2 max the way cardio fitness scores are shown
// for an adult in their thirties.
func fitnessLevel(v float64) providers.CardioFitness {
	switch {
	case v < 33:
		return providers.FitnessPoor
	case v < 37:
		return providers.FitnessFair
	case v < 41:
		return providers.FitnessAverage
	case v < 45:
		return providers.FitnessGood
	case v < 50:
		return providers.FitnessVeryGood
	}
	return providers.FitnessExcellent
}

// eachHealth runs f for every day of from..to up to today, with the
// day's model.
func (pr *Provider) eachHealth(ctx context.Context, from, to providers.Date, details bool, f func(i int, h healthModel)) error {
	n, err := rangeDays(from, to)
	if err != nil {
		return err
	}
	now, today := pr.clock()
	var m minutes
	var hr []float64
	var cur, next dayPlan
	for i := range n {
		d := from.AddDays(i)
		if d.After(today) {
			break
		}
		if i%32 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if i == 0 {
			cur = pr.p.plan(d, pr.loc)
		} else {
			cur = next
		}
		next = pr.p.plan(d.AddDays(1), pr.loc)
		f(i, pr.health(d, &cur, &next, &m, &hr, now, details))
	}
	return nil
}

// Health implements providers.HealthReader.
func (pr *Provider) Health(ctx context.Context, from, to providers.Date) ([]providers.HealthDay, error) {
	if _, err := rangeDays(from, to); err != nil {
		return nil, err
	}
	out := providers.EmptyHealth(from, to)
	err := pr.eachHealth(ctx, from, to, false, func(i int, h healthModel) { out[i] = h.day })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Workouts implements providers.HealthReader: the day's logged runs and
// walks, each once it is over.
func (pr *Provider) Workouts(ctx context.Context, from, to providers.Date) ([]providers.Workout, error) {
	var out []providers.Workout
	err := pr.eachHealth(ctx, from, to, false, func(_ int, h healthModel) { out = append(out, h.workouts...) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HealthIntraday implements providers.HealthReader: HRV every five
// minutes of the night's sleep (deep sleep highest, REM lowest, none while
// awake) and the minutes that earned Active Zone Minutes.
func (pr *Provider) HealthIntraday(ctx context.Context, day providers.Date) (providers.HealthIntraday, error) {
	out := providers.HealthIntraday{Date: day, HRV: providers.Series{Resolution: 5 * time.Minute}}
	if err := ctx.Err(); err != nil {
		return providers.HealthIntraday{}, err
	}
	var model healthModel
	if err := pr.eachHealth(ctx, day, day, true, func(_ int, h healthModel) { model = h }); err != nil {
		return providers.HealthIntraday{}, err
	}
	out.Zones = model.zones
	if model.day.HRV == nil {
		return out, nil
	}
	p := pr.p
	main := p.plan(day, pr.loc).sleeps[0]
	r := p.rng(dayNumber(day), streamHRV)
	factor := map[providers.SleepStage]float64{providers.StageDeep: 1.3, providers.StageLight: 1.0, providers.StageREM: 0.82}
	seg := 0
	for t := main.Start; t.Before(main.End); t = t.Add(5 * time.Minute) {
		for seg < len(main.Segments)-1 && !t.Before(main.Segments[seg].Start.Add(main.Segments[seg].Duration)) {
			seg++
		}
		noise := r.NormFloat64()
		f, asleep := factor[main.Segments[seg].Stage]
		if !asleep {
			continue
		}
		v := round1(max(5, *model.day.HRV*f*(1+0.1*noise)))
		out.HRV.Samples = append(out.HRV.Samples, providers.Sample{Time: t, Value: v})
	}
	return out, nil
}
