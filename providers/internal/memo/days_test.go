package memo

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

var day0 = providers.Date{Year: 2026, Month: time.March, Day: 1}

// TestDaysSplitsSharesAndExpires: the days nobody covers are fetched in
// spans of at most MaxDays, widened back to Widen days; a second ask
// inside the span is shared; after TTL it is fetched again.
func TestDaysSplitsSharesAndExpires(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	m := NewDays[int](Options{Now: clk.now})
	var mu sync.Mutex
	var spans []string
	spec := Spec[int]{MaxDays: 31, Widen: 10, Fetch: func(_ context.Context, a, b providers.Date) (map[providers.Date]int, error) {
		mu.Lock()
		spans = append(spans, a.String()+".."+b.String())
		mu.Unlock()
		out := map[providers.Date]int{}
		for d := a; !d.After(b); d = d.AddDays(1) {
			out[d] = d.Day
		}
		return out, nil
	}}
	ctx := context.Background()
	got, err := m.Get(ctx, day0, day0.AddDays(39), spec)
	if err != nil || len(got) != 40 || got[day0.AddDays(39)] != day0.AddDays(39).Day {
		t.Fatalf("got %d days, %v", len(got), err)
	}
	slices.Sort(spans) // the spans run at once
	if fmt.Sprint(spans) != "[2026-03-01..2026-03-31 2026-04-01..2026-04-09]" {
		t.Fatalf("spans %v", spans)
	}
	if _, err := m.Get(ctx, day0.AddDays(5), day0.AddDays(6), spec); err != nil || len(spans) != 2 {
		t.Fatalf("a covered ask fetched again: %v %v", spans, err)
	}
	// A small ask outside is widened back to 10 days.
	if _, err := m.Get(ctx, day0.AddDays(49), day0.AddDays(49), spec); err != nil || spans[2] != "2026-04-10..2026-04-19" {
		t.Fatalf("widened span %v %v", spans, err)
	}
	clk.add(TTL)
	if _, err := m.Get(ctx, day0, day0, spec); err != nil || len(spans) != 4 {
		t.Fatalf("an old answer was reused: %v", spans)
	}
}

// A failed span is shared with those waiting but not kept; a caller that
// gives up leaves the others' fetch running.
func TestDaysFailuresAndLeaving(t *testing.T) {
	m := NewDays[int](Options{})
	calls := 0
	fail := true
	spec := Spec[int]{MaxDays: 7, Fetch: func(_ context.Context, a, b providers.Date) (map[providers.Date]int, error) {
		calls++
		if fail {
			return nil, fmt.Errorf("boom")
		}
		return map[providers.Date]int{a: 1}, nil
	}}
	ctx := context.Background()
	if _, err := m.Get(ctx, day0, day0, spec); err == nil {
		t.Fatal("no error")
	}
	fail = false
	if got, err := m.Get(ctx, day0, day0, spec); err != nil || got[day0] != 1 || calls != 2 {
		t.Fatalf("a failure was kept: %v %v, %d calls", got, err, calls)
	}

	release := make(chan struct{})
	slow := Spec[int]{MaxDays: 7, Fetch: func(ctx context.Context, a, b providers.Date) (map[providers.Date]int, error) {
		select {
		case <-release:
			return map[providers.Date]int{a: 2}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}}
	d := day0.AddDays(20)
	gone, cancel := context.WithCancel(ctx)
	stays := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		close(started)
		_, err := m.Get(gone, d, d, slow)
		stays <- err
	}()
	<-started
	for { // the first caller's flight is in place
		m.mu.Lock()
		f := m.days[d]
		m.mu.Unlock()
		if f != nil {
			break
		}
		runtime.Gosched()
	}
	other := make(chan map[providers.Date]int, 1)
	go func() { v, _ := m.Get(ctx, d, d, slow); other <- v }()
	for { // and the second has joined it
		m.mu.Lock()
		n := m.days[d].waiters
		m.mu.Unlock()
		if n == 2 {
			break
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-stays; err != context.Canceled {
		t.Fatalf("the caller that gave up got %v", err)
	}
	close(release)
	if v := <-other; v[d] != 2 {
		t.Fatalf("the caller that stayed got %v", v)
	}
}
