// Package export writes one account's data over a range of days as rows
// of CSV or JSON: heart rate, steps, sleep, weight or daily summaries, at
// a chosen resolution. It reads through a providers.Provider (for network
// accounts the cache's wrapper, which serves what it holds and spends the
// account's rate budget on the rest), one day or one span at a time, and
// streams rows as it goes, so a year of 1-second heart rate never sits in
// memory. When the provider says to slow down it waits (Options.Wait) and
// carries on. It is a use case without a user interface: it reports its
// progress to Options.Progress and its notes to Options.Note, and
// `fittui export` (tui/cli) shows them on the terminal.
package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/fittui/fittui/providers"
)

// Metric is what is exported.
type Metric string

const (
	Heart   Metric = "heart"
	Steps   Metric = "steps"
	Sleep   Metric = "sleep"
	Weight  Metric = "weight"
	Summary Metric = "summary"
	// Health metrics (health.go), for providers that read them.
	HRV         Metric = "hrv"
	SpO2        Metric = "spo2"
	Breathing   Metric = "breathing"
	Temperature Metric = "temperature"
	VO2Max      Metric = "vo2max"
	Zones       Metric = "zones"
	Workouts    Metric = "workouts"
)

// Metrics lists the metrics in the order the help shows them.
func Metrics() []Metric {
	return []Metric{Heart, Steps, Sleep, Weight, Summary, HRV, SpO2, Breathing, Temperature, VO2Max, Zones, Workouts}
}

// ParseMetric checks a --metric value.
func ParseMetric(s string) (Metric, error) {
	for _, m := range Metrics() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("%q is not a metric: use heart, steps, sleep, weight or summary\n"+
		"or, for providers that read them, a health metric: hrv, spo2, breathing, temperature, vo2max, zones or workouts", s)
}

// Resolution is the spacing of rows.
type Resolution string

const (
	Second  Resolution = "1sec"
	Minute  Resolution = "1min"
	Quarter Resolution = "15min"
	Day     Resolution = "day"
)

// Width is the interval of an intraday resolution (0 for Day).
func (r Resolution) Width() time.Duration {
	switch r {
	case Second:
		return time.Second
	case Minute:
		return time.Minute
	case Quarter:
		return 15 * time.Minute
	}
	return 0
}

// Resolutions lists the resolutions m can be exported at, finest first.
func (m Metric) Resolutions() []Resolution {
	switch m {
	case Heart:
		return []Resolution{Second, Minute, Quarter, Day}
	case Steps:
		return []Resolution{Minute, Quarter, Day}
	case Sleep:
		return []Resolution{Minute, Day}
	case Zones:
		return []Resolution{Minute, Day}
	}
	return []Resolution{Day}
}

// DefaultResolution is m's resolution when none is asked for.
func (m Metric) DefaultResolution() Resolution {
	switch m {
	case Heart:
		return Minute
	case Steps:
		return Quarter
	}
	return Day
}

// ParseResolution checks a --resolution value for m; empty means m's
// default.
func ParseResolution(m Metric, s string) (Resolution, error) {
	if s == "" {
		return m.DefaultResolution(), nil
	}
	switch r := Resolution(s); r {
	case Second, Minute, Quarter, Day:
		for _, ok := range m.Resolutions() {
			if ok == r {
				return r, nil
			}
		}
		return "", fmt.Errorf("%s cannot be exported at %s: %s", m, r, m.resolutionHelp())
	}
	return "", fmt.Errorf("%q is not a resolution: use 1sec, 1min, 15min or day", s)
}

func (m Metric) resolutionHelp() string {
	switch m {
	case Steps:
		return "steps are counted per minute at the finest; use 1min, 15min or day"
	case Sleep:
		return "use day (one row per sleep) or 1min (one row per stretch of a sleep stage)"
	case Zones:
		return "use day (the day's zone minutes) or 1min (each minute that earned some)"
	case Workouts:
		return "it is one row per workout; use day"
	}
	return "it is one value per day; use day"
}

// Columns are the CSV header and JSON keys of m at r.
func Columns(m Metric, r Resolution) []string {
	switch {
	case m == Heart && r == Second:
		return []string{"time", "bpm"}
	case m == Heart && r == Day:
		return []string{"date", "resting_heart_rate", "bpm_mean", "bpm_min", "bpm_max", "samples"}
	case m == Heart:
		return []string{"time", "bpm_mean", "bpm_min", "bpm_max", "samples"}
	case m == Steps && r == Day:
		return []string{"date", "steps"}
	case m == Steps:
		return []string{"time", "steps"}
	case m == Sleep && r == Day:
		return []string{"date", "start", "end", "main", "sleep_minutes", "in_bed_minutes", "efficiency",
			"deep_minutes", "light_minutes", "rem_minutes", "wake_minutes",
			"asleep_minutes", "restless_minutes", "awake_minutes"}
	case m == Sleep:
		return []string{"date", "session_start", "start", "end", "stage", "minutes"}
	case m == Weight:
		return []string{"date", "weight_kg"}
	case m == Summary:
		return append([]string{"date", "steps", "distance_km", "calories", "active_minutes", "floors",
			"resting_heart_rate", "sleep_minutes", "nap_minutes", "weight_kg",
			"goal_steps", "goal_distance_km", "goal_calories", "goal_active_minutes", "goal_floors"}, summaryHealthColumns...)
	}
	return healthColumns(m, r)
}

// Request is one export: a metric at a resolution over From..To
// (inclusive, civil days in Location, the account's zone).
type Request struct {
	Metric     Metric
	Resolution Resolution
	From, To   providers.Date
	Location   *time.Location
}

// Days is the number of days the request covers.
func (q Request) Days() int { return q.From.DaysUntil(q.To) + 1 }

// Progress is where an export is.
type Progress struct {
	Done, Total int       // days
	WaitUntil   time.Time // non-zero while waiting for the rate limit
}

// Options are an export's collaborators; all may be left zero.
type Options struct {
	// Wait blocks until the time the provider named, or until ctx is done
	// (then it returns ctx's error). It is called when a call is refused
	// with a KindRateLimited error; nil means such an error ends the export.
	Wait func(ctx context.Context, until time.Time) error
	// Now is the clock (for a rate limit without a time); nil: time.Now.
	Now func() time.Time
	// Progress is told after every day and when a wait starts and ends.
	Progress func(Progress)
	// Note is told, once each, what the data cannot give as asked (a
	// provider's note, a series coarser than the resolution).
	Note func(string)
	// CallTimeout bounds each provider call; 0 means none.
	CallTimeout time.Duration
}

// Stats say what an export wrote.
type Stats struct {
	Rows int
	Days int
}

// MaxWaits is how many rate-limit answers in a row one call may get before
// the export gives up (each is followed by a wait).
const MaxWaits = 10

// noLimitWait is how long to wait when a rate limit names no time.
const noLimitWait = time.Minute

// spanDays is the longest span asked for in one range call (daily values,
// sleep): a month is one request for most providers and a step of the
// progress bar.
const spanDays = 31

// DayError is an export stopped by a failure on one day.
type DayError struct {
	Day providers.Date
	Err error
}

func (e *DayError) Error() string { return fmt.Sprintf("%s: %v", e.Day, e.Err) }
func (e *DayError) Unwrap() error { return e.Err }

// Run exports q from p into enc: Begin, the rows, End. Each day's data is
// asked for when its turn comes and its rows written before the next day
// is asked for. A failure stops the export with a *DayError naming the
// day; what was written so far stays in enc's writer (the caller throws
// it away, see AtomicFile).
func Run(ctx context.Context, p providers.Provider, q Request, enc Encoder, opt Options) (Stats, error) {
	if q.Location == nil {
		q.Location = time.UTC
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if q.To.Before(q.From) {
		return Stats{}, fmt.Errorf("export: range %s..%s ends before it starts", q.From, q.To)
	}
	if _, err := ParseResolution(q.Metric, string(q.Resolution)); err != nil {
		return Stats{}, err
	}
	x := &run{p: p, q: q, enc: enc, opt: opt, notes: map[string]bool{}}
	x.health, x.healthy = providers.HealthOf(p)
	if q.Metric.IsHealth() && !x.healthy {
		return Stats{}, fmt.Errorf("export: %s accounts have no %s data: their provider reads no health metrics", p.Kind(), q.Metric)
	}
	x.progress.Total = q.Days()
	if err := enc.Begin(Columns(q.Metric, q.Resolution)); err != nil {
		return x.stats, err
	}
	if err := x.metric(ctx); err != nil {
		return x.stats, err
	}
	return x.stats, enc.End()
}

type run struct {
	p        providers.Provider
	health   providers.HealthReader // nil: the provider reads none
	healthy  bool
	q        Request
	enc      Encoder
	opt      Options
	row      Row
	stats    Stats
	progress Progress
	notes    map[string]bool
}

func (x *run) metric(ctx context.Context) error {
	switch x.q.Metric {
	case Heart:
		if x.q.Resolution == Day {
			return x.heartDays(ctx)
		}
		return x.intraday(ctx, true)
	case Steps:
		if x.q.Resolution == Day {
			return x.spans(ctx, x.dailyRows(func(r *Row, v providers.DailyValues) bool { r.Int(v.Steps); return true }))
		}
		return x.intraday(ctx, false)
	case Sleep:
		return x.sleep(ctx)
	case Weight:
		return x.spans(ctx, x.dailyRows(func(r *Row, v providers.DailyValues) bool {
			if v.WeightKg <= 0 {
				return false // no weigh-in that day
			}
			r.Float(v.WeightKg)
			return true
		}))
	case Summary:
		return x.summary(ctx)
	case Zones:
		if x.q.Resolution == Minute {
			return x.zoneMinutes(ctx)
		}
		return x.healthDays(ctx)
	case Workouts:
		return x.workouts(ctx)
	case HRV, SpO2, Breathing, Temperature, VO2Max:
		return x.healthDays(ctx)
	}
	return fmt.Errorf("export: unknown metric %q", x.q.Metric)
}

// call runs f, waiting and trying again while the provider (or the
// account's rate budget) says to wait.
func (x *run) call(ctx context.Context, day providers.Date, f func(ctx context.Context) error) error {
	err := retry(ctx, x.opt, f, func(until time.Time) {
		x.progress.WaitUntil = until
		x.report()
	})
	if err != nil {
		return &DayError{Day: day, Err: err}
	}
	return nil
}

// Retry runs f (each time under Options.CallTimeout) as an export runs
// each call: waiting (Options.Wait) and trying again while the provider or
// the account's rate budget says to wait, at most MaxWaits times. A
// budget that cannot be shared is not waited for: nothing says when it
// will be (see providers.BudgetUnshared).
func Retry(ctx context.Context, opt Options, f func(ctx context.Context) error) error {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return retry(ctx, opt, f, func(time.Time) {})
}

// retry is Retry; waiting hears the time a wait lasts until, and zero
// when it ends.
func retry(ctx context.Context, opt Options, f func(ctx context.Context) error, waiting func(until time.Time)) error {
	for waits := 0; ; waits++ {
		err := once(ctx, opt, f)
		pe, ok := providers.AsError(err)
		_, unshared := providers.BudgetUnshared(err)
		if !ok || pe.Kind != providers.KindRateLimited || unshared || opt.Wait == nil || waits >= MaxWaits || ctx.Err() != nil {
			if err != nil && ctx.Err() != nil {
				err = ctx.Err() // interrupted: say so, not what the call made of it
			}
			return err
		}
		until := pe.RetryAt
		if until.IsZero() {
			until = opt.Now().Add(noLimitWait)
		}
		waiting(until)
		err = opt.Wait(ctx, until)
		waiting(time.Time{})
		if err != nil {
			return err
		}
	}
}

func once(ctx context.Context, opt Options, f func(ctx context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if opt.CallTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.CallTimeout)
		defer cancel()
	}
	return f(ctx)
}

func (x *run) report() {
	if x.opt.Progress != nil {
		x.opt.Progress(x.progress)
	}
}

func (x *run) done(days int) {
	x.progress.Done += days
	x.stats.Days += days
	x.report()
}

// note tells Options.Note s, the first time only for each key.
func (x *run) note(key, s string) {
	if s == "" || x.notes[key] {
		return
	}
	x.notes[key] = true
	if x.opt.Note != nil {
		x.opt.Note(s)
	}
}

// write sends the row built by fill.
func (x *run) write(fill func(r *Row)) error {
	x.row.reset()
	fill(&x.row)
	x.stats.Rows++
	return x.enc.Row(&x.row)
}

func (x *run) dateCell(r *Row, d providers.Date) { r.Date(d.Year, d.Month, d.Day) }

// each runs f for every day, in order.
func (x *run) each(ctx context.Context, f func(ctx context.Context, d providers.Date) error) error {
	for d := x.q.From; !d.After(x.q.To); d = d.AddDays(1) {
		if err := f(ctx, d); err != nil {
			return err
		}
		x.done(1)
	}
	return nil
}

// intraday writes heart rate (as given at 1sec, else binned) or steps
// (binned), one day at a time. Heart rate comes from the provider's
// heart-rate read where it has one (eachHeart), else from Intraday.
func (x *run) intraday(ctx context.Context, heart bool) error {
	loc, width := x.q.Location, x.q.Resolution.Width()
	if raw, ok := providers.Find[providers.RawHeartRate](x.p); heart && x.q.Resolution == Second && ok {
		return x.each(ctx, func(ctx context.Context, d providers.Date) error { return x.rawHeart(ctx, raw, d) })
	}
	rows := func(d providers.Date, s providers.Series, note string) error {
		x.note(note, note)
		what := "steps"
		if heart {
			what = "heart rate"
		}
		if s.Resolution > width && len(s.Samples) > 0 {
			x.note(what+s.Resolution.String(), fmt.Sprintf("the provider gives %s every %s on some days (from %s): those rows are %s apart",
				what, short(s.Resolution), d, short(s.Resolution)))
		}
		if heart && x.q.Resolution == Second {
			for _, smp := range s.Samples {
				if err := x.write(func(r *Row) { r.Time(smp.Time, loc); r.Float(smp.Value) }); err != nil {
					return err
				}
			}
			return nil
		}
		return SeriesBins(s, width, loc, func(b Bin) error {
			return x.write(func(r *Row) {
				r.Time(b.Start, loc)
				if heart {
					r.Float(b.Mean())
					r.Float(b.Min)
					r.Float(b.Max)
					r.Int(b.N)
				} else {
					r.Float(b.Sum)
				}
			})
		})
	}
	if hr, ok := providers.HeartOf(x.p); heart && ok {
		return x.eachHeart(ctx, hr, x.q.From, x.q.To, func(h providers.HeartDay) error { return rows(h.Date, h.HeartRate, h.Note) })
	}
	return x.each(ctx, func(ctx context.Context, d providers.Date) error {
		var in providers.Intraday
		if err := x.call(ctx, d, func(ctx context.Context) (err error) {
			in, err = x.p.Intraday(ctx, d)
			return err
		}); err != nil {
			return err
		}
		s := in.Steps
		if heart {
			s = in.HeartRate
		}
		return rows(d, s, in.Note)
	})
}

// heartSpanDays is the most days one heart-rate read asks for: Google
// Health's longest heart-rate range, and a fortnight of 1-second heart
// rate is a few MB.
const heartSpanDays = 14

// eachHeart calls f with the heart rate of each day from..to, in order,
// read with hr (heart rate alone: Intraday would fetch the steps too) up
// to heartSpanDays at a time, and counts each day done after f. The days
// a read answered before failing are kept: after a wait the read goes on
// from the day that failed, and an error names that day.
func (x *run) eachHeart(ctx context.Context, hr providers.HeartRateReader, from, to providers.Date, f func(providers.HeartDay) error) error {
	for next := from; !next.After(to); {
		end := next.AddDays(heartSpanDays - 1)
		if end.After(to) {
			end = to
		}
		var got []providers.HeartDay
		err := retry(ctx, x.opt, func(ctx context.Context) error {
			days, err := hr.HeartRate(ctx, next, end)
			for _, h := range days {
				if next.After(end) || h.Date != next {
					break // not the day asked: ask again from next
				}
				got = append(got, h)
				next = next.AddDays(1)
			}
			if err == nil && !next.After(end) {
				err = providers.ErrBadData(x.p.Kind(), "heart rate", fmt.Errorf("no answer for %s", next))
			}
			return err
		}, func(until time.Time) {
			x.progress.WaitUntil = until
			x.report()
		})
		for _, h := range got {
			if err := f(h); err != nil {
				return err
			}
			x.done(1)
		}
		if err != nil {
			return &DayError{Day: next, Err: err}
		}
	}
	return nil
}

// rawHeart writes a day's heart-rate readings as recorded, from a
// provider whose Intraday gives window means (Google Health): the
// readings up to now for today.
func (x *run) rawHeart(ctx context.Context, raw providers.RawHeartRate, d providers.Date) error {
	loc := x.q.Location
	from, to := d.In(loc), d.AddDays(1).In(loc)
	if now := x.opt.Now(); to.After(now) {
		to = now
	}
	var s providers.Series
	if err := x.call(ctx, d, func(ctx context.Context) (err error) {
		s, err = raw.HeartRateSamples(ctx, from, to)
		return err
	}); err != nil {
		return err
	}
	for _, smp := range s.Samples {
		if err := x.write(func(r *Row) { r.Time(smp.Time, loc); r.Float(smp.Value) }); err != nil {
			return err
		}
	}
	return nil
}

// short writes a duration as the resolutions do: 1s, 1m, 15m, 1h.
func short(d time.Duration) string {
	s := d.String()
	for _, suffix := range []string{"m0s", "h0m"} {
		if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
			s = s[:len(s)-len(suffix)+1]
		}
	}
	return s
}

// span is one range call's days.
type span struct{ from, to providers.Date }

func (x *run) spanList() []span {
	var out []span
	for d := x.q.From; !d.After(x.q.To); d = d.AddDays(spanDays) {
		end := d.AddDays(spanDays - 1)
		if end.After(x.q.To) {
			end = x.q.To
		}
		out = append(out, span{d, end})
	}
	return out
}

// daily fetches the daily values of sp, by date. When the provider
// cannot be reached for the whole span, the days are asked one by one
// (a cache holds what it holds, per day): the map has the days up to the
// first one nobody has, and the error names that day.
func (x *run) daily(ctx context.Context, sp span) (map[providers.Date]providers.DailyValues, error) {
	m := map[providers.Date]providers.DailyValues{}
	get := func(from, to providers.Date) error {
		return x.call(ctx, from, func(ctx context.Context) error {
			vs, err := x.p.DailySeries(ctx, from, to)
			for _, v := range vs {
				m[v.Date] = v
			}
			return err
		})
	}
	err := get(sp.from, sp.to)
	if !Offline(err) || sp.from == sp.to {
		return m, err
	}
	for d := sp.from; !d.After(sp.to); d = d.AddDays(1) {
		if err := get(d, d); err != nil {
			return m, err
		}
	}
	return m, nil
}

// Offline reports whether err is the provider being unreachable (not a
// refusal, nor the person's interrupt).
func Offline(err error) bool {
	return providers.KindOf(err) == providers.KindUnreachable && !errors.Is(err, context.Canceled)
}

// spans runs f for each span, in order.
func (x *run) spans(ctx context.Context, f func(ctx context.Context, sp span) error) error {
	for _, sp := range x.spanList() {
		if err := f(ctx, sp); err != nil {
			return err
		}
		x.done(sp.from.DaysUntil(sp.to) + 1)
	}
	return nil
}

// dailyRows writes a row per day of daily values; fill adds the cells
// after the date and says whether the day has a row at all.
func (x *run) dailyRows(fill func(r *Row, v providers.DailyValues) bool) func(ctx context.Context, sp span) error {
	return func(ctx context.Context, sp span) error {
		vals, err := x.daily(ctx, sp)
		for d := sp.from; !d.After(sp.to); d = d.AddDays(1) {
			v, ok := vals[d]
			if !ok && err != nil {
				return err // the first day nobody has
			}
			x.row.reset()
			x.dateCell(&x.row, d)
			if !fill(&x.row, v) {
				continue
			}
			x.stats.Rows++
			if err := x.enc.Row(&x.row); err != nil {
				return err
			}
		}
		return err
	}
}

// heartDays writes a row per day: resting heart rate from the daily
// values, the day's samples' mean, minimum and maximum.
func (x *run) heartDays(ctx context.Context) error {
	for _, sp := range x.spanList() {
		vals, err := x.daily(ctx, sp)
		if err != nil {
			return err
		}
		row := func(d providers.Date, s providers.Series, note string) error {
			x.note(note, note)
			st := SeriesOverall(s)
			return x.write(func(r *Row) {
				x.dateCell(r, d)
				r.IntOrNull(vals[d].RestingHeartRate)
				if st.N == 0 {
					r.Null()
					r.Null()
					r.Null()
				} else {
					r.Float(st.Mean())
					r.Float(st.Min)
					r.Float(st.Max)
				}
				r.Int(st.N)
			})
		}
		if hr, ok := providers.HeartOf(x.p); ok {
			if err := x.eachHeart(ctx, hr, sp.from, sp.to, func(h providers.HeartDay) error { return row(h.Date, h.HeartRate, h.Note) }); err != nil {
				return err
			}
			continue
		}
		for d := sp.from; !d.After(sp.to); d = d.AddDays(1) {
			var in providers.Intraday
			if err := x.call(ctx, d, func(ctx context.Context) (err error) {
				in, err = x.p.Intraday(ctx, d)
				return err
			}); err != nil {
				return err
			}
			if err := row(d, in.HeartRate, in.Note); err != nil {
				return err
			}
			x.done(1)
		}
	}
	return nil
}

// sleep writes a row per session (day) or per stage segment (1min).
func (x *run) sleep(ctx context.Context) error {
	loc := x.q.Location
	return x.spans(ctx, func(ctx context.Context, sp span) error {
		var ss []providers.SleepSession
		if err := x.call(ctx, sp.from, func(ctx context.Context) (err error) {
			ss, err = x.p.Sleep(ctx, sp.from, sp.to)
			return err
		}); err != nil {
			return err
		}
		for _, s := range ss {
			if s.Date.Before(sp.from) || s.Date.After(sp.to) {
				continue // not asked for: another span has it
			}
			if x.q.Resolution == Day {
				if err := x.write(func(r *Row) { sessionRow(r, s, loc) }); err != nil {
					return err
				}
				continue
			}
			for _, seg := range s.Segments {
				if err := x.write(func(r *Row) {
					r.Date(s.Date.Year, s.Date.Month, s.Date.Day)
					r.Time(s.Start, loc)
					r.Time(seg.Start, loc)
					r.Time(seg.Start.Add(seg.Duration), loc)
					r.String(string(seg.Stage))
					r.Float(seg.Duration.Minutes())
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func sessionRow(r *Row, s providers.SleepSession, loc *time.Location) {
	r.Date(s.Date.Year, s.Date.Month, s.Date.Day)
	r.Time(s.Start, loc)
	r.Time(s.End, loc)
	r.Bool(s.Main)
	r.Int(int(s.Asleep / time.Minute))
	inBed := s.End.Sub(s.Start)
	r.Int(int(inBed / time.Minute))
	if inBed > 0 {
		r.Int(int(math.Round(100 * float64(s.Asleep) / float64(inBed))))
	} else {
		r.Null()
	}
	totals := s.StageTotals()
	stages := []providers.SleepStage{providers.StageDeep, providers.StageLight, providers.StageREM, providers.StageWake}
	classic := []providers.SleepStage{providers.StageAsleep, providers.StageRestless, providers.StageAwake}
	cells := func(list []providers.SleepStage, show bool) {
		for _, st := range list {
			if show {
				r.Float(totals[st].Minutes())
			} else {
				r.Null()
			}
		}
	}
	has := len(s.Segments) > 0
	cells(stages, has && !s.Classic)
	cells(classic, has && s.Classic)
}

// summary writes a row per day from the day's summary, daily values and
// health metrics. A day whose summary the provider cannot give (offline)
// and no cache holds has a row from its daily values alone, the rest
// null, said once.
func (x *run) summary(ctx context.Context) error {
	for _, sp := range x.spanList() {
		vals, spanErr := x.daily(ctx, sp)
		health, err := x.healthSpan(ctx, sp)
		switch {
		case err != nil && Offline(err):
			x.note("health offline", fmt.Sprintf("offline: the health metrics from %s are not in the cache; their cells are empty", sp.from))
		case err != nil:
			return err
		}
		for d := sp.from; !d.After(sp.to); d = d.AddDays(1) {
			v, have := vals[d]
			if !have && spanErr != nil {
				return spanErr // the first day nobody has
			}
			var s providers.DaySummary
			err := x.call(ctx, d, func(ctx context.Context) (err error) {
				s, err = x.p.DaySummary(ctx, d)
				return err
			})
			known := err == nil
			if err != nil && !(Offline(err) && have) {
				return err
			}
			if !known {
				x.note("summary offline", fmt.Sprintf("offline: the summaries of some days (from %s) are not in the cache; their rows have the daily values only", d))
			}
			if err := x.write(func(r *Row) {
				x.dateCell(r, d)
				if known {
					r.Int(s.Steps)
					r.Float(s.DistanceKm)
					r.Int(s.Calories)
					r.Int(s.ActiveMinutes)
				} else {
					r.Int(v.Steps)
					r.Null()
					r.Null()
					r.Null()
				}
				if known && s.HasFloors {
					r.Int(s.Floors)
				} else {
					r.Null()
				}
				rest := s.RestingHeartRate
				if rest == 0 {
					rest = v.RestingHeartRate
				}
				r.IntOrNull(rest)
				// The main sleep, as everywhere; naps apart (0 on a day with
				// sleep data and no nap).
				r.IntOrNull(v.SleepMinutes)
				if v.SleepMinutes > 0 || v.NapMinutes > 0 {
					r.Int(v.NapMinutes)
				} else {
					r.Null()
				}
				r.FloatOrNull(v.WeightKg)
				r.IntOrNull(s.Goals.Steps)
				r.FloatOrNull(s.Goals.DistanceKm)
				r.IntOrNull(s.Goals.Calories)
				r.IntOrNull(s.Goals.ActiveMinutes)
				r.IntOrNull(s.Goals.Floors)
				summaryHealthCells(r, health[d])
			}); err != nil {
				return err
			}
			x.done(1)
		}
	}
	return nil
}

// IsInterrupted reports whether err is the export being cancelled.
func IsInterrupted(err error) bool { return errors.Is(err, context.Canceled) }
