// Package memo shares answers between the calls of one dashboard refresh:
// identical requests in flight share one fetch, and an answer is reused
// for a short while after it arrived. Failures are shared with those
// already waiting but never kept. It is not a cache (the cache package
// keeps data across runs).
//
// A shared fetch runs detached from any one caller and is cancelled when
// every caller waiting for it has gone, so an abandoned fetch does not
// keep talking to the provider.
package memo

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Memo shares answers of type V by string key. The zero value is not
// usable; use New.
type Memo[V any] struct {
	ttl   time.Duration
	clock func() time.Time
	// recovered turns a panic in a fetch into an error.
	recovered func(r any) error

	mu    sync.Mutex
	calls map[string]*call[V]
}

type call[V any] struct {
	done    chan struct{}
	val     V
	err     error
	at      time.Time
	waiters int
	cancel  context.CancelFunc
}

// New returns a memo keeping answers for ttl, measured on clock (nil:
// time.Now). recovered turns a panic in a fetch into the error the
// callers get (nil: a plain error), so a decoding bug cannot take the
// program down.
func New[V any](ttl time.Duration, clock func() time.Time, recovered func(r any) error) *Memo[V] {
	if clock == nil {
		clock = time.Now
	}
	if recovered == nil {
		recovered = func(r any) error { return fmt.Errorf("internal error: %v", r) }
	}
	return &Memo[V]{ttl: ttl, clock: clock, recovered: recovered, calls: map[string]*call[V]{}}
}

// Do returns the answer for key, fetching it unless a fresh one is kept or
// one is on its way.
func (m *Memo[V]) Do(ctx context.Context, key string, fetch func(ctx context.Context) (V, error)) (V, error) {
	m.mu.Lock()
	now := m.clock()
	for k, c := range m.calls { // forget stale answers
		if isDone(c) && (now.Sub(c.at) >= m.ttl || now.Before(c.at)) {
			delete(m.calls, k)
		}
	}
	if c, ok := m.calls[key]; ok {
		if isDone(c) {
			m.mu.Unlock()
			return c.val, nil // fresh: stale and failed ones were removed
		}
		if c.waiters > 0 {
			c.waiters++
			m.mu.Unlock()
			return m.wait(ctx, c)
		}
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &call[V]{done: make(chan struct{}), waiters: 1, cancel: cancel}
	m.calls[key] = c
	m.mu.Unlock()

	go func() {
		defer cancel()
		v, err := m.safely(fctx, fetch)
		m.mu.Lock()
		c.val, c.err, c.at = v, err, m.clock()
		if (err != nil || m.ttl <= 0) && m.calls[key] == c {
			delete(m.calls, key)
		}
		m.mu.Unlock()
		close(c.done)
	}()
	return m.wait(ctx, c)
}

func isDone[V any](c *call[V]) bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (m *Memo[V]) wait(ctx context.Context, c *call[V]) (V, error) {
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		m.mu.Lock()
		c.waiters--
		if c.waiters == 0 {
			c.cancel()
		}
		m.mu.Unlock()
		var zero V
		return zero, ctx.Err()
	}
}

// Forget drops every kept answer: the next calls fetch afresh.
func (m *Memo[V]) Forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, c := range m.calls {
		if isDone(c) {
			delete(m.calls, k)
		}
	}
}

func (m *Memo[V]) safely(ctx context.Context, fetch func(ctx context.Context) (V, error)) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero V
			v, err = zero, m.recovered(r)
		}
	}()
	return fetch(ctx)
}
