// Package takeouttest writes Fitbit account exports and Google Takeout
// archives for tests, with data from a demo persona, and says what an
// import of them must find (the Oracle).
//
// The files are built to the shapes of a real export (checked on a legacy
// account export of 2015-2019 from a tracker worn in Australia, and on the
// published layout of the Takeout CSV trees): folder and file names,
// `MM/DD/YY HH:MM:SS` dates with two-digit years, numbers typed as the
// real files type them (per-minute values as strings, weights and resting
// heart rate as numbers), the clock of each file family (per-sample files
// and exercise start times in UTC; sleep, weight and the daily files in
// local or civil time; the `_GoogleData` CSVs in UTC with a `Z`), and the
// units (distance in centimetres, altitude in feet, height in millimetres,
// weights in the account's unit, the CSVs' metres and grams).
//
// Shapes no checked file showed are marked "assumed" where they are
// written: the profile files, `height-*.json`'s record shape, the floors
// CSV's header, run VO2 max, and how the CSV trees shard by date.
package takeouttest

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// Layout is the shape of the archive.
type Layout int

const (
	// FitbitExport is the legacy account export: "<Name>/user-site-export/"
	// JSON files (and, unless NoProfile, "<Name>/user-profile/profile.json").
	FitbitExport Layout = iota
	// GoogleTakeout is "Takeout/Fitbit/Global Export Data/" JSON files,
	// "Takeout/Fitbit/Your Profile/Profile.csv", and with GoogleData the
	// "Physical Activity_GoogleData" and "Health Fitness Data_GoogleData"
	// CSV trees, "Sleep Score", "Active Zone Minutes (AZM)", "Heart Rate
	// Variability" and "Oxygen Saturation (SpO2)".
	GoogleTakeout
)

// Options describe an archive.
type Options struct {
	Persona  string // demo persona; "": office
	From, To providers.Date
	Layout   Layout
	// Zone is the wearer's IANA zone; "": the persona's. The persona's days
	// are worn at the same wall-clock times in this zone.
	Zone string
	// Imperial: the profile's units are en_US (weight in pounds, distance
	// in miles). Weights are then written in pounds; distances stay in
	// centimetres as in every export.
	Imperial bool
	// Pounds writes weights in pounds whatever the profile says (the real
	// export checked had pounds and no profile).
	Pounds bool
	// GoogleData adds the Takeout CSV trees (Takeout only): UTC copies of
	// heart rate, steps, distance, calories, floors, weight and resting
	// heart rate, active zone minutes, the sleep tables, sleep score, HRV
	// and SpO2.
	GoogleData bool
	// GoogleHealth writes the newest Takeout generation: "Takeout/Google
	// Health/" with one subfolder per family under
	// "Physical Activity_GoogleData".
	GoogleHealth bool
	// CSVOnlyDays: the last n days have their per-sample data, weights,
	// sleeps and resting heart rate only in the CSV trees (needs
	// GoogleData).
	CSVOnlyDays int
	// HREvery keeps every n-th second of the demo's heart rate; 0: 5.
	HREvery int
	// NoProfile leaves the profile out, as real exports often do.
	NoProfile bool
	// LocalSampleClock stamps the per-sample files in local time instead of
	// UTC: an export generation not seen, to test that the clock is read
	// from the files rather than assumed.
	LocalSampleClock bool
	// ReadZone is the zone the import is expected to read in: "" means the
	// profile's zone (Zone or the persona's), or UTC without a profile.
	ReadZone string
}

// HeightMM is the wearer's height in the generated height file.
const HeightMM = 1770

// Day is what an import must find for one day (in the read zone).
type Day struct {
	HRSamples     int
	StepMinutes   int
	Steps         int
	DistanceKm    float64
	Calories      float64
	Floors        int
	RestingHR     int // 0: none
	ActiveMinutes int // very + moderately active
	Sleeps        int
	SleepMinutes  int // the main sleep ending that day
	NapMinutes    int // the other sleeps ending that day
	MainSleep     time.Duration
	// Stages are the main sleep's stage totals as the export's own
	// levels.summary gives them (whole minutes).
	Stages    map[providers.SleepStage]int
	WeightKg  float64
	WeightRaw float64 // the number in the file (pounds or kilograms)
	FatPct    float64 // the weigh-in's body fat; 0: none
	LastHR    providers.Sample
	Exercises int
	// HRV are the night's HRV readings (the night ending that day, from
	// 18:00 the evening before) and ZoneMinutes the minutes that earned
	// Active Zone Minutes, as an import must serve them.
	HRV         []providers.Sample
	ZoneMinutes []providers.ZoneMinute
	// Metrics are the day's values the domain model has no field for,
	// under the index's documented keys.
	Metrics map[string]float64
}

// Exercise is one exercise log as written.
type Exercise struct {
	LogID    int64
	Name     string
	Start    time.Time // in the read zone
	Duration time.Duration
	Steps    int
	Calories int
	AvgHR    int
}

// Oracle is what an import of the archive must find.
type Oracle struct {
	Zone      string // the zone the import reads in
	WearZone  string // the zone the data was worn in
	Name      string
	Days      map[providers.Date]*Day
	Sessions  []providers.SleepSession
	Exercises []Exercise
	// CSVRows counts heart-rate and step rows in the CSV copies.
	CSVRows int
	// Duplicates counts everything in the CSV trees a correct import
	// leaves out because the JSON tree has it (samples, weigh-ins,
	// sleeps, daily values).
	Duplicates int
	// Ignored counts the files an import has no reader for.
	Ignored int
	// HasFloors: the persona's tracker has an altimeter (the archive has
	// altitude files).
	HasFloors bool
}

// Totals adds up the days.
func (o *Oracle) Totals() (hr, stepMinutes, steps int) {
	for _, d := range o.Days {
		hr += d.HRSamples
		stepMinutes += d.StepMinutes
		steps += d.Steps
	}
	return
}

// File is one file of an archive.
type File struct {
	Name string // slash path
	Data []byte
}

const farFuture = 2100

// gen holds one archive being built.
type gen struct {
	o       Options
	p       *demo.Provider
	ploc    *time.Location // the persona's zone
	wear    *time.Location // the wearer's zone
	read    *time.Location // the import's zone
	or      *Oracle
	files   []File
	base    string // "Takeout/Fitbit/" or "Takeout/Google Health/"
	dir     string // the JSON folder
	csvOnly func(d providers.Date) bool
	js      lists
	cs      tables
	spo2    []string // Daily SpO2 rows
}

// add adds a file; kept in memory by Files, so without a buffer's spare
// capacity.
func (g *gen) add(name string, b []byte) {
	if cap(b) > len(b)+len(b)/8 {
		b = bytes.Clone(b)
	}
	g.files = append(g.files, File{Name: name, Data: b})
}

// day is the oracle's entry for a read-zone day.
func (g *gen) day(d providers.Date) *Day {
	x := g.or.Days[d]
	if x == nil {
		x = &Day{}
		g.or.Days[d] = x
	}
	return x
}

func (x *Day) metric(key string, v float64) {
	if x.Metrics == nil {
		x.Metrics = map[string]float64{}
	}
	x.Metrics[key] = v
}

// wear moves a persona time to the same wall clock in the wearer's zone.
func (g *gen) worn(t time.Time) time.Time {
	if g.wear == g.ploc {
		return t
	}
	t = t.In(g.ploc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), g.wear)
}

// exact is where an import puts an instant written with its zone (UTC
// stamps): the same instant, in the read zone.
func (g *gen) exact(t time.Time) time.Time { return t.In(g.read) }

// wall is where an import puts a local time written without a zone: the
// same wall clock, in the read zone.
func (g *gen) wall(t time.Time) time.Time {
	if g.read.String() == g.wear.String() {
		return t.In(g.read) // read where it was worn: the same instant
	}
	t = t.In(g.wear)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), g.read)
}

// sample is where an import puts a per-sample file's time.
func (g *gen) sample(t time.Time) time.Time {
	if g.o.LocalSampleClock {
		return g.wall(t)
	}
	return g.exact(t)
}

// stamp writes a per-sample time in the file's clock.
func (g *gen) stamp(t time.Time) []byte {
	if g.o.LocalSampleClock {
		return usTime(t.In(g.wear))
	}
	return usTime(t.UTC())
}

// built memoizes Files: tests build the same archives again and again.
// It keeps the archives used last up to keepBytes of files (a 44-day
// archive is 30-50 MB): kept all, a package's tests held 2 GB.
var built = &archives{}

const keepBytes = 160 << 20

type archives struct {
	mu   sync.Mutex
	list []*builtArchive // least recently used first
}

type builtArchive struct {
	o     Options
	once  sync.Once
	files []File
	or    *Oracle
	err   error
	size  int // bytes of files; 0 until built
}

func (a *archives) get(o Options) *builtArchive {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, b := range a.list {
		if b.o == o {
			a.list = append(append(a.list[:i:i], a.list[i+1:]...), b)
			return b
		}
	}
	b := &builtArchive{o: o}
	a.list = append(a.list, b)
	return b
}

// built notes b's size and drops the least recently used archives
// beyond keepBytes (never b).
func (a *archives) built(b *builtArchive) {
	n := 0
	for _, f := range b.files {
		n += len(f.Data)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b.size = n
	total := 0
	for _, x := range a.list {
		total += x.size
	}
	for len(a.list) > 1 && total > keepBytes && a.list[0] != b {
		total -= a.list[0].size
		a.list = a.list[1:]
	}
}

// Files builds the archive's files. The result is shared between calls
// with the same options: read it, do not change it.
func Files(o Options) ([]File, *Oracle, error) {
	b := built.get(o)
	b.once.Do(func() {
		b.files, b.or, b.err = files(o)
		built.built(b)
	})
	return b.files, b.or, b.err
}

func files(o Options) ([]File, *Oracle, error) {
	if o.Persona == "" {
		o.Persona = "office"
	}
	if o.HREvery <= 0 {
		o.HREvery = 5
	}
	now := func() time.Time { return time.Date(farFuture, 1, 1, 0, 0, 0, 0, time.UTC) }
	p, err := demo.New(providers.AccountSpec{Name: o.Persona, Provider: demo.Name, Options: map[string]string{"persona": o.Persona}},
		providers.Env{Now: now})
	if err != nil {
		return nil, nil, err
	}
	prof, err := p.Profile(context.Background())
	if err != nil {
		return nil, nil, err
	}
	g := &gen{o: o, p: p, ploc: prof.Location, wear: prof.Location}
	if o.Zone != "" {
		if g.wear, err = time.LoadLocation(o.Zone); err != nil {
			return nil, nil, err
		}
	}
	switch {
	case o.ReadZone != "":
		if g.read, err = time.LoadLocation(o.ReadZone); err != nil {
			return nil, nil, err
		}
	case o.NoProfile:
		g.read = time.UTC
	default:
		g.read = g.wear
	}
	g.or = &Oracle{Zone: g.read.String(), WearZone: g.wear.String(), Name: prof.DisplayName, Days: map[providers.Date]*Day{}}
	g.base = "Takeout/Fitbit/"
	if o.GoogleHealth {
		g.base = "Takeout/Google Health/"
	}
	g.dir = g.base + "Global Export Data/"
	if o.Layout == FitbitExport {
		g.dir = prof.DisplayName + "/user-site-export/"
	}
	n := o.From.DaysUntil(o.To) + 1
	csvFrom := n - o.CSVOnlyDays
	g.csvOnly = func(d providers.Date) bool { return o.GoogleData && o.From.DaysUntil(d) >= csvFrom }
	for i := range n {
		g.day(o.From.AddDays(i)) // every day of the range has data
	}
	if !o.NoProfile {
		g.profile(prof.DisplayName)
	}
	if err := g.build(); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(g.files, func(i, j int) bool { return g.files[i].Name < g.files[j].Name })
	sort.SliceStable(g.or.Sessions, func(i, j int) bool { return g.or.Sessions[i].Start.Before(g.or.Sessions[j].Start) })
	return g.files, g.or, nil
}

// profile writes the account's profile. Both shapes are assumed: the
// checked export had none.
func (g *gen) profile(name string) {
	wUnit, dUnit, locale := "METRIC", "METRIC", "en_AU"
	if g.o.Imperial {
		wUnit, dUnit, locale = "POUND", "MILE", "en_US"
	}
	if g.o.Layout == GoogleTakeout {
		g.add(g.base+"Your Profile/Profile.csv", []byte(
			"id,full_name,first_name,last_name,display_name,timezone,locale,weight_unit,distance_unit,height_unit\n"+
				fmt.Sprintf("ABC123,%s,A,B,%s,%s,%s,%s,%s,METRIC\n", name, name, g.wear, locale, wUnit, dUnit)))
		return
	}
	unit := map[bool]string{true: "en_US", false: "METRIC"}[g.o.Imperial]
	g.add(name+"/user-profile/profile.json", []byte(fmt.Sprintf(
		`{"user":{"displayName":%q,"fullName":%q,"timezone":%q,"weightUnit":%q,"distanceUnit":%q,"offsetFromUTCMillis":0}}`,
		name, name, g.wear.String(), unit, unit)))
}

// usTime is the export's "MM/DD/YY HH:MM:SS" (by hand: the generator
// writes millions).
func usTime(t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b := make([]byte, 0, 17)
	two := func(n int) { b = append(b, byte('0'+n/10), byte('0'+n%10)) }
	two(int(mo))
	b = append(b, '/')
	two(d)
	b = append(b, '/')
	two(y % 100)
	b = append(b, ' ')
	two(h)
	b = append(b, ':')
	two(mi)
	b = append(b, ':')
	two(s)
	return b
}

// chunkStart is the first day of the ~30-day file holding d.
func (g *gen) chunkStart(d providers.Date) providers.Date {
	i := g.o.From.DaysUntil(d)
	return g.o.From.AddDays(i - i%30)
}
