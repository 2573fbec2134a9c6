package cache

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// SchedulerOptions tune a Scheduler; zero values are defaults.
type SchedulerOptions struct {
	// Interval is the refresh interval asked for (the config's refresh);
	// 0: DefaultRefresh. The scheduler stretches it when the budget runs
	// low.
	Interval time.Duration
	// BackoffBase and BackoffMax bound the waits after failures
	// (0: 30 s and 15 min); each failure doubles the wait, jittered
	// between half and all of it.
	BackoffBase, BackoffMax time.Duration
	// Rand returns a number in [0,1) for the jitter; nil: math/rand/v2.
	Rand func() float64
	// Now is the clock; nil: the Cached provider's.
	Now func() time.Time
}

// Defaults of SchedulerOptions.
const (
	DefaultBackoffBase = 30 * time.Second
	DefaultBackoffMax  = 15 * time.Minute
	// initialCost is the guess of requests per refresh before one has been
	// measured.
	initialCost = 10
)

// Scheduler decides when one account refreshes. The dashboard's ticker
// calls Due on every tick; when it says yes, the dashboard runs its
// fetches through the Cached provider (which asks the provider only for
// what is stale) and then calls Done. The person's `r` goes through
// Manual.
//
// It refreshes at the configured interval while the request budget
// allows, measures what a refresh costs, and stretches the interval so
// the window's budget (less the reserve for `r`) lasts until the window
// ends. After a failure it backs off with jitter (until the provider's
// reset time for a rate limit) and tries again by itself; after "sign in
// again" or "provider gone" it waits for the person.
//
// Scheduler is safe for concurrent use.
type Scheduler struct {
	c   *Cached
	b   *Budget // nil: unlimited
	opt SchedulerOptions

	mu        sync.Mutex
	running   bool
	lastStart time.Time
	usedAt    BudgetState   // budget at the start of the running refresh
	lastIv    time.Duration // the interval Due found last
	cost      float64       // requests per refresh, smoothed
	measured  bool          // cost comes from a refresh, not the guess
	failures  int
	retryAt   time.Time // after a failure: when to try again (the interval does not apply)
	stopped   error     // sign in again / gone: no automatic refresh
}

// NewScheduler returns the scheduler of c's account; b may be nil.
func NewScheduler(c *Cached, b *Budget, opt SchedulerOptions) *Scheduler {
	if opt.Interval <= 0 {
		opt.Interval = DefaultRefresh
	}
	if opt.BackoffBase <= 0 {
		opt.BackoffBase = DefaultBackoffBase
	}
	if opt.BackoffMax <= 0 {
		opt.BackoffMax = DefaultBackoffMax
	}
	if opt.Rand == nil {
		opt.Rand = rand.Float64
	}
	if opt.Now == nil {
		opt.Now = c.now
	}
	s := &Scheduler{c: c, b: b, opt: opt, cost: initialCost}
	c.SetRefresh(freshFor(opt.Interval))
	return s
}

// freshFor is how long today's entries stay fresh for a refresh every d:
// a little less than d, so the next refresh finds them stale.
func freshFor(d time.Duration) time.Duration {
	return max(time.Second, d-min(d/4, 30*time.Second))
}

// Interval returns the refresh interval in force now (the configured one
// or stretched).
func (s *Scheduler) Interval() time.Duration {
	s.mu.Lock()
	cost := s.cost
	s.mu.Unlock()
	now := s.opt.Now()
	st, unshared := s.state()
	return s.interval(now, cost, st, unshared)
}

// state reads the budget once for a decision (nil budget: zero state).
func (s *Scheduler) state() (BudgetState, error) {
	if s.b == nil || s.b.unlimited() {
		return BudgetState{}, nil
	}
	return s.b.view()
}

func (s *Scheduler) interval(now time.Time, cost float64, st BudgetState, unshared error) time.Duration {
	base := s.opt.Interval
	if s.b == nil || s.b.unlimited() || unshared != nil {
		return base
	}
	end := s.b.WindowEnd(st)
	tleft := end.Sub(now)
	left := float64(s.b.limit.Requests - s.b.Reserve() - st.Used)
	if left < cost {
		return max(base, tleft)
	}
	return max(base, time.Duration(float64(tleft)*cost/left))
}

// Due reports whether an automatic refresh should start now, and if so
// marks it started (call Done when it ends). It reads the shared budget's
// state file (once): call it from the tick's tea.Cmd, not from Update
// (the same goes for Manual and Done).
func (s *Scheduler) Due() bool {
	now := s.opt.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running || s.stopped != nil || now.Before(s.retryAt) {
		return false
	}
	waiting := !s.lastStart.IsZero() && s.retryAt.IsZero()
	if waiting && now.Sub(s.lastStart) < s.lastIv {
		// Inside the interval the last look at the budget gave: no need
		// to read it again (it only stretches or shrinks the wait).
		return false
	}
	st, unshared := s.state()
	iv := s.interval(now, s.cost, st, unshared)
	s.lastIv = iv
	s.c.SetRefresh(freshFor(iv))
	if waiting && now.Sub(s.lastStart) < iv {
		return false
	}
	if s.b != nil && !s.b.unlimited() {
		if n, _ := s.b.left(st, unshared, now, false); float64(n) < min(s.cost, float64(s.b.limit.Requests)) {
			return false
		}
	}
	s.start(now, st)
	return true
}

// start marks a refresh started at now, with the budget at st.
func (s *Scheduler) start(now time.Time, st BudgetState) {
	s.running = true
	s.lastStart = now
	s.usedAt = st
}

// Warning is the account's budget warning (see Budget.Warning); nil
// without a budget.
func (s *Scheduler) Warning() error {
	if s.b == nil {
		return nil
	}
	return s.b.Warning()
}

// Manual is the person's `r`: everything cached becomes stale and a
// refresh may start now, spending the reserve if need be. It says no
// (with the time requests may resume) when the budget is spent or the
// provider asked to wait; the dashboard then says so and keeps the
// cached data. Call Done when the refresh ends.
func (s *Scheduler) Manual() (bool, time.Time) {
	now := s.opt.Now()
	st, unshared := s.state()
	if s.b != nil && !s.b.unlimited() {
		if n, until := s.b.left(st, unshared, now, true); n <= 0 {
			return false, until
		}
	}
	s.c.Refresh()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = nil
	s.retryAt = time.Time{}
	s.start(now, st)
	return true, time.Time{}
}

// Done ends a refresh. err is the worst failure the refresh met (nil if
// none), a failure the cache covered with older data included: the Err
// of a stale Answer.
func (s *Scheduler) Done(err error) {
	now := s.opt.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return
	}
	s.running = false
	s.lastIv = 0 // the cost may have changed: the next Due looks again
	if s.b != nil && !s.b.unlimited() {
		// The state as the refresh's last request left it: reading it
		// again would only add other processes' requests to the cost.
		if st := s.b.last(); s.b.Unshared() == nil && st.WindowStart.Equal(s.usedAt.WindowStart) && err == nil {
			if spent := float64(st.Used - s.usedAt.Used); spent >= 0 {
				if s.measured {
					spent = (s.cost + spent) / 2
				}
				s.cost, s.measured = max(1, spent), true
			}
		}
	}
	switch providers.KindOf(err) {
	case providers.KindUnknown:
		if err == nil {
			s.failures, s.retryAt = 0, time.Time{}
			return
		}
		s.backoff(now)
	case providers.KindSignIn, providers.KindGone:
		s.stopped = err
	case providers.KindRateLimited:
		pe, _ := providers.AsError(err)
		if pe.RetryAt.After(now) {
			s.retryAt = pe.RetryAt
		} else {
			s.backoff(now)
		}
	default:
		s.backoff(now)
	}
}

func (s *Scheduler) backoff(now time.Time) {
	s.failures++
	d := s.opt.BackoffBase
	for i := 1; i < s.failures && d < s.opt.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, s.opt.BackoffMax)
	j := s.opt.Rand()
	if j < 0 || j >= 1 {
		j = 0.5
	}
	s.retryAt = now.Add(d/2 + time.Duration(j*float64(d/2)))
}

// Waiting describes why no automatic refresh runs: the time they resume
// (zero: not waiting) and, after "sign in again" or "provider gone", the
// error that stopped them until the person acts.
func (s *Scheduler) Waiting() (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retryAt, s.stopped
}
