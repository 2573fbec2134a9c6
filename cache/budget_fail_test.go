package cache

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// faultFS is the operating system's files with faults: reads of paths
// containing readSub fail with readErr, writes with writeErr (a full
// disk, a read-only folder), until cleared.
type faultFS struct {
	mu                sync.Mutex
	readSub           string
	readErr, writeErr error
	writes            int // failed writes
}

func (f *faultFS) set(readSub string, readErr, writeErr error) {
	f.mu.Lock()
	f.readSub, f.readErr, f.writeErr = readSub, readErr, writeErr
	f.mu.Unlock()
}

func (f *faultFS) WriteAtomic(path string, data []byte, sync bool) error {
	f.mu.Lock()
	err := f.writeErr
	if err != nil {
		f.writes++
	}
	f.mu.Unlock()
	if err != nil {
		return &os.PathError{Op: "write", Path: path, Err: err}
	}
	return OSFS{}.WriteAtomic(path, data, sync)
}

func (f *faultFS) ReadFile(path string, limit int64) ([]byte, error) {
	f.mu.Lock()
	err := f.readErr
	if f.readSub != "" && !strings.Contains(path, f.readSub) {
		err = nil
	}
	f.mu.Unlock()
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return OSFS{}.ReadFile(path, limit)
}

// fitbitLike is Fitbit's limit: 150 an hour, a reserve of 15.
var fitbitLike = Limit{Requests: 150, Window: time.Hour}

func budgetOn(t *testing.T, fsys FS) (*Budget, *clock, string) {
	t.Helper()
	clk := newClock(t0)
	root := t.TempDir()
	s, err := Open(Options{Root: root, Now: clk.Now, FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	return s.Budget("me", fitbitLike, clk.Now), clk, root
}

// spend spends n one at a time, failing the test if one is refused.
func spend(t *testing.T, b *Budget, n int) {
	t.Helper()
	for i := range n {
		if ok, until, err := b.Spend(1); !ok || err != nil {
			t.Fatalf("request %d of %d refused (until %v): %v", i+1, n, until, err)
		}
	}
}

func readState(t *testing.T, path string) BudgetState {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the state file was not rewritten: %v", err)
	}
	var st BudgetState
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("the state file is still damaged: %v (%q)", err, raw)
	}
	return st
}

// TestBudgetDamageFailsClosed: a state file that is damaged, unreadable
// or names a window or a block too far ahead is never read as an empty
// window. Another process spent 140 of Fitbit's 150 this hour; after the
// damage the hour counts as spent but for the person's reserve: automatic
// requests get nothing, the person's refresh gets the reserve, a warning
// says so, a valid file is written back, and the next hour is normal.
func TestBudgetDamageFailsClosed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string, clk *clock, fsys *faultFS)
		reason string
	}{
		{"truncated", func(t *testing.T, path string, _ *clock, _ *faultFS) {
			raw, _ := os.ReadFile(path)
			os.WriteFile(path, raw[:len(raw)/2], 0o600)
		}, "not a budget record"},
		{"not JSON", func(t *testing.T, path string, _ *clock, _ *faultFS) {
			os.WriteFile(path, []byte("\x00\x01 not json at all"), 0o600)
		}, "not a budget record"},
		{"empty", func(t *testing.T, path string, _ *clock, _ *faultFS) {
			os.WriteFile(path, nil, 0o600)
		}, "not a budget record"},
		{"unreadable (mode 000)", func(t *testing.T, path string, _ *clock, fsys *faultFS) {
			os.Chmod(path, 0)
			fsys.set(".json", syscall.EACCES, nil) // the same for root, who may read anything
		}, "permission denied"},
		{"a day ahead (clock stepped back)", func(t *testing.T, path string, clk *clock, _ *faultFS) {
			raw, _ := json.Marshal(BudgetState{WindowStart: clk.Now().Truncate(time.Hour).Add(24 * time.Hour), Used: 3})
			os.WriteFile(path, raw, 0o600)
		}, "its window starts"},
		{"blocked for a day", func(t *testing.T, path string, clk *clock, _ *faultFS) {
			raw, _ := json.Marshal(BudgetState{WindowStart: clk.Now().Truncate(time.Hour), Used: 3, BlockedUntil: clk.Now().Add(24 * time.Hour)})
			os.WriteFile(path, raw, 0o600)
		}, "it blocks requests"},
		{"a negative count", func(t *testing.T, path string, clk *clock, _ *faultFS) {
			raw, _ := json.Marshal(BudgetState{WindowStart: clk.Now().Truncate(time.Hour), Used: -500})
			os.WriteFile(path, raw, 0o600)
		}, "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := &faultFS{}
			other, clk, root := budgetOn(t, fsys)
			spend(t, other, 140) // another process's hour
			path := other.path
			tc.damage(t, path, clk, fsys)

			s, _ := Open(Options{Root: root, Now: clk.Now, FS: fsys})
			b := s.Budget("me", fitbitLike, clk.Now) // this process has spent nothing
			clk.Advance(time.Minute)
			end := clk.Now().Truncate(time.Hour).Add(time.Hour)
			if n, until := b.Available(false); n != 0 || !until.Equal(end) {
				t.Fatalf("automatic requests after the damage: %d until %v, want none until %v", n, until, end)
			}
			fsys.set("", nil, nil)
			if n, _ := b.Available(true); n != 15 {
				t.Fatalf("the person's refresh gets %d, want the reserve (15)", n)
			}
			var de *DamageError
			if w := b.Warning(); !errors.As(w, &de) || !strings.Contains(de.Reason, tc.reason) || !de.Until.Equal(end) {
				t.Fatalf("warning %v, want a damage warning (%s) until %v", w, tc.reason, end)
			}
			if st := readState(t, path); st.Used != 135 || !st.WindowStart.Equal(end.Add(-time.Hour)) || !st.BlockedUntil.IsZero() {
				t.Fatalf("rewritten state %+v", st)
			}
			if ok, _, _ := b.Spend(1); !ok {
				t.Fatal("the reserve cannot be spent")
			}
			// The next hour is a normal one, without the warning.
			clk.Advance(time.Hour)
			if n, _ := b.Available(false); n != 135 {
				t.Fatalf("next hour: %d automatic requests, want 135", n)
			}
			if w := b.Warning(); w != nil {
				t.Fatalf("warning in the next hour: %v", w)
			}
		})
	}
}

// TestBudgetNeverBelowOwnSpending: whatever the file says about the
// current window, a process counts at least what it spent in it.
func TestBudgetNeverBelowOwnSpending(t *testing.T) {
	b, clk, _ := budgetOn(t, nil)
	spend(t, b, 50)
	raw, _ := json.Marshal(BudgetState{WindowStart: clk.Now().Truncate(time.Hour), Used: 2})
	os.WriteFile(b.path, raw, 0o600)
	if st, err := b.State(); err != nil || st.Used != 50 {
		t.Fatalf("after a lower count was written: %+v %v, want 50", st, err)
	}
	if st := readState(t, b.path); st.Used != 50 {
		t.Fatalf("the file was not corrected: %+v", st)
	}
	clk.Advance(time.Hour) // a new window starts from nothing
	if st, _ := b.State(); st.Used != 0 {
		t.Fatalf("next window %+v", st)
	}
}

// TestBudgetUnsharedStopsAutomaticRequests: while the state cannot be
// written (a full disk, a read-only folder), automatic requests stop, the
// person's own (Manual) spend the reserve counted in memory, the warning
// says "request budget not shared: <why>", and once the disk has room
// again the budget is shared again.
func TestBudgetUnsharedStopsAutomaticRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		why  string
	}{
		{"full disk", syscall.ENOSPC, "no space left on device"},
		{"read-only folder", syscall.EROFS, "read-only file system"},
		{"permission", syscall.EACCES, "permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := &faultFS{}
			b, clk, _ := budgetOn(t, fsys)
			spend(t, b, 20)
			fsys.set("", nil, tc.err)
			if ok, _, err := b.Spend(1); ok || err == nil {
				t.Fatalf("an automatic request was granted uncounted (%v %v)", ok, err)
			}
			if n, until := b.Available(false); n != 0 || !until.IsZero() {
				t.Fatalf("automatic: %d until %v", n, until)
			}
			var ue *UnsharedError
			if w := b.Warning(); !errors.As(w, &ue) || !strings.HasPrefix(w.Error(), "request budget not shared: ") || !strings.Contains(w.Error(), tc.why) {
				t.Fatalf("warning %v", w)
			}
			pe, _ := providers.AsError(b.Allow("fitbit", false))
			if why, ok := providers.BudgetUnshared(pe); pe == nil || pe.Kind != providers.KindRateLimited || !ok || !strings.Contains(why, tc.why) ||
				!strings.HasPrefix(pe.Message, "request budget not shared: ") {
				t.Fatalf("refusal %+v", pe)
			}
			// The person's refresh: the reserve, from memory.
			b.Manual(clk.Now().Add(time.Minute))
			if err := b.Allow("fitbit", true); err != nil {
				t.Fatal(err)
			}
			for range 15 {
				if ok, _, _ := b.Spend(1); !ok {
					t.Fatal("the person's request was refused")
				}
			}
			if ok, _, _ := b.Spend(1); ok {
				t.Fatal("more than the reserve was spent while not shared")
			}
			// The disk has room again: shared again, and the count kept.
			fsys.set("", nil, nil)
			if n, _ := b.Available(false); n != 0 {
				t.Fatalf("%d automatic requests after the person spent the reserve", n)
			}
			if w := b.Warning(); w != nil {
				t.Fatalf("still a warning: %v", w)
			}
			if st := readState(t, b.path); st.Used != 150 {
				t.Fatalf("shared state %+v, want 150 (135 assumed + 15 spent)", st)
			}
		})
	}
}

// TestBudgetStatePathIsAFolder: a folder where the state file should be
// cannot be read or replaced: the budget is not shared.
func TestBudgetStatePathIsAFolder(t *testing.T) {
	b, _, _ := budgetOn(t, nil)
	if err := os.MkdirAll(b.path, 0o700); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := b.Spend(1); ok {
		t.Fatal("a request was granted uncounted")
	}
	if n, _ := b.Available(false); n != 0 {
		t.Fatalf("automatic: %d", n)
	}
	if w := b.Warning(); w == nil || !strings.HasPrefix(w.Error(), "request budget not shared: ") {
		t.Fatalf("warning %v", w)
	}
}

// TestBudgetWithoutAFolder: when no folder can be made, budgets live in
// memory, one per account, and are never shared.
func TestBudgetWithoutAFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	bs, err := OpenBudgets(filepath.Join(file, "cache"), filepath.Join(file, "state"))
	if err == nil || bs.Dir() != "" {
		t.Fatalf("folders under a file: %v %q", err, bs.Dir())
	}
	clk := newClock(t0)
	b := bs.Budget("me", fitbitLike, clk.Now)
	if bs.Budget("me", fitbitLike, clk.Now) != b {
		t.Fatal("a second budget of the same account in memory")
	}
	if ok, _, _ := b.Spend(1); ok {
		t.Fatal("an automatic request was granted")
	}
	if w := b.Warning(); w == nil || !strings.Contains(w.Error(), "request budget not shared: ") || !strings.Contains(w.Error(), "not a directory") {
		t.Fatalf("warning %v", w)
	}
	b.Manual(clk.Now().Add(time.Minute))
	if n, _ := b.Available(true); n != 15 {
		t.Fatalf("the person's refresh: %d", n)
	}
	good, err := OpenBudgets(filepath.Join(file, "cache"), t.TempDir())
	if err != nil || good.Dir() == "" {
		t.Fatalf("the second folder was not used: %v", err)
	}
}

// TestBudgetBlockIsCut: a 429 naming a reset a day away blocks for the
// longest wait taken on trust (an hour for Fitbit, 15 minutes for a
// per-minute limit), not a day.
func TestBudgetBlockIsCut(t *testing.T) {
	b, clk, _ := budgetOn(t, nil)
	b.Block(clk.Now().Add(24 * time.Hour))
	if n, until := b.Available(true); n != 0 || !until.Equal(clk.Now().Add(time.Hour)) {
		t.Fatalf("blocked %d until %v", n, until)
	}
	s, _ := Open(Options{Root: t.TempDir(), Now: clk.Now})
	g := s.Budget("g", Limit{Requests: 300, Window: time.Minute}, clk.Now)
	g.Block(clk.Now().Add(24 * time.Hour))
	if _, until := g.Available(true); !until.Equal(clk.Now().Add(DefaultBackoffMax)) {
		t.Fatalf("per-minute limit blocked until %v", until)
	}
}

// TestBudgetEdgeOfShortWindow: a request counted in the last 10 seconds
// of Google Health's minute may arrive in the next one, so it counts
// there too.
func TestBudgetEdgeOfShortWindow(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 5, 15, 4, 52, 0, time.UTC))
	s, _ := Open(Options{Root: t.TempDir(), Now: clk.Now})
	b := s.Budget("me", Limit{Requests: 300, Window: time.Minute}, clk.Now)
	spend(t, b, 4)
	clk.Advance(10 * time.Second)
	if st, _ := b.State(); st.Used != 4 {
		t.Fatalf("the next minute starts at %d, want the 4 sent at :52", st.Used)
	}
	if edgeOf(time.Hour) != 36*time.Second || edgeOf(time.Minute) != 10*time.Second {
		t.Fatalf("edges %v %v", edgeOf(time.Hour), edgeOf(time.Minute))
	}
}

// TestBudgetTransportUnshared: the transport refuses an automatic request
// of a budget that is not shared, saying why, and sends nothing.
func TestBudgetTransportUnshared(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++; io.WriteString(w, "ok") }))
	defer srv.Close()
	fsys := &faultFS{}
	b, clk, _ := budgetOn(t, fsys)
	fsys.set("", nil, syscall.ENOSPC)
	cl := &http.Client{Transport: b.Transport(nil)}
	_, err := cl.Get(srv.URL)
	var spent *providers.BudgetSpentError
	if !errors.As(err, &spent) || !strings.Contains(spent.Unshared, "no space left") || hits != 0 {
		t.Fatalf("%v, %d sent", err, hits)
	}
	b.Manual(clk.Now().Add(time.Minute))
	resp, err := cl.Get(srv.URL)
	if err != nil || hits != 1 {
		t.Fatalf("the person's request: %v (%d sent)", err, hits)
	}
	resp.Body.Close()
}

// TestBudgetLocksPerRequest: the dashboard's refreshes against the fake
// Fitbit server lock the shared state file about once per request sent
// (the transport's count), not once for every look at it: the rate
// headers that only confirm our own count, and the scheduler's reads for
// one decision, do not lock it again, nor do ticks inside the interval
// the scheduler last found. Before this change the same run took 156
// locks for 46 requests (3.4 per request); now 78 (1.7).
func TestBudgetLocksPerRequest(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 5, 15, 0, 30, 0, time.UTC))
	fake := newFitbitFake(t, clk)
	e := openFitbit(t, fake, clk, t.TempDir(), 0.5)
	for i := range 20 {
		if e.sched.Due() {
			refresh(e.sched, e.c, e.today())
		}
		if i == 10 {
			if ok, _ := e.sched.Manual(); ok {
				refresh(e.sched, e.c, e.today())
			}
		}
		e.wire.Settle(t)
		clk.Advance(time.Minute)
	}
	e.budget.mu.Lock()
	locks := e.budget.locks
	e.budget.mu.Unlock()
	sent := fake.APIRequests("")
	per := float64(locks) / float64(sent)
	t.Logf("%d locks for %d requests: %.2f per request", locks, sent, per)
	if sent < 20 || per > 2 {
		t.Fatalf("%d locks for %d requests (%.2f per request), want at most 2", locks, sent, per)
	}
}
