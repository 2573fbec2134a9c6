package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adrg/xdg"
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
// next one: a request counted there may reach the provider after the
// window turned (network, retries). 1% of the window, and at least a
// sixth of it up to 10 s, so a 60-second window (Google Health's) has a
// 10-second edge and an hour 36 s.
func edgeOf(window time.Duration) time.Duration {
	return max(time.Second, window/100, min(window/6, 10*time.Second))
}

// maxBlockOf is the longest wait a state file (or a 429) may name: a
// window, or the scheduler's longest backoff for short windows. Anything
// later is damage (a clock stepped back a day must not block the account
// for a day).
func maxBlockOf(window time.Duration) time.Duration { return max(window, DefaultBackoffMax) }

// maxStateBytes bounds a budget state file: it holds four numbers.
const maxStateBytes = 4 << 10

// Budgets is where the request budgets of accounts are kept: a folder
// shared by every fittui process (the cache's ".budget/", or
// StateBudgetDir when the cache folder cannot be used), or, when no
// folder can be made, this process's memory, where a budget is never
// shared (see Budget).
type Budgets struct {
	dir string // "": in memory
	why error  // in memory: why no folder could be used
	fs  FS

	mu  sync.Mutex
	mem map[string]*Budget // in memory: one budget per account, for good
}

// StateBudgetDir is where budgets go when the cache folder cannot be
// used: $XDG_STATE_HOME/fittui/budget.
func StateBudgetDir() string { return filepath.Join(xdg.StateHome, "fittui", "budget") }

// OpenBudgets keeps budgets in the first of dirs that exists or can be
// made (0700). When none can, the budgets live in memory and the error
// says why; they are never shared, so automatic requests stop (see
// Budget) and the person should be told.
func OpenBudgets(dirs ...string) (*Budgets, error) {
	var errs []error
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o700); err != nil {
			errs = append(errs, err)
			continue
		}
		return &Budgets{dir: d, fs: OSFS{}}, nil
	}
	why := errors.Join(errs...)
	if why == nil {
		why = errors.New("no folder to keep it in")
	}
	return &Budgets{why: why, fs: OSFS{}, mem: map[string]*Budget{}}, why
}

// Dir is the budgets' folder; "" when they are kept in memory.
func (bs *Budgets) Dir() string { return bs.dir }

// Budgets returns the budgets kept beside the store's entries.
func (s *Store) Budgets() *Budgets { return &Budgets{dir: filepath.Join(s.root, budgetDir), fs: s.fs} }

// Budget returns account's request budget under limit, kept in the
// store's folder. now is the clock (nil: time.Now).
func (s *Store) Budget(account string, limit Limit, now func() time.Time) *Budget {
	return s.Budgets().Budget(account, limit, now)
}

// Budget returns account's request budget under limit. now is the clock
// (nil: time.Now).
func (bs *Budgets) Budget(account string, limit Limit, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	if limit.Window <= 0 {
		limit.Window = time.Hour
	}
	fsys := bs.fs
	if fsys == nil {
		fsys = OSFS{}
	}
	b := &Budget{limit: limit, now: now, fs: fsys}
	b.reserve.Store(int64(max(1, limit.Requests/10)))
	if bs.dir == "" {
		bs.mu.Lock()
		defer bs.mu.Unlock()
		if old, ok := bs.mem[account]; ok && old.limit == limit {
			return old
		}
		b.noFolder = bs.why
		bs.mem[account] = b
		return b
	}
	b.path = filepath.Join(bs.dir, AccountDir(account)+".json")
	b.lock = flock.New(b.path+".lock", flock.SetPermissions(0o600))
	return b
}

// Budget counts the requests spent for one account in the current window,
// in a small JSON state file (see Budgets), read and written under a file
// lock so every fittui process of the account shares it. Requests are
// counted where they are sent (Transport); the caching provider asks
// Allow before calling the provider; the scheduler reads State to spread
// refreshes over the window. A share of the window (Reserve, 10% by
// default) is kept for the person's own refreshes.
//
// It fails closed. Only a missing state file means nothing was spent; a
// damaged one (unreadable, not JSON, naming a window or a block too far
// in the future) means the window is spent but for the reserve, until it
// ends, and is rewritten whole (Warning says so). A process never counts
// below what it has itself spent in the window. When the state cannot be
// written (a read-only or full disk, a folder where the file should be,
// no folder at all) the budget is not shared: automatic requests stop,
// the person's own refreshes (Manual) spend the reserve from a count in
// memory, and Warning says why until a write succeeds again.
//
// Budget is safe for concurrent use.
type Budget struct {
	limit    Limit
	reserve  atomic.Int64
	path     string // "": memory only (noFolder says why)
	noFolder error
	now      func() time.Time

	mu   sync.Mutex   // the flock is not safe for goroutines sharing it
	lock *flock.Flock // nil: memory only
	fs   FS
	// mine is what this process spent in the window starting mineAt.
	mine   int
	mineAt time.Time
	// seen is the state as last read or written (shared or not).
	seen BudgetState
	// mem is the count while the state cannot be shared.
	mem BudgetState
	// unshared is why the state could not be written (nil: shared).
	unshared error
	// wrote: the state was written once (so it can be).
	wrote bool
	// damage is what was wrong with the state file in window damageAt.
	damage   error
	damageAt time.Time
	// manualUntil: until then requests are the person's own (Manual).
	manualUntil time.Time
	locks       int // times the state file was locked (tests count them)
}

// DamageError says a budget's state file was damaged and what the budget
// assumes instead.
type DamageError struct {
	Path   string
	Reason string
	Until  time.Time // the window taken as spent ends then
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("request budget file %s was damaged (%s); it was rewritten and this window's requests count as spent until %s",
		e.Path, e.Reason, e.Until.Format("15:04"))
}

// UnsharedError says why a budget is not shared with the account's other
// fittui processes. Its Error is the status line's words.
type UnsharedError struct {
	Why error
}

func (e *UnsharedError) Error() string { return "request budget not shared: " + e.Why.Error() }
func (e *UnsharedError) Unwrap() error { return e.Why }

// Limit returns the budget's limit.
func (b *Budget) Limit() Limit { return b.limit }

// Reserve is how many requests of each window automatic refreshes leave
// for the person's own.
func (b *Budget) Reserve() int { return int(b.reserve.Load()) }

// SetReserve changes the reserve (clamped to 0..Requests).
func (b *Budget) SetReserve(n int) { b.reserve.Store(int64(max(0, min(n, b.limit.Requests)))) }

func (b *Budget) unlimited() bool { return b.limit.Requests <= 0 }

// Manual says that requests until until are the person's own (their `r`):
// they may spend the reserve, also from the in-memory count of a budget
// that is not shared.
func (b *Budget) Manual(until time.Time) {
	b.mu.Lock()
	if until.After(b.manualUntil) {
		b.manualUntil = until
	}
	b.mu.Unlock()
}

func (b *Budget) manualAt(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return now.Before(b.manualUntil)
}

// Warning is what the person should know about the budget now: an
// *UnsharedError while the state cannot be written, a *DamageError for
// the window a damaged file was found in; nil otherwise.
func (b *Budget) Warning() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unshared != nil {
		return &UnsharedError{Why: b.unshared}
	}
	if b.damage != nil && b.now().Before(b.damageAt.Add(b.limit.Window)) {
		return b.damage
	}
	return nil
}

// Damage is the last damage this budget found in its state file (nil:
// none), whether or not the window it cost is over: a command says it
// once it is done.
func (b *Budget) Damage() *DamageError {
	b.mu.Lock()
	defer b.mu.Unlock()
	de, _ := b.damage.(*DamageError)
	return de
}

// last is the state as last read or written, without reading it again.
func (b *Budget) last() BudgetState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seen
}

// Unshared is why the budget is not shared now (nil: it is).
func (b *Budget) Unshared() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.unshared
}

// change is what an update did: write the state back, and requests
// granted (counted as this process's own).
type change struct {
	write bool
	spent int
}

// update runs f on the window's state and saves it if f says so: shared
// under the file lock when it can be, else in memory (the returned error
// then says why). f may run twice: on the shared state (shared true),
// then on the memory count when the shared state could not be written.
func (b *Budget) update(f func(st *BudgetState, now time.Time, shared bool) change) (BudgetState, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	st, ch, err := b.shared(now, f)
	if err == nil {
		b.unshared = nil
	} else {
		b.unshared = err
		st = b.memory(now)
		ch = f(&st, now, false)
		b.mem = st
	}
	b.seen = st
	if ch.spent > 0 {
		b.mine += ch.spent
	}
	return st, err
}

// window is the start of now's window.
func (b *Budget) window(now time.Time) time.Time { return now.Truncate(b.limit.Window) }

// assumeSpent is a window of which nothing is known: all but the reserve
// counts as spent.
func (b *Budget) assumeSpent(now time.Time) BudgetState {
	return BudgetState{WindowStart: b.window(now), Used: max(0, b.limit.Requests-b.Reserve())}
}

// roll moves st to now's window (requests of the last one's edge carried
// over), and never below what this process spent in it or counted for it
// in memory. Lock held.
func (b *Budget) roll(st *BudgetState, now time.Time) (raised bool) {
	if win := b.window(now); win.After(st.WindowStart) {
		carry := 0
		if win.Equal(st.WindowStart.Add(b.limit.Window)) {
			carry = st.Carry
		}
		*st = BudgetState{WindowStart: win, Used: carry, BlockedUntil: st.BlockedUntil}
	} // a window ahead (the clock moved back a little): keep counting in it
	if !st.BlockedUntil.IsZero() && !now.Before(st.BlockedUntil) {
		st.BlockedUntil = time.Time{}
	}
	if !b.mineAt.Equal(st.WindowStart) {
		b.mineAt, b.mine = st.WindowStart, 0
	}
	if st.Used < b.mine {
		st.Used, raised = b.mine, true
	}
	// A window partly counted in memory (not shared) stays as spent as
	// that count said: what others sent meanwhile was never written.
	if b.mem.WindowStart.Equal(st.WindowStart) && st.Used < b.mem.Used {
		st.Used, raised = b.mem.Used, true
	}
	return raised
}

// memory is the count of a budget that is not shared: what others spend
// is unknown, so a new window starts spent but for the reserve; within
// one, nothing counts below what was last seen. Lock held.
func (b *Budget) memory(now time.Time) BudgetState {
	st := b.mem
	if win := b.window(now); !st.WindowStart.Equal(win) {
		st = b.assumeSpent(now)
		if b.seen.WindowStart.Equal(win) && b.seen.Used > st.Used {
			st.Used = b.seen.Used
		}
		if now.Before(b.seen.BlockedUntil) {
			st.BlockedUntil = b.seen.BlockedUntil
		}
	}
	b.roll(&st, now)
	return st
}

// shared runs f on the state file under its lock. Lock held.
func (b *Budget) shared(now time.Time, f func(st *BudgetState, now time.Time, shared bool) change) (BudgetState, change, error) {
	if b.path == "" {
		return BudgetState{}, change{}, b.noFolder
	}
	dir := filepath.Dir(b.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BudgetState{}, change{}, fmt.Errorf("cannot make its folder %s: %w", dir, cause(err))
	}
	if fi, err := os.Lstat(b.lock.Path()); err == nil && !fi.Mode().IsRegular() {
		// Opening a named pipe would block; it is not a lock file fittui made.
		return BudgetState{}, change{}, fmt.Errorf("its lock %s is not a regular file", b.lock.Path())
	}
	if err := b.lock.Lock(); err != nil {
		return BudgetState{}, change{}, fmt.Errorf("cannot lock %s: %w", b.name(), cause(err))
	}
	b.locks++
	defer b.lock.Unlock()
	st, damage := b.read(now)
	write := damage != nil
	if damage != nil {
		st = b.assumeSpent(now)
		b.damage, b.damageAt = &DamageError{Path: b.path, Reason: damage.Error(), Until: st.WindowStart.Add(b.limit.Window)}, st.WindowStart
	}
	if b.roll(&st, now) {
		write = true
	}
	ch := f(&st, now, true)
	if write || ch.write {
		raw, _ := json.Marshal(st)
		// Not synced: it is rewritten on every request, the rename keeps
		// it whole, and a crash losing the last count loses little.
		if err := b.fs.WriteAtomic(b.path, raw, false); err != nil {
			return st, change{}, fmt.Errorf("cannot write %s: %w", b.name(), cause(err))
		}
		b.wrote = true
	}
	return st, ch, nil
}

// name is the state file's name for messages: its folder's and its own
// (".budget/me.json"); the whole path is in the README and the debug log.
func (b *Budget) name() string {
	return filepath.Join(filepath.Base(filepath.Dir(b.path)), filepath.Base(b.path))
}

// cause is err without the path an *fs.PathError repeats.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// read reads the state file: no file is an empty record; anything else
// that is not a sane record is damage. Lock held.
func (b *Budget) read(now time.Time) (BudgetState, error) {
	raw, err := b.fs.ReadFile(b.path, maxStateBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return BudgetState{}, nil
	case err != nil:
		return BudgetState{}, fmt.Errorf("cannot read it: %w", cause(err))
	}
	var st BudgetState
	if err := json.Unmarshal(raw, &st); err != nil {
		return BudgetState{}, fmt.Errorf("not a budget record: %w", err)
	}
	win := b.window(now)
	switch {
	case st.Used < 0 || st.Carry < 0:
		return BudgetState{}, errors.New("a negative count")
	case st.WindowStart.After(win.Add(b.limit.Window)):
		return BudgetState{}, fmt.Errorf("its window starts %s from now", st.WindowStart.Sub(now).Round(time.Second))
	case st.BlockedUntil.After(now.Add(maxBlockOf(b.limit.Window))):
		return BudgetState{}, fmt.Errorf("it blocks requests for %s", st.BlockedUntil.Sub(now).Round(time.Second))
	}
	st.Used = min(st.Used, b.limit.Requests)
	return st, nil
}

// State returns the current window's state: the shared one, or while the
// budget is not shared the count in memory.
func (b *Budget) State() (BudgetState, error) {
	if b.unlimited() {
		return BudgetState{}, nil
	}
	return b.view()
}

// view reads the state. Until it was written once, and while the budget
// is not shared, it also writes it: a budget that cannot be shared is
// found before the first request, and is shared again as soon as the
// folder allows.
func (b *Budget) view() (BudgetState, error) {
	b.mu.Lock()
	probe := b.unshared != nil || !b.wrote
	b.mu.Unlock()
	return b.update(func(*BudgetState, time.Time, bool) change { return change{write: probe} })
}

// WindowEnd is when st's window ends.
func (b *Budget) WindowEnd(st BudgetState) time.Time { return st.WindowStart.Add(b.limit.Window) }

// left is how many requests st leaves at now and, when none, until when
// (zero while not shared and not the person's own: no time is known).
func (b *Budget) left(st BudgetState, unshared error, now time.Time, manual bool) (int, time.Time) {
	if now.Before(st.BlockedUntil) {
		return 0, st.BlockedUntil
	}
	if unshared != nil && !manual {
		return 0, time.Time{}
	}
	n := b.limit.Requests - st.Used
	if !manual {
		n -= b.Reserve()
	}
	if n <= 0 {
		return 0, b.WindowEnd(st)
	}
	return n, time.Time{}
}

// Available returns how many requests may still be sent in this window:
// all that are left for a manual refresh, all but the reserve otherwise;
// and, when none, the time they may resume (zero when the budget is not
// shared: see Allow).
func (b *Budget) Available(manual bool) (int, time.Time) {
	if b.unlimited() {
		return 1 << 30, time.Time{}
	}
	st, unshared := b.view()
	return b.left(st, unshared, b.now(), manual)
}

// Allow says whether a provider call may start now: nil, or the
// KindRateLimited *providers.Error of provider to show (budget spent
// until, or not shared). manual: the person's own refresh.
func (b *Budget) Allow(provider string, manual bool) error {
	if b.unlimited() {
		return nil
	}
	st, unshared := b.view()
	n, until := b.left(st, unshared, b.now(), manual)
	switch {
	case n > 0:
		return nil
	case unshared != nil && until.IsZero():
		return providers.ErrBudgetUnshared(provider, unshared.Error())
	}
	return providers.ErrBudgetSpent(provider, until)
}

// Spend records n requests sent now. It reports false (and records
// nothing) when they would go over the limit or the provider asked to
// wait. While the budget is not shared only the person's own requests
// (Manual) are granted, from the count in memory; the error then says why
// it is not shared.
func (b *Budget) Spend(n int) (bool, time.Time, error) {
	if b.unlimited() {
		return true, time.Time{}, nil
	}
	manual := b.manualAt(b.now())
	var ok bool
	var until time.Time
	_, err := b.update(func(st *BudgetState, now time.Time, shared bool) change {
		ok, until = false, time.Time{}
		switch {
		case now.Before(st.BlockedUntil):
			until = st.BlockedUntil
			return change{}
		case !shared && !manual:
			return change{}
		case st.Used+n > b.limit.Requests:
			until = st.WindowStart.Add(b.limit.Window)
			return change{}
		}
		st.Used += n
		if st.WindowStart.Add(b.limit.Window).Sub(now) <= edgeOf(b.limit.Window) {
			st.Carry += n
		}
		ok = true
		return change{write: true, spent: n}
	})
	return ok, until, err
}

// Block records that the provider refused requests until until (a 429's
// reset time); a reset further away than the longest wait taken on trust
// (a window, or the scheduler's longest backoff) is cut to it.
func (b *Budget) Block(until time.Time) {
	if b.unlimited() {
		return
	}
	_, _ = b.update(func(st *BudgetState, now time.Time, shared bool) change {
		if limit := now.Add(maxBlockOf(b.limit.Window)); until.After(limit) {
			until = limit
		}
		if !until.After(st.BlockedUntil) {
			return change{}
		}
		st.BlockedUntil = until
		return change{write: true}
	})
}

// Observe takes in what a provider's rate-limit headers said
// (providers.Env.OnRate): remaining requests in the window ending at
// reset. Other apps of the same user spend the same allowance, so the
// provider's count wins when it is higher than ours. A reading that
// cannot raise the count last seen (our own requests, counted already)
// does not touch the state file.
func (b *Budget) Observe(remaining int, reset time.Time) {
	if b.unlimited() || remaining < 0 {
		return
	}
	used := b.limit.Requests - remaining
	b.mu.Lock()
	seen := b.seen
	b.mu.Unlock()
	if remaining > 0 && b.window(b.now()).Equal(seen.WindowStart) && used <= seen.Used {
		return // the file's count is at least seen's: ours wins anyway
	}
	_, _ = b.update(func(st *BudgetState, now time.Time, shared bool) change {
		if !reset.IsZero() && !reset.After(st.WindowStart) {
			// Headers about a window that has ended (an answer that arrived
			// as the hour turned) say nothing about this one.
			return change{}
		}
		if used <= st.Used {
			return change{}
		}
		st.Used = used
		if remaining == 0 && reset.After(st.BlockedUntil) {
			st.BlockedUntil = reset
			if limit := now.Add(maxBlockOf(b.limit.Window)); reset.After(limit) {
				st.BlockedUntil = limit
			}
		}
		return change{write: true}
	})
}

// Transport counts every request sent through it against the budget and
// refuses requests it does not grant without sending them: RoundTrip
// returns a *providers.BudgetSpentError saying until when (or, for a
// budget that is not shared, why), which the providers' shared HTTP layer
// reports as "rate limited until" or "request budget not shared". base
// nil means http.DefaultTransport.
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
	if ok {
		return t.base.RoundTrip(req)
	}
	if req.Body != nil {
		req.Body.Close()
	}
	if err != nil && until.IsZero() {
		return nil, &providers.BudgetSpentError{Unshared: err.Error()}
	}
	return nil, &providers.BudgetSpentError{Until: until}
}
