package fakekit

import (
	"context"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// Persona is a demo persona's data as the fakes serve it, on the fake's
// clock. A settled day (one that ended before now) is the same whatever
// the clock says, so its summary and minutes are made once per process
// and shared by every fake of the persona: a test binary that starts a
// fake per test generates each day once, not once per test. Today's data
// comes from the demo provider each time, cut at now.
type Persona struct {
	// Demo is the oracle: the demo provider whose data is served.
	Demo *demo.Provider
	// Loc is the persona's time zone.
	Loc *time.Location

	name string
	now  func() time.Time
}

// NewPersona returns persona's data on clock now (nil: time.Now). account
// names the demo account in errors.
func NewPersona(persona, account string, now func() time.Time) (*Persona, error) {
	if now == nil {
		now = time.Now
	}
	d, err := demo.New(providers.AccountSpec{Name: account, Provider: demo.Name,
		Options: map[string]string{"persona": persona}}, providers.Env{Now: now})
	if err != nil {
		return nil, err
	}
	prof, err := d.Profile(context.Background())
	if err != nil {
		return nil, err
	}
	return &Persona{Demo: d, Loc: prof.Location, name: d.Persona(), now: now}, nil
}

// Name is the persona's name.
func (p *Persona) Name() string { return p.name }

// Now is the fake's clock.
func (p *Persona) Now() time.Time { return p.now() }

// Today is the account's current date.
func (p *Persona) Today() providers.Date { return providers.DateOf(p.now().In(p.Loc)) }

// Profile is the demo's profile now.
func (p *Persona) Profile(ctx context.Context) providers.Profile {
	prof, _ := p.Demo.Profile(ctx)
	return prof
}

// Summary is day's totals (today: so far).
func (p *Persona) Summary(ctx context.Context, day providers.Date) providers.DaySummary {
	if s := p.settled(day); s != nil {
		return s.sum
	}
	sum, _ := p.Demo.DaySummary(ctx, day)
	return sum
}

// Minutes is day at one-minute resolution (today: so far), without the
// 1-second samples.
func (p *Persona) Minutes(ctx context.Context, day providers.Date) demo.Minutes {
	if s := p.settled(day); s != nil {
		return s.min
	}
	m, _ := p.Demo.Minutes(ctx, day)
	return m
}

// Intraday is day's 1-second heart rate and 1-minute steps, for the
// routes that serve seconds.
func (p *Persona) Intraday(ctx context.Context, day providers.Date) providers.Intraday {
	in, _ := p.Demo.Intraday(ctx, day)
	return in
}

// Daily is the demo's daily values of from..to (its cheap model).
func (p *Persona) Daily(ctx context.Context, from, to providers.Date) []providers.DailyValues {
	v, _ := p.Demo.DailySeries(ctx, from, to)
	return v
}

// Sleep is the demo's sleep sessions ending in from..to.
func (p *Persona) Sleep(ctx context.Context, from, to providers.Date) []providers.SleepSession {
	v, _ := p.Demo.Sleep(ctx, from, to)
	return v
}

type settledKey struct {
	persona string
	day     providers.Date
}

type settledDay struct {
	once sync.Once
	sum  providers.DaySummary
	min  demo.Minutes
}

// settledDays holds every settled day any fake of this process served.
var settledDays sync.Map // settledKey -> *settledDay

// settled returns the shared data of day if it has ended at the fake's
// now, else nil.
func (p *Persona) settled(day providers.Date) *settledDay {
	if !day.Before(p.Today()) {
		return nil
	}
	v, _ := settledDays.LoadOrStore(settledKey{p.name, day}, &settledDay{})
	s := v.(*settledDay)
	s.once.Do(func() {
		// A settled day does not depend on the clock or on the caller's
		// context: make it whole, once.
		ctx := context.Background()
		s.sum, _ = p.Demo.DaySummary(ctx, day)
		s.min, _ = p.Demo.Minutes(ctx, day)
	})
	return s
}
