// Package daymemo makes one dashboard refresh cost each request once: the
// UI asks for today's summary, intraday data, sleep and a month of daily
// values at the same moment, and several of those need the same resource.
// Answers are shared while in flight and for a short while after (TTL);
// they are not a cache (the cache package keeps data across runs).
//
// Keyed shares whole answers by key (a request path); Days shares the
// per-day values of a ranged resource and splits what nobody covers into
// requests of at most Spec.MaxDays days. The Fitbit and Misfit providers
// use it. (Google Health and Jawbone share answers with package memo,
// which keys whole answers only.)
package daymemo

import (
	"context"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// TTL is how long an answer is reused. Shorter than any sensible refresh
// interval, longer than one refresh's burst of calls.
const TTL = 10 * time.Second

// flight is one fetch, shared by everyone who asked while it ran. It runs
// detached from the first caller's context (others may be waiting) and is
// cancelled when the last caller waiting for it gives up, so an abandoned
// fetch does not spend the rate-limit budget.
type flight[T any] struct {
	done   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	at     time.Time // when it finished

	mu      sync.Mutex
	waiters int

	val T
	err error
}

func newFlight[T any](ctx context.Context) *flight[T] {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &flight[T]{done: make(chan struct{}), ctx: fctx, cancel: cancel}
}

func (f *flight[T]) join() {
	f.mu.Lock()
	f.waiters++
	f.mu.Unlock()
}

func (f *flight[T]) leave() {
	f.mu.Lock()
	f.waiters--
	last := f.waiters <= 0
	f.mu.Unlock()
	if last {
		f.cancel() // harmless once done
	}
}

// wait returns the flight's result, or ctx's error if ctx ends first.
func (f *flight[T]) wait(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// fresh reports whether the flight may be joined or reused at now: still
// running (and not abandoned), or finished well and recently.
func (f *flight[T]) fresh(now time.Time) bool {
	select {
	case <-f.done:
		return f.err == nil && now.Sub(f.at) < TTL
	default:
		return f.ctx.Err() == nil
	}
}

// run fetches under the flight's own context; httpapi's per-request
// timeout bounds it. A panic (a decoder bug) becomes an error.
func (f *flight[T]) run(now func() time.Time, fetch func(context.Context) (T, error)) {
	defer close(f.done)
	defer f.cancel()
	defer func() {
		if r := recover(); r != nil {
			f.err = &providers.Error{Kind: providers.KindBadData,
				Message: "internal error while reading the provider's answer; please report this"}
		}
	}()
	f.val, f.err = fetch(f.ctx)
	f.at = now()
}

// Keyed shares whole answers by key (a request path). The zero value is
// ready to use.
type Keyed[T any] struct {
	mu sync.Mutex
	m  map[string]*flight[T]
}

// Do returns the answer for key: a fresh kept one, the one on its way, or
// fetch's.
func (m *Keyed[T]) Do(ctx context.Context, key string, now func() time.Time, fetch func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]*flight[T]{}
	}
	t := now()
	for k, f := range m.m { // keep the memo small
		if !f.fresh(t) {
			delete(m.m, k)
		}
	}
	f, ok := m.m[key]
	if !ok {
		f = newFlight[T](ctx)
		m.m[key] = f
		go f.run(now, fetch)
	}
	f.join()
	m.mu.Unlock()
	defer f.leave()
	return f.wait(ctx)
}

// Days shares per-day values of a ranged resource (a time series, sleep
// or weight logs): a request for days that an earlier or running fetch
// covers waits for it instead of asking again; the days nobody covers are
// fetched in requests of at most Spec.MaxDays days, all started at once
// (the HTTP client bounds how many run). The zero value is ready to use.
type Days[T any] struct {
	mu   sync.Mutex
	days map[providers.Date]*flight[map[providers.Date]T]
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
func (m *Days[T]) Get(ctx context.Context, from, to providers.Date, now func() time.Time, spec Spec[T]) (map[providers.Date]T, error) {
	m.mu.Lock()
	if m.days == nil {
		m.days = map[providers.Date]*flight[map[providers.Date]T]{}
	}
	t := now()
	for d, f := range m.days {
		if !f.fresh(t) {
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
	var mine []*flight[map[providers.Date]T]
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
	var need []*flight[map[providers.Date]T]
	seen := map[*flight[map[providers.Date]T]]bool{}
	for d := from; !d.After(to); d = d.AddDays(1) {
		if f := m.days[d]; !seen[f] {
			seen[f] = true
			need = append(need, f)
			f.join()
		}
	}
	for i, f := range mine {
		a, b := spans[i][0], spans[i][1]
		go f.run(now, func(ctx context.Context) (map[providers.Date]T, error) {
			return spec.Fetch(ctx, a, b)
		})
	}
	m.mu.Unlock()
	defer func() {
		for _, f := range need {
			f.leave()
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
