package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/fittui/fittui/providers"
)

// Every generated number comes from a PCG stream seeded by (persona, date,
// stream), so a day never depends on which other days were asked for, and
// the cheap daily model and the 1-second generator share their inputs.
const (
	streamParams uint64 = iota + 1 // resting HR jitter, step target, weigh-in
	streamSleep                    // the sleep sessions that end on the date
	streamSteps                    // the per-minute step counts
	streamHeart                    // the 1-second heart rate walk
)

// Seeds for the smooth, date-only functions (weight, resting HR drift).
const (
	seedWeightSlow uint64 = 0x5ca1e0001
	seedWeightWeek uint64 = 0x5ca1e0002
	seedWeightDay  uint64 = 0x5ca1e0003
	seedRestSlow   uint64 = 0x4ea470001
	seedRestDay    uint64 = 0x4ea470002
)

// mix is the splitmix64 finaliser: a cheap, well-spread hash of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// dayNumber counts days since 1970-01-01 (negative before).
func dayNumber(d providers.Date) int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func (p *persona) pcg(n int64, stream uint64) *rand.PCG {
	return rand.NewPCG(mix(p.seed^stream*0x9e3779b97f4a7c15), mix(uint64(n)^stream<<48^p.seed>>7))
}

func (p *persona) rng(n int64, stream uint64) *rand.Rand {
	return rand.New(p.pcg(n, stream))
}

// noise is a cheap zero-mean, unit-variance draw (the sum of two uniforms,
// a triangular distribution): plenty for a random walk, and several times
// faster than NormFloat64 in the 86,400-step heart-rate loop.
func noise(src *rand.PCG) float64 {
	u := src.Uint64()
	a := float64(u>>32) * (1.0 / (1 << 32))
	b := float64(u&0xffffffff) * (1.0 / (1 << 32))
	return (a + b - 1) * sqrt6
}

var sqrt6 = math.Sqrt(6)

// hash01 is a deterministic value in [0,1) for (seed, n).
func hash01(seed uint64, n int64) float64 {
	return float64(mix(seed^mix(uint64(n)))>>11) / (1 << 53)
}

// smoothNoise is value noise over days: random knots every period days,
// eased between, in [-1,1]. Its day-to-day change is at most 3/period.
func smoothNoise(seed uint64, n, period int64) float64 {
	i := n / period
	if n < 0 && n%period != 0 {
		i--
	}
	f := float64(n-i*period) / float64(period)
	a := hash01(seed, i)*2 - 1
	b := hash01(seed, i+1)*2 - 1
	t := f * f * (3 - 2*f)
	return a + (b-a)*t
}

// weightOn is the office persona's morning weight: a seasonal swing, a slow
// drift over months, a wobble over a couple of weeks and a little daily
// noise, to 0.1 kg. Day-to-day changes stay under 0.5 kg.
func (p *persona) weightOn(n int64) float64 {
	w := p.bodyKg +
		1.2*math.Cos(2*math.Pi*float64(n-19)/365.25) +
		1.5*smoothNoise(p.seed^seedWeightSlow, n, 90) +
		0.5*smoothNoise(p.seed^seedWeightWeek, n, 12) +
		0.08*(2*hash01(p.seed^seedWeightDay, n)-1)
	return math.Round(w*10) / 10
}

// restingOn is the day's resting heart rate: the persona's mean, a drift
// over about ten days and a beat or so of daily noise.
func (p *persona) restingOn(n int64) int {
	r := p.restingHR + 2*smoothNoise(p.seed^seedRestSlow, n, 9) + (2*hash01(p.seed^seedRestDay, n) - 1)
	return int(math.Round(r))
}

// frame maps a civil date to real time in the account's zone. Days are
// walked by real minutes from the day's start to the next day's start, so
// DST days simply have 1380 or 1500 minutes.
type frame struct {
	date     providers.Date
	loc      *time.Location
	start    time.Time
	end      time.Time
	minutes  int
	identity bool // wall-clock minute == real minute (no offset change today)
}

func newFrame(d providers.Date, loc *time.Location) frame {
	start := d.In(loc)
	end := d.AddDays(1).In(loc)
	f := frame{date: d, loc: loc, start: start, end: end, minutes: int(end.Sub(start) / time.Minute)}
	_, o1 := start.Zone()
	_, o2 := end.Zone()
	f.identity = f.minutes == 24*60 && o1 == o2
	return f
}

// at converts a wall-clock minute of the day (08:30 -> 510) to a real
// minute index from the day's start.
func (f frame) at(wall int) int {
	if f.identity {
		return wall
	}
	t := time.Date(f.date.Year, f.date.Month, f.date.Day, 0, wall, 0, 0, f.loc)
	return int(t.Sub(f.start) / time.Minute)
}

// minuteOf returns the real minute index of t (floor), possibly outside the day.
func (f frame) minuteOf(t time.Time) int {
	d := t.Sub(f.start)
	m := int(d / time.Minute)
	if d < 0 && d%time.Minute != 0 {
		m--
	}
	return m
}

// dayPlan is the cheap per-day model: a few parameters and the sleep that
// ends on the date. Both DailySeries and the intraday generator build
// their numbers from it.
type dayPlan struct {
	date       providers.Date
	n          int64 // dayNumber
	restingHR  int
	stepTarget int
	weightKg   float64   // office only; 0 otherwise
	weighIn    time.Time // when the scale saw the weight (zero without a scale)
	sleeps     []providers.SleepSession
}

func (p *persona) plan(d providers.Date, loc *time.Location) dayPlan {
	n := dayNumber(d)
	pl := dayPlan{date: d, n: n, restingHR: p.restingOn(n)}
	r := p.rng(n, streamParams)
	pl.stepTarget = p.stepsMin + r.IntN(p.stepsMax-p.stepsMin+1)
	weighDelay := 6 + r.IntN(15)
	pl.sleeps = p.sleepsOn(d, n, loc)
	if p.hasScale {
		pl.weightKg = p.weightOn(n)
		pl.weighIn = pl.sleeps[0].End.Add(time.Duration(weighDelay) * time.Minute)
	}
	return pl
}

// kg is the body mass behind the day's activity calories.
func (p *persona) kg(pl *dayPlan) float64 {
	if pl.weightKg > 0 {
		return pl.weightKg
	}
	return p.bodyKg
}

// sleepsOn generates the sleep sessions whose Date is d: the main sleep
// (first) and, for some personas, a nap.
func (p *persona) sleepsOn(d providers.Date, n int64, loc *time.Location) []providers.SleepSession {
	r := p.rng(n, streamSleep)
	h := p.sleep
	bed := h.bedMin + r.IntN(2*h.bedJitter+1) - h.bedJitter
	tib := h.tibMean + int(math.Round(r.NormFloat64()*float64(h.tibSD)))
	if wd := d.Weekday(); h.weekendLater && (wd == time.Saturday || wd == time.Sunday) {
		bed += 40
		tib += 30
	}
	// 5h55 in bed leaves at least 5h asleep: at that length latency, brief
	// wakes and the final wake add up to at most 46 min. 9h in bed caps it.
	tib = min(max(tib, 355), 540)
	start := time.Date(d.Year, d.Month, d.Day, 0, bed, 0, 0, loc)
	out := []providers.SleepSession{stagedSleep(d, start, tib, r)}
	if p.nap.prob > 0 && r.Float64() < p.nap.prob {
		at := p.nap.startMin + r.IntN(2*p.nap.jitter+1) - p.nap.jitter
		length := p.nap.minLength + r.IntN(p.nap.maxLength-p.nap.minLength+1)
		out = append(out, classicNap(d, time.Date(d.Year, d.Month, d.Day, 0, at, 0, 0, loc), length, r))
	}
	return out
}

// segmentBuilder appends whole-minute segments, merging repeats and never
// running past the session's length.
type segmentBuilder struct {
	start  time.Time
	length int // minutes
	t      int // minutes used
	segs   []providers.SleepSegment
}

func (b *segmentBuilder) add(stage providers.SleepStage, minutes int) {
	minutes = min(minutes, b.length-b.t)
	if minutes <= 0 {
		return
	}
	d := time.Duration(minutes) * time.Minute
	if k := len(b.segs) - 1; k >= 0 && b.segs[k].Stage == stage {
		b.segs[k].Duration += d
	} else {
		b.segs = append(b.segs, providers.SleepSegment{Stage: stage, Start: b.start.Add(time.Duration(b.t) * time.Minute), Duration: d})
	}
	b.t += minutes
}

// stagedSleep builds a main sleep of tib minutes from start: a few minutes
// awake, then ~90-minute cycles of light -> deep -> light -> REM with deep
// sleep front-loaded and REM growing towards morning, brief wakes between
// cycles, and a few minutes awake at the end.
func stagedSleep(d providers.Date, start time.Time, tib int, r *rand.Rand) providers.SleepSession {
	b := segmentBuilder{start: start, length: tib, segs: make([]providers.SleepSegment, 0, 32)}
	finalWake := 2 + r.IntN(5)
	b.add(providers.StageWake, 4+r.IntN(12))
	body := tib - finalWake
	for k := 0; b.t < body; k++ {
		cycle := 84 + r.IntN(24)
		deepF := max(0.04, 0.32-0.09*float64(k))
		remF := min(0.42, 0.12+0.08*float64(k))
		lightF := 1 - deepF - remF
		l1 := int(math.Round(float64(cycle) * lightF * 0.55))
		dp := int(math.Round(float64(cycle) * deepF))
		l2 := int(math.Round(float64(cycle) * lightF * 0.45))
		rem := cycle - l1 - dp - l2
		b.length = body // the last cycle is cut short by the alarm
		b.add(providers.StageLight, l1)
		b.add(providers.StageDeep, dp)
		b.add(providers.StageLight, l2)
		b.add(providers.StageREM, rem)
		if r.Float64() < 0.55 {
			b.add(providers.StageWake, 1+r.IntN(5))
		}
	}
	b.length = tib
	b.add(providers.StageWake, finalWake)
	return finishSession(d, start, tib, true, false, b.segs)
}

// classicNap is a short nap in the older asleep/restless/awake stages, the
// way trackers report sleeps too short for stage detection.
func classicNap(d providers.Date, start time.Time, length int, r *rand.Rand) providers.SleepSession {
	b := segmentBuilder{start: start, length: length, segs: make([]providers.SleepSegment, 0, 8)}
	b.add(providers.StageAwake, 1+r.IntN(3))
	body := length - 1
	b.length = body
	for b.t < body {
		b.add(providers.StageAsleep, 6+r.IntN(10))
		if r.Float64() < 0.5 {
			b.add(providers.StageRestless, 1+r.IntN(3))
		}
	}
	b.length = length
	b.add(providers.StageAwake, 1)
	return finishSession(d, start, length, false, true, b.segs)
}

func finishSession(d providers.Date, start time.Time, minutes int, main, classic bool, segs []providers.SleepSegment) providers.SleepSession {
	s := providers.SleepSession{
		Date:     d,
		Start:    start,
		End:      start.Add(time.Duration(minutes) * time.Minute),
		Main:     main,
		Classic:  classic,
		Segments: segs,
	}
	for _, seg := range segs {
		if isAsleep(seg.Stage) {
			s.Asleep += seg.Duration
		}
	}
	return s
}

// isAsleep: wake, awake and restless count as awake time, as trackers do.
func isAsleep(st providers.SleepStage) bool {
	switch st {
	case providers.StageWake, providers.StageAwake, providers.StageRestless:
		return false
	}
	return true
}
