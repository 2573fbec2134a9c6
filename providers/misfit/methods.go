package misfit

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/memo"
)

// Resource paths under the token owner's root (reference §2.3).
const (
	pathProfile  = "/profile"
	pathDevice   = "/device"
	pathGoals    = "/activity/goals"
	pathSummary  = "/activity/summary"
	pathSessions = "/activity/sessions"
	pathSleeps   = "/activity/sleeps"
	zoneLookback = 31 // days of goals searched for a time-zone offset
)

func rangeQuery(a, b providers.Date) url.Values {
	return url.Values{"start_date": {a.String()}, "end_date": {b.String()}}
}

// Profile implements providers.Provider: the profile, the device and,
// without a timezone option, the newest goals for the time zone, fetched
// together. The zone is remembered for "today".
func (p *Provider) Profile(ctx context.Context) (providers.Profile, error) {
	return p.profiles.Do(ctx, "profile", p.fetchProfile)
}

func (p *Provider) fetchProfile(ctx context.Context) (providers.Profile, error) {
	var (
		user  User
		dev   Device
		has   bool
		goals map[providers.Date]Goal
	)
	g, _ := httpapi.NewGroup(ctx, 3)
	g.Go(func(ctx context.Context) (err error) { user, err = p.User(ctx); return })
	g.Go(func(ctx context.Context) (err error) { dev, has, err = p.Device(ctx); return })
	if p.zone == nil {
		// Misfit's days are in the device's zone, which only the goals
		// tell (in hours). UTC's tomorrow covers zones ahead of UTC.
		end := providers.DateOf(p.now().UTC()).AddDays(1)
		g.Go(func(ctx context.Context) (err error) {
			goals, err = p.goalsRange(ctx, end.AddDays(-(zoneLookback - 1)), end)
			return
		})
	}
	if err := g.Wait(); err != nil {
		return providers.Profile{}, err
	}
	loc := p.zone
	if loc == nil {
		loc = zoneFromGoals(goals)
	}
	p.known.Set(loc)
	prof := providers.Profile{DisplayName: user.Name, Location: loc}
	if prof.DisplayName == "" {
		prof.DisplayName, _, _ = strings.Cut(user.Email, "@")
	}
	if has {
		prof.Devices = []providers.Device{domainDevice(dev, loc)}
	}
	return prof, nil
}

// zoneFromGoals is a fixed zone at the newest goal's offset, or UTC.
func zoneFromGoals(goals map[providers.Date]Goal) *time.Location {
	var newest Goal
	for _, g := range goals {
		if g.HasOffset && (newest.Date.IsZero() || g.Date.After(newest.Date)) {
			newest = g
		}
	}
	if newest.Date.IsZero() {
		return time.UTC
	}
	return fixedZone(newest.Offset)
}

// fixedZone names a fixed offset like "UTC-04:00" (UTC for zero).
func fixedZone(off time.Duration) *time.Location {
	if off == 0 {
		return time.UTC
	}
	sign, a := '+', off
	if off < 0 {
		sign, a = '-', -off
	}
	name := fmt.Sprintf("UTC%c%02d:%02d", sign, int(a.Hours()), int(a.Minutes())%60)
	return time.FixedZone(name, int(off/time.Second))
}

// domainDevice names the device after its type ("shine" -> "Misfit Shine").
func domainDevice(d Device, loc *time.Location) providers.Device {
	name := "Misfit device"
	if t := strings.TrimSpace(d.Type); t != "" {
		name = "Misfit " + strings.ToUpper(t[:1]) + t[1:]
	}
	out := providers.Device{ID: d.ID, Name: name, Kind: "tracker", BatteryPercent: d.BatteryPercent}
	if !d.LastSync.IsZero() {
		out.LastSync = d.LastSync.In(loc)
	}
	return out
}

// User returns the Misfit profile (name, birthday, gender, email as
// shared).
func (p *Provider) User(ctx context.Context) (User, error) {
	body, err := p.get(ctx, pathProfile, nil)
	if err != nil {
		return User{}, err
	}
	return decodeProfile(body)
}

// Device returns the linked device; ok is false when there is none (an
// empty answer or 404).
func (p *Provider) Device(ctx context.Context) (d Device, ok bool, err error) {
	body, err := p.get(ctx, pathDevice, nil)
	if pe, isPE := providers.AsError(err); isPE && pe.Kind == providers.KindUnknown {
		if ae, isAE := pe.Err.(*APIError); isAE && ae.Effective() == 404 {
			return Device{}, false, nil
		}
	}
	if err != nil {
		return Device{}, false, err
	}
	return decodeDevice(body)
}

// location returns the account's time zone: the option's, or the
// profile's, fetched the first time.
func (p *Provider) location(ctx context.Context) (*time.Location, error) {
	if p.zone != nil {
		return p.zone, nil
	}
	return p.known.OfProfile(ctx, p)
}

// span is from..to in the account's zone, clipped to today.
func (p *Provider) span(ctx context.Context, from, to providers.Date) (providers.Span, error) {
	return providers.SpanOf(ctx, Name, p.now, p.location, from, to)
}

// ranged fetches one of Misfit's range resources through its memo: at
// most MaxRangeDays per request, a month at least so small asks share
// the dashboard's month-long ones.
func ranged[T any](ctx context.Context, p *Provider, m *memo.Days[T], path string, from, to providers.Date,
	decode func([]byte) (map[providers.Date]T, error), query url.Values) (map[providers.Date]T, error) {
	return m.Get(ctx, from, to, memo.Spec[T]{MaxDays: MaxRangeDays, Widen: MaxRangeDays,
		Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date]T, error) {
			q := rangeQuery(a, b)
			for k, v := range query {
				q[k] = v
			}
			body, err := p.get(ctx, path, q)
			if err != nil {
				return nil, err
			}
			return decode(body)
		}})
}

func (p *Provider) goalsRange(ctx context.Context, from, to providers.Date) (map[providers.Date]Goal, error) {
	return ranged(ctx, p, p.goals, pathGoals, from, to, decodeGoals, nil)
}

func (p *Provider) summaryRange(ctx context.Context, from, to providers.Date) (map[providers.Date]Summary, error) {
	return ranged(ctx, p, p.summaries, pathSummary, from, to,
		func(b []byte) (map[providers.Date]Summary, error) { return decodeSummaries(b, p.mileKm) },
		url.Values{"detail": {"true"}})
}

func (p *Provider) sessionRange(ctx context.Context, from, to providers.Date) (map[providers.Date][]Session, error) {
	return ranged(ctx, p, p.sessions, pathSessions, from, to,
		func(b []byte) (map[providers.Date][]Session, error) { return decodeSessions(b, p.mileKm) }, nil)
}

// sleepRange: Misfit files a sleep under the date it starts; keys are
// start dates.
func (p *Provider) sleepRange(ctx context.Context, from, to providers.Date) (map[providers.Date][]Sleep, error) {
	return ranged(ctx, p, p.sleeps, pathSleeps, from, to, decodeSleeps, nil)
}

// DaySummary implements providers.Provider: steps, distance and calories
// from the daily summary; active minutes are the minutes of the day's
// activity sessions (Misfit reports no active minutes; its sessions are
// the stretches it recognised as walking, running and so on); the steps
// goal is the points goal times StepsPerPoint. Misfit has no floors and no
// heart rate.
func (p *Provider) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	out := providers.DaySummary{Date: day}
	if sp, err := p.span(ctx, day, day); err != nil || !sp.Any {
		return out, err
	}
	var (
		sums  map[providers.Date]Summary
		goals map[providers.Date]Goal
		sess  map[providers.Date][]Session
	)
	g, _ := httpapi.NewGroup(ctx, 3)
	g.Go(func(ctx context.Context) (err error) { sums, err = p.summaryRange(ctx, day, day); return })
	g.Go(func(ctx context.Context) (err error) { goals, err = p.goalsRange(ctx, day, day); return })
	g.Go(func(ctx context.Context) (err error) { sess, err = p.sessionRange(ctx, day, day); return })
	if err := g.Wait(); err != nil {
		return providers.DaySummary{}, err
	}
	s := sums[day]
	out.Steps = s.Steps
	out.DistanceKm = s.DistanceKm
	out.Calories = int(math.Round(s.Calories))
	out.ActiveMinutes = activeMinutes(sess[day])
	if gl, ok := goals[day]; ok {
		out.Goals.Steps = int(math.Round(gl.TargetPoints * StepsPerPoint))
	}
	return out, nil
}

// activeMinutes adds up sessions' durations, in whole minutes.
func activeMinutes(sessions []Session) int {
	var d time.Duration
	for _, s := range sessions {
		d += s.Duration
	}
	return int(d / time.Minute)
}

// Intraday implements providers.Provider: Misfit has no heart rate and no
// intraday steps, so both series are empty and Note says why. It sends
// no request.
func (p *Provider) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	if err := ctx.Err(); err != nil {
		return providers.Intraday{}, err
	}
	return providers.Intraday{
		Date:      day,
		HeartRate: providers.Series{Resolution: 24 * time.Hour},
		Steps:     providers.Series{Resolution: 24 * time.Hour},
		Note:      IntradayNote,
	}, nil
}

// DailySeries implements providers.Provider: steps from the daily
// summaries and minutes asleep from the sleeps, both split into 31-day
// requests fetched concurrently. Misfit has no resting heart rate or
// weight: those stay zero.
func (p *Provider) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	sp, err := p.span(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := providers.EmptyDays(from, to)
	if !sp.Any {
		return out, nil
	}
	end := sp.To
	var (
		sums   map[providers.Date]Summary
		sleeps []Sleep
	)
	g, _ := httpapi.NewGroup(ctx, 2)
	g.Go(func(ctx context.Context) (err error) { sums, err = p.summaryRange(ctx, from, end); return })
	g.Go(func(ctx context.Context) (err error) { sleeps, err = p.sleepsIn(ctx, from, end); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Steps = sums[out[i].Date].Steps
	}
	for _, s := range sleeps {
		if i := from.DaysUntil(s.Date); i >= 0 && i < len(out) {
			out[i].AddSleep(s.SleepSession)
		}
	}
	return out, nil
}

// Sleep implements providers.Provider: the sleeps that ended on a date in
// from..to, oldest first, stages wake/light/deep from sleepDetails; the
// longest of a date is its main sleep.
func (p *Provider) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	sleeps, err := p.Sleeps(ctx, from, to)
	return providers.Sessions(sleeps), err
}

// Sleeps is Sleep with Misfit's ids and the autoDetected flag.
func (p *Provider) Sleeps(ctx context.Context, from, to providers.Date) ([]Sleep, error) {
	sp, err := p.span(ctx, from, to)
	if err != nil || !sp.Any {
		return nil, err
	}
	return p.sleepsIn(ctx, from, sp.To)
}

// sleepsIn returns the sleeps ending in from..to: those that started the
// day before from too (a night's sleep starts the evening before).
func (p *Provider) sleepsIn(ctx context.Context, from, to providers.Date) ([]Sleep, error) {
	m, err := p.sleepRange(ctx, from.AddDays(-1), to)
	if err != nil {
		return nil, err
	}
	var all []Sleep
	for d := from.AddDays(-1); !d.After(to); d = d.AddDays(1) {
		all = append(all, m[d]...)
	}
	// Copies: the memo's slices are shared with other callers.
	all = append([]Sleep(nil), all...)
	markMain(all)
	out := all[:0]
	for _, s := range all {
		if s.Skipped != "" {
			// Placed by its start: note it when that day is asked for.
			if d := providers.DateOf(s.Start); !d.Before(from.AddDays(-1)) && !d.After(to) {
				p.note(fmt.Sprintf("Misfit sleep %s starting %s was left out (%s); the other sleeps are shown",
					s.ID, s.Start.Format("2006-01-02 15:04"), s.Skipped))
			}
			continue
		}
		if !s.Date.Before(from) && !s.Date.After(to) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Summaries returns Misfit's daily totals of from..to (clipped to today),
// one per day that has any, oldest first.
func (p *Provider) Summaries(ctx context.Context, from, to providers.Date) ([]Summary, error) {
	return listIn(ctx, p, from, to, p.summaryRange)
}

// Goals returns the points goals of from..to (clipped to today), oldest
// first.
func (p *Provider) Goals(ctx context.Context, from, to providers.Date) ([]Goal, error) {
	return listIn(ctx, p, from, to, p.goalsRange)
}

// Sessions returns the activity sessions that started in from..to
// (clipped to today), oldest first.
func (p *Provider) Sessions(ctx context.Context, from, to providers.Date) ([]Session, error) {
	lists, err := listIn(ctx, p, from, to, p.sessionRange)
	var out []Session
	for _, l := range lists {
		out = append(out, l...)
	}
	return out, err
}

// listIn fetches from..to (clipped to today in the account's zone) with
// fetch and lists the values in date order.
func listIn[T any](ctx context.Context, p *Provider, from, to providers.Date,
	fetch func(context.Context, providers.Date, providers.Date) (map[providers.Date]T, error)) ([]T, error) {
	sp, err := p.span(ctx, from, to)
	if err != nil || !sp.Any {
		return nil, err
	}
	end := sp.To
	m, err := fetch(ctx, from, end)
	if err != nil {
		return nil, err
	}
	var out []T
	for d := from; !d.After(end); d = d.AddDays(1) {
		if v, ok := m[d]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}
