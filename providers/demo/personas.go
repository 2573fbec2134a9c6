package demo

import (
	"hash/fnv"
	"sort"
	"sync"
	"time"

	// Embed the zone database so the demo accounts keep their real zones
	// (and their DST days) on machines without tzdata, e.g. Windows or
	// scratch containers.
	_ "time/tzdata"

	"github.com/fittui/fittui/providers"
)

// persona is one made-up person: their habits drive every generated number.
type persona struct {
	name        string
	displayName string
	zone        string // IANA name
	zoneAbbr    string // fallback FixedZone name when zone cannot be loaded
	zoneOffset  int    // fallback offset, seconds east of UTC (standard time)

	devices []deviceSpec

	restingHR float64 // mean resting heart rate, bpm
	awakeLift float64 // sitting-awake heart rate above resting
	maxHR     float64

	bmr        float64 // basal kcal per 24 h
	bodyKg     float64 // body mass for activity calories (scale weight wins when known)
	walkStride float64 // metres per step walking
	runStride  float64 // metres per step running
	hasFloors  bool    // the device has an altimeter
	hasScale   bool    // weighs in every morning

	goals              providers.Goals
	stepsMin, stepsMax int // the day's step target is drawn from this range

	sleep sleepHabit
	nap   napHabit

	health healthHabit

	// schedule places the day's structured walks and runs, then fills up
	// with pottering until the day's step target is reached.
	schedule func(b *dayBuilder)

	seed uint64 // hash of name: every stream is seeded from it and the date
}

type deviceSpec struct {
	id, name, kind string
	battery        int    // percent, -1 when the device only reports a level
	level          string // battery level word when battery is -1
	syncAgo        time.Duration
	scale          bool // LastSync is the latest weigh-in, not now-syncAgo
}

// sleepHabit describes the main sleep that ends on a given date.
type sleepHabit struct {
	bedMin       int  // bedtime, minutes after midnight of the date the sleep ends (negative: the evening before)
	bedJitter    int  // ± minutes
	tibMean      int  // time in bed, minutes
	tibSD        int  // its standard deviation, minutes
	weekendLater bool // Friday and Saturday nights: later and longer
}

// healthHabit is the persona's usual health metrics, and which sensors
// the device has.
type healthHabit struct {
	hrv       float64 // mean nightly RMSSD, ms
	spo2      float64 // mean nightly SpO2, %; 0: the device has no SpO2 sensor
	breathing float64 // breaths per minute asleep
	vo2Max    float64 // ml/kg/min
	bodyFat   float64 // body fat at bodyKg, % (personas with a scale)
}

// napHabit describes an occasional short nap.
type napHabit struct {
	prob      float64
	startMin  int // minutes after midnight
	jitter    int
	minLength int // minutes
	maxLength int
}

// Walking cadences above this many steps per minute count as running.
const runCadence = 140

var runner = &persona{
	name:        "runner",
	displayName: "Alex (runner)",
	zone:        "Europe/London", zoneAbbr: "GMT", zoneOffset: 0,
	devices: []deviceSpec{
		{id: "demo-runner-watch", name: "Sense 2", kind: "watch", battery: 76, syncAgo: 3 * time.Minute},
	},
	restingHR: 48, awakeLift: 14, maxHR: 188,
	bmr: 1620, bodyKg: 68,
	walkStride: 0.78, runStride: 1.15,
	hasFloors: true,
	goals:     providers.Goals{Steps: 15000, DistanceKm: 12, Calories: 2500, ActiveMinutes: 60, Floors: 10},
	stepsMin:  14000, stepsMax: 19500,
	sleep:    sleepHabit{bedMin: -90, bedJitter: 30, tibMean: 465, tibSD: 25, weekendLater: true},
	health:   healthHabit{hrv: 68, spo2: 96.8, breathing: 13.4, vo2Max: 54.5},
	schedule: runnerDay,
}

var office = &persona{
	name:        "office",
	displayName: "Sam (office)",
	zone:        "America/New_York", zoneAbbr: "EST", zoneOffset: -5 * 3600,
	devices: []deviceSpec{
		{id: "demo-office-tracker", name: "Charge 6", kind: "tracker", battery: 58, syncAgo: 7 * time.Minute},
		{id: "demo-office-scale", name: "Aria Air", kind: "scale", battery: -1, level: "High", scale: true},
	},
	restingHR: 64, awakeLift: 14, maxHR: 180,
	bmr: 1780, bodyKg: 84,
	walkStride: 0.72, runStride: 1.0,
	hasFloors: true, hasScale: true,
	goals:    providers.Goals{Steps: 10000, DistanceKm: 8, Calories: 2200, ActiveMinutes: 30, Floors: 10},
	stepsMin: 6000, stepsMax: 9000,
	sleep:    sleepHabit{bedMin: -45, bedJitter: 30, tibMean: 435, tibSD: 30, weekendLater: true},
	health:   healthHabit{hrv: 36, spo2: 95.9, breathing: 15.8, vo2Max: 37.6, bodyFat: 24.5},
	schedule: officeDay,
}

var nightshift = &persona{
	name:        "nightshift",
	displayName: "Kei (night shift)",
	zone:        "Asia/Tokyo", zoneAbbr: "JST", zoneOffset: 9 * 3600,
	devices: []deviceSpec{
		{id: "demo-nightshift-tracker", name: "Inspire 3", kind: "tracker", battery: 12, syncAgo: 11 * time.Minute},
	},
	restingHR: 70, awakeLift: 13, maxHR: 182,
	bmr: 1560, bodyKg: 65,
	walkStride: 0.70, runStride: 0.95,
	hasFloors: false, // the Inspire has no altimeter
	goals:     providers.Goals{Steps: 8000, DistanceKm: 6, Calories: 1900, ActiveMinutes: 30},
	stepsMin:  8000, stepsMax: 11000,
	sleep:    sleepHabit{bedMin: 8 * 60, bedJitter: 30, tibMean: 405, tibSD: 25},
	nap:      napHabit{prob: 0.3, startMin: 19*60 + 30, jitter: 20, minLength: 20, maxLength: 45},
	health:   healthHabit{hrv: 44, breathing: 14.9, vo2Max: 42.3}, // no SpO2 sensor either
	schedule: nightshiftDay,
}

// personaList is in the order Accounts shows them.
var personaList = []*persona{runner, office, nightshift}

var personaByName = func() map[string]*persona {
	m := make(map[string]*persona, len(personaList))
	for _, p := range personaList {
		h := fnv.New64a()
		h.Write([]byte(p.name))
		p.seed = h.Sum64()
		m[p.name] = p
	}
	return m
}()

// Personas returns the names of the built-in demo personas, sorted.
func Personas() []string {
	out := make([]string, 0, len(personaList))
	for _, p := range personaList {
		out = append(out, p.name)
	}
	sort.Strings(out)
	return out
}

// Accounts returns the demo accounts `fittui --demo` shows: one per persona,
// each named after it.
func Accounts() []providers.AccountSpec {
	out := make([]providers.AccountSpec, 0, len(personaList))
	for _, p := range personaList {
		out = append(out, providers.AccountSpec{
			Name:     p.name,
			Provider: Name,
			Options:  map[string]string{OptionPersona: p.name},
		})
	}
	return out
}

var (
	locMu    sync.Mutex
	locCache = map[string]*time.Location{}
)

// location loads the persona's zone once; without zone data it falls back
// to a fixed offset (standard time, so no DST days then).
func (p *persona) location() *time.Location {
	locMu.Lock()
	defer locMu.Unlock()
	if loc, ok := locCache[p.name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(p.zone)
	if err != nil {
		loc = time.FixedZone(p.zoneAbbr, p.zoneOffset)
	}
	locCache[p.name] = loc
	return loc
}
