package httpapi

import (
	"context"
	"sync"
)

// DefaultConcurrency is a polite number of requests in flight per account.
const DefaultConcurrency = 4

// Group runs functions concurrently, at most limit at once; the first
// error cancels the context the others got and is what Wait returns.
// Unlike errgroup, Go never blocks: a function waits for its slot in its
// own goroutine, so tasks may start tasks.
type Group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	sem    chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// NewGroup returns a group and the context its functions receive; limit
// < 1 means DefaultConcurrency.
func NewGroup(ctx context.Context, limit int) (*Group, context.Context) {
	if limit < 1 {
		limit = DefaultConcurrency
	}
	gctx, cancel := context.WithCancelCause(ctx)
	return &Group{ctx: gctx, cancel: cancel, sem: make(chan struct{}, limit)}, gctx
}

// Go runs f in the group. f is skipped when the group already failed.
func (g *Group) Go(f func(ctx context.Context) error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		select {
		case g.sem <- struct{}{}:
		case <-g.ctx.Done():
			g.fail(context.Cause(g.ctx))
			return
		}
		defer func() { <-g.sem }()
		if g.ctx.Err() != nil {
			g.fail(context.Cause(g.ctx))
			return
		}
		if err := f(g.ctx); err != nil {
			g.fail(err)
		}
	}()
}

func (g *Group) fail(err error) {
	g.once.Do(func() {
		g.err = err
		g.cancel(err)
	})
}

// Wait waits for every function and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel(nil)
	return g.err
}
