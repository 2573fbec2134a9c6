// Package data runs every provider call of the dashboard inside tea.Cmds,
// off the update loop, and turns the answers into messages. Each message
// carries the account index and the generation id of its request so the
// root model can drop answers that are no longer wanted.
//
// Heavy reduction (a day of 1-second heart rate down to the few hundred
// values a sparkline shows) happens here too, in the command's goroutine,
// so Update only compares and stores small results.
package data

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
)

// Timeout bounds every fetch.
const Timeout = 30 * time.Second

// HeartWindow is how far back the heart-rate sparkline looks.
const HeartWindow = 3 * time.Hour

// WeightLookback is how many days back the today pane looks for a weight.
const WeightLookback = 30

// Kind is the sort of request a generation id belongs to.
type Kind int

const (
	KindProfile Kind = iota
	KindToday
	KindHistory
	NumKinds
)

// ProfileMsg answers FetchProfile.
type ProfileMsg struct {
	Account int
	Gen     uint64
	Profile providers.Profile
	Err     error
	At      time.Time // when the profile was fetched from the provider
	// Peek marks an answer from the cache alone (see PeekProfile): the
	// request goes on, and its real answer follows.
	Peek bool
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

func keyOf(s providers.Series) SeriesKey {
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

	// Steps15 holds the day's steps per 15 minutes from midnight (96 slots);
	// StepsSlots is how many of them the data reaches so far (today is
	// still growing).
	Steps15    []float64
	StepsSlots int

	Note     string
	HeartKey SeriesKey
	StepsKey SeriesKey
}

// Slow is the part of a day that changes rarely: last night's sleep and
// the latest weight.
type Slow struct {
	Sleep     providers.SleepSession
	HasSleep  bool
	Weight    float64
	WeightDay providers.Date
}

// TodayMsg answers FetchToday. Parts that failed are left out (the Has*
// flags say which arrived) and Err holds the first failure.
type TodayMsg struct {
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

	Err error
	// At is when the data shown was fetched from the provider: the older
	// of the summary and the intraday series when both came from a cache,
	// else when the answer arrived.
	At time.Time
	// Peek marks an answer from the cache alone (see PeekToday).
	Peek bool
}

// HistoryMsg answers FetchHistory.
type HistoryMsg struct {
	Account  int
	Gen      uint64
	From, To providers.Date
	Days     []providers.DailyValues
	Err      error
	At       time.Time
}

// FetchProfile asks for the account's profile.
func FetchProfile(src cache.Source, account int, gen uint64, now func() time.Time) tea.Cmd {
	return fetchProfile(src, account, gen, now, cache.Ask)
}

// PeekProfile is FetchProfile from what src keeps on disk alone (see
// cache.Peek). Its answer is a ProfileMsg with Peek set, or nil when
// nothing is kept.
func PeekProfile(src cache.Source, account int, gen uint64, now func() time.Time) tea.Cmd {
	return fetchProfile(src, account, gen, now, cache.Peek)
}

func fetchProfile(src cache.Source, account int, gen uint64, now func() time.Time, mode cache.Mode) tea.Cmd {
	return func() tea.Msg {
		msg := ProfileMsg{Account: account, Gen: gen, Peek: mode == cache.Peek}
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
		msg.At = now()
		if !got {
			msg.Err = a.Err
			return msg
		}
		msg.Profile = a.Value
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

// FetchToday asks for day's summary and intraday series; with full also
// for the sleep that ended that day and the latest weight.
func FetchToday(src cache.Source, account int, gen uint64, day providers.Date, full bool, now func() time.Time) tea.Cmd {
	return fetchToday(src, account, gen, day, full, now, cache.Ask)
}

// PeekToday is FetchToday from what src keeps on disk alone (see
// cache.Peek): what is not kept is left out rather than failed. It
// answers nil when nothing at all is kept.
func PeekToday(src cache.Source, account int, gen uint64, day providers.Date, full bool, now func() time.Time) tea.Cmd {
	return fetchToday(src, account, gen, day, full, now, cache.Peek)
}

func fetchToday(src cache.Source, account int, gen uint64, day providers.Date, full bool, now func() time.Time, mode cache.Mode) tea.Cmd {
	return func() tea.Msg {
		msg := TodayMsg{Account: account, Gen: gen, Day: day, Full: full, Peek: mode == cache.Peek}
		var (
			mu    sync.Mutex
			wg    sync.WaitGroup
			parts []part
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
					for i := len(days) - 1; i >= 0; i-- {
						if days[i].WeightKg > 0 {
							msg.Slow.Weight, msg.Slow.WeightDay = days[i].WeightKg, days[i].Date
							break
						}
					}
					msg.HasWght = true
				}
				return partOf(a, false)
			})
		}
		wg.Wait()
		if msg.Peek && !msg.HasSummary && !msg.HasIntraday && !msg.HasSleep && !msg.HasWght {
			return nil
		}
		msg.At = now()
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

// FetchHistory asks for the daily series from..to.
func FetchHistory(src cache.Source, account int, gen uint64, from, to providers.Date, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		msg := HistoryMsg{Account: account, Gen: gen, From: from, To: to}
		msg.Err = guard(func(ctx context.Context) error {
			var err error
			// Older days standing in for a failing provider are shown as
			// they are: the today pane says the account is offline.
			msg.Days, err = src.DailySeriesAnswer(ctx, cache.Ask, from, to).Result()
			return err
		})
		msg.At = now()
		return msg
	}
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

// mainSleep picks the day's main sleep; without one marked main, the
// longest session that ended that day.
func mainSleep(ss []providers.SleepSession, day providers.Date) (providers.SleepSession, bool) {
	var best providers.SleepSession
	found := false
	for _, s := range ss {
		if s.Date != day {
			continue
		}
		switch {
		case !found:
			best, found = s, true
		case s.Main && !best.Main:
			best = s
		case s.Main == best.Main && s.End.Sub(s.Start) > best.End.Sub(best.Start):
			best = s
		}
	}
	return best, found
}

// reduceIntraday fills l's heart and steps fields from in.
func reduceIntraday(l *Live, day providers.Date, in providers.Intraday) {
	l.Note = in.Note
	l.HeartKey = keyOf(in.HeartRate)
	l.StepsKey = keyOf(in.Steps)
	l.Latest, l.HasLatest = in.HeartRate.Last()
	l.Heart, l.HeartFrom, l.HeartTo, l.HeartBin = heartBins(in.HeartRate)
	l.Steps15, l.StepsSlots = stepsPer15(in.Steps, day)
}

// heartBins averages the samples of the last HeartWindow into bins of one
// minute (or the series' resolution when coarser), by time rather than by
// index so irregular readings land where they belong.
func heartBins(s providers.Series) (bins []float64, from, to time.Time, bin time.Duration) {
	last, ok := s.Last()
	if !ok {
		return nil, time.Time{}, time.Time{}, 0
	}
	bin = time.Minute
	if s.Resolution > bin {
		bin = s.Resolution
	}
	n := int(HeartWindow / bin)
	if n < 1 {
		n = 1
	}
	to = last.Time.Truncate(bin).Add(bin)
	if s.Resolution > 0 && s.Resolution < bin {
		// Finer samples than a bin: the newest bin is still filling. Leave it
		// out so the chart changes once a minute, not on every sample (the
		// latest reading is shown as text).
		to = last.Time.Truncate(bin)
	}
	from = to.Add(-time.Duration(n) * bin)
	start := sort.Search(len(s.Samples), func(i int) bool { return !s.Samples[i].Time.Before(from) })
	sums := make([]float64, n)
	counts := make([]int, n)
	for _, smp := range s.Samples[start:] {
		i := int(smp.Time.Sub(from) / bin)
		if i < 0 || i >= n || smp.Value <= 0 {
			continue
		}
		sums[i] += smp.Value
		counts[i]++
	}
	for i := range sums {
		if counts[i] > 0 {
			sums[i] /= float64(counts[i])
		}
	}
	return sums, from, to, bin
}

// stepsPer15 sums steps into the day's 15-minute slots from midnight in the
// samples' own zone.
func stepsPer15(s providers.Series, day providers.Date) ([]float64, int) {
	out := make([]float64, 96)
	if len(s.Samples) == 0 {
		return out, 0
	}
	reached := 0
	midnight := day.In(s.Samples[0].Time.Location())
	for _, smp := range s.Samples {
		i := int(smp.Time.Sub(midnight) / (15 * time.Minute))
		if i < 0 || smp.Value <= 0 {
			continue
		}
		if i >= len(out) {
			i = len(out) - 1 // a 25-hour day folds its last hour into the last slot
		}
		reached = max(reached, i+1)
		out[i] += smp.Value
	}
	return out, reached
}
