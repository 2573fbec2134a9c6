package cache

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/googlehealth"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/providertest"
)

// TestGoogleHealthMinuteBudget: the same wiring for Google Health, whose
// limit is per minute. With a budget of 8 a minute (a refresh costs about 2) and the person
// pressing r on every 10-second tick, no simulated clock minute sends more
// than 8 requests, and refreshes keep coming.
func TestGoogleHealthMinuteBudget(t *testing.T) {
	clk := newClock(time.Date(2026, 11, 20, 19, 0, 5, 0, time.UTC))
	fake := googlehealthtest.New(googlehealthtest.Config{Persona: "runner", Now: clk.Now, RateLimit: -1})
	t.Cleanup(fake.Close)
	store, err := Open(Options{Root: t.TempDir(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	limit := LimitFor(googlehealth.Name)
	if limit != (Limit{Requests: 300, Window: time.Minute}) {
		t.Fatalf("Google Health limit %+v", limit)
	}
	limit.Requests = 8
	wire := &providertest.Wire{}
	budget := store.Budget("me", limit, clk.Now)
	gp, err := googlehealth.New(providers.AccountSpec{Name: "me", Provider: googlehealth.Name}, providers.Env{
		Now: clk.Now, Tokens: fake.TokenSource("me"), APIURL: fake.URL,
		HTTPClient: &http.Client{Transport: budget.Transport(wire.Transport(nil)), Timeout: 10 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := Wrap(gp, "me", store, DefaultPolicy(), clk.Now)
	c.UseBudget(budget)
	sched := NewScheduler(c, budget, SchedulerOptions{Rand: func() float64 { return 0.5 }})
	loc := fake.Location()

	minute := clk.Now().Truncate(time.Minute)
	refreshes, fullMinutes, most := 0, 0, 0
	check := func() {
		n := fake.Count()
		most = max(most, n)
		if n > 8 {
			t.Errorf("%s: %d requests in one minute, budget 8", minute.Format("15:04"), n)
		}
		if n > 0 {
			fullMinutes++
		}
		fake.ResetRequests()
	}
	for range 6 * 20 { // 20 minutes of 10-second ticks
		if m := clk.Now().Truncate(time.Minute); !m.Equal(minute) {
			check()
			minute = m
		}
		run := sched.Due()
		if ok, _ := sched.Manual(); ok {
			run = true
		}
		if run {
			refresh(sched, c, providers.DateOf(clk.Now().In(loc)))
			refreshes++
		}
		// The provider's shared fetches run detached from their callers:
		// when one part of a refresh is refused, another may still be on
		// the wire. Let it land before time jumps, or the fake would log a
		// request counted in this minute as one of the next.
		wire.Settle(t)
		clk.Advance(10 * time.Second)
	}
	check()
	if fullMinutes < 20 || refreshes < 20 {
		t.Fatalf("only %d refreshes, requests in %d minutes", refreshes, fullMinutes)
	}
	if most < 6 {
		t.Fatalf("at most %d requests a minute: the budget was never what held them back", most)
	}
	t.Logf("%d refreshes in 20 minutes, requests in %d minutes, at most %d a minute", refreshes, fullMinutes, most)
}

// healthDashboard asks what the dashboard asks on a refresh with the
// health metrics: dashboard's answers, then 30 days of health (the day's
// values and their personal ranges), the day's intraday health, its
// workouts and the history's.
func healthDashboard(t *testing.T, p Source, today providers.Date) {
	t.Helper()
	if shown, _ := dashboard(p, today); shown != nil {
		t.Fatal(shown)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() { errs <- p.HealthAnswer(bg, Ask, today.AddDays(-29), today).Err })
	wg.Go(func() { errs <- p.HealthIntradayAnswer(bg, Ask, today).Err })
	wg.Go(func() { errs <- p.WorkoutsAnswer(bg, Ask, today, today).Err })
	wg.Go(func() { errs <- p.WorkoutsAnswer(bg, Ask, today.AddDays(-29), today).Err })
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestGoogleHealthColdAndWarm counts the requests of a dashboard showing
// today and 30 days of history on Google Health, cold (nothing cached)
// and warm (a later start on the same cache): settled days cost nothing;
// what a warm start asks is today's.
func TestGoogleHealthColdAndWarm(t *testing.T) {
	clk := newClock(time.Date(2026, 11, 20, 19, 0, 5, 0, time.UTC))
	fake := googlehealthtest.New(googlehealthtest.Config{Persona: "runner", Now: clk.Now, RateLimit: -1})
	t.Cleanup(fake.Close)
	var store *Store
	fresh := func() {
		var err error
		if store, err = Open(Options{Root: t.TempDir(), Now: clk.Now}); err != nil {
			t.Fatal(err)
		}
	}
	start := func() *Cached {
		gp, err := googlehealth.New(providers.AccountSpec{Name: "me", Provider: googlehealth.Name},
			providers.Env{Now: clk.Now, Tokens: fake.TokenSource("me"), APIURL: fake.URL})
		if err != nil {
			t.Fatal(err)
		}
		return Wrap(gp, "me", store, DefaultPolicy(), clk.Now)
	}
	today := providers.DateOf(clk.Now().In(fake.Location()))
	count := func(what string, f func(c *Cached)) int {
		fake.ResetRequests()
		f(start())
		n := fake.Count()
		t.Logf("%s: %d requests", what, n)
		return n
	}
	fresh()
	classic := count("today + 30 days, cold, without health", func(c *Cached) {
		if shown, _ := dashboard(c, today); shown != nil {
			t.Fatal(shown)
		}
	})
	clk.Advance(10 * time.Minute)
	classicWarm := count("today + 30 days, warm 10 minutes later, without health", func(c *Cached) {
		if shown, _ := dashboard(c, today); shown != nil {
			t.Fatal(shown)
		}
	})
	fresh()
	cold := count("today + 30 days, cold, with health", func(c *Cached) { healthDashboard(t, c, today) })
	if classic != 13 || cold <= classic {
		t.Errorf("cold: %d without health metrics (want 13, as before them), %d with", classic, cold)
	}
	clk.Advance(10 * time.Minute)
	warm := count("today + 30 days, warm 10 minutes later, with health", func(c *Cached) { healthDashboard(t, c, today) })
	// The ranges the dashboard asked, without today and yesterday.
	settled := count("the settled days alone, warm", func(c *Cached) {
		from, to := today.AddDays(-29), today.AddDays(-2)
		for _, a := range []error{c.HealthAnswer(bg, Ask, from, to).Err, c.WorkoutsAnswer(bg, Ask, from, to).Err,
			c.DailySeriesAnswer(bg, Ask, from, to).Err} {
			if a != nil {
				t.Fatal(a)
			}
		}
	})
	t.Logf("before health metrics: %d cold, %d warm; with them: %d cold, %d warm; settled days %d", classic, classicWarm, cold, warm, settled)
	if settled != 0 || warm >= cold || classicWarm >= classic {
		t.Errorf("warm: %d requests (%d without health), %d for the settled days alone (want 0)", warm, classicWarm, settled)
	}
}
