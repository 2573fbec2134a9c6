// Package memo makes one dashboard refresh cost each request once: the UI
// asks for today's summary, intraday data, sleep and a month of daily
// values at the same moment, and several of those need the same resource.
// Answers are shared while in flight and for a short while after (the
// TTL); failures are shared with those already waiting but never kept. It
// is not a cache (the cache package keeps data across runs).
//
// Keyed shares whole answers by key (a request path). Days shares the
// per-day values of a ranged resource and splits what nobody covers into
// requests of at most Spec.MaxDays days. Both measure the TTL on the clock
// they are given: the data clock (Fitbit, Misfit, so tests move it by
// hand) or real elapsed time (Google Health, Jawbone).
//
// A shared fetch runs detached from any one caller and is cancelled when
// every caller waiting for it has gone, so an abandoned fetch does not
// spend the rate-limit budget; the next caller starts a new one. Tests on
// a simulated clock wait for such fetches with Wait before they move the
// clock.
package memo

import (
	"context"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// TTL is the default reuse window: shorter than any sensible refresh
// interval, longer than one refresh's burst of calls.
const TTL = 10 * time.Second

// Options configure a memo. The zero value means TTL, time.Now and a
// bad-data error for a panic.
type Options struct {
	// TTL is how long a good answer is reused; 0: TTL; negative: answers
	// are shared only while in flight.
	TTL time.Duration
	// Now is the clock the TTL is measured on; nil: time.Now. An answer
	// from the clock's future (the clock went back) is not reused.
	Now func() time.Time
	// Recovered turns a panic in a fetch (a decoder bug) into the error
	// the callers get, so it cannot take the program down; nil: a
	// providers.KindBadData error asking to report it.
	Recovered func(r any) error
}

func (o Options) withDefaults() Options {
	if o.TTL == 0 {
		o.TTL = TTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Recovered == nil {
		o.Recovered = func(any) error {
			return &providers.Error{Kind: providers.KindBadData,
				Message: "internal error while reading the provider's answer; please report this"}
		}
	}
	return o
}

// flight is one fetch, shared by everyone who asked while it ran. Its
// waiters are counted under the owning memo's lock, so a caller never
// joins a flight that the last leaver is cancelling.
type flight[T any] struct {
	done   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc

	waiters   int  // memo's lock
	abandoned bool // memo's lock: cancelled before it finished

	at  time.Time // when it finished; written before done closes
	val T
	err error
}

func newFlight[T any](ctx context.Context) *flight[T] {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &flight[T]{done: make(chan struct{}), ctx: fctx, cancel: cancel}
}

func (f *flight[T]) finished() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// fresh reports whether the flight may be joined or reused at now: still
// running and wanted, or finished well less than ttl ago. Memo's lock held.
func (f *flight[T]) fresh(now time.Time, ttl time.Duration) bool {
	if !f.finished() {
		return !f.abandoned
	}
	return f.err == nil && ttl > 0 && now.Sub(f.at) < ttl && !now.Before(f.at)
}

// run fetches under the flight's own context; httpapi's per-request
// timeout bounds it. The caller counted it in running (before go).
func (f *flight[T]) run(o *Options, fetch func(context.Context) (T, error)) {
	defer running.add(-1)
	defer close(f.done)
	defer f.cancel()
	defer func() {
		if r := recover(); r != nil {
			var zero T
			f.val, f.err = zero, o.Recovered(r)
		}
		f.at = o.Now()
	}()
	f.val, f.err = fetch(f.ctx)
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

// leave drops one waiter; the last one out cancels a running fetch.
func leave[T any](mu *sync.Mutex, f *flight[T]) {
	mu.Lock()
	defer mu.Unlock()
	f.waiters--
	if f.waiters <= 0 && !f.finished() {
		f.abandoned = true
		f.cancel()
	}
}

// Keyed shares whole answers of type V by key. Use New.
type Keyed[V any] struct {
	o Options

	mu    sync.Mutex
	calls map[string]*flight[V]
}

// New returns a Keyed memo.
func New[V any](o Options) *Keyed[V] {
	return &Keyed[V]{o: o.withDefaults(), calls: map[string]*flight[V]{}}
}

// Do returns the answer for key: a fresh kept one, the one on its way, or
// fetch's.
func (m *Keyed[V]) Do(ctx context.Context, key string, fetch func(ctx context.Context) (V, error)) (V, error) {
	if err := ctx.Err(); err != nil { // a caller that has given up gets no answer, kept or not
		var zero V
		return zero, err
	}
	m.mu.Lock()
	now := m.o.Now()
	for k, f := range m.calls { // keep the memo small
		if !f.fresh(now, m.o.TTL) {
			delete(m.calls, k)
		}
	}
	f, ok := m.calls[key]
	if !ok {
		f = newFlight[V](ctx)
		m.calls[key] = f
		running.add(1)
		go f.run(&m.o, fetch)
	}
	f.waiters++
	m.mu.Unlock()
	defer leave(&m.mu, f)
	return f.wait(ctx)
}

// Forget drops every kept answer: the next calls fetch afresh. Fetches
// on their way are still shared.
func (m *Keyed[V]) Forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, f := range m.calls {
		if f.finished() {
			delete(m.calls, k)
		}
	}
}

// running counts the flights of every memo in the process that have not
// returned. A flight outlives its callers when they give up (another part
// of a refresh failed): its request may still be on the wire.
var running = &counter{}

type counter struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed when n drops to 0; nil while nobody waits
}

func (c *counter) add(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += d
	if c.n == 0 && c.zero != nil {
		close(c.zero)
		c.zero = nil
	}
}

// wait returns once no flight is running, or with ctx's error.
func (c *counter) wait(ctx context.Context) error {
	c.mu.Lock()
	if c.n == 0 {
		c.mu.Unlock()
		return nil
	}
	if c.zero == nil {
		c.zero = make(chan struct{})
	}
	zero := c.zero
	c.mu.Unlock()
	select {
	case <-zero:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wait returns once no fetch of any memo in the process is running (or
// with ctx's error): a test that moves a simulated clock calls it first,
// so that a request sent at one instant does not land at the next. A
// fetch that starts while Wait returns is not waited for.
func Wait(ctx context.Context) error { return running.wait(ctx) }
