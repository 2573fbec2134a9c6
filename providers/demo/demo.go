// Package demo is fittui's built-in provider of made-up but realistic data:
// no account, no network. Three personas (a runner in London, an office
// worker in New York with a scale, a night-shift worker in Tokyo with a
// low tracker battery) live different days.
//
// Everything is a pure function of (persona, date): the same account and
// date always give the same numbers, a year of daily values comes from a
// cheap per-day model, and today's intraday data is the full day's data
// cut at the clock, so time passing only appends samples.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// Name is the provider's registry name.
const Name = "demo"

// maxRangeDays bounds DailySeries and Sleep ranges (about 20 years).
const maxRangeDays = 20 * 366

// Provider serves one demo account. It is safe for concurrent use.
//
// Slices in returned values (samples, sleep segments) may be shared with
// other callers: treat them as read-only. Their capacity is capped, so
// appending to them copies instead of writing into shared memory.
type Provider struct {
	p   *persona
	loc *time.Location
	now func() time.Time
}

// New builds the provider for spec. spec.Options["persona"] picks the
// persona; without it, an account named like a persona gets that persona
// and any other account gets "office".
func New(spec providers.AccountSpec, env providers.Env) (*Provider, error) {
	name := spec.Options[OptionPersona]
	if name == "" {
		name = "office"
		if _, ok := personaByName[spec.Name]; ok {
			name = spec.Name
		}
	}
	p, ok := personaByName[name]
	if !ok {
		return nil, fmt.Errorf("account %q: unknown demo persona %q: set persona to one of %s",
			spec.Name, name, strings.Join(Personas(), ", "))
	}
	return &Provider{p: p, loc: p.location(), now: env.Clock()}, nil
}

// Kind implements providers.Provider.
func (pr *Provider) Kind() string { return Name }

// Persona returns the name of the account's persona.
func (pr *Provider) Persona() string { return pr.p.name }

// clock returns now in the account's zone and today's date there.
func (pr *Provider) clock() (time.Time, providers.Date) {
	now := pr.now().In(pr.loc)
	return now, providers.DateOf(now)
}

// Profile implements providers.Provider. Devices synced a few minutes ago;
// a scale last synced at the latest weigh-in.
func (pr *Provider) Profile(ctx context.Context) (providers.Profile, error) {
	if err := ctx.Err(); err != nil {
		return providers.Profile{}, err
	}
	now, today := pr.clock()
	prof := providers.Profile{DisplayName: pr.p.displayName, Location: pr.loc}
	for _, ds := range pr.p.devices {
		d := providers.Device{
			ID: ds.id, Name: ds.name, Kind: ds.kind,
			BatteryPercent: ds.battery, BatteryLevel: ds.level,
			LastSync: now.Add(-ds.syncAgo),
		}
		if ds.scale {
			pl := pr.p.plan(today, pr.loc)
			if pl.weighIn.After(now) {
				pl = pr.p.plan(today.AddDays(-1), pr.loc)
			}
			d.LastSync = pl.weighIn
		}
		prof.Devices = append(prof.Devices, d)
	}
	return prof, nil
}

// DaySummary implements providers.Provider. Today's totals count the
// minutes completed so far; future days are empty (goals only).
func (pr *Provider) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	if err := ctx.Err(); err != nil {
		return providers.DaySummary{}, err
	}
	now, today := pr.clock()
	if day.After(today) {
		return providers.DaySummary{Date: day, HasFloors: pr.p.hasFloors, Goals: pr.p.goals}, nil
	}
	dd := days.get(pr.p, pr.loc, day)
	_, mins := dd.fr.cut(now)
	return dd.summary(mins), nil
}

// Intraday implements providers.Provider: heart rate every second and steps
// every minute, timestamps in the account's zone. Today stops at now;
// future days are empty. The sample slices are shared and read-only.
func (pr *Provider) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	out := providers.Intraday{
		Date:      day,
		HeartRate: providers.Series{Resolution: time.Second},
		Steps:     providers.Series{Resolution: time.Minute},
	}
	if err := ctx.Err(); err != nil {
		return providers.Intraday{}, err
	}
	now, today := pr.clock()
	if day.After(today) {
		return out, nil
	}
	dd := days.get(pr.p, pr.loc, day)
	secs, mins := dd.fr.cut(now)
	out.HeartRate.Samples = dd.samples()[:secs:secs]
	out.Steps.Samples = dd.steps[:mins:mins]
	return out, nil
}

// Minutes is a day at one-minute resolution: what an API that serves
// minutes needs, made without the day's 1-second samples. Its slices are
// shared and read-only.
type Minutes struct {
	Date providers.Date
	// Start is the day's first instant in the account's zone; minute i
	// starts i minutes later (real minutes, so DST days have 1380 or 1500).
	Start time.Time
	// Steps are the steps of each completed minute.
	Steps []int16
	// HeartSum is, for each minute with readings, the sum of its 1-second
	// heart-rate readings (whole bpm each); HeartCount says how many.
	HeartSum []int32
	// Readings is how many 1-second heart-rate readings the day has so
	// far (60 a minute; today's current minute has fewer).
	Readings int
}

// HeartCount is how many 1-second readings minute i holds.
func (m Minutes) HeartCount(i int) int { return min(60, max(0, m.Readings-60*i)) }

// StepSamples returns Steps as 1-minute samples (a new slice).
func (m Minutes) StepSamples() []providers.Sample {
	out := make([]providers.Sample, len(m.Steps))
	for i, st := range m.Steps {
		out[i] = providers.Sample{Time: m.Start.Add(time.Duration(i) * time.Minute), Value: float64(st)}
	}
	return out
}

// Minutes returns day at one-minute resolution, agreeing exactly with
// Intraday (a minute's heart rate is the sum of the readings Intraday
// gives for it). Today stops at now; future days are empty.
func (pr *Provider) Minutes(ctx context.Context, day providers.Date) (Minutes, error) {
	if err := ctx.Err(); err != nil {
		return Minutes{}, err
	}
	out := Minutes{Date: day, Start: day.In(pr.loc)}
	now, today := pr.clock()
	if day.After(today) {
		return out, nil
	}
	dd := days.get(pr.p, pr.loc, day)
	secs, mins := dd.fr.cut(now)
	out.Steps = dd.stepsPM[:mins:mins]
	out.Readings = secs
	full := secs / 60
	out.HeartSum = dd.hrSum[:full:full]
	if rest := secs % 60; rest > 0 { // today's current minute, so far
		var sum int32
		for _, v := range dd.bpm[full*60 : secs] {
			sum += int32(v)
		}
		out.HeartSum = append(out.HeartSum, sum) // copies: capacity is capped
	}
	return out, nil
}

// DailySeries implements providers.Provider from the cheap per-day model
// (no 1-second generation), so a year takes a millisecond or two. Steps
// agree exactly with the intraday data; today's entry counts up to now.
func (pr *Provider) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	n, err := rangeDays(from, to)
	if err != nil {
		return nil, err
	}
	now, today := pr.clock()
	out := make([]providers.DailyValues, n)
	var m minutes
	var cur, next dayPlan
	for i := range out {
		d := from.AddDays(i)
		out[i].Date = d
		if d.After(today) {
			continue
		}
		if i%32 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if i == 0 {
			cur = pr.p.plan(d, pr.loc)
		} else {
			cur = next
		}
		next = pr.p.plan(d.AddDays(1), pr.loc)
		fr := newFrame(d, pr.loc)
		total := pr.p.fillDay(fr, &cur, &next, &m, false)
		mins := fr.minutes
		if d == today {
			_, mins = fr.cut(now)
			total = 0
			for _, st := range m.steps[:mins] {
				total += int(st)
			}
		}
		out[i].Steps = total
		// As DaySummary counts them; active minutes need the heart rate,
		// which a year of days does not generate: the summary has them.
		out[i].DistanceKm, out[i].Calories, out[i].Floors = pr.p.totals(m.steps, m.floors, mins, pr.p.kg(&cur))
		if !pr.p.hasFloors {
			out[i].Floors = 0
		}
		out[i].RestingHeartRate = cur.restingHR
		for _, s := range cur.sleeps {
			if !s.End.After(now) {
				out[i].AddSleep(s)
			}
		}
		if cur.weightKg > 0 && !cur.weighIn.After(now) {
			out[i].WeightKg = cur.weightKg
		}
	}
	return out, nil
}

// Sleep implements providers.Provider: the sessions that ended on a date in
// from..to, oldest first; a sleep still in progress is not reported yet.
func (pr *Provider) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	n, err := rangeDays(from, to)
	if err != nil {
		return nil, err
	}
	now, today := pr.clock()
	var out []providers.SleepSession
	for i := range n {
		d := from.AddDays(i)
		if d.After(today) {
			break
		}
		if i%32 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for _, s := range pr.p.sleepsOn(d, dayNumber(d), pr.loc) {
			if !s.End.After(now) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

func rangeDays(from, to providers.Date) (int, error) {
	n := from.DaysUntil(to) + 1
	switch {
	case n < 1:
		return 0, fmt.Errorf("demo: date range %s..%s ends before it starts", from, to)
	case n > maxRangeDays:
		return 0, fmt.Errorf("demo: date range %s..%s is longer than %d days; ask for less", from, to, maxRangeDays)
	}
	return n, nil
}
