package auth

import (
	"context"
	"errors"
	"net/http/httptrace"
	"sync"
)

// A refresh request can spend the refresh token it sends (providers that
// rotate them, like Fitbit, kill it as they answer), so from the moment it
// is sent until its answer is saved, the new token exists only in this
// process. Two things keep it from being lost when fittui is asked to stop
// (Ctrl+C, SIGTERM, SIGHUP, quitting the dashboard): a request that has
// been written is no longer cancelled (sendContext), and fittui waits for
// refreshes in flight before it exits (WaitForSaves).

// flightGroup counts refreshes in flight.
type flightGroup struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
}

var flights = newFlightGroup()

func newFlightGroup() *flightGroup {
	g := &flightGroup{idle: make(chan struct{})}
	close(g.idle)
	return g
}

// begin marks a refresh in flight; the returned func ends it.
func (g *flightGroup) begin() (end func()) {
	g.mu.Lock()
	if g.n == 0 {
		g.idle = make(chan struct{})
	}
	g.n++
	g.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			g.n--
			if g.n == 0 {
				close(g.idle)
			}
			g.mu.Unlock()
		})
	}
}

func (g *flightGroup) wait(ctx context.Context) bool {
	g.mu.Lock()
	idle := g.idle
	g.mu.Unlock()
	select {
	case <-idle:
		return true
	default:
	}
	select {
	case <-idle:
		return true
	case <-ctx.Done():
		return false
	}
}

// WaitForSaves waits until no token refresh is between sending its
// request and saving the answer, or until ctx ends; it reports whether
// none is. fittui calls it before exiting.
func WaitForSaves(ctx context.Context) bool { return flights.wait(ctx) }

// sendContext is the context for one refresh request. Until the request
// is written, cancelling ctx aborts it as usual. Once it is written, the
// provider may already have spent the old refresh token and the answer is
// the only copy of the new one, so cancelling ctx no longer aborts it: it
// ends with the answer, or at ctx's deadline. stop must be called.
func (s *Source) sendContext(ctx context.Context) (sendCtx context.Context, stop func()) {
	if ctx.Err() != nil {
		return ctx, func() {} // stopped before anything was sent
	}
	inner, cancel := context.WithCancel(context.WithoutCancel(ctx))
	cancelDeadline := func() {}
	if dl, ok := ctx.Deadline(); ok {
		inner, cancelDeadline = context.WithDeadline(inner, dl)
	}
	var mu sync.Mutex
	written, aborted := false, false
	inner = httptrace.WithClientTrace(inner, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			mu.Lock()
			defer mu.Unlock()
			if info.Err == nil && !aborted {
				written = true
			}
		},
	})
	stopAfter := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !written {
			aborted = true
			cancel()
			return
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			s.r.log.Debug("asked to stop while the provider answers a refresh; waiting for the answer so that the new token is saved")
		}
	})
	return inner, func() {
		stopAfter()
		cancelDeadline()
		cancel()
	}
}
