package cache

import (
	"errors"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// refreshOnce runs a small dashboard refresh through f.c and reports it
// to s as the dashboard does (a failure the cache covered included); it
// returns the error a provider's caller would see (nil for stale data).
func refreshOnce(f *fixture, s *Scheduler) error {
	a := f.c.DaySummaryAnswer(bg, Ask, providers.DateOf(f.clk.Now().In(f.loc)))
	s.Done(a.Err)
	_, err := a.Result()
	return err
}

func TestSchedulerInterval(t *testing.T) {
	f := setup(t)
	s := NewScheduler(f.c, nil, SchedulerOptions{Interval: 2 * time.Minute})
	if f.c.Policy().Refresh != 90*time.Second {
		t.Fatalf("today stays fresh %v for a 2m interval", f.c.Policy().Refresh)
	}
	if !s.Due() {
		t.Fatal("first tick not due")
	}
	if s.Due() {
		t.Fatal("due while running")
	}
	refreshOnce(f, s)
	f.clk.Advance(time.Minute)
	if s.Due() {
		t.Fatal("due after 1m of 2m")
	}
	f.clk.Advance(time.Minute)
	if !s.Due() {
		t.Fatal("not due after 2m")
	}
	refreshOnce(f, s)
	// Today's entry is older than 90 s by the next refresh: it is fetched.
	f.prov.take()
	f.clk.Advance(2 * time.Minute)
	s.Due()
	refreshOnce(f, s)
	expectCalls(t, f.prov, "DaySummary "+f.today.String())
}

func TestSchedulerBackoff(t *testing.T) {
	f := setup(t)
	jit := 0.0
	s := NewScheduler(f.c, nil, SchedulerOptions{Rand: func() float64 { return jit }, BackoffBase: 10 * time.Second, BackoffMax: time.Minute})
	s.Due()
	refreshOnce(f, s) // cached from now on
	f.prov.setFail(providers.ErrUnreachable("demo", errors.New("no route to host")))
	var waits []time.Duration
	for i := range 6 {
		jit = float64(i%2) * 0.99
		f.clk.Advance(time.Minute)
		for !s.Due() {
			f.clk.Advance(time.Second)
		}
		if err := refreshOnce(f, s); err != nil {
			t.Fatalf("cached data not served: %v", err)
		}
		at, _ := s.Waiting()
		waits = append(waits, at.Sub(f.clk.Now()).Round(time.Second))
	}
	// 10s, 20s, 40s, 60s (cap), jittered between half and all.
	want := []time.Duration{5 * time.Second, 20 * time.Second, 20 * time.Second, time.Minute, 30 * time.Second, time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	f.prov.setFail(nil)
	f.clk.Advance(time.Minute)
	if !s.Due() {
		t.Fatal("not due after the backoff")
	}
	refreshOnce(f, s)
	if at, _ := s.Waiting(); !at.IsZero() || f.c.Status().Offline() {
		t.Fatal("not recovered")
	}
}

func TestSchedulerSignInStops(t *testing.T) {
	f := setup(t)
	s := NewScheduler(f.c, nil, SchedulerOptions{})
	s.Due()
	refreshOnce(f, s)
	f.prov.setFail(providers.ErrSignIn("demo", "me", nil))
	f.clk.Advance(time.Minute)
	s.Due()
	refreshOnce(f, s)
	if _, stop := s.Waiting(); providers.KindOf(stop) != providers.KindSignIn {
		t.Fatalf("stopped by %v", stop)
	}
	f.clk.Advance(time.Hour)
	if s.Due() {
		t.Fatal("automatic refresh after sign in again")
	}
	f.prov.setFail(nil) // the person signed in again and presses r
	if ok, _ := s.Manual(); !ok {
		t.Fatal("manual refused")
	}
	refreshOnce(f, s)
	if _, stop := s.Waiting(); stop != nil {
		t.Fatal(stop)
	}
	f.clk.Advance(time.Minute)
	if !s.Due() {
		t.Fatal("automatic refresh did not resume")
	}
}

func TestSchedulerRateLimited(t *testing.T) {
	f := setup(t)
	b := f.store.Budget("me", Limit{Requests: 100, Window: time.Hour}, f.clk.Now)
	f.c.UseBudget(b)
	s := NewScheduler(f.c, b, SchedulerOptions{})
	s.Due()
	refreshOnce(f, s)
	until := f.clk.Now().Add(20 * time.Minute)
	f.prov.setFail(providers.ErrRateLimited("demo", until))
	f.clk.Advance(10 * time.Minute)
	s.Due()
	if err := refreshOnce(f, s); err != nil {
		t.Fatal(err)
	}
	if at, _ := s.Waiting(); !at.Equal(until) {
		t.Fatalf("waiting until %v, want %v", at, until)
	}
	// The budget heard of the 429: other calls do not reach the provider.
	f.prov.take()
	f.c.Refresh()
	if _, err := f.c.DaySummary(bg, f.today); err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov)
	if st := f.c.Status(); providers.KindOf(st.Err) != providers.KindRateLimited {
		t.Fatalf("status %+v", st)
	}
	if ok, at := s.Manual(); ok || !at.Equal(until) {
		t.Fatalf("manual during the block: %v %v", ok, at)
	}
	f.prov.setFail(nil)
	f.clk.Advance(10 * time.Minute)
	if !s.Due() {
		t.Fatal("not due at the reset")
	}
	refreshOnce(f, s)
	if f.c.Status().Offline() {
		t.Fatal("not recovered")
	}
}

// TestSchedulerBudgetReserve: automatic refreshes stop at the reserve and
// the interval stretches as the budget runs low; the person's r still
// works until the window is spent.
func TestSchedulerBudgetReserve(t *testing.T) {
	f := setup(t)
	f.clk.Advance(-f.clk.Now().Sub(f.clk.Now().Truncate(time.Hour))) // top of the hour
	b := f.store.Budget("me", Limit{Requests: 20, Window: time.Hour}, f.clk.Now)
	b.SetReserve(5)
	f.c.UseBudget(b)
	s := NewScheduler(f.c, b, SchedulerOptions{})
	// Each refresh costs 3 requests, counted as a transport would.
	spend := func() {
		for range 3 {
			b.Spend(1)
		}
	}
	var starts []time.Duration
	var st BudgetState
	for m := range 60 {
		if s.Due() {
			starts = append(starts, time.Duration(m)*time.Minute)
			spend()
			refreshOnce(f, s)
		}
		st, _ = b.State()
		f.clk.Advance(time.Minute)
	}
	if len(starts) != 5 { // 15 automatic requests / 3
		t.Fatalf("%d automatic refreshes at %v", len(starts), starts)
	}
	for i := 1; i < len(starts); i++ {
		if d := starts[i] - starts[i-1]; d < 10*time.Minute {
			t.Fatalf("interval not stretched: %v", starts)
		}
	}
	if st.Used != 15 {
		t.Fatalf("used %d", st.Used)
	}
	// Back in the last minutes of the hour: the reserve is for r.
	f.clk.Advance(-2 * time.Minute)
	if ok, _ := s.Manual(); !ok {
		t.Fatal("r refused with the reserve left")
	}
	for range 5 {
		b.Spend(1)
	}
	s.Done(nil)
	if ok, at := s.Manual(); ok || !at.Equal(st.WindowStart.Add(time.Hour)) {
		t.Fatalf("r with the window spent: %v %v", ok, at)
	}
}
