package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
)

// Timeout bounds every fetch.
const Timeout = 30 * time.Second

// WeightLookback is how many days back the day pane looks for a weight.
// The same 30 days (the day shown and the 29 before it) give the personal
// ranges of resting heart rate, HRV, SpO2, breathing rate and skin
// temperature (from the days before the day), so one request per type
// serves both.
const WeightLookback = 30

// askProfile asks src for the account's profile under mode. A peek
// (cache.Peek) answers with Peek set, or nil when nothing is kept.
func askProfile(src cache.Source, mode cache.Mode, account int, gen uint64, archive func() (providers.Date, bool), now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		msg := state.ProfileAnswer{Account: account, Gen: gen, Peek: mode == cache.Peek}
		var a cache.Answer[providers.Profile]
		if err := guard(func(ctx context.Context) error {
			a = src.ProfileAnswer(ctx, mode)
			return nil
		}); err != nil {
			a = cache.Answer[providers.Profile]{Err: err}
		}
		got := answered(a)
		if msg.Peek && !got {
			return nil // nothing kept: the real answer follows
		}
		msg.At, msg.Warn = now(), warningOf(src)
		if !got {
			msg.Err = a.Err
			return msg
		}
		msg.Profile = a.Value
		if archive != nil {
			msg.Through, _ = archive()
		}
		if msg.Profile.Location == nil {
			msg.Profile.Location = time.UTC
		}
		if !a.FetchedAt.IsZero() && a.FetchedAt.Before(msg.At) {
			msg.At = a.FetchedAt
		}
		if a.Stale {
			msg.Err = &providers.StaleError{Err: a.Err, Updated: a.FetchedAt}
		}
		return msg
	}
}

// answered reports whether a came with a value (fresh or stale).
func answered[T any](a cache.Answer[T]) bool { return a.Err == nil || a.Stale }

// part is what fetchToday keeps of one answer: its failure and when its
// value was fetched.
type part struct {
	err   error
	stale bool
	got   bool      // a value came
	at    time.Time // when it was fetched
	live  bool      // summary or intraday: they date the day shown
}

func partOf[T any](a cache.Answer[T], live bool) part {
	return part{err: a.Err, stale: a.Stale, got: answered(a), at: a.FetchedAt, live: live}
}

// askToday asks src for day's summary and intraday series; with full also
// for the sleep that ended that day, the latest weight, the day's health
// metrics with the 30 days before them (their personal ranges) and its
// workouts. past marks the answer for the day pane's past day. Staleness comes
// from the answers: data the cache served for a failing provider comes
// with a *providers.StaleError. A peek (cache.Peek) leaves out what is not
// kept rather than failing, and answers nil when nothing at all is kept.
func askToday(src cache.Source, mode cache.Mode, account int, gen uint64, day providers.Date, full, past bool, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		msg := state.TodayAnswer{Account: account, Gen: gen, Day: day, Full: full, Peek: mode == cache.Peek, Past: past}
		var (
			mu         sync.Mutex
			wg         sync.WaitGroup
			parts      []part
			healthDays []providers.HealthDay
		)
		run := func(f func(ctx context.Context) part) {
			wg.Go(func() {
				var p part
				if err := guard(func(ctx context.Context) error {
					p = f(ctx)
					return nil
				}); err != nil {
					p = part{err: err}
				}
				if msg.Peek && errors.Is(p.err, cache.ErrNotCached) {
					return // not kept: left out of the peek
				}
				mu.Lock()
				parts = append(parts, p)
				mu.Unlock()
			})
		}
		run(func(ctx context.Context) part {
			a := src.DaySummaryAnswer(ctx, mode, day)
			if answered(a) {
				msg.Live.Summary, msg.HasSummary = a.Value, true
			}
			return partOf(a, true)
		})
		run(func(ctx context.Context) part {
			a := src.IntradayAnswer(ctx, mode, day)
			if answered(a) {
				reduceIntraday(&msg.Live, day, a.Value)
				msg.HasIntraday = true
			}
			return partOf(a, true)
		})
		if full {
			run(func(ctx context.Context) part {
				a := src.SleepAnswer(ctx, mode, day, day)
				if answered(a) {
					msg.Slow.Sleep, msg.Slow.HasSleep = mainSleep(a.Value, day)
					msg.HasSleep = true
				}
				return partOf(a, false)
			})
			run(func(ctx context.Context) part {
				a := src.DailySeriesAnswer(ctx, mode, day.AddDays(-(WeightLookback - 1)), day)
				if answered(a) {
					days := a.Value
					first := day.AddDays(-(WeightLookback - 1))
					for i := len(days) - 1; i >= 0 && !days[i].Date.Before(first); i-- {
						if days[i].WeightKg > 0 && !days[i].Date.After(day) {
							msg.Slow.Weight, msg.Slow.WeightDay = days[i].WeightKg, days[i].Date
							break
						}
					}
					msg.Slow.RestingRange = restingRange(days, day)
					msg.HasWght = true
				}
				return partOf(a, false)
			})
			run(func(ctx context.Context) part {
				a := src.HealthAnswer(ctx, mode, day.AddDays(-(WeightLookback - 1)), day)
				if !answered(a) {
					return partOf(a, false)
				}
				w := src.WorkoutsAnswer(ctx, mode, day, day)
				healthDays = a.Value
				h := &msg.Slow.Health
				h.Ranges = healthRanges(a.Value, day)
				for _, d := range a.Value {
					if d.Date == day {
						h.Day = d
					}
				}
				msg.HasHlth = true
				var ng *providers.NotGrantedError
				switch {
				case errors.As(w.Err, &ng):
					h.WorkoutsMissing = ng.Reason() // an answer, not a failure
					w.Err = nil
				case answered(w):
					for _, x := range w.Value {
						if x.Date == day {
							h.Workouts = append(h.Workouts, x)
						}
					}
				}
				mu.Lock()
				parts = append(parts, partOf(w, false))
				mu.Unlock()
				return partOf(a, false)
			})
		}
		wg.Wait()
		if msg.Peek {
			parts = slices.DeleteFunc(parts, func(p part) bool { return errors.Is(p.err, cache.ErrNotCached) })
		}
		if msg.HasHlth {
			// Body fat beside the weight: the reading of the weight's day.
			for _, d := range healthDays {
				if d.BodyFatPct != nil && d.Date == msg.Slow.WeightDay {
					msg.Slow.BodyFat = *d.BodyFatPct
				}
			}
		}
		if msg.Peek && !msg.HasSummary && !msg.HasIntraday && !msg.HasSleep && !msg.HasWght && !msg.HasHlth {
			return nil
		}
		msg.At, msg.Warn = now(), warningOf(src)
		var failed, covered []error
		var updated time.Time // when the newest data of the answer was fetched
		for _, p := range parts {
			switch {
			case p.err == nil:
			case p.stale:
				covered = append(covered, p.err)
			default:
				failed = append(failed, p.err)
			}
			if !p.got {
				continue
			}
			if p.live && !p.at.IsZero() && p.at.Before(msg.At) {
				msg.At = p.at
			}
			if p.at.After(updated) {
				updated = p.at
			}
		}
		switch {
		case len(failed) > 0:
			msg.Err = worst(failed)
		case len(covered) > 0:
			msg.Err = &providers.StaleError{Err: worst(covered), Updated: updated}
		}
		return msg
	}
}

// askHistory asks src for the daily series from..to; with health also
// for the days' health metrics and workouts (one range request each).
func askHistory(src cache.Source, account int, gen uint64, from, to providers.Date, health bool, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		msg := state.HistoryAnswer{Account: account, Gen: gen, From: from, To: to, Health: health}
		msg.Err = guard(func(ctx context.Context) error {
			var err error
			// Older days standing in for a failing provider are shown as
			// they are: the today pane says the account is offline.
			msg.Days, err = src.DailySeriesAnswer(ctx, cache.Ask, from, to).Result()
			return err
		})
		if health {
			msg.HealthErr = guard(func(ctx context.Context) error { return askHealthRange(ctx, src, &msg) })
		}
		msg.At, msg.Warn = now(), warningOf(src)
		return msg
	}
}

// askHealthRange fills msg's health part for msg.From..msg.To. Workouts
// not shared (a scope left out) are a note, not a failure.
func askHealthRange(ctx context.Context, src cache.Source, msg *state.HistoryAnswer) error {
	msg.HealthServed = true
	if s, ok := src.(interface{ ServesHealth() bool }); ok {
		msg.HealthServed = s.ServesHealth()
	}
	if !msg.HealthServed {
		return nil
	}
	days, err := src.HealthAnswer(ctx, cache.Ask, msg.From, msg.To).Result()
	if err != nil {
		return err
	}
	msg.HealthDays = days
	ws, err := src.WorkoutsAnswer(ctx, cache.Ask, msg.From, msg.To).Result()
	var ng *providers.NotGrantedError
	switch {
	case errors.As(err, &ng):
		msg.WorkoutsMissing = ng.Reason()
	case err != nil:
		return err
	}
	msg.Workouts = ws
	return nil
}

// warningOf is what src's cache says the person should know (answers not
// kept, the budget's record damaged); nil for sources without one.
func warningOf(src cache.Source) error {
	if w, ok := src.(interface{ Warning() error }); ok {
		return w.Warning()
	}
	return nil
}

// guard runs f with a timeout and turns a provider panic into an error, so
// one broken provider cannot take the dashboard down.
func guard(f func(ctx context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the provider failed unexpectedly (%v); please report this", r)
		}
	}()
	return f(ctx)
}

// worst picks the error a person must act on first: sign-in and gone beat
// rate limits, which beat the rest.
func worst(errs []error) error {
	rank := func(err error) int {
		switch providers.KindOf(err) {
		case providers.KindSignIn:
			return 5
		case providers.KindGone:
			return 4
		case providers.KindRateLimited:
			return 3
		case providers.KindUnreachable:
			return 2
		case providers.KindBadData:
			return 1
		}
		return 0
	}
	best := errs[0]
	for _, e := range errs[1:] {
		if rank(e) > rank(best) {
			best = e
		}
	}
	return best
}
