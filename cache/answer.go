package cache

import (
	"context"
	"errors"
	"time"

	"github.com/fittui/fittui/providers"
)

// Mode says where a Source's answer may come from.
type Mode int

const (
	// Ask serves a fresh entry from disk and asks the provider for what
	// is stale (see Policy); when the provider fails, the last good entry
	// stands in for its answer (Answer.Stale).
	Ask Mode = iota
	// Peek serves whatever is on disk, however old, and never asks the
	// provider: what is missing is ErrNotCached. The dashboard paints its
	// first frame from a peek and refreshes after, so a warm start never
	// waits on the network.
	Peek
)

// ErrNotCached answers a Peek for data the cache does not hold.
var ErrNotCached = errors.New("not in the cache")

// Answer is one answer of a Source together with where it came from.
type Answer[T any] struct {
	Value T
	// FetchedAt is when Value was fetched from the provider (for a range
	// of days: its oldest part); zero without a Value.
	FetchedAt time.Time
	// FromCache says Value was read from disk, not fetched by this call.
	FromCache bool
	// Stale says Value is the last good data, standing in for a provider
	// that failed with Err.
	Stale bool
	// Expired says Value (or part of it) is past its freshness (see
	// Policy): the provider was asked and did not answer, having failed
	// (Stale) or been given up on by the caller (a deadline). Whoever
	// shows it should say how old it is. Never set by a Peek.
	Expired bool
	// Err is the provider's failure: with Stale, the one Value covers;
	// without, the answer has no Value.
	Err error
}

// Result is the answer as a providers.Provider gives it: a stale Value
// comes with a nil error (callers that show data keep showing it).
func (a Answer[T]) Result() (T, error) {
	if a.Stale {
		return a.Value, nil
	}
	return a.Value, a.Err
}

// Source is a provider whose answers carry their provenance. *Cached is
// one; Direct makes one of a provider that keeps nothing.
type Source interface {
	Kind() string
	ProfileAnswer(ctx context.Context, mode Mode) Answer[providers.Profile]
	DaySummaryAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.DaySummary]
	IntradayAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.Intraday]
	DailySeriesAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.DailyValues]
	SleepAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.SleepSession]
	// The health answers (health.go) of a provider that reads no health
	// metrics are empty, at once and without a fetch time.
	HealthAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.HealthDay]
	HealthIntradayAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.HealthIntraday]
	WorkoutsAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.Workout]
}

var (
	_ Source = (*Cached)(nil)
	_ Source = direct{}
)

// Direct is the Source of p, a provider that keeps nothing on disk (demo,
// imported archives): every answer is p's, fetched now by the clock now
// (nil: time.Now), and a Peek finds nothing.
func Direct(p providers.Provider, now func() time.Time) Source {
	if now == nil {
		now = time.Now
	}
	return direct{p: p, now: now}
}

type direct struct {
	p   providers.Provider
	now func() time.Time
}

func directly[T any](d direct, mode Mode, fetch func() (T, error)) Answer[T] {
	if mode == Peek {
		return Answer[T]{Err: ErrNotCached}
	}
	v, err := fetch()
	if err != nil {
		return Answer[T]{Err: err}
	}
	return Answer[T]{Value: v, FetchedAt: d.now()}
}

func (d direct) Kind() string { return d.p.Kind() }

func (d direct) ProfileAnswer(ctx context.Context, mode Mode) Answer[providers.Profile] {
	return directly(d, mode, func() (providers.Profile, error) { return d.p.Profile(ctx) })
}

func (d direct) DaySummaryAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.DaySummary] {
	return directly(d, mode, func() (providers.DaySummary, error) { return d.p.DaySummary(ctx, day) })
}

func (d direct) IntradayAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.Intraday] {
	return directly(d, mode, func() (providers.Intraday, error) { return d.p.Intraday(ctx, day) })
}

func (d direct) DailySeriesAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.DailyValues] {
	return directly(d, mode, func() ([]providers.DailyValues, error) { return d.p.DailySeries(ctx, from, to) })
}

func (d direct) SleepAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.SleepSession] {
	return directly(d, mode, func() ([]providers.SleepSession, error) { return d.p.Sleep(ctx, from, to) })
}
