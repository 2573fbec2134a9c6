package daymemo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var day0 = providers.Date{Year: 2026, Month: time.March, Day: 1}

// TestDaysSplitsSharesAndExpires: the days nobody covers are fetched in
// spans of at most MaxDays, widened back to Widen days; a second ask
// inside the span is shared; after TTL it is fetched again.
func TestDaysSplitsSharesAndExpires(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	var m Days[int]
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
	got, err := m.Get(ctx, day0, day0.AddDays(39), clk.now, spec)
	if err != nil || len(got) != 40 || got[day0.AddDays(39)] != day0.AddDays(39).Day {
		t.Fatalf("got %d days, %v", len(got), err)
	}
	slices.Sort(spans) // the spans run at once
	if fmt.Sprint(spans) != "[2026-03-01..2026-03-31 2026-04-01..2026-04-09]" {
		t.Fatalf("spans %v", spans)
	}
	if _, err := m.Get(ctx, day0.AddDays(5), day0.AddDays(6), clk.now, spec); err != nil || len(spans) != 2 {
		t.Fatalf("a covered ask fetched again: %v %v", spans, err)
	}
	// A small ask outside is widened back to 10 days.
	if _, err := m.Get(ctx, day0.AddDays(49), day0.AddDays(49), clk.now, spec); err != nil || spans[2] != "2026-04-10..2026-04-19" {
		t.Fatalf("widened span %v %v", spans, err)
	}
	clk.add(TTL)
	if _, err := m.Get(ctx, day0, day0, clk.now, spec); err != nil || len(spans) != 4 {
		t.Fatalf("an old answer was reused: %v", spans)
	}
}

// TestKeyedSharesInFlightAndForgetsFailures: callers asking while a fetch
// runs share it; a failure is not kept; a panic becomes a bad-data error.
func TestKeyedSharesInFlightAndForgetsFailures(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	var m Keyed[string]
	var calls atomic.Int32
	release := make(chan struct{})
	fetch := func(context.Context) (string, error) {
		calls.Add(1)
		<-release
		return "answer", nil
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if v, err := m.Do(ctx, "k", clk.now, fetch); v != "answer" || err != nil {
				t.Errorf("got %q %v", v, err)
			}
		})
	}
	time.Sleep(10 * time.Millisecond) // let the three join the flight
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d fetches for three callers", n)
	}

	boom := errors.New("boom")
	if _, err := m.Do(ctx, "bad", clk.now, func(context.Context) (string, error) { return "", boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if v, err := m.Do(ctx, "bad", clk.now, func(context.Context) (string, error) { return "ok", nil }); v != "ok" || err != nil {
		t.Fatalf("a failure was kept: %q %v", v, err)
	}
	_, err := m.Do(ctx, "panic", clk.now, func(context.Context) (string, error) { panic("decoder bug") })
	if providers.KindOf(err) != providers.KindBadData {
		t.Fatalf("panic: %v", err)
	}
}
