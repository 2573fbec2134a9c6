package state

import (
	"math"
	"time"

	"github.com/fittui/fittui/providers"
)

// HeartWindow is how far back the today pane's heart-rate sparkline
// looks (Live.Heart).
const HeartWindow = 3 * time.Hour

// Kind is the sort of request a generation id belongs to.
type Kind int

const (
	KindProfile Kind = iota
	KindToday
	KindHistory
	// KindPast is the day pane's past day (a day other than today, opened
	// from the history pane).
	KindPast
	NumKinds
)

// ProfileAnswer answers a profile request.
type ProfileAnswer struct {
	Account int
	Gen     uint64
	Profile providers.Profile
	Err     error
	At      time.Time // when the profile was fetched from the provider
	// Through is an imported archive's newest day with data; zero for
	// every other account.
	Through providers.Date
	// Peek marks an answer from the cache alone: the request goes on,
	// and its real answer follows.
	Peek bool
	// Warn is what the person should know about the account's cache or
	// request budget (answers not kept, a damaged budget record); the
	// engine says it once. It changes nothing in the state.
	Warn error
}

// SeriesKey identifies the state of an intraday series cheaply: a tick
// whose answer has the same count and newest sample changed nothing.
type SeriesKey struct {
	N    int
	Last providers.Sample
}

// Same reports whether k and o describe the same series state.
func (k SeriesKey) Same(o SeriesKey) bool {
	return k.N == o.N && k.Last.Value == o.Last.Value && k.Last.Time.Equal(o.Last.Time)
}

// KeyOf is the key of s.
func KeyOf(s providers.Series) SeriesKey {
	last, _ := s.Last()
	return SeriesKey{N: len(s.Samples), Last: last}
}

// Live is the part of a day that changes minute by minute, reduced to what
// the today pane draws.
type Live struct {
	Summary providers.DaySummary

	// Heart holds mean heart rate per bin over HeartWindow ending at the
	// newest sample, oldest first; 0 is no data. HeartFrom..HeartTo is the
	// window, HeartBin the bin size.
	Heart     []float64
	HeartFrom time.Time
	HeartTo   time.Time
	HeartBin  time.Duration
	Latest    providers.Sample // newest heart-rate sample
	HasLatest bool

	// HeartDay holds mean heart rate per minute of the whole day from
	// midnight (1440 bins, 0 is no data), and HeartLo/HeartHi the day's
	// lowest and highest reading.
	HeartDay         []float64
	HeartLo, HeartHi float64

	// Steps15 holds the day's steps per 15 minutes from midnight (96 slots);
	// StepsSlots is how many of them the data reaches so far (today is
	// still growing).
	Steps15    []float64
	StepsSlots int

	Note     string
	HeartKey SeriesKey
	StepsKey SeriesKey
}

// Slow is the part of a day that changes rarely: last night's sleep, the
// latest weight and the day's health metrics and workouts.
type Slow struct {
	Sleep     providers.SleepSession
	HasSleep  bool
	Weight    float64
	WeightDay providers.Date
	// BodyFat is the body fat % of WeightDay, 0 when unknown.
	BodyFat float64
	// RestingRange is the resting heart rate's personal range over the
	// 30 days before the day.
	RestingRange Range

	Health Health
}

// Range is a personal range of a metric: the typical values of the 30
// days before the day shown. OK is false when there were too few days.
type Range struct {
	Lo, Hi float64
	// Step is the precision the metric is shown at (1 bpm, 0.1 °C): the
	// bounds are multiples of it and a value is compared as shown.
	Step float64
	OK   bool
}

// Outside reports whether v, rounded to the range's step as the pane
// shows it, lies outside a known range.
func (r Range) Outside(v float64) bool {
	if !r.OK || r.Step <= 0 {
		return false
	}
	u := math.Round(v / r.Step)
	return u < math.Round(r.Lo/r.Step) || u > math.Round(r.Hi/r.Step)
}

// Health is the day pane's health block of one day: the day's metrics,
// each metric's personal 30-day range, and the day's workouts.
type Health struct {
	Day providers.HealthDay
	// Ranges holds each metric's range, by metric (HRV, SpO2, breathing,
	// temperature).
	Ranges map[providers.HealthMetric]Range
	// Workouts are the day's workouts, oldest first; WorkoutsMissing says
	// why there are none when the provider could say (a scope not granted).
	Workouts        []providers.Workout
	WorkoutsMissing string
	// Served is false for a provider that reads no health metrics: the
	// block shows nothing.
	Served bool
}

// TodayAnswer answers a today request. Parts that failed are left out
// (the Has* flags say which arrived) and Err holds the first failure.
type TodayAnswer struct {
	Account int
	Gen     uint64
	Day     providers.Date

	Live        Live
	HasSummary  bool
	HasIntraday bool

	Full     bool // sleep and weight were asked for
	Slow     Slow
	HasSleep bool // the sleep answer arrived (Slow.HasSleep says if there was one)
	HasWght  bool // the weight answer arrived
	HasHlth  bool // the health answer arrived

	// Past marks the answer for a day other than today (KindPast).
	Past bool

	Err error
	// At is when the data shown was fetched from the provider: the older
	// of the summary and the intraday series.
	At time.Time
	// Peek marks an answer from the cache alone.
	Peek bool
	// Warn is what the person should know about the account's cache or
	// request budget (answers not kept, a damaged budget record); the
	// engine says it once. It changes nothing in the state.
	Warn error
}

// HistoryAnswer answers a history request.
type HistoryAnswer struct {
	Account  int
	Gen      uint64
	From, To providers.Date
	Days     []providers.DailyValues
	Err      error
	At       time.Time
	// Health is set when the health metrics and workouts of From..To were
	// asked for too (the pane charts one): HealthDays, Workouts, whether
	// the provider reads them at all, why workouts are unknown when it
	// said (a scope not granted), and the health request's own failure.
	Health          bool
	HealthDays      []providers.HealthDay
	Workouts        []providers.Workout
	HealthServed    bool
	WorkoutsMissing string
	HealthErr       error
	// Warn is what the person should know about the account's cache or
	// request budget (answers not kept, a damaged budget record); the
	// engine says it once. It changes nothing in the state.
	Warn error
}
