package googlehealth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// memo makes one refresh fetch nothing twice: identical requests in flight
// share one fetch, and an answer is reused for ttl after it arrived.
// Failures are shared with those already waiting but never kept.
//
// The shared fetch runs detached from any one caller and is cancelled
// when every caller waiting for it has gone.
type memo struct {
	ttl   time.Duration
	clock func() time.Time // real elapsed time, not the data clock

	mu    sync.Mutex
	calls map[string]*call
}

type call struct {
	done    chan struct{}
	val     any
	err     error
	at      time.Time
	waiters int
	cancel  context.CancelFunc
}

func newMemo(ttl time.Duration) *memo {
	return &memo{ttl: ttl, clock: time.Now, calls: map[string]*call{}}
}

// do returns the answer for key, fetching it unless a fresh one is kept or
// one is on its way.
func (m *memo) do(ctx context.Context, key string, fetch func(ctx context.Context) (any, error)) (any, error) {
	m.mu.Lock()
	now := m.clock()
	for k, c := range m.calls { // forget stale answers
		if isDone(c) && now.Sub(c.at) >= m.ttl {
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
	c := &call{done: make(chan struct{}), waiters: 1, cancel: cancel}
	m.calls[key] = c
	m.mu.Unlock()

	go func() {
		defer cancel()
		v, err := safely(fctx, fetch)
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

func isDone(c *call) bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (m *memo) wait(ctx context.Context, c *call) (any, error) {
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
		return nil, ctx.Err()
	}
}

// forget drops every kept answer (the next refresh fetches afresh).
func (m *memo) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, c := range m.calls {
		if isDone(c) {
			delete(m.calls, k)
		}
	}
}

// safely runs fetch and turns a panic into an error: a decoding bug must
// not take the dashboard down.
func safely(ctx context.Context, fetch func(ctx context.Context) (any, error)) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, providers.ErrBadData(Name, "an answer fittui failed to read", fmt.Errorf("internal error (%v); please report this", r))
		}
	}()
	return fetch(ctx)
}
