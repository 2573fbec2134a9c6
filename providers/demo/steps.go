package demo

import (
	"math/rand/v2"
	"time"

	"github.com/fittui/fittui/providers"
)

// Per-minute sleep state, as the heart-rate generator needs it.
const (
	stUp       uint8 = iota // out of bed
	stDeep                  // stage "deep"
	stLight                 // stage "light"
	stREM                   // stage "rem"
	stWake                  // stage "wake" inside a staged sleep
	stAsleep                // classic "asleep"
	stRestless              // classic "restless"
	stAwake                 // classic "awake"
)

func stageCode(st providers.SleepStage) uint8 {
	switch st {
	case providers.StageDeep:
		return stDeep
	case providers.StageLight:
		return stLight
	case providers.StageREM:
		return stREM
	case providers.StageWake:
		return stWake
	case providers.StageAsleep:
		return stAsleep
	case providers.StageRestless:
		return stRestless
	}
	return stAwake
}

// minutes holds one day's per-minute arrays; DailySeries reuses one for
// every day of its range.
type minutes struct {
	steps  []int16
	floors []uint8
	stage  []uint8
	// sessions are the day's structured walks and runs, the ones a
	// tracker logs as workouts.
	sessions []session
}

// session is a walk or run the schedule placed, in real minutes.
type session struct {
	kind     providers.WorkoutType
	name     string
	from, to int // real minutes [from, to)
}

func (m *minutes) reset(n int) {
	if cap(m.steps) < n {
		m.steps = make([]int16, n)
		m.floors = make([]uint8, n)
		m.stage = make([]uint8, n)
	}
	m.steps = m.steps[:n]
	m.floors = m.floors[:n]
	m.stage = m.stage[:n]
	clear(m.steps)
	clear(m.floors)
	clear(m.stage)
	m.sessions = m.sessions[:0]
}

// markSleep writes the stage of every minute covered by the sessions. With
// stages false it only marks the minutes as in bed (enough for steps).
func markSleep(stage []uint8, fr frame, sessions []providers.SleepSession, stages bool) {
	for _, s := range sessions {
		if !stages {
			fill(stage, fr.minuteOf(s.Start), fr.minuteOf(s.End), stLight)
			continue
		}
		for _, seg := range s.Segments {
			a := fr.minuteOf(seg.Start)
			fill(stage, a, a+int(seg.Duration/time.Minute), stageCode(seg.Stage))
		}
	}
}

func fill(stage []uint8, from, to int, code uint8) {
	from, to = max(from, 0), min(to, len(stage))
	for m := from; m < to; m++ {
		stage[m] = code
	}
}

// dayBuilder places one day's steps. It is the single source of steps for
// both the cheap daily model and the intraday series.
type dayBuilder struct {
	p       *persona
	fr      frame
	r       *rand.Rand
	m       *minutes
	wake    int // real minute the main sleep ended
	weekday time.Weekday
	target  int
	total   int
}

// fillDay generates the day's steps and floors per real minute into m and
// returns the day's total steps. The sleep that ends today and the sleep
// that ends tomorrow (which may start this evening) keep those minutes
// still. With stages, m.stage also gets each minute's sleep stage.
func (p *persona) fillDay(fr frame, today, tomorrow *dayPlan, m *minutes, stages bool) int {
	m.reset(fr.minutes)
	markSleep(m.stage, fr, today.sleeps, stages)
	markSleep(m.stage, fr, tomorrow.sleeps, stages)
	b := dayBuilder{
		p: p, fr: fr, m: m,
		r:       p.rng(today.n, streamSteps),
		wake:    fr.minuteOf(today.sleeps[0].End),
		weekday: fr.date.Weekday(),
		target:  today.stepTarget,
	}
	p.schedule(&b)
	return b.total
}

func (b *dayBuilder) free(m int) bool {
	return m >= 0 && m < len(b.m.steps) && b.m.stage[m] == stUp && b.m.steps[m] == 0
}

// jit returns a uniform offset in -n..n.
func (b *dayBuilder) jit(n int) int { return b.r.IntN(2*n+1) - n }

func (b *dayBuilder) weekend() bool {
	return b.weekday == time.Saturday || b.weekday == time.Sunday
}

// walk places a burst of dur minutes at cadences lo..hi steps/min from real
// minute m0; the first and last minutes are partial. Minutes already used
// or spent in bed are skipped. With an altimeter, floorP is the chance the
// burst climbs 1-3 floors.
func (b *dayBuilder) walk(m0, dur, lo, hi int, floorP float64) {
	first := -1
	for i := range dur {
		cad := lo + b.r.IntN(hi-lo+1)
		if i == 0 || i == dur-1 {
			cad = cad * (35 + b.r.IntN(50)) / 100
		}
		m := m0 + i
		if cad == 0 || !b.free(m) {
			continue
		}
		b.m.steps[m] = int16(cad)
		b.total += cad
		if first < 0 {
			first = m
		}
	}
	if b.p.hasFloors && floorP > 0 && b.r.Float64() < floorP && first >= 0 {
		b.m.floors[first] += uint8(1 + b.r.IntN(3))
	}
}

// logged notes that the burst of dur minutes from m0 is one a tracker
// logs as a workout. It draws nothing from the day's stream, so marking a
// walk changes none of the day's numbers.
func (b *dayBuilder) logged(kind providers.WorkoutType, name string, m0, dur int) {
	b.m.sessions = append(b.m.sessions, session{kind: kind, name: name, from: m0, to: m0 + dur})
}

// potter adds short slow bursts at random waking minutes until the day's
// step target is met.
func (b *dayBuilder) potter(lo, hi int, floorP float64) {
	for tries := 0; b.total < b.target && tries < 3000; tries++ {
		m := b.r.IntN(len(b.m.steps))
		if !b.free(m) {
			continue
		}
		b.walk(m, 1+b.r.IntN(4), lo, hi, floorP)
	}
}

// runnerDay: a morning run every day (a long one on Sundays), walks to and
// from work and at lunch on weekdays, an afternoon walk at weekends.
func runnerDay(b *dayBuilder) {
	r := b.r
	start := b.wake + 20 + r.IntN(25)
	b.walk(start, 4, 85, 105, 0) // to the park
	run, name := 35+r.IntN(21), "Morning run"
	if b.weekday == time.Sunday {
		run, name = 75+r.IntN(21), "Long run"
	}
	b.walk(start+4, run, 164, 180, 0.3)
	b.logged(providers.WorkoutRun, name, start+4, run)
	b.walk(start+4+run, 5, 80, 100, 0) // cool-down
	if b.weekend() {
		m0 := b.fr.at(14*60) + b.jit(60)
		dur := 20 + r.IntN(21)
		b.walk(m0, dur, 95, 112, 0.3)
		b.logged(providers.WorkoutWalk, "Afternoon walk", m0, dur)
	} else {
		b.walk(b.fr.at(8*60+35)+b.jit(10), 12+r.IntN(7), 100, 120, 0.4)
		b.walk(b.fr.at(12*60+30)+b.jit(15), 10+r.IntN(11), 95, 115, 0.2)
		b.walk(b.fr.at(17*60+50)+b.jit(15), 12+r.IntN(7), 100, 120, 0.4)
	}
	b.potter(30, 95, 0.05)
}

// officeDay: commute walks and a lunch walk on weekdays, one longer walk at
// weekends, pottering around the desk and home.
func officeDay(b *dayBuilder) {
	r := b.r
	if b.weekend() {
		m0 := b.fr.at(10*60+30) + b.jit(60)
		dur := 30 + r.IntN(31)
		b.walk(m0, dur, 95, 112, 0.4)
		b.logged(providers.WorkoutWalk, "Walk", m0, dur)
	} else {
		b.walk(b.fr.at(7*60+50)+b.jit(10), 10+r.IntN(7), 100, 118, 0.6) // to the station
		b.walk(b.fr.at(8*60+40)+b.jit(8), 6+r.IntN(5), 95, 115, 0.5)    // to the office
		m0 := b.fr.at(12*60+20) + b.jit(20)
		dur := 15 + r.IntN(11)
		b.walk(m0, dur, 98, 115, 0.3)
		b.logged(providers.WorkoutWalk, "Lunch walk", m0, dur)
		b.walk(b.fr.at(17*60+35)+b.jit(15), 6+r.IntN(5), 95, 115, 0.3)
		b.walk(b.fr.at(18*60+25)+b.jit(10), 10+r.IntN(7), 100, 118, 0.3)
	}
	b.potter(25, 90, 0.08)
}

// nightshiftDay: on their feet through a 22:00-06:00 shift (the day holds
// the end of last night's and the start of tonight's), commute walks,
// errands in the afternoon after sleeping through the morning.
func nightshiftDay(b *dayBuilder) {
	r := b.r
	b.shift(0, b.fr.at(6*60))
	b.walk(b.fr.at(6*60+5)+b.jit(5), 12+r.IntN(7), 95, 115, 0) // home
	m0 := b.fr.at(16*60+30) + b.jit(60)
	dur := 10 + r.IntN(16)
	b.walk(m0, dur, 90, 110, 0)
	if dur >= 15 { // trackers log walks of a quarter of an hour or more
		b.logged(providers.WorkoutWalk, "Walk", m0, dur)
	}
	b.walk(b.fr.at(21*60+15)+b.jit(5), 12+r.IntN(7), 95, 115, 0) // to work
	b.shift(b.fr.at(22*60), b.fr.minutes)
	b.potter(30, 90, 0)
}

// shift places short walks every 12-40 minutes between real minutes from and to.
func (b *dayBuilder) shift(from, to int) {
	for m := from + b.r.IntN(10); m < to; {
		dur := 2 + b.r.IntN(4)
		b.walk(m, min(dur, to-m), 85, 115, 0)
		m += dur + 12 + b.r.IntN(29)
	}
}
