package cache

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/providertest"
)

// fitbitEnv is one fittui process for a Fitbit account against the fake,
// wired as tui/wiring is meant to wire it: the provider's HTTP client
// counts requests in the shared budget, its rate-limit headers feed the
// budget, the provider is wrapped by the cache, and a scheduler decides.
type fitbitEnv struct {
	fake   *fitbittest.Server
	clk    *clock
	store  *Store
	budget *Budget
	fp     *fitbit.Provider
	c      *Cached
	sched  *Scheduler
	loc    *time.Location
	wire   *providertest.Wire
}

func newFitbitFake(t *testing.T, clk *clock) *fitbittest.Server {
	t.Helper()
	fake := fitbittest.New(fitbittest.Config{Persona: "office", Now: clk.Now})
	t.Cleanup(fake.Close)
	return fake
}

func openFitbit(t *testing.T, fake *fitbittest.Server, clk *clock, root string, jitter float64) *fitbitEnv {
	t.Helper()
	store, err := Open(Options{Root: root, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	budget := store.Budget("me", LimitFor(fitbit.Name), clk.Now)
	wire := &providertest.Wire{}
	fp, err := fitbit.New(providers.AccountSpec{Name: "me", Provider: fitbit.Name}, providers.Env{
		Now: clk.Now, Tokens: fake.Tokens(), APIURL: fake.URL,
		HTTPClient: &http.Client{Transport: budget.Transport(wire.Transport(nil)), Timeout: 10 * time.Second},
		OnRate:     func(rl providers.RateReading) { budget.Observe(rl.Remaining, rl.Reset) },
	})
	if err != nil {
		t.Fatal(err)
	}
	c := Wrap(fp, "me", store, DefaultPolicy(), clk.Now)
	c.UseBudget(budget)
	sched := NewScheduler(c, budget, SchedulerOptions{Rand: func() float64 { return jitter }})
	return &fitbitEnv{fake: fake, clk: clk, store: store, budget: budget, fp: fp, c: c, sched: sched, loc: fake.Location(), wire: wire}
}

func (e *fitbitEnv) today() providers.Date { return providers.DateOf(e.clk.Now().In(e.loc)) }

// dashboard does what the dashboard's refresh does (tui/engine): the
// profile, then at once today's summary, intraday series, last night's
// sleep and 30 days of daily values. shown is the worst error a caller
// sees (nil when the cache covered every failure with older data);
// failure is the one the scheduler hears, the covered ones included.
func dashboard(p Source, today providers.Date) (shown, failure error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if a := p.ProfileAnswer(ctx, Ask); a.Err != nil {
		if !a.Stale {
			return a.Err, a.Err
		}
		failure = a.Err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		hard error
	)
	run := func(f func() (error, bool)) {
		wg.Go(func() {
			err, stale := f()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
			case stale:
				if failure == nil {
					failure = err
				}
			case hard == nil:
				hard = err
			}
		})
	}
	run(func() (error, bool) { a := p.DaySummaryAnswer(ctx, Ask, today); return a.Err, a.Stale })
	run(func() (error, bool) { a := p.IntradayAnswer(ctx, Ask, today); return a.Err, a.Stale })
	run(func() (error, bool) { a := p.SleepAnswer(ctx, Ask, today, today); return a.Err, a.Stale })
	run(func() (error, bool) {
		a := p.DailySeriesAnswer(ctx, Ask, today.AddDays(-29), today)
		return a.Err, a.Stale
	})
	wg.Wait()
	if hard != nil {
		return hard, hard
	}
	return nil, failure
}

// refresh is one scheduled refresh: dashboard, then Done with its failure.
// It returns the error a caller sees.
func refresh(s *Scheduler, p Source, today providers.Date) error {
	shown, failure := dashboard(p, today)
	s.Done(failure)
	return shown
}

// TestFitbit24Hours runs 24 simulated hours (3 under the race detector)
// at the default settings (a tick every minute) against the fake Fitbit
// server, with the person pressing r now and then: no clock hour goes over 150 requests, the fake
// never has to answer 429, and the dashboard still refreshes every few
// minutes.
func TestFitbit24Hours(t *testing.T) {
	if testing.Short() {
		t.Skip("24 simulated hours")
	}
	clk := newClock(time.Date(2026, 3, 5, 15, 0, 30, 0, time.UTC))
	fake := newFitbitFake(t, clk)
	e := openFitbit(t, fake, clk, t.TempDir(), 0.5)

	hour := clk.Now().Truncate(time.Hour)
	var refreshes, manual, failed int
	var lastOK time.Time
	check := func() {
		reqs := fake.Requests()
		n, limited := 0, 0
		for _, r := range reqs {
			if !r.OAuth {
				n++
				if r.Status == http.StatusTooManyRequests {
					limited++
				}
			}
		}
		t.Logf("%s: %3d requests, %2d refreshes (%d by r), %d failed, interval now %v",
			hour.Format("Jan 2 15h"), n, refreshes, manual, failed, e.sched.Interval())
		if n > 150 {
			t.Errorf("%s: %d requests in one clock hour, limit 150", hour.Format("15h"), n)
		}
		if limited > 0 {
			t.Errorf("%s: the fake answered 429 %d times", hour.Format("15h"), limited)
		}
		if refreshes < 10 {
			t.Errorf("%s: only %d refreshes", hour.Format("15h"), refreshes)
		}
		if gap := clk.Now().Sub(lastOK); gap > 10*time.Minute {
			t.Errorf("%s: data %v old", hour.Format("15h"), gap)
		}
		fake.ResetLog()
		refreshes, manual, failed = 0, 0, 0
	}
	hours := 24
	if raceEnabled {
		hours = 3
	}
	for tick := range hours * 60 {
		if h := clk.Now().Truncate(time.Hour); !h.Equal(hour) {
			check()
			hour = h
		}
		run := e.sched.Due()
		if tick%17 == 5 { // the person presses r, about 3 times an hour
			if ok, _ := e.sched.Manual(); ok {
				run = true
				manual++
			}
		}
		if run {
			err := refresh(e.sched, e.c, e.today())
			refreshes++
			if err != nil || e.c.Status().Err != nil {
				failed++
				t.Logf("%s: %v / %v", clk.Now().Format("15:04"), err, e.c.Status().Err)
			} else {
				lastOK = clk.Now()
			}
		}
		e.wire.Settle(t) // see TestGoogleHealthMinuteBudget
		clk.Advance(time.Minute)
	}
	check()
}

// TestFitbitWarmStart: a second process on a warm cache asks the fake
// nothing for settled days (nor for a recent profile).
func TestFitbitWarmStart(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC))
	fake := newFitbitFake(t, clk)
	root := t.TempDir()
	first := openFitbit(t, fake, clk, root, 0.5)
	today := first.today()
	from, to := today.AddDays(-89), today.AddDays(-2)
	ctx := context.Background()
	settled := func(p providers.Provider) ([]providers.DailyValues, error) {
		if _, err := p.Profile(ctx); err != nil {
			return nil, err
		}
		for d := today.AddDays(-7); d.Before(today.AddDays(-1)); d = d.AddDays(1) {
			if _, err := p.DaySummary(ctx, d); err != nil {
				return nil, err
			}
			if _, err := p.Intraday(ctx, d); err != nil {
				return nil, err
			}
		}
		if _, err := p.Sleep(ctx, from, to); err != nil {
			return nil, err
		}
		return p.DailySeries(ctx, from, to)
	}
	cold, err := settled(first.c)
	if err != nil {
		t.Fatal(err)
	}
	if n := fake.APIRequests(""); n == 0 {
		t.Fatal("the cold start asked nothing")
	}
	fake.ResetLog()

	clk.Advance(20 * time.Minute)
	second := openFitbit(t, fake, clk, root, 0.5) // a new process: empty memos
	warm, err := settled(second.c)
	if err != nil {
		t.Fatal(err)
	}
	if n := fake.APIRequests(""); n != 0 {
		t.Fatalf("warm start sent %d requests for settled days: %v", n, fake.Requests())
	}
	if len(warm) != len(cold) {
		t.Fatalf("%d vs %d days", len(warm), len(cold))
	}
	for i := range warm {
		if warm[i] != cold[i] {
			t.Fatalf("day %v: warm %+v, cold %+v", warm[i].Date, warm[i], cold[i])
		}
	}
	if st := second.c.Status(); st.Offline() || st.Updated.IsZero() {
		t.Fatalf("status %+v", st)
	}
	// Today's refresh asks again, and only for today.
	if err, _ := dashboard(second.c, today); err != nil {
		t.Fatal(err)
	}
	for _, r := range fake.Requests() {
		t.Logf("today's refresh: %s", r.Path)
	}
}

// TestFitbitOffline: the provider down keeps the last data, backs off
// with jitter and recovers by itself.
func TestFitbitOffline(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC))
	fake := newFitbitFake(t, clk)
	e := openFitbit(t, fake, clk, t.TempDir(), 0)
	today := e.today()
	if !e.sched.Due() {
		t.Fatal("first tick not due")
	}
	refresh(e.sched, e.c, today)
	good := clk.Now()

	fake.SetFault("", fitbittest.FaultServerError, -1)
	// The budget stretches the interval: a refresh costs about 9 of the
	// 135 automatic requests of the hour.
	iv := e.sched.Interval()
	if iv < 3*time.Minute || iv > 6*time.Minute {
		t.Fatalf("interval %v", iv)
	}
	clk.Advance(time.Minute)
	if e.sched.Due() {
		t.Fatal("due after the configured minute although the budget is stretched")
	}
	clk.Advance(iv - time.Minute)
	if !e.sched.Due() {
		t.Fatal("not due after the interval")
	}
	if err := refresh(e.sched, e.c, today); err != nil {
		t.Fatalf("cached data not served: %v", err)
	}
	st := e.c.Status()
	if providers.KindOf(st.Err) != providers.KindUnreachable || !st.Updated.Equal(good) {
		t.Fatalf("status %+v", st)
	}
	// jitter 0: half the base wait, then doubling.
	retry, _ := e.sched.Waiting()
	if want := clk.Now().Add(15 * time.Second); !retry.Equal(want) {
		t.Fatalf("first retry at %v, want %v", retry, want)
	}
	clk.Advance(14 * time.Second)
	if e.sched.Due() {
		t.Fatal("due during the backoff")
	}
	clk.Advance(time.Second)
	if !e.sched.Due() {
		t.Fatal("not due after the backoff")
	}
	refresh(e.sched, e.c, today)
	if retry, _ := e.sched.Waiting(); !retry.Equal(clk.Now().Add(30 * time.Second)) {
		t.Fatalf("second retry at %v", retry)
	}
	fake.ClearFaults()
	clk.Advance(30 * time.Second)
	if !e.sched.Due() {
		t.Fatal("not due after the second backoff")
	}
	refresh(e.sched, e.c, today)
	if st := e.c.Status(); st.Offline() || !st.Updated.Equal(clk.Now()) {
		t.Fatalf("not recovered: %+v", st)
	}
	if retry, stop := e.sched.Waiting(); !retry.IsZero() || stop != nil {
		t.Fatalf("still waiting: %v %v", retry, stop)
	}
}

// TestFitbitHourWithoutBudget is the control of TestFitbit24Hours: the
// same dashboard refreshing every minute without the budget and the
// scheduler goes over Fitbit's limit within the hour, so the 24-hour test
// shows the budget at work, not a quiet dashboard.
func TestFitbitHourWithoutBudget(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 5, 15, 0, 30, 0, time.UTC))
	fake := newFitbitFake(t, clk)
	store, err := Open(Options{Root: t.TempDir(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	fp, err := fitbit.New(providers.AccountSpec{Name: "me", Provider: fitbit.Name},
		providers.Env{Now: clk.Now, Tokens: fake.Tokens(), APIURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	c := Wrap(fp, "me", store, DefaultPolicy(), clk.Now)
	loc := fake.Location()
	var failed int
	for range 59 {
		if err, _ := dashboard(c, providers.DateOf(clk.Now().In(loc))); err != nil || c.Status().Err != nil {
			failed++
		}
		clk.Advance(time.Minute)
	}
	limited := 0
	for _, r := range fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 || failed == 0 {
		t.Fatalf("an unbudgeted minute-by-minute hour stayed within the limit (%d requests)", fake.APIRequests(""))
	}
	t.Logf("without the budget: %d requests in the hour, %d answered 429, %d refreshes hit the limit",
		fake.APIRequests(""), limited, failed)
}
