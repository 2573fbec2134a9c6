package cache

import (
	"context"

	"github.com/fittui/fittui/providers"
)

// Health metrics, their intraday series and workouts are kept like the
// other answers: ranges per day ("health-YYYY-MM-DD", "workouts-..."),
// settled days served from disk for good, the day's intraday series one
// entry ("healthday-..."). A day whose metrics say why one is missing (a
// scope the person had not granted) is asked again after the Profile time,
// so granting it later shows without a refresh. A provider that reads no
// health metrics (not a providers.HealthReader) answers empty days
// without being asked.

var _ providers.HealthReader = (*Cached)(nil)

func healthKey(d providers.Date) string         { return EntryHealth + "-" + d.String() }
func healthIntradayKey(d providers.Date) string { return EntryHealthIntraday + "-" + d.String() }
func workoutsKey(d providers.Date) string       { return EntryWorkouts + "-" + d.String() }

// ServesHealth reports whether the wrapped provider reads health metrics.
func (c *Cached) ServesHealth() bool {
	_, ok := providers.HealthOf(c.p)
	return ok
}

// noHealth answers for a provider without health metrics.
func noHealth[T any](v T) Answer[T] { return Answer[T]{Value: v} }

// Health implements providers.HealthReader.
func (c *Cached) Health(ctx context.Context, from, to providers.Date) ([]providers.HealthDay, error) {
	return c.HealthAnswer(ctx, Ask, from, to).Result()
}

// HealthAnswer is Health with its provenance, under mode.
func (c *Cached) HealthAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.HealthDay] {
	h, ok := providers.HealthOf(c.p)
	if !ok {
		return noHealth(providers.EmptyHealth(from, to))
	}
	ans, ok := ranged(c, ctx, mode, from, to, healthKey,
		func(ctx context.Context, a, b providers.Date) (map[providers.Date]providers.HealthDay, error) {
			ds, err := h.Health(ctx, a, b)
			if err != nil {
				return nil, err
			}
			m := make(map[providers.Date]providers.HealthDay, a.DaysUntil(b)+1)
			for d := a; !d.After(b); d = d.AddDays(1) {
				m[d] = providers.HealthDay{Date: d}
			}
			for _, v := range ds {
				if _, in := m[v.Date]; in {
					m[v.Date] = v
				}
			}
			return m, nil
		}, func(v providers.HealthDay) bool { return len(v.Missing) > 0 })
	if !ok {
		return uncached(c, ctx, mode, func(ctx context.Context) ([]providers.HealthDay, error) { return h.Health(ctx, from, to) })
	}
	return ans
}

// HealthIntraday implements providers.HealthReader.
func (c *Cached) HealthIntraday(ctx context.Context, day providers.Date) (providers.HealthIntraday, error) {
	return c.HealthIntradayAnswer(ctx, Ask, day).Result()
}

// HealthIntradayAnswer is HealthIntraday with its provenance, under mode.
func (c *Cached) HealthIntradayAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.HealthIntraday] {
	h, ok := providers.HealthOf(c.p)
	if !ok {
		return noHealth(providers.HealthIntraday{Date: day})
	}
	return one(c, ctx, mode, day, healthIntradayKey(day),
		func(v providers.HealthIntraday) []byte { return jsonEncode(v) },
		jsonDecoder[providers.HealthIntraday],
		func(ctx context.Context) (providers.HealthIntraday, error) { return h.HealthIntraday(ctx, day) })
}

// Workouts implements providers.HealthReader.
func (c *Cached) Workouts(ctx context.Context, from, to providers.Date) ([]providers.Workout, error) {
	return c.WorkoutsAnswer(ctx, Ask, from, to).Result()
}

// WorkoutsAnswer is Workouts with its provenance, under mode. Workouts
// the person did not share answer a *providers.NotGrantedError, which is
// not a failure of the account.
func (c *Cached) WorkoutsAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.Workout] {
	h, ok := providers.HealthOf(c.p)
	if !ok {
		return noHealth[[]providers.Workout](nil)
	}
	days, ok := ranged(c, ctx, mode, from, to, workoutsKey,
		func(ctx context.Context, a, b providers.Date) (map[providers.Date][]providers.Workout, error) {
			ws, err := h.Workouts(ctx, a, b)
			if err != nil {
				return nil, err
			}
			m := map[providers.Date][]providers.Workout{}
			for _, w := range ws {
				m[w.Date] = append(m[w.Date], w)
			}
			return m, nil
		}, nil)
	if !ok {
		return uncached(c, ctx, mode, func(ctx context.Context) ([]providers.Workout, error) { return h.Workouts(ctx, from, to) })
	}
	ans := Answer[[]providers.Workout]{FetchedAt: days.FetchedAt, FromCache: days.FromCache, Stale: days.Stale, Err: days.Err}
	if days.Err != nil && !days.Stale {
		return ans
	}
	for _, d := range days.Value {
		ans.Value = append(ans.Value, d...)
	}
	return ans
}

func (d direct) HealthAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.HealthDay] {
	h, ok := providers.HealthOf(d.p)
	if !ok {
		return noHealth(providers.EmptyHealth(from, to))
	}
	return directly(d, mode, func() ([]providers.HealthDay, error) { return h.Health(ctx, from, to) })
}

func (d direct) HealthIntradayAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.HealthIntraday] {
	h, ok := providers.HealthOf(d.p)
	if !ok {
		return noHealth(providers.HealthIntraday{Date: day})
	}
	return directly(d, mode, func() (providers.HealthIntraday, error) { return h.HealthIntraday(ctx, day) })
}

func (d direct) WorkoutsAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.Workout] {
	h, ok := providers.HealthOf(d.p)
	if !ok {
		return noHealth[[]providers.Workout](nil)
	}
	return directly(d, mode, func() ([]providers.Workout, error) { return h.Workouts(ctx, from, to) })
}

// ServesHealth reports whether the provider reads health metrics, as
// Cached's does.
func (d direct) ServesHealth() bool {
	_, ok := providers.HealthOf(d.p)
	return ok
}
