// Package takeout serves an imported Fitbit account export or Google
// Takeout archive (see Import) as a provider: no account, no network. The
// archive is read once by `fittui import` into a durable per-account index
// under $XDG_DATA_HOME/fittui/archives (see index.go), from which every
// Provider method answers as fast as cached data.
package takeout

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// Name is the provider's registry name.
const Name = "takeout"

// maxRangeDays bounds DailySeries and Sleep ranges (about 20 years).
const maxRangeDays = 20 * 366

// NoIntradayNote is Intraday's Note for a day the archive has no
// intraday data for.
const NoIntradayNote = "no heart rate or step data for this day in the imported archive"

// Provider serves one imported account from its index. It is safe for
// concurrent use.
type Provider struct {
	x   *index
	now func() time.Time

	once sync.Once
	loc  *time.Location
	man  Manifest
	err  error
}

// New opens the index of spec.Name under spec.Options[OptionRoot] (default
// DefaultRoot()). An account with nothing imported is an error that says
// how to import.
func New(spec providers.AccountSpec, env providers.Env) (*Provider, error) {
	x, err := openIndex(spec.Options[OptionRoot], spec.Name, false)
	if err != nil {
		return nil, err
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	return &Provider{x: x, now: now}, nil
}

// Kind implements providers.Provider.
func (p *Provider) Kind() string { return Name }

// load reads the manifest once: the zone every answer is in.
func (p *Provider) load() (*time.Location, error) {
	p.once.Do(func() {
		m, ok, err := p.x.manifest()
		switch {
		case err != nil:
			p.err = &providers.Error{Kind: providers.KindBadData, Provider: Name, Err: err,
				Message: fmt.Sprintf("the index of %q is damaged; run `fittui import PATH --account %s` again", p.x.account, p.x.account)}
			return
		case !ok:
			p.err = &providers.Error{Kind: providers.KindBadData, Provider: Name,
				Message: fmt.Sprintf("the index of %q has no readable manifest; run `fittui import PATH --account %s` again", p.x.account, p.x.account)}
			return
		}
		p.man = m
		p.loc = loadZone(m.TimeZone)
	})
	return p.loc, p.err
}

func badData(what string, err error) error {
	return &providers.Error{Kind: providers.KindBadData, Provider: Name, Err: err,
		Message: what + "; import the archive again to repair it"}
}

// Manifest returns what the index says about the imported data.
func (p *Provider) Manifest() (Manifest, error) {
	if _, err := p.load(); err != nil {
		return Manifest{}, err
	}
	return p.man, nil
}

// Profile implements providers.Provider: the archive profile's name (the
// account's name when it had none) and zone; an archive lists no devices.
func (p *Provider) Profile(ctx context.Context) (providers.Profile, error) {
	if err := ctx.Err(); err != nil {
		return providers.Profile{}, err
	}
	loc, err := p.load()
	if err != nil {
		return providers.Profile{}, err
	}
	name := p.man.DisplayName
	if name == "" {
		name = p.x.account
	}
	return providers.Profile{DisplayName: name, Location: loc}, nil
}

// DaySummary implements providers.Provider from the day's entry. Active
// minutes are Fitbit's: very plus moderately active. Floors come from the
// altitude files (or the Google data floors), so an archive with any has
// floors on every day; an archive has no goals.
func (p *Provider) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	if err := ctx.Err(); err != nil {
		return providers.DaySummary{}, err
	}
	loc, err := p.load()
	if err != nil {
		return providers.DaySummary{}, err
	}
	d, ok, err := p.x.day(day, loc)
	if err != nil {
		return providers.DaySummary{}, badData(err.Error(), nil)
	}
	s := providers.DaySummary{Date: day, HasFloors: p.man.Samples[mFloors.String()] > 0}
	if !ok {
		return s, nil
	}
	r := roll(d)
	s.Steps, s.DistanceKm, s.Calories = r.Steps, r.DistanceKm, r.Calories
	s.ActiveMinutes, s.RestingHeartRate = r.ActiveMinutes, r.RestingHR
	s.Floors, s.HasFloors = r.Floors, s.HasFloors || r.Floors > 0
	return s, nil
}

// Intraday implements providers.Provider: heart rate as recorded
// (irregular, every few seconds) and steps per minute. A day without
// intraday data has empty series and NoIntradayNote.
func (p *Provider) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	out := providers.Intraday{Date: day, Steps: providers.Series{Resolution: time.Minute}}
	if err := ctx.Err(); err != nil {
		return providers.Intraday{}, err
	}
	loc, err := p.load()
	if err != nil {
		return providers.Intraday{}, err
	}
	d, ok, err := p.x.day(day, loc)
	if err != nil {
		return providers.Intraday{}, badData(err.Error(), nil)
	}
	if !ok || len(d.HR.Samples) == 0 && len(d.Steps.Samples) == 0 {
		out.Note = NoIntradayNote
		return out, nil
	}
	out.HeartRate, out.Steps = d.HR, d.Steps
	return out, nil
}

// months calls f for each month touching from..to, oldest first.
func (p *Provider) months(ctx context.Context, from, to providers.Date, f func(monthRoll)) error {
	n := from.DaysUntil(to) + 1
	switch {
	case n < 1:
		return fmt.Errorf("takeout: date range %s..%s ends before it starts", from, to)
	case n > maxRangeDays:
		return fmt.Errorf("takeout: date range %s..%s is longer than %d days; ask for less", from, to, maxRangeDays)
	}
	loc, err := p.load()
	if err != nil {
		return err
	}
	y, m := from.Year, from.Month
	for y < to.Year || y == to.Year && m <= to.Month {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, ok, err := p.x.month(y, m, loc)
		if err != nil {
			return badData(err.Error(), nil)
		}
		if ok {
			f(r)
		}
		if m++; m > time.December {
			y, m = y+1, time.January
		}
	}
	return nil
}

// DailySeries implements providers.Provider: one entry per day, zeros
// where the archive has nothing.
func (p *Provider) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	out := make([]providers.DailyValues, max(from.DaysUntil(to)+1, 0))
	for i := range out {
		out[i].Date = from.AddDays(i)
	}
	err := p.months(ctx, from, to, func(r monthRoll) {
		for _, d := range r.Days {
			i := from.DaysUntil(d.Date)
			if i < 0 || i >= len(out) {
				continue
			}
			out[i] = providers.DailyValues{Date: d.Date, Steps: d.Steps, RestingHeartRate: d.RestingHR,
				SleepMinutes: d.SleepMinutes, NapMinutes: d.NapMinutes, WeightKg: d.WeightKg}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Sleep implements providers.Provider.
func (p *Provider) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	var out []providers.SleepSession
	err := p.months(ctx, from, to, func(r monthRoll) {
		for _, s := range r.Sleeps {
			if !s.Date.Before(from) && !s.Date.After(to) {
				out = append(out, s)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

var _ providers.Provider = (*Provider)(nil)

// Exercise is an exercise log kept in the index.
type Exercise struct {
	LogID      int64
	Name       string // activityName: "Walk", "Run", "Swim", ...
	TypeID     int64  // activityTypeId
	Start      time.Time
	Duration   time.Duration
	Active     time.Duration
	Steps      int
	Calories   int
	AvgHR      int // beats per minute; 0 when not recorded
	DistanceKm float64
	Source     string // logType: auto_detected, manual, ...
}

// SleepSummary is what a sleep log says of itself beyond the session.
type SleepSummary struct {
	LogID      int64
	Date       providers.Date
	Efficiency int
	// Minutes per stage as the log's levels.summary counts them.
	Minutes map[string]int
}

// DayExtras are a day's values the domain model has no place for yet,
// kept so a later version can show them without a re-import. Metrics
// keys are documented in index.go (dayExtra).
type DayExtras struct {
	Date      providers.Date
	Metrics   map[string]float64
	Exercises []Exercise
	Sleeps    []SleepSummary
}

// Extras returns what the index keeps of day beyond the Provider methods.
func (p *Provider) Extras(ctx context.Context, day providers.Date) (DayExtras, error) {
	out := DayExtras{Date: day}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	loc, err := p.load()
	if err != nil {
		return out, err
	}
	d, ok, err := p.x.day(day, loc)
	if err != nil {
		return out, badData(err.Error(), nil)
	}
	if !ok {
		return out, nil
	}
	out.Metrics = d.Extra.Metrics
	for _, e := range d.Extra.Exercises {
		out.Exercises = append(out.Exercises, Exercise{LogID: e.LogID, Name: e.Name, TypeID: e.TypeID, Start: e.Start,
			Duration: time.Duration(e.DurationS) * time.Second, Active: time.Duration(e.ActiveS) * time.Second,
			Steps: e.Steps, Calories: e.Calories, AvgHR: e.AvgHR, DistanceKm: e.DistanceKm, Source: e.Source})
	}
	for _, s := range d.Extra.Sleeps {
		out.Sleeps = append(out.Sleeps, SleepSummary{LogID: s.LogID, Date: s.Session.Date, Efficiency: s.Efficiency, Minutes: s.Summary})
	}
	return out, nil
}

// LastDay is the newest day the archive holds data for, from the index's
// manifest; false when the manifest cannot be read or says none. The
// dashboard opens an imported account there.
func (p *Provider) LastDay() (providers.Date, bool) {
	m, err := p.Manifest()
	if err != nil || m.To == "" {
		return providers.Date{}, false
	}
	d, err := providers.ParseDate(m.To)
	return d, err == nil
}
