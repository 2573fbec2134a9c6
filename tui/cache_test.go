package tui

import (
	"os"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/engine"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/wiring"
)

// cachedAccount wraps f in a cache at root with a budget of limit, paced
// by a scheduler every refresh, as wiring.Setup.Open does.
func cachedAccount(t *testing.T, root string, f *fake, limit cache.Limit, now func() time.Time, refresh time.Duration) (wiring.Opened, *cache.Cached) {
	t.Helper()
	st, err := cache.Open(cache.Options{Root: root, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.Wrap(f, f.name, st, cache.DefaultPolicy(), now)
	b := st.Budget(f.name, limit, now)
	c.UseBudget(b)
	return wiring.Opened{Spec: providers.AccountSpec{Name: f.name, Provider: "fake"}, Provider: c, Source: c, Cache: c,
		Scheduler: cache.NewScheduler(c, b, cache.SchedulerOptions{Interval: refresh})}, c
}

// TestWarmStartPaintsFromCacheThenGoesOffline: a second start on a warm
// cache shows the cached day before the provider answers; when the
// provider is down the data stays, with "offline, last updated HH:MM".
func TestWarmStartPaintsFromCacheThenGoesOffline(t *testing.T) {
	clk := newClock(pinned)
	root := t.TempDir()
	first := newFake("cached", 4321, clk.Now)
	acc, _ := cachedAccount(t, root, first, cache.Limit{}, clk.Now, time.Minute)
	m := newModel(t, []wiring.Opened{acc}, clk.Now)
	start(m, 120, 40)
	contains(t, m.View(), "4,321")

	// Two hours later, a new process; the provider is unreachable.
	clk.Set(pinned.Add(2 * time.Hour))
	down := newFake("cached", 9999, clk.Now)
	down.failFrom, down.err = 1, providers.ErrUnreachable("fake", errTest("connection refused"))
	acc2, _ := cachedAccount(t, root, down, cache.Limit{}, clk.Now, time.Minute)
	m2 := newModel(t, []wiring.Opened{acc2}, clk.Now)
	_, _ = m2.Update(tea.WindowSizeMsg{Width: 120, Height: 40})

	// The first answers are the cache's: the day is on screen before the
	// provider has been asked for it.
	var peeked bool
	for _, msg := range collect(m2.Init()) {
		if s, ok := msg.(engine.Streamed); ok {
			if p, ok := s.Msg.(state.ProfileAnswer); ok && p.Peek {
				peeked = true
			}
		}
		send(m2, msg)
	}
	if !peeked {
		t.Fatal("the profile was not painted from the cache first")
	}
	if down.count("DaySummary") == 0 {
		t.Fatal("the stale day was not asked for after the peek")
	}
	contains(t, m2.View(), "4,321", "offline, last updated 14:03")
	lacks(t, m2.View(), "9,999")
}

type errTest string

func (e errTest) Error() string { return string(e) }

// TestSchedulerPacesTicks: with a scheduler, ticks inside the refresh
// interval end without asking the provider (SkipMsg), and the request
// after the interval goes through.
func TestSchedulerPacesTicks(t *testing.T) {
	clk := newClock(pinned)
	f := newFake("paced", 1000, clk.Now)
	acc, _ := cachedAccount(t, t.TempDir(), f, cache.Limit{Requests: 150, Window: time.Hour}, clk.Now, 5*time.Minute)
	m := newModel(t, []wiring.Opened{acc}, clk.Now)
	m.ctx.Refresh = 5 * time.Minute
	start(m, 120, 40)
	asked := f.count("DaySummary")
	skips := 0
	for range 4 { // four 1-minute ticks: inside the 5-minute interval
		clk.Set(clk.Now().Add(time.Minute))
		_, cmd := m.Update(tickMsg{})
		for _, msg := range collect(cmd) {
			if _, ok := msg.(engine.SkipMsg); ok {
				skips++
			}
			send(m, msg)
		}
		if m.state.InFlight(0, state.KindToday) {
			t.Fatal("a skipped tick left the request in flight")
		}
	}
	if skips != 3 {
		t.Errorf("%d of 4 ticks skipped; want 3 (the first starts the interval)", skips)
	}
	// The first tick starts the scheduler's clock; the rest are skipped.
	if n := f.count("DaySummary") - asked; n > 1 {
		t.Fatalf("%d summaries asked within the interval", n)
	}
	asked = f.count("DaySummary")
	clk.Set(clk.Now().Add(6 * time.Minute))
	send(m, tickMsg{})
	if f.count("DaySummary") != asked+1 {
		t.Fatalf("no refresh after the interval (%d asks)", f.count("DaySummary")-asked)
	}
}

// TestRefreshKeyWithSpentBudget: `r` on an account whose budget is spent
// says until when, and asks nothing.
func TestRefreshKeyWithSpentBudget(t *testing.T) {
	clk := newClock(pinned)
	f := newFake("spent", 1000, clk.Now)
	acc, c := cachedAccount(t, t.TempDir(), f, cache.Limit{Requests: 150, Window: time.Hour}, clk.Now, time.Minute)
	m := newModel(t, []wiring.Opened{acc}, clk.Now)
	start(m, 120, 40)
	if ok, _, _ := c.Budget().Spend(150 - mustUsed(t, c)); !ok {
		t.Fatal("could not spend the budget")
	}
	asked := f.count("DaySummary")
	press(m, "r")
	contains(t, m.View(), "the request budget is spent until 15:00")
	if f.count("DaySummary") != asked {
		t.Fatal("r asked the provider with no budget left")
	}
}

func mustUsed(t *testing.T, c *cache.Cached) int {
	t.Helper()
	st, err := c.Budget().State()
	if err != nil {
		t.Fatal(err)
	}
	return st.Used
}

// fullDisk is the operating system's files on a disk with no room left:
// every write fails (reads work).
type fullDisk struct{ cache.OSFS }

func (fullDisk) WriteAtomic(path string, _ []byte, _ bool) error {
	return &os.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
}

// TestFullCacheDiskIsSaid: when answers cannot be kept (a full disk), the
// dashboard says so once in the footer, not "● ok" alone; the next
// answers do not say it again.
func TestFullCacheDiskIsSaid(t *testing.T) {
	clk := newClock(pinned)
	f := newFake("full", 1234, clk.Now)
	st, err := cache.Open(cache.Options{Root: t.TempDir(), Now: clk.Now, FS: fullDisk{}})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.Wrap(f, f.name, st, cache.DefaultPolicy(), clk.Now)
	acc := wiring.Opened{Spec: providers.AccountSpec{Name: f.name, Provider: "fake"}, Provider: c, Source: c, Cache: c}
	m := newModel(t, []wiring.Opened{acc}, clk.Now)
	start(m, 120, 40)
	contains(t, m.View(), "1,234", "full: answers are not being kept in the cache: ", "no space left on device")
	press(m, "j") // any key clears the notice
	clk.Set(clk.Now().Add(2 * time.Minute))
	send(m, tickMsg{})
	lacks(t, m.View(), "answers are not being kept")
}

// TestUnsharedBudgetStopsAutomaticRefreshes: when the budget's state
// cannot be written (a full disk), the dashboard asks nothing by itself,
// shows what the cache holds, and says "request budget not shared: <why>";
// the person's r still fetches, counted in memory.
func TestUnsharedBudgetStopsAutomaticRefreshes(t *testing.T) {
	clk := newClock(pinned)
	f := newFake("unshared", 4321, clk.Now)
	st, err := cache.Open(cache.Options{Root: t.TempDir(), Now: clk.Now, FS: fullDisk{}})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.Wrap(f, f.name, st, cache.DefaultPolicy(), clk.Now)
	b := st.Budget(f.name, cache.Limit{Requests: 150, Window: time.Hour}, clk.Now)
	c.UseBudget(b)
	acc := wiring.Opened{Spec: providers.AccountSpec{Name: f.name, Provider: "fake"}, Provider: c, Source: c, Cache: c,
		Scheduler: cache.NewScheduler(c, b, cache.SchedulerOptions{Interval: time.Minute})}
	m := newModel(t, []wiring.Opened{acc}, clk.Now)
	start(m, 120, 40)
	for range 3 {
		clk.Set(clk.Now().Add(time.Minute))
		send(m, tickMsg{})
	}
	if n := f.count("Profile") + f.count("DaySummary"); n != 0 {
		t.Fatalf("%d automatic requests with an unshared budget", n)
	}
	contains(t, m.View(), "budget not shared", "request budget not shared: cannot write", "no space left on device")
	press(m, "r")
	if f.count("DaySummary") == 0 {
		t.Fatal("r did not fetch")
	}
	contains(t, m.View(), "4,321")
}
