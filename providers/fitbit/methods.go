package fitbit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/memo"
	"github.com/fittui/fittui/providers/internal/wire"
)

// Resource paths (reference §1.6); "-" is the token's owner.
const (
	pathProfile = "/1/user/-/profile.json"
	pathDevices = "/1/user/-/devices.json"
)

func pathSummary(d providers.Date) string {
	return "/1/user/-/activities/date/" + d.String() + ".json"
}

func pathSeries(res string, a, b providers.Date) string {
	return "/1/user/-/activities/" + res + "/date/" + a.String() + "/" + b.String() + ".json"
}

func pathIntraday(res string, d providers.Date, detail Detail) string {
	return "/1/user/-/activities/" + res + "/date/" + d.String() + "/1d/" + string(detail) + ".json"
}

func pathSleep(a, b providers.Date) string {
	return "/1.2/user/-/sleep/date/" + a.String() + "/" + b.String() + ".json"
}

func pathBody(kind string, a, b providers.Date) string {
	return "/1/user/-/body/log/" + kind + "/date/" + a.String() + "/" + b.String() + ".json"
}

// Detail is an intraday resolution.
type Detail string

const (
	// Detail1Sec is heart rate as the tracker recorded it (a reading
	// every 5 to 15 seconds, not every second); steps have no 1sec
	// detail and come per minute.
	Detail1Sec  Detail = "1sec"
	Detail1Min  Detail = "1min"
	Detail15Min Detail = "15min"
)

func (d Detail) duration() time.Duration {
	switch d {
	case Detail15Min:
		return 15 * time.Minute
	case Detail1Sec:
		return 0 // irregular
	}
	return time.Minute
}

// stepsDetail is the steps detail asked for with d.
func (d Detail) steps() Detail {
	if d == Detail1Sec {
		return Detail1Min
	}
	return d
}

// Profile implements providers.Provider: profile and devices, fetched
// together. The time zone is remembered for placing local times.
func (p *Provider) Profile(ctx context.Context) (providers.Profile, error) {
	return p.profiles.Do(ctx, "profile", p.fetchProfile)
}

func (p *Provider) fetchProfile(ctx context.Context) (providers.Profile, error) {
	g, _ := httpapi.NewGroup(ctx, 2)
	var prof, devs []byte
	g.Go(func(ctx context.Context) (err error) { prof, err = p.get(ctx, pathProfile); return })
	g.Go(func(ctx context.Context) (err error) { devs, err = p.get(ctx, pathDevices); return })
	if err := g.Wait(); err != nil {
		return providers.Profile{}, err
	}
	name, loc, err := decodeProfile(prof)
	if err != nil {
		return providers.Profile{}, err
	}
	p.zone.Set(loc)
	devices, err := decodeDevices(devs, loc)
	if err != nil {
		return providers.Profile{}, err
	}
	return providers.Profile{DisplayName: name, Location: loc, Devices: devices}, nil
}

// location returns the account's time zone, fetching the profile the
// first time.
func (p *Provider) location(ctx context.Context) (*time.Location, error) {
	return p.zone.OfProfile(ctx, p)
}

// today is the current date in the account's zone.
func (p *Provider) today(loc *time.Location) providers.Date {
	return providers.DateOf(p.now().In(loc))
}

// DaySummary implements providers.Provider from the daily activity
// summary: steps, distance (km), calories, active minutes (fairly + very),
// floors when the device counts them, resting heart rate and goals.
func (p *Provider) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	path := pathSummary(day)
	return p.summaries.Do(ctx, path, func(ctx context.Context) (providers.DaySummary, error) {
		body, err := p.get(ctx, path)
		if err != nil {
			return providers.DaySummary{}, err
		}
		return decodeSummary(body, day)
	})
}

// Intraday implements providers.Provider: heart rate at 1sec detail (as
// recorded, every 5-15 s) and steps per minute. An app refused 1sec data
// (403) gets heart rate per minute; when Fitbit refuses intraday data
// altogether (403: the app is not a Personal app, or lacks approval) it
// falls back to the day's step total and sets Note. Refusals are
// remembered for an hour.
func (p *Provider) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	if p.secondsRefused() {
		return p.IntradayAt(ctx, day, Detail1Min)
	}
	return p.IntradayAt(ctx, day, Detail1Sec)
}

// IntradayAt is Intraday at a chosen resolution: 1sec (heart rate as
// recorded, steps per minute), 1min or 15min.
func (p *Provider) IntradayAt(ctx context.Context, day providers.Date, detail Detail) (providers.Intraday, error) {
	if detail != Detail1Sec && detail != Detail1Min && detail != Detail15Min {
		return providers.Intraday{}, fmt.Errorf("fitbit: intraday detail %q not supported (1sec, 1min or 15min)", detail)
	}
	loc, err := p.location(ctx)
	if err != nil {
		return providers.Intraday{}, err
	}
	out := providers.Intraday{Date: day}
	if day.After(p.today(loc)) {
		out.HeartRate.Resolution, out.Steps.Resolution = detail.duration(), detail.steps().duration()
		return out, nil
	}
	if p.intradayRefused() {
		return p.dailyFallback(ctx, day, loc)
	}
	series := func(ctx context.Context, res string, d Detail) (providers.Series, error) {
		return p.intradaySeries(ctx, res, day, d, loc)
	}
	var heartErr, stepsErr error
	g, _ := httpapi.NewGroup(ctx, 2)
	g.Go(func(ctx context.Context) error {
		out.HeartRate, heartErr = series(ctx, "heart", detail)
		return nil
	})
	g.Go(func(ctx context.Context) error {
		out.Steps, stepsErr = series(ctx, "steps", detail.steps())
		return nil
	})
	if err := g.Wait(); err != nil {
		return providers.Intraday{}, err
	}
	if err := ctx.Err(); err != nil {
		return providers.Intraday{}, err
	}
	if refused(stepsErr) {
		return p.refuseIntraday(ctx, day, loc)
	}
	if detail == Detail1Sec && refused(heartErr) {
		// Minute data may still be allowed: remember, and ask for it.
		p.mu.Lock()
		p.secondsDenied = p.now()
		p.mu.Unlock()
		out.HeartRate, heartErr = series(ctx, "heart", Detail1Min)
	}
	switch {
	case refused(heartErr):
		return p.refuseIntraday(ctx, day, loc)
	case heartErr != nil:
		return providers.Intraday{}, heartErr
	case stepsErr != nil:
		return providers.Intraday{}, stepsErr
	}
	return out, nil
}

// intradaySeries is one intraday resource of day at detail d (shared
// within a refresh: Intraday and HeartRate ask the same heart path).
func (p *Provider) intradaySeries(ctx context.Context, res string, day providers.Date, d Detail, loc *time.Location) (providers.Series, error) {
	path := pathIntraday(res, day, d)
	return p.intraday.Do(ctx, path, func(ctx context.Context) (providers.Series, error) {
		body, err := p.get(ctx, path)
		if err != nil {
			return providers.Series{}, err
		}
		return decodeIntraday(body, res, day, loc)
	})
}

// HeartRate implements providers.HeartRateReader: Intraday's heart rate
// without its steps, one request a day (the heart intraday endpoint
// serves at most 24 hours a request), a few days at once.
func (p *Provider) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	if err := providers.CheckHeartRange(Name, from, to); err != nil {
		return nil, err
	}
	loc, err := p.location(ctx)
	if err != nil {
		return nil, err
	}
	return providers.HeartDays(ctx, Name, from, to, maxInFlight, func(ctx context.Context, day providers.Date) (providers.HeartDay, error) {
		return p.heartDay(ctx, day, loc)
	})
}

// heartDay is Intraday's heart rate of day: 1sec detail, per minute for
// an app refused 1sec, none (and the note) without intraday access.
func (p *Provider) heartDay(ctx context.Context, day providers.Date, loc *time.Location) (providers.HeartDay, error) {
	detail := Detail1Sec
	if p.secondsRefused() {
		detail = Detail1Min
	}
	out := providers.HeartDay{Date: day, HeartRate: providers.Series{Resolution: detail.duration()}}
	if day.After(p.today(loc)) {
		return out, nil
	}
	noAccess := providers.HeartDay{Date: day, HeartRate: providers.Series{Resolution: 24 * time.Hour}, Note: IntradayNote}
	if p.intradayRefused() {
		return noAccess, nil
	}
	s, err := p.intradaySeries(ctx, "heart", day, detail, loc)
	if detail == Detail1Sec && refused(err) {
		p.mu.Lock()
		p.secondsDenied = p.now()
		p.mu.Unlock()
		s, err = p.intradaySeries(ctx, "heart", day, Detail1Min, loc)
	}
	if refused(err) {
		p.mu.Lock()
		p.intradayDenied = p.now()
		p.mu.Unlock()
		return noAccess, nil
	}
	if err != nil {
		return providers.HeartDay{}, err
	}
	out.HeartRate = s
	return out, nil
}

var _ providers.HeartRateReader = (*Provider)(nil)

// refused: Fitbit will not give this app the intraday data asked for.
func refused(err error) bool {
	var ae *APIError
	return errors.Is(err, errNoIntraday) || errors.As(err, &ae) && ae.Status == 403
}

func (p *Provider) refuseIntraday(ctx context.Context, day providers.Date, loc *time.Location) (providers.Intraday, error) {
	p.mu.Lock()
	p.intradayDenied = p.now()
	p.mu.Unlock()
	return p.dailyFallback(ctx, day, loc)
}

func (p *Provider) secondsRefused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.secondsDenied.IsZero() && p.now().Sub(p.secondsDenied) < intradayRecheck
}

func (p *Provider) intradayRefused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.intradayDenied.IsZero() && p.now().Sub(p.intradayDenied) < intradayRecheck
}

// dailyFallback is Intraday without intraday access: the day's step total
// as one sample at midnight (shared with DaySummary) and no heart-rate
// samples (the resting rate is in the summary).
func (p *Provider) dailyFallback(ctx context.Context, day providers.Date, loc *time.Location) (providers.Intraday, error) {
	s, err := p.DaySummary(ctx, day)
	if err != nil {
		return providers.Intraday{}, err
	}
	return providers.Intraday{
		Date:      day,
		HeartRate: providers.Series{Resolution: 24 * time.Hour},
		Steps: providers.Series{Resolution: 24 * time.Hour,
			Samples: []providers.Sample{{Time: day.In(loc), Value: float64(s.Steps)}}},
		Note: IntradayNote,
	}, nil
}

// span is from..to in the account's zone, clipped to today.
func (p *Provider) span(ctx context.Context, from, to providers.Date) (providers.Span, error) {
	return providers.SpanOf(ctx, Name, p.now, p.location, from, to)
}

// DailySeries implements providers.Provider with one request per resource
// (steps series, heart-rate series for the resting rate, sleep logs,
// weight logs), split only at Fitbit's maximum ranges, run concurrently.
func (p *Provider) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	sp, err := p.span(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := providers.EmptyDays(from, to)
	if !sp.Any {
		return out, nil
	}
	end, loc := sp.To, sp.Loc
	var (
		steps, rhr map[providers.Date]int
		sleeps     map[providers.Date][]SleepLog
		weights    map[providers.Date][]WeightLog
	)
	g, _ := httpapi.NewGroup(ctx, 4)
	g.Go(func(ctx context.Context) (err error) { steps, err = p.stepsRange(ctx, from, end); return })
	g.Go(func(ctx context.Context) (err error) { rhr, err = p.heartRange(ctx, from, end); return })
	g.Go(func(ctx context.Context) (err error) { sleeps, err = p.sleepRange(ctx, from, end, loc); return })
	g.Go(func(ctx context.Context) (err error) { weights, err = p.weightRange(ctx, from, end, loc); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range out {
		d := out[i].Date
		out[i].Steps = steps[d]
		out[i].RestingHeartRate = rhr[d]
		for _, s := range sleeps[d] {
			out[i].AddSleep(s.SleepSession)
		}
		if ws := weights[d]; len(ws) > 0 {
			out[i].WeightKg = ws[len(ws)-1].WeightKg
		}
	}
	return out, nil
}

func (p *Provider) stepsRange(ctx context.Context, from, to providers.Date) (map[providers.Date]int, error) {
	return p.steps.Get(ctx, from, to, memo.Spec[int]{MaxDays: maxActivityDays, Widen: widenDays,
		Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date]int, error) {
			body, err := p.get(ctx, pathSeries("steps", a, b))
			if err != nil {
				return nil, err
			}
			return decodeStepsSeries(body)
		}})
}

func (p *Provider) heartRange(ctx context.Context, from, to providers.Date) (map[providers.Date]int, error) {
	return p.heart.Get(ctx, from, to, memo.Spec[int]{MaxDays: maxHeartDays, Widen: widenDays,
		Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date]int, error) {
			body, err := p.get(ctx, pathSeries("heart", a, b))
			if err != nil {
				return nil, err
			}
			return decodeHeartSeries(body)
		}})
}

func (p *Provider) sleepRange(ctx context.Context, from, to providers.Date, loc *time.Location) (map[providers.Date][]SleepLog, error) {
	return p.sleep.Get(ctx, from, to, memo.Spec[[]SleepLog]{MaxDays: maxSleepDays, Widen: widenDays,
		Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date][]SleepLog, error) {
			body, err := p.get(ctx, pathSleep(a, b))
			if err != nil {
				return nil, err
			}
			logs, err := decodeSleep(body, loc)
			if pe, ok := errors.AsType[errSleepPending](err); ok {
				return nil, &providers.Error{Kind: providers.KindUnreachable, Provider: Name, Message: pe.Error()}
			}
			if err != nil {
				return nil, err
			}
			return wire.ByDay(logs, func(l SleepLog) providers.Date { return l.Date }), nil
		}})
}

func (p *Provider) weightRange(ctx context.Context, from, to providers.Date, loc *time.Location) (map[providers.Date][]WeightLog, error) {
	return p.weight.Get(ctx, from, to, memo.Spec[[]WeightLog]{MaxDays: maxWeightDays, Widen: widenDays,
		Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date][]WeightLog, error) {
			body, err := p.get(ctx, pathBody("weight", a, b))
			if err != nil {
				return nil, err
			}
			logs, err := decodeWeight(body, loc)
			if err != nil {
				return nil, err
			}
			return wire.ByDay(logs, func(w WeightLog) providers.Date { return providers.DateOf(w.Time) }), nil
		}})
}

func (p *Provider) fatRange(ctx context.Context, from, to providers.Date, loc *time.Location) (map[providers.Date][]FatLog, error) {
	return p.fat.Get(ctx, from, to, memo.Spec[[]FatLog]{MaxDays: maxFatDays, Widen: maxFatDays,
		Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date][]FatLog, error) {
			body, err := p.get(ctx, pathBody("fat", a, b))
			if err != nil {
				return nil, err
			}
			logs, err := decodeFat(body, loc)
			if err != nil {
				return nil, err
			}
			return wire.ByDay(logs, func(f FatLog) providers.Date { return providers.DateOf(f.Time) }), nil
		}})
}

// flatten lists a range's per-day values in date order.
func flatten[T any](m map[providers.Date][]T, from, to providers.Date) []T {
	var out []T
	for d := from; !d.After(to); d = d.AddDays(1) {
		out = append(out, m[d]...)
	}
	return out
}

// Sleep implements providers.Provider: the sleep logs (stages or classic)
// whose dateOfSleep is in from..to, oldest first.
func (p *Provider) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	logs, err := p.SleepLogs(ctx, from, to)
	return providers.Sessions(logs), err
}

// SleepLogs is Sleep with Fitbit's log ids.
func (p *Provider) SleepLogs(ctx context.Context, from, to providers.Date) ([]SleepLog, error) {
	return logsIn(ctx, p, from, to, p.sleepRange)
}

// WeightLogs returns the weigh-ins of from..to (kg), oldest first.
func (p *Provider) WeightLogs(ctx context.Context, from, to providers.Date) ([]WeightLog, error) {
	return logsIn(ctx, p, from, to, p.weightRange)
}

// BodyFatLogs returns the body-fat measurements of from..to, oldest first.
func (p *Provider) BodyFatLogs(ctx context.Context, from, to providers.Date) ([]FatLog, error) {
	return logsIn(ctx, p, from, to, p.fatRange)
}

// logsIn fetches the logs of from..to (clipped to today in the account's
// zone) with fetch, oldest first.
func logsIn[T any](ctx context.Context, p *Provider, from, to providers.Date,
	fetch func(context.Context, providers.Date, providers.Date, *time.Location) (map[providers.Date][]T, error)) ([]T, error) {
	sp, err := p.span(ctx, from, to)
	if err != nil || !sp.Any {
		return nil, err
	}
	m, err := fetch(ctx, from, sp.To, sp.Loc)
	if err != nil {
		return nil, err
	}
	return flatten(m, from, sp.To), nil
}
