package cache

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"

	"github.com/fittui/fittui/providers"
)

// Limit is a provider's request allowance per user.
type Limit struct {
	Requests int           // per window; 0: unlimited
	Window   time.Duration // windows start at multiples of Window (top of the hour, of the minute)
}

// LimitFor returns the limit of a provider by registry name, from its
// descriptor (providers.Registration.Rate); providers without one (no
// documented limit, no network) are unlimited: a 429 still blocks the
// account until its reset (Budget.Block), and the scheduler's interval
// keeps the pace.
func LimitFor(kind string) Limit {
	r, ok := providers.Lookup(kind)
	if !ok {
		return Limit{}
	}
	return Limit{Requests: r.Rate.Requests, Window: r.Rate.Window}
}

// BudgetState is a budget's window as recorded in its state file.
type BudgetState struct {
	WindowStart  time.Time `json:"window_start"`
	Used         int       `json:"used"`
	BlockedUntil time.Time `json:"blocked_until,omitzero"`
	// Carry counts requests sent in the last moments of the window
	// (edgeOf): they may reach the provider in the next window, so they
	// count in both.
	Carry int `json:"carry,omitempty"`
}

// edgeOf is the end part of a window whose requests also count in the
// next one: 1% of it, at least a second.
func edgeOf(window time.Duration) time.Duration { return max(time.Second, window/100) }

// Budget counts the requests spent for one account in the current window,
// in a small JSON state file under the store's root (".budget/"), read
// and written under a file lock so every fittui process of the account
// shares it. Requests are counted where they are sent (Transport); the
// caching provider asks Allow before calling the provider; the scheduler
// reads State to spread refreshes over the window. A share of the window
// (Reserve, 10% by default) is kept for the person's own refreshes.
//
// Budget is safe for concurrent use.
type Budget struct {
	limit   Limit
	reserve atomic.Int64
	path    string
	now     func() time.Time

	mu   sync.Mutex // the flock is not safe for goroutines sharing it
	lock *flock.Flock
}

// Budget returns account's request budget under limit. now is the clock
// (nil: time.Now).
func (s *Store) Budget(account string, limit Limit, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	if limit.Window <= 0 {
		limit.Window = time.Hour
	}
	p := filepath.Join(s.root, budgetDir, AccountDir(account)+".json")
	b := &Budget{limit: limit, path: p, now: now, lock: flock.New(p+".lock", flock.SetPermissions(0o600))}
	b.reserve.Store(int64(max(1, limit.Requests/10)))
	return b
}

// Limit returns the budget's limit.
func (b *Budget) Limit() Limit { return b.limit }

// Reserve is how many requests of each window automatic refreshes leave
// for the person's own.
func (b *Budget) Reserve() int { return int(b.reserve.Load()) }

// SetReserve changes the reserve (clamped to 0..Requests).
func (b *Budget) SetReserve(n int) { b.reserve.Store(int64(max(0, min(n, b.limit.Requests)))) }

func (b *Budget) unlimited() bool { return b.limit.Requests <= 0 }

// update runs f on the state under both locks and saves it if f says so.
func (b *Budget) update(f func(st *BudgetState, now time.Time) bool) (BudgetState, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(b.path), 0o700); err != nil {
		return BudgetState{}, fmt.Errorf("request budget: %w", err)
	}
	if err := b.lock.Lock(); err != nil {
		return BudgetState{}, fmt.Errorf("request budget: locking: %w", err)
	}
	defer b.lock.Unlock()
	var st BudgetState
	if raw, err := os.ReadFile(b.path); err == nil {
		if json.Unmarshal(raw, &st) != nil {
			st = BudgetState{} // damaged: start the window again
		}
	}
	now := b.now()
	if win := now.Truncate(b.limit.Window); !win.Equal(st.WindowStart) {
		if win.After(st.WindowStart) {
			carry := 0
			if win.Equal(st.WindowStart.Add(b.limit.Window)) {
				carry = st.Carry
			}
			st.WindowStart, st.Used, st.Carry = win, carry, 0
		} // a window in the future (clock moved back): keep counting in it
	}
	if f(&st, now) {
		raw, _ := json.Marshal(st)
		// Not synced: it is rewritten on every request, the rename keeps
		// it whole, and a crash losing the last count loses little.
		if err := writeAtomic(filepath.Dir(b.path), b.path, raw, false); err != nil {
			return st, fmt.Errorf("request budget: %w", err)
		}
	}
	return st, nil
}

// State returns the current window's state.
func (b *Budget) State() (BudgetState, error) {
	if b.unlimited() {
		return BudgetState{}, nil
	}
	return b.update(func(*BudgetState, time.Time) bool { return false })
}

// WindowEnd is when st's window ends.
func (b *Budget) WindowEnd(st BudgetState) time.Time { return st.WindowStart.Add(b.limit.Window) }

// Available returns how many requests may still be sent in this window:
// all that are left for a manual refresh, all but the reserve otherwise;
// and, when none, the time they may resume.
func (b *Budget) Available(manual bool) (int, time.Time) {
	if b.unlimited() {
		return 1 << 30, time.Time{}
	}
	st, err := b.State()
	if err != nil {
		return 1, time.Time{} // a broken state file must not stop the dashboard
	}
	now := b.now()
	if now.Before(st.BlockedUntil) {
		return 0, st.BlockedUntil
	}
	left := b.limit.Requests - st.Used
	if !manual {
		left -= b.Reserve()
	}
	if left <= 0 {
		return 0, b.WindowEnd(st)
	}
	return left, time.Time{}
}

// Spend records n requests sent now. It reports false (and records
// nothing) when they would go over the limit or the provider asked to
// wait.
func (b *Budget) Spend(n int) (bool, time.Time, error) {
	if b.unlimited() {
		return true, time.Time{}, nil
	}
	ok, until := false, time.Time{}
	_, err := b.update(func(st *BudgetState, now time.Time) bool {
		switch {
		case now.Before(st.BlockedUntil):
			until = st.BlockedUntil
			return false
		case st.Used+n > b.limit.Requests:
			until = st.WindowStart.Add(b.limit.Window)
			return false
		}
		st.Used += n
		if st.WindowStart.Add(b.limit.Window).Sub(now) <= edgeOf(b.limit.Window) {
			st.Carry += n
		}
		ok = true
		return true
	})
	return ok, until, err
}

// Block records that the provider refused requests until until (a 429's
// reset time).
func (b *Budget) Block(until time.Time) {
	if b.unlimited() {
		return
	}
	_, _ = b.update(func(st *BudgetState, now time.Time) bool {
		if !until.After(st.BlockedUntil) {
			return false
		}
		st.BlockedUntil = until
		return true
	})
}

// Observe takes in what a provider's rate-limit headers said
// (providers.Env.OnRate): remaining requests in the window ending at
// reset. Other
// apps of the same user spend the same allowance, so the provider's
// count wins when it is higher than ours.
func (b *Budget) Observe(remaining int, reset time.Time) {
	if b.unlimited() || remaining < 0 {
		return
	}
	_, _ = b.update(func(st *BudgetState, now time.Time) bool {
		if !reset.IsZero() && !reset.After(st.WindowStart) {
			// Headers about a window that has ended (an answer that arrived
			// as the hour turned) say nothing about this one.
			return false
		}
		used := b.limit.Requests - remaining
		if used <= st.Used {
			return false
		}
		st.Used = used
		if remaining == 0 && reset.After(st.BlockedUntil) {
			st.BlockedUntil = reset
		}
		return true
	})
}

// Transport counts every request sent through it against the budget and
// refuses requests over the limit without sending them: RoundTrip returns
// a *providers.BudgetSpentError saying until when, which the providers'
// shared HTTP layer reports as "rate limited until". base nil means
// http.DefaultTransport.
func (b *Budget) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &budgetTransport{b: b, base: base}
}

type budgetTransport struct {
	b    *Budget
	base http.RoundTripper
}

func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ok, until, err := t.b.Spend(1)
	if err != nil || ok {
		// A budget that cannot be read or written does not stop requests:
		// the provider's own 429s still protect the account.
		return t.base.RoundTrip(req)
	}
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, &providers.BudgetSpentError{Until: until}
}
