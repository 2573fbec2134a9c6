package memo

import (
	"context"
	"sync"

	"github.com/fittui/fittui/providers"
)

// Days shares per-day values of a ranged resource (a time series, sleep
// or weight logs): a request for days that an earlier or running fetch
// covers waits for it instead of asking again; the days nobody covers are
// fetched in requests of at most Spec.MaxDays days, all started at once
// (the HTTP client bounds how many run). Use NewDays.
type Days[T any] struct {
	o Options

	mu   sync.Mutex
	days map[providers.Date]*flight[map[providers.Date]T]
}

// NewDays returns a Days memo.
func NewDays[T any](o Options) *Days[T] {
	return &Days[T]{o: o.withDefaults(), days: map[providers.Date]*flight[map[providers.Date]T]{}}
}

// Spec says how to fetch one resource.
type Spec[T any] struct {
	// MaxDays is the API's longest range for one request (< 1: one day).
	MaxDays int
	// Widen stretches a request back to at least this many days: one
	// request costs the same whatever its length, and the dashboard's
	// small asks (today's sleep) then share the month-long ones.
	Widen int
	// Fetch returns the values of days a..b (days without data may be
	// missing from the map).
	Fetch func(ctx context.Context, a, b providers.Date) (map[providers.Date]T, error)
}

// Get returns the values of days from..to.
func (m *Days[T]) Get(ctx context.Context, from, to providers.Date, spec Spec[T]) (map[providers.Date]T, error) {
	type fl = flight[map[providers.Date]T]
	if err := ctx.Err(); err != nil { // a caller that has given up gets no answer, kept or not
		return nil, err
	}
	m.mu.Lock()
	now := m.o.Now()
	for d, f := range m.days {
		if !f.fresh(now, m.o.TTL) {
			delete(m.days, d)
		}
	}
	var first, last providers.Date
	for d := from; !d.After(to); d = d.AddDays(1) {
		if _, ok := m.days[d]; !ok {
			if first.IsZero() {
				first = d
			}
			last = d
		}
	}
	var mine []*fl
	var spans [][2]providers.Date
	if !first.IsZero() {
		if w := last.AddDays(-(spec.Widen - 1)); spec.Widen > 0 && w.Before(first) {
			first = w
		}
		for a := first; !a.After(last); {
			b := a.AddDays(max(spec.MaxDays, 1) - 1)
			if b.After(last) {
				b = last
			}
			f := newFlight[map[providers.Date]T](ctx)
			for d := a; !d.After(b); d = d.AddDays(1) {
				m.days[d] = f
			}
			mine = append(mine, f)
			spans = append(spans, [2]providers.Date{a, b})
			a = b.AddDays(1)
		}
	}
	// The flights covering from..to, each once.
	var need []*fl
	seen := map[*fl]bool{}
	for d := from; !d.After(to); d = d.AddDays(1) {
		if f := m.days[d]; !seen[f] {
			seen[f] = true
			need = append(need, f)
			f.waiters++
		}
	}
	for i, f := range mine {
		a, b := spans[i][0], spans[i][1]
		running.add(1)
		go f.run(&m.o, func(ctx context.Context) (map[providers.Date]T, error) {
			return spec.Fetch(ctx, a, b)
		})
	}
	m.mu.Unlock()
	defer func() {
		for _, f := range need {
			leave(&m.mu, f)
		}
	}()

	out := make(map[providers.Date]T, from.DaysUntil(to)+1)
	for _, f := range need {
		vals, err := f.wait(ctx)
		if err != nil {
			return nil, err
		}
		for d, v := range vals {
			if !d.Before(from) && !d.After(to) {
				out[d] = v
			}
		}
	}
	return out, nil
}
