// Package providers holds fittui's domain model: what a fitness account can
// tell us (profile, days, intraday series, daily series, sleep, and for
// providers that read them health metrics and workouts), the
// Provider interface every data source implements, typed errors the UI and
// scheduler act on, and the registry of providers by name. A provider's
// Registration is its descriptor (descriptor.go): every fact the rest of
// fittui needs about it (sign-in, rate limit, configuration keys, what it
// serves) is data there, so nothing outside providers/ switches on a
// provider's name. This package imports neither auth nor cache: they read
// its plain data.
//
// Conventions every provider follows:
//   - days are civil Dates in the account's own time zone (Profile.Location);
//   - every time.Time carries the offset it was measured in (never naked UTC
//     unless the provider only knows UTC);
//   - a zero numeric value means "not known" unless a Has* flag says otherwise;
//     health metrics and workout numbers (health.go), where zero can be a
//     real value, are pointers: nil is "not known".
package providers

import (
	"time"
)

// Profile describes the person or device behind an account.
type Profile struct {
	DisplayName string
	// Location is the account's time zone; days are counted in it. Never nil
	// once returned by a provider (UTC when the provider does not say).
	Location *time.Location
	Devices  []Device
}

// Device is a tracker, watch or scale linked to the account.
type Device struct {
	ID   string
	Name string // e.g. "Charge 6", "Aria Air"
	Kind string // "tracker", "watch", "scale", "phone"
	// BatteryPercent is 0..100, or -1 when unknown.
	BatteryPercent int
	// BatteryLevel is the provider's word when it gives no percentage
	// ("High", "Medium", "Low", "Empty"); empty when unknown.
	BatteryLevel string
	LastSync     time.Time // zero when unknown
}

// BatteryLow reports whether the device's battery needs charging soon.
func (d Device) BatteryLow() bool {
	if d.BatteryPercent >= 0 {
		return d.BatteryPercent <= 20
	}
	return d.BatteryLevel == "Low" || d.BatteryLevel == "Empty"
}

// Goals are the person's daily targets; zero means no goal set.
type Goals struct {
	Steps         int
	DistanceKm    float64
	Calories      int
	ActiveMinutes int
	Floors        int
	// SleepMinutes is a night's main sleep target (no provider serves
	// one yet; the configuration's [account.goals] may set it).
	SleepMinutes int
}

// Over is g with every goal o sets in place of g's: the configuration's
// goals over the provider's.
func (o Goals) Over(g Goals) Goals {
	if o.Steps > 0 {
		g.Steps = o.Steps
	}
	if o.DistanceKm > 0 {
		g.DistanceKm = o.DistanceKm
	}
	if o.Calories > 0 {
		g.Calories = o.Calories
	}
	if o.ActiveMinutes > 0 {
		g.ActiveMinutes = o.ActiveMinutes
	}
	if o.Floors > 0 {
		g.Floors = o.Floors
	}
	if o.SleepMinutes > 0 {
		g.SleepMinutes = o.SleepMinutes
	}
	return g
}

// DaySummary is one day's totals.
type DaySummary struct {
	Date          Date
	Steps         int
	DistanceKm    float64
	Calories      int // total burned, including basal
	ActiveMinutes int
	Floors        int
	HasFloors     bool // false when the device has no altimeter
	// RestingHeartRate in beats per minute; 0 when unknown.
	RestingHeartRate int
	Goals            Goals
}

// Sample is one measurement at an instant.
type Sample struct {
	Time  time.Time
	Value float64
}

// Series is a run of samples of one metric, oldest first.
type Series struct {
	// Resolution is the spacing of samples (1s, 1m, 15m); 0 when samples
	// are irregular (raw heart-rate readings).
	Resolution time.Duration
	Samples    []Sample
	// Min and Max, when a provider's samples each summarise a window of
	// readings (Google Health's 1-minute heart-rate roll-up: its mean,
	// lowest and highest reading), hold the window's lowest and highest
	// reading: Min[i] and Max[i] belong to Samples[i]. Nil when each
	// sample is one reading; ignored unless as long as Samples.
	Min, Max []float64
}

// Range returns the lowest and highest reading behind sample i: Min[i]
// and Max[i] when the series has them, else the sample's value.
func (s Series) Range(i int) (lo, hi float64) {
	v := s.Samples[i].Value
	if len(s.Min) == len(s.Samples) && len(s.Max) == len(s.Samples) {
		return s.Min[i], s.Max[i]
	}
	return v, v
}

// Last returns the newest sample and whether there is one.
func (s Series) Last() (Sample, bool) {
	if len(s.Samples) == 0 {
		return Sample{}, false
	}
	return s.Samples[len(s.Samples)-1], true
}

// Intraday is a day's fine-grained series. For today it ends at the newest
// data the provider has.
type Intraday struct {
	Date      Date
	HeartRate Series // beats per minute
	Steps     Series // steps in each interval
	// Note says why a series is coarser than asked, e.g. "intraday access
	// not granted; showing daily data". Empty normally.
	Note string
}

// DailyValues are one day's entries in a daily series; zero means no data.
type DailyValues struct {
	Date             Date
	Steps            int
	RestingHeartRate int
	// SleepMinutes is the main sleep's time asleep (the sleep that ended
	// that day and is its main one), as everywhere in fittui; NapMinutes
	// the other sleeps ending that day.
	SleepMinutes int
	NapMinutes   int
	WeightKg     float64
	// DistanceKm, Calories (burned, basal included), ActiveMinutes and
	// Floors are the day's totals where a provider's daily series holds
	// them (the demo does; others leave them 0, unknown, and the
	// dashboard fills in today's from the day's summary).
	DistanceKm    float64 `json:",omitempty"`
	Calories      int     `json:",omitempty"`
	ActiveMinutes int     `json:",omitempty"`
	Floors        int     `json:",omitempty"`
}

// AddSleep counts a sleep ending on v's day: its minutes asleep go to
// SleepMinutes for the main sleep, NapMinutes for the rest.
func (v *DailyValues) AddSleep(s SleepSession) {
	if s.Main {
		v.SleepMinutes += int(s.Asleep / time.Minute)
	} else {
		v.NapMinutes += int(s.Asleep / time.Minute)
	}
}

// SleepStage names a stage of sleep. Modern trackers report deep, light,
// rem and wake; older ones report asleep, restless and awake ("classic").
type SleepStage string

const (
	StageDeep     SleepStage = "deep"
	StageLight    SleepStage = "light"
	StageREM      SleepStage = "rem"
	StageWake     SleepStage = "wake"
	StageAsleep   SleepStage = "asleep"
	StageRestless SleepStage = "restless"
	StageAwake    SleepStage = "awake"
)

// SleepSegment is a continuous stretch in one stage.
type SleepSegment struct {
	Stage    SleepStage
	Start    time.Time
	Duration time.Duration
}

// SleepSession is one sleep, main or nap.
type SleepSession struct {
	// Date is the day the sleep belongs to: the civil date on which it ended.
	Date     Date
	Start    time.Time
	End      time.Time
	Main     bool // the day's main sleep, not a nap
	Classic  bool // stages are asleep/restless/awake
	Asleep   time.Duration
	Segments []SleepSegment // oldest first; may be empty when only totals are known
}

// Session is s itself, so that a provider's sleep type embedding
// SleepSession (with its ids) has it too and Sessions can list it.
func (s SleepSession) Session() SleepSession { return s }

// Sessions lists the domain's part of a provider's sleeps, in their order
// (nil for nil).
func Sessions[S interface{ Session() SleepSession }](sleeps []S) []SleepSession {
	if sleeps == nil {
		return nil
	}
	out := make([]SleepSession, len(sleeps))
	for i, s := range sleeps {
		out[i] = s.Session()
	}
	return out
}

// StageTotals adds up the time spent in each stage.
func (s SleepSession) StageTotals() map[SleepStage]time.Duration {
	out := make(map[SleepStage]time.Duration, 4)
	for _, seg := range s.Segments {
		out[seg.Stage] += seg.Duration
	}
	return out
}
