package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// counting wraps a provider, logs every call and can fail on demand.
type counting struct {
	p providers.Provider

	mu    sync.Mutex
	calls []string
	fail  error
}

func (c *counting) log(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, s)
	return c.fail
}

func (c *counting) setFail(err error) {
	c.mu.Lock()
	c.fail = err
	c.mu.Unlock()
}

// take returns the calls so far and forgets them.
func (c *counting) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

func (c *counting) Kind() string { return c.p.Kind() }
func (c *counting) Profile(ctx context.Context) (providers.Profile, error) {
	if err := c.log("Profile"); err != nil {
		return providers.Profile{}, err
	}
	return c.p.Profile(ctx)
}
func (c *counting) DaySummary(ctx context.Context, d providers.Date) (providers.DaySummary, error) {
	if err := c.log("DaySummary " + d.String()); err != nil {
		return providers.DaySummary{}, err
	}
	return c.p.DaySummary(ctx, d)
}
func (c *counting) Intraday(ctx context.Context, d providers.Date) (providers.Intraday, error) {
	if err := c.log("Intraday " + d.String()); err != nil {
		return providers.Intraday{}, err
	}
	return c.p.Intraday(ctx, d)
}
func (c *counting) DailySeries(ctx context.Context, a, b providers.Date) ([]providers.DailyValues, error) {
	if err := c.log("DailySeries " + a.String() + ".." + b.String()); err != nil {
		return nil, err
	}
	return c.p.DailySeries(ctx, a, b)
}
func (c *counting) Sleep(ctx context.Context, a, b providers.Date) ([]providers.SleepSession, error) {
	if err := c.log("Sleep " + a.String() + ".." + b.String()); err != nil {
		return nil, err
	}
	return c.p.Sleep(ctx, a, b)
}

type fixture struct {
	clk   *clock
	store *Store
	prov  *counting
	demo  *demo.Provider
	c     *Cached
	loc   *time.Location
	today providers.Date
}

func setup(t *testing.T) *fixture {
	t.Helper()
	clk := newClock(t0)
	d, err := demo.New(providers.AccountSpec{Name: "me", Provider: demo.Name, Options: map[string]string{"persona": "office"}},
		providers.Env{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(Options{Root: t.TempDir(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := d.Profile(context.Background())
	f := &fixture{clk: clk, store: s, prov: &counting{p: d}, demo: d, loc: prof.Location}
	f.c = Wrap(f.prov, "me", s, DefaultPolicy(), clk.Now)
	f.today = providers.DateOf(clk.Now().In(f.loc))
	return f
}

// restart is a new process on the same cache.
func (f *fixture) restart() {
	f.prov.take()
	f.c = Wrap(f.prov, "me", f.store, DefaultPolicy(), f.clk.Now)
}

func expectCalls(t *testing.T, p *counting, want ...string) {
	t.Helper()
	got := p.take()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("provider calls:\n got %q\nwant %q", got, want)
	}
}

var bg = context.Background()

func TestCachedSummaryFreshness(t *testing.T) {
	f := setup(t)
	day := f.today
	want, _ := f.demo.DaySummary(bg, day)
	got, err := f.c.DaySummary(bg, day)
	if err != nil || got != want {
		t.Fatalf("got %+v %v, want %+v", got, err, want)
	}
	expectCalls(t, f.prov, "Profile", "DaySummary "+day.String())
	f.clk.Advance(30 * time.Second)
	if got, _ := f.c.DaySummary(bg, day); got != want {
		t.Fatal("cached answer differs")
	}
	expectCalls(t, f.prov)
	f.clk.Advance(31 * time.Second) // today's entry is a minute old
	f.c.DaySummary(bg, day)
	expectCalls(t, f.prov, "DaySummary "+day.String())
	// A slower refresh (the scheduler stretching it) keeps it longer.
	f.c.SetRefresh(5 * time.Minute)
	f.clk.Advance(4 * time.Minute)
	f.c.DaySummary(bg, day)
	expectCalls(t, f.prov)
	if st := f.c.Status(); st.Err != nil || !st.Updated.Equal(t0.Add(61*time.Second)) {
		t.Fatalf("status %+v", st)
	}
}

// TestWarmStartSettled: a new process on a warm cache asks nothing for
// settled days, and yesterday only once it is 3 hours old.
func TestWarmStartSettled(t *testing.T) {
	f := setup(t)
	from, to := f.today.AddDays(-29), f.today.AddDays(-2)
	want, _ := f.demo.DailySeries(bg, from, to)
	if _, err := f.c.DailySeries(bg, from, to); err != nil {
		t.Fatal(err)
	}
	y := f.today.AddDays(-1)
	f.c.Intraday(bg, y)
	f.c.Sleep(bg, from, to)
	expectCalls(t, f.prov, "Profile", "DailySeries "+from.String()+".."+to.String(), "Intraday "+y.String(), "Sleep "+from.String()+".."+to.String())

	f.clk.Advance(2 * time.Hour)
	f.restart()
	got, err := f.c.DailySeries(bg, from, to)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("warm daily series differ: %v", err)
	}
	f.c.Intraday(bg, y)
	f.c.Sleep(bg, from, to)
	expectCalls(t, f.prov)
	f.c.Profile(bg) // 2 hours old: devices and battery are asked again
	expectCalls(t, f.prov, "Profile")
	f.clk.Advance(time.Hour + time.Second)
	f.c.Intraday(bg, y)
	f.c.DailySeries(bg, from, to)
	expectCalls(t, f.prov, "Intraday "+y.String())
}

func TestDailySeriesSpans(t *testing.T) {
	f := setup(t)
	d := func(n int) providers.Date { return f.today.AddDays(n) }
	f.c.DailySeries(bg, d(-20), d(-10))
	f.c.DailySeries(bg, d(-5), d(-3))
	expectCalls(t, f.prov, "Profile", "DailySeries "+d(-20).String()+".."+d(-10).String(), "DailySeries "+d(-5).String()+".."+d(-3).String())
	got, err := f.c.DailySeries(bg, d(-29), d(0))
	if err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov,
		"DailySeries "+d(-29).String()+".."+d(-21).String(),
		"DailySeries "+d(-9).String()+".."+d(-6).String(),
		"DailySeries "+d(-2).String()+".."+d(0).String())
	want, _ := f.demo.DailySeries(bg, d(-29), d(0))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stitched series differ:\n got %v\nwant %v", got, want)
	}
	// A minute on, only today is stale.
	f.clk.Advance(time.Minute)
	f.c.DailySeries(bg, d(-29), d(0))
	expectCalls(t, f.prov, "DailySeries "+d(0).String()+".."+d(0).String())
}

func TestIntradayAndSleepRoundTrip(t *testing.T) {
	f := setup(t)
	for _, day := range []providers.Date{f.today, f.today.AddDays(-3)} {
		want, _ := f.demo.Intraday(bg, day)
		f.c.Intraday(bg, day)
		f.restart()
		got, err := f.c.Intraday(bg, day)
		if err != nil {
			t.Fatal(err)
		}
		if day != f.today {
			expectCalls(t, f.prov)
		}
		sameSeries(t, "heart "+day.String(), got.HeartRate, want.HeartRate)
		sameSeries(t, "steps "+day.String(), got.Steps, want.Steps)
		if got.Date != want.Date || got.Note != want.Note {
			t.Fatalf("%v %q", got.Date, got.Note)
		}
	}
	from, to := f.today.AddDays(-10), f.today
	want, _ := f.demo.Sleep(bg, from, to)
	f.c.Sleep(bg, from, to)
	f.restart()
	got, err := f.c.Sleep(bg, from, to)
	if err != nil || len(got) != len(want) || len(want) == 0 {
		t.Fatalf("sleep: %d vs %d sessions, %v", len(got), len(want), err)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Date != w.Date || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Asleep != w.Asleep ||
			g.Main != w.Main || len(g.Segments) != len(w.Segments) {
			t.Fatalf("sleep %d: %+v vs %+v", i, g, w)
		}
	}
}

// TestOffline: a failing provider leaves the last good data on screen,
// says why in Status, and recovery clears it.
func TestOffline(t *testing.T) {
	f := setup(t)
	day := f.today
	want, _ := f.c.DaySummary(bg, day)
	f.c.DailySeries(bg, day.AddDays(-3), day)
	fetched := f.clk.Now()
	f.prov.take()

	down := providers.ErrUnreachable("demo", errors.New("dial tcp: connection refused"))
	f.prov.setFail(down)
	f.clk.Advance(10 * time.Minute)
	got, err := f.c.DaySummary(bg, day)
	if err != nil || got != want {
		t.Fatalf("offline: %+v %v", got, err)
	}
	vals, err := f.c.DailySeries(bg, day.AddDays(-3), day)
	if err != nil || len(vals) != 4 {
		t.Fatalf("offline series: %v %v", vals, err)
	}
	st := f.c.Status()
	if !st.Offline() || providers.KindOf(st.Err) != providers.KindUnreachable || !st.Updated.Equal(fetched) || !st.ErrAt.Equal(f.clk.Now()) {
		t.Fatalf("status %+v", st)
	}
	// Nothing cached: the provider's error as it is.
	if _, err := f.c.DaySummary(bg, day.AddDays(-40)); !errors.Is(err, down) {
		t.Fatalf("uncached offline: %v", err)
	}
	// A span with a missing day cannot be served.
	if _, err := f.c.DailySeries(bg, day.AddDays(-5), day); !errors.Is(err, down) {
		t.Fatalf("partly cached offline: %v", err)
	}
	// A cancelled call is not an outage.
	f.prov.setFail(nil)
	f.c.DaySummary(bg, day)
	ctx, cancel := context.WithCancel(bg)
	cancel()
	f.prov.setFail(context.Canceled)
	f.clk.Advance(2 * time.Minute)
	f.c.DaySummary(ctx, day)
	if st := f.c.Status(); st.Err != nil {
		t.Fatalf("cancel recorded as failure: %v", st.Err)
	}
	// Recovery.
	f.prov.setFail(down)
	f.c.DaySummary(bg, day)
	f.prov.setFail(nil)
	f.clk.Advance(time.Minute)
	var heard []Status
	f.c.OnStatus(func(s Status) { heard = append(heard, s) })
	f.c.DaySummary(bg, day)
	if st := f.c.Status(); st.Offline() || !st.Updated.Equal(f.clk.Now()) || len(heard) == 0 || heard[len(heard)-1].Offline() {
		t.Fatalf("after recovery %+v, heard %v", st, heard)
	}
}

func TestForceRefresh(t *testing.T) {
	f := setup(t)
	recent, old := f.today.AddDays(-6), f.today.AddDays(-100)
	f.c.Intraday(bg, recent)
	f.c.Intraday(bg, old)
	f.c.DaySummary(bg, old)
	f.c.DailySeries(bg, old, old.AddDays(9))
	f.prov.take()
	f.clk.Advance(time.Second)
	f.c.Refresh()
	f.clk.Advance(time.Second)
	f.c.DaySummary(bg, old)
	f.c.DailySeries(bg, old, old.AddDays(9))
	f.c.Intraday(bg, recent)
	f.c.Intraday(bg, old) // a per-day entry older than RefreshDays: kept
	expectCalls(t, f.prov, "DailySeries "+old.String()+".."+old.AddDays(9).String(), "Intraday "+recent.String())
	f.c.DaySummary(bg, old)
	f.c.DailySeries(bg, old, old.AddDays(9))
	expectCalls(t, f.prov)
}

// TestCorruptEntryRefetched: a damaged entry is never shown; it is fetched
// again.
func TestCorruptEntryRefetched(t *testing.T) {
	f := setup(t)
	day := f.today.AddDays(-10)
	want, _ := f.c.Intraday(bg, day)
	f.prov.take()
	p := f.store.path("me", intradayKey(day))
	b, _ := os.ReadFile(p)
	os.WriteFile(p, b[:len(b)/2], 0o600)
	got, err := f.c.Intraday(bg, day)
	if err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov, "Intraday "+day.String())
	sameSeries(t, "heart", got.HeartRate, want.HeartRate)
	// A payload that passes the checksum but does not decode is dropped too.
	f.store.Put("me", summaryKey(day), f.clk.Now(), []byte("{not json"))
	if _, err := f.c.DaySummary(bg, day); err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov, "DaySummary "+day.String())
}

// TestNoZone: without a profile the zone is unknown; calls go straight to
// the provider and nothing is cached under a guessed "today".
func TestNoZone(t *testing.T) {
	f := setup(t)
	f.prov.setFail(providers.ErrSignIn("demo", "me", nil))
	if _, err := f.c.DaySummary(bg, f.today); providers.KindOf(err) != providers.KindSignIn {
		t.Fatalf("err %v", err)
	}
	if _, err := f.c.DailySeries(bg, f.today, f.today); providers.KindOf(err) != providers.KindSignIn {
		t.Fatalf("err %v", err)
	}
	if info, _ := f.store.Info(); len(info) != 0 {
		t.Fatalf("cached without a zone: %+v", info)
	}
}

// TestCacheWriteFails: a cache that cannot be written still serves the
// provider's answers and says so.
func TestCacheWriteFails(t *testing.T) {
	f := setup(t)
	os.WriteFile(fmt.Sprintf("%s/%s", f.store.Root(), AccountDir("me")), []byte("in the way"), 0o600)
	want, _ := f.demo.DaySummary(bg, f.today)
	got, err := f.c.DaySummary(bg, f.today)
	if err != nil || got != want {
		t.Fatalf("%+v %v", got, err)
	}
	if st := f.c.Status(); st.CacheErr == nil || st.Err != nil {
		t.Fatalf("status %+v", st)
	}
}

func TestStatusLine(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	upd := time.Date(2026, 3, 5, 19, 5, 0, 0, time.UTC) // 14:05 in New York
	cases := []struct {
		st   Status
		want string
	}{
		{Status{Updated: upd}, ""},
		{Status{Updated: upd, Err: providers.ErrUnreachable("fitbit", errors.New("dial"))}, "offline, last updated 14:05"},
		{Status{Err: errors.New("something")}, "offline, never updated"},
		{Status{Updated: upd, Err: providers.ErrRateLimited("fitbit", upd.Add(55*time.Minute))}, "rate limited until 15:00, last updated 14:05"},
		{Status{Updated: upd, Err: providers.ErrGone("fitbit", "Fitbit Web API has been turned off")}, "fitbit: Fitbit Web API has been turned off (last updated 14:05)"},
	}
	for _, c := range cases {
		if got := c.st.Line(ny); got != c.want {
			t.Errorf("%v: %q, want %q", c.st.Err, got, c.want)
		}
	}
}

func TestFetchedAt(t *testing.T) {
	f := setup(t)
	day := f.today.AddDays(-3)
	if _, ok := f.c.FetchedAt(EntrySummary, day); ok {
		t.Fatal("fetch time of nothing")
	}
	f.c.DaySummary(bg, day)
	first := f.clk.Now()
	f.clk.Advance(time.Hour)
	f.c.DaySummary(bg, day) // settled: served from the cache
	if at, ok := f.c.FetchedAt(EntrySummary, day); !ok || !at.Equal(first) {
		t.Fatalf("summary fetched %v %v, want %v", at, ok, first)
	}
	if at, ok := f.c.FetchedAt(EntryProfile, providers.Date{}); !ok || !at.Equal(first) {
		t.Fatalf("profile fetched %v %v", at, ok)
	}
	if _, ok := f.c.FetchedAt("../x", day); ok {
		t.Fatal("bad kind accepted")
	}
}
