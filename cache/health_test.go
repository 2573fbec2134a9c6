package cache

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// healthCounting is counting with the demo's health methods, and a way to
// make them say a metric is not granted.
type healthCounting struct {
	*counting
	h providers.HealthReader

	mu         sync.Mutex
	notGranted bool
}

func (c *healthCounting) deny(v bool) {
	c.mu.Lock()
	c.notGranted = v
	c.mu.Unlock()
}

func (c *healthCounting) denied() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notGranted
}

var errWorkoutsNotGranted = &providers.NotGrantedError{Provider: "demo", Metric: providers.HealthWorkouts, Scope: "workouts.read"}

func (c *healthCounting) Health(ctx context.Context, a, b providers.Date) ([]providers.HealthDay, error) {
	if err := c.log("Health " + a.String() + ".." + b.String()); err != nil {
		return nil, err
	}
	hs, err := c.h.Health(ctx, a, b)
	if c.denied() {
		for i := range hs {
			hs[i].SpO2 = nil
			hs[i].Note(providers.HealthSpO2, "not granted")
		}
	}
	return hs, err
}

func (c *healthCounting) HealthIntraday(ctx context.Context, d providers.Date) (providers.HealthIntraday, error) {
	if err := c.log("HealthIntraday " + d.String()); err != nil {
		return providers.HealthIntraday{}, err
	}
	return c.h.HealthIntraday(ctx, d)
}

func (c *healthCounting) Workouts(ctx context.Context, a, b providers.Date) ([]providers.Workout, error) {
	if err := c.log("Workouts " + a.String() + ".." + b.String()); err != nil {
		return nil, err
	}
	if c.denied() {
		return nil, errWorkoutsNotGranted
	}
	return c.h.Workouts(ctx, a, b)
}

func setupHealth(t *testing.T) (*fixture, *healthCounting) {
	t.Helper()
	f := setup(t)
	hc := &healthCounting{counting: f.prov, h: f.demo}
	f.c = Wrap(hc, "me", f.store, DefaultPolicy(), f.clk.Now)
	return f, hc
}

// Settled days come from the disk, today from the provider; values and
// provenance survive a restart; one call per run of stale days.
func TestHealthSettledDaysFromCache(t *testing.T) {
	f, hc := setupHealth(t)
	from, to := f.today.AddDays(-30), f.today
	want, _ := f.demo.Health(bg, from, to)
	a := f.c.HealthAnswer(bg, Ask, from, to)
	if a.Err != nil || a.FromCache || !reflect.DeepEqual(a.Value, want) {
		t.Fatalf("cold: %+v", a.Err)
	}
	expectCalls(t, f.prov, "Profile", "Health "+from.String()+".."+to.String())
	fetched := f.clk.Now()

	f.clk.Advance(5 * time.Minute)
	f.c = Wrap(hc, "me", f.store, DefaultPolicy(), f.clk.Now)
	a = f.c.HealthAnswer(bg, Ask, from, to)
	if a.Err != nil || !reflect.DeepEqual(a.Value[:30], want[:30]) || !a.FetchedAt.Equal(fetched) {
		t.Fatalf("warm: %v, fetched %v", a.Err, a.FetchedAt)
	}
	expectCalls(t, f.prov, "Health "+to.String()+".."+to.String()) // only today is stale
	if p := f.c.HealthAnswer(bg, Peek, from.AddDays(-3), to); !errors.Is(p.Err, ErrNotCached) {
		t.Fatalf("peek beyond what is kept: %+v", p)
	}
	if p := f.c.HealthAnswer(bg, Peek, from, to); p.Err != nil || !p.FromCache {
		t.Fatalf("peek: %+v", p)
	}
	expectCalls(t, f.prov)

	// Workouts and the day's intraday health likewise.
	ws := f.c.WorkoutsAnswer(bg, Ask, from, to.AddDays(-1))
	wantW, _ := f.demo.Workouts(bg, from, to.AddDays(-1))
	if ws.Err != nil || len(ws.Value) == 0 || len(ws.Value) != len(wantW) {
		t.Fatalf("workouts: %d, want %d, %v", len(ws.Value), len(wantW), ws.Err)
	}
	day := to.AddDays(-2)
	wantI, _ := f.demo.HealthIntraday(bg, day)
	f.c.HealthIntraday(bg, day)
	f.c = Wrap(hc, "me", f.store, DefaultPolicy(), f.clk.Now)
	f.prov.take()
	ws = f.c.WorkoutsAnswer(bg, Ask, from, to.AddDays(-1))
	hi := f.c.HealthIntradayAnswer(bg, Ask, day)
	expectCalls(t, f.prov)
	if !ws.FromCache || len(ws.Value) != len(wantW) || !hi.FromCache || hi.Err != nil {
		t.Fatalf("warm workouts %+v / intraday %+v", ws.Err, hi.Err)
	}
	for i := range wantW {
		g, w := ws.Value[i], wantW[i]
		if g.Date != w.Date || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Name != w.Name || *g.Steps != *w.Steps ||
			*g.Active != *w.Active || *g.AvgHeartRate != *w.AvgHeartRate {
			t.Fatalf("workout %d: %+v, want %+v", i, g, w)
		}
	}
	sameSeries(t, "hrv", hi.Value.HRV, wantI.HRV)
	if len(hi.Value.Zones) != len(wantI.Zones) {
		t.Fatalf("zone minutes %d, want %d", len(hi.Value.Zones), len(wantI.Zones))
	}
}

// A metric the person had not shared is asked again after the profile
// time even on a settled day; workouts not granted are an answer, not an
// outage, and nothing older stands in for them.
func TestHealthNotGranted(t *testing.T) {
	f, hc := setupHealth(t)
	hc.deny(true)
	day := f.today.AddDays(-5)
	h, err := f.c.Health(bg, day, day)
	if err != nil || h[0].SpO2 != nil || h[0].Missing[providers.HealthSpO2] == "" || h[0].HRV == nil {
		t.Fatalf("denied: %+v %v", h, err)
	}
	if _, err := f.c.Workouts(bg, day, day); !providers.IsNotGranted(err) {
		t.Fatalf("workouts denied: %v", err)
	}
	if st := f.c.Status(); st.Err != nil {
		t.Fatalf("a scope left out counts as a failure: %v", st.Err)
	}
	f.prov.take()
	f.clk.Advance(10 * time.Minute)
	f.c.Health(bg, day, day)
	expectCalls(t, f.prov) // settled, noted, but not yet worth asking again
	hc.deny(false)
	f.clk.Advance(DefaultProfile)
	h, _ = f.c.Health(bg, day, day)
	if h[0].SpO2 == nil || len(h[0].Missing) != 0 {
		t.Fatalf("granted later: %+v", h[0])
	}
	ws, err := f.c.Workouts(bg, day, day)
	if err != nil || len(ws) == 0 {
		t.Fatalf("workouts granted later: %v %v", ws, err)
	}
	expectCalls(t, f.prov, "Health "+day.String()+".."+day.String(), "Workouts "+day.String()+".."+day.String())
	f.clk.Advance(DefaultProfile)
	f.c.Health(bg, day, day)
	expectCalls(t, f.prov) // complete and settled: kept for good
	// Revoked again: the workouts kept are not shown as if still shared.
	hc.deny(true)
	f.c.Refresh()
	if _, err := f.c.Workouts(bg, day, day); !providers.IsNotGranted(err) {
		t.Fatalf("workouts after the scope went: %v", err)
	}
}

// Offline: the last good health data stands in, stale, with the failure.
func TestHealthOffline(t *testing.T) {
	f, _ := setupHealth(t)
	from, to := f.today.AddDays(-3), f.today
	f.c.Health(bg, from, to)
	down := providers.ErrUnreachable("demo", errors.New("connection refused"))
	f.prov.setFail(down)
	f.clk.Advance(10 * time.Minute)
	a := f.c.HealthAnswer(bg, Ask, from, to)
	if !a.Stale || !errors.Is(a.Err, down) || len(a.Value) != 4 || a.Value[0].HRV == nil {
		t.Fatalf("offline: %+v", a)
	}
	if v, err := f.c.Health(bg, from, to); err != nil || len(v) != 4 {
		t.Fatalf("offline as a provider: %v", err)
	}
	if _, err := f.c.Health(bg, from.AddDays(-10), to); !errors.Is(err, down) {
		t.Fatalf("uncached offline: %v", err)
	}
}

// A provider without health metrics answers empty days at once, asked
// nothing; so does a Direct source of one.
func TestNoHealthProvider(t *testing.T) {
	f := setup(t)
	if f.c.ServesHealth() {
		t.Fatal("counting has no health methods")
	}
	from, to := f.today.AddDays(-2), f.today
	for _, src := range []Source{f.c, Direct(f.prov, f.clk.Now)} {
		a := src.HealthAnswer(bg, Ask, from, to)
		if a.Err != nil || len(a.Value) != 3 || !a.Value[0].Empty() || a.Value[2].Date != to {
			t.Fatalf("health: %+v", a)
		}
		if w := src.WorkoutsAnswer(bg, Ask, from, to); w.Err != nil || len(w.Value) != 0 {
			t.Fatalf("workouts: %+v", w)
		}
		if i := src.HealthIntradayAnswer(bg, Peek, to); i.Err != nil || i.Value.Date != to {
			t.Fatalf("intraday: %+v", i)
		}
	}
	expectCalls(t, f.prov)
	d := Direct(f.demo, f.clk.Now)
	if a := d.HealthAnswer(bg, Ask, from, to); a.Err != nil || a.Value[0].HRV == nil || !a.FetchedAt.Equal(f.clk.Now()) {
		t.Fatalf("direct demo: %+v", a)
	}
	if a := d.WorkoutsAnswer(bg, Peek, from, to); !errors.Is(a.Err, ErrNotCached) {
		t.Fatalf("direct peek: %+v", a)
	}
}
