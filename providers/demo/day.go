package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/fittui/fittui/providers"
)

// A minute counts as active at this cadence or more, or when its mean heart
// rate reaches activeHRR of the heart-rate reserve above resting.
const (
	activeCadence = 100
	activeHRR     = 0.45
)

// stageOffset is the heart rate above resting in each sleep state; the
// mix of stages in a night averages close to the resting rate.
var stageOffset = [...]float64{
	stUp: 0, stDeep: -3, stLight: 0, stREM: 3, stWake: 7,
	stAsleep: 0.5, stRestless: 4, stAwake: 7,
}

// metres walked or run in a minute of st steps.
func (p *persona) metres(st int) float64 {
	if st >= runCadence {
		return float64(st) * p.runStride
	}
	return float64(st) * p.walkStride
}

// activityKcal burned above basal by st steps in a minute.
func (p *persona) activityKcal(st int, kg float64) float64 {
	if st >= runCadence {
		return float64(st) * kg * 0.0009
	}
	return float64(st) * kg * 0.00055
}

// activeThreshold is the minute-mean heart rate that makes a minute active.
func (p *persona) activeThreshold(restingHR int) float64 {
	rest := float64(restingHR)
	return rest + activeHRR*(p.maxHR-rest)
}

// dayData is a generated day: shared, read-only once built. Heart rate is
// kept as one byte per second (whole bpm in 40..200); the 1-second
// samples Intraday hands out are made from it on first use and kept
// apart (seconds), so the callers that need minutes only (summaries,
// Minutes) never pay for them.
type dayData struct {
	p       *persona
	fr      frame
	plan    dayPlan
	bpm     []uint8            // 1 s, fr.minutes*60 readings
	hrSum   []int32            // per minute: the sum of its 60 readings
	steps   []providers.Sample // 1 min
	stepsPM []int16
	floors  []uint8
	active  []bool
}

// generateDay builds the whole day (every second of heart rate, every
// minute of steps) regardless of the clock; callers cut it at "now".
func (p *persona) generateDay(d providers.Date, loc *time.Location) *dayData {
	fr := newFrame(d, loc)
	today := p.plan(d, loc)
	tomorrow := p.plan(d.AddDays(1), loc)
	var m minutes
	p.fillDay(fr, &today, &tomorrow, &m, true)

	dd := &dayData{p: p, fr: fr, plan: today, stepsPM: m.steps, floors: m.floors}
	dd.steps = make([]providers.Sample, fr.minutes)
	for i, st := range m.steps {
		dd.steps[i] = providers.Sample{Time: fr.start.Add(time.Duration(i) * time.Minute), Value: float64(st)}
	}
	dd.bpm = make([]uint8, fr.minutes*60)
	dd.hrSum = make([]int32, fr.minutes)
	p.heart(fr, &today, &m, dd.bpm, dd.hrSum)
	dd.active = make([]bool, fr.minutes)
	thr := float32(p.activeThreshold(today.restingHR))
	for i := range dd.active {
		mean := float32(float64(dd.hrSum[i]) / 60)
		dd.active[i] = m.steps[i] >= activeCadence || mean >= thr
	}
	return dd
}

// samples returns the day's heart rate as 1-second samples, made once
// while the day is among the last few asked for them.
func (d *dayData) samples() []providers.Sample {
	return seconds.get(d, d.makeSamples)
}

// makeSamples turns the day's bpm into 1-second samples.
func (d *dayData) makeSamples() []providers.Sample {
	hr := make([]providers.Sample, len(d.bpm))
	t := d.fr.start
	for i, v := range d.bpm {
		hr[i] = providers.Sample{Time: t, Value: float64(v)}
		t = t.Add(time.Second)
	}
	return hr
}

// heart generates the day's heart rate at 1-second resolution: a smooth
// random walk (Ornstein-Uhlenbeck) pulled towards a per-minute target that
// follows sleep stages, walking cadence and runs, with a slow wander while
// awake and a lingering rise after effort. Values are whole bpm in 40..200,
// written to bpm (one per second); sums receives each minute's sum.
func (p *persona) heart(fr frame, pl *dayPlan, m *minutes, bpm []uint8, sums []int32) {
	src := p.pcg(pl.n, streamHeart)
	r := rand.New(src)
	rest := float64(pl.restingHR)
	var wander, sleepWander, glow, intensity float64
	runMins := 0
	x := math.NaN()
	i := 0
	for mi := range fr.minutes {
		st := m.stage[mi]
		steps := int(m.steps[mi])
		var target, sigma float64
		if st != stUp {
			sleepWander = 0.9*sleepWander + 0.3*r.NormFloat64()
			target = rest + stageOffset[st] + sleepWander
			sigma = 0.18
			if st == stREM {
				sigma = 0.3
			}
			glow *= 0.9
			runMins = 0
		} else {
			wander = 0.96*wander + 0.7*r.NormFloat64()
			base := rest + p.awakeLift + wander + glow
			switch {
			case steps >= runCadence:
				if runMins == 0 {
					intensity = r.Float64()
				}
				runMins++
				target = min(rest+(p.maxHR-rest)*(0.66+0.12*intensity)+0.12*float64(runMins), p.maxHR-4)
				sigma = 0.5
			case steps > 0:
				runMins = 0
				target = base + 0.22*float64(steps)
				sigma = 0.35
			default:
				runMins = 0
				target = base
				sigma = 0.3
			}
			glow = max(glow*0.92, (target-base)*0.25)
		}
		if math.IsNaN(x) {
			x = target
		}
		sum := int32(0)
		for range 60 {
			k := 0.05 // heart rate rises faster than it falls
			if target < x {
				k = 0.025
			}
			x += k*(target-x) + sigma*noise(src)
			v := uint8(min(max(x, 40), 200) + 0.5) // whole bpm; x > 0 here
			bpm[i] = v
			sum += int32(v)
			i++
		}
		sums[mi] = sum
	}
}

// cut returns how many 1-second heart samples and whole minutes of the day
// lie in the past at now: a heart sample once its second has begun, a
// minute of steps once it is complete.
func (f frame) cut(now time.Time) (secs, mins int) {
	if !now.Before(f.end) {
		return f.minutes * 60, f.minutes
	}
	if now.Before(f.start) {
		return 0, 0
	}
	el := now.Sub(f.start)
	return min(int(el/time.Second)+1, f.minutes*60), min(int(el/time.Minute), f.minutes)
}

// totals are the distance, calories (basal included) and floors of the
// first n minutes of a day, as DaySummary and DailySeries both count them.
func (p *persona) totals(steps []int16, floors []uint8, n int, kg float64) (km float64, kcal, fl int) {
	var metres, burned float64
	for i := range n {
		st := int(steps[i])
		metres += p.metres(st)
		burned += p.activityKcal(st, kg)
		fl += int(floors[i])
	}
	burned += p.bmr * float64(n) / (24 * 60)
	return math.Round(metres/10) / 100, int(math.Round(burned)), fl
}

// summary adds up the first n minutes of the day.
func (d *dayData) summary(n int) providers.DaySummary {
	p := d.p
	s := providers.DaySummary{
		Date:             d.fr.date,
		HasFloors:        p.hasFloors,
		RestingHeartRate: d.plan.restingHR,
		Goals:            p.goals,
	}
	s.DistanceKm, s.Calories, s.Floors = p.totals(d.stepsPM, d.floors, n, p.kg(&d.plan))
	for i := range n {
		s.Steps += int(d.stepsPM[i])
		if d.active[i] {
			s.ActiveMinutes++
		}
	}
	return s
}
