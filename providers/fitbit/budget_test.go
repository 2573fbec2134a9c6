package fitbit

import (
	"context"
	"sort"
	"sync"
	"testing"

	"github.com/fittui/fittui/providers"
)

// refresh does what the dashboard does on a cold start: the profile
// first, then at once the today pane (summary, intraday, last night's
// sleep, 30 days for the latest weight) and 30 days of history.
func dashboardRefresh(t testing.TB, p providers.Provider, today providers.Date) {
	t.Helper()
	c := ctx(t)
	if _, err := p.Profile(c); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	run := func(f func(context.Context) error) {
		wg.Go(func() { errs <- f(c) })
	}
	run(func(c context.Context) error { _, err := p.DaySummary(c, today); return err })
	run(func(c context.Context) error { _, err := p.Intraday(c, today); return err })
	run(func(c context.Context) error { _, err := p.Sleep(c, today, today); return err })
	run(func(c context.Context) error { _, err := p.DailySeries(c, today.AddDays(-29), today); return err }) // tui/data weight look-back
	run(func(c context.Context) error { _, err := p.DailySeries(c, today.AddDays(-29), today); return err }) // history, 30 days
	run(func(c context.Context) error { _, err := p.DailySeries(c, today.AddDays(-30), today); return err }) // `fittui today` look-back
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRequestBudget: today's pane and 30 days of history, cold, cost one
// request per Fitbit resource and nothing twice.
func TestRequestBudget(t *testing.T) {
	for _, persona := range personas {
		e := setup(t, persona)
		dashboardRefresh(t, e.p, e.today)
		reqs := e.fake.Requests()
		paths := map[string]int{}
		var list []string
		for _, r := range reqs {
			paths[r.Path]++
			list = append(list, r.Path)
		}
		sort.Strings(list)
		for p, n := range paths {
			if n > 1 {
				t.Errorf("%s: %s fetched %d times", persona, p, n)
			}
		}
		// profile, devices, summary, heart 1min, steps 1min, steps series,
		// heart series, sleep range, weight range.
		const want = 9
		if len(reqs) != want {
			t.Fatalf("%s: %d requests, want %d:\n%v", persona, len(reqs), want, list)
		}
		t.Logf("%s: cold today + 30 days = %d requests: %v", persona, len(reqs), list)

		// The same refresh again at once costs nothing.
		dashboardRefresh(t, e.p, e.today)
		if n := len(e.fake.Requests()); n != want {
			t.Fatalf("%s: repeated refresh sent %d more requests", persona, n-want)
		}
		// A later refresh asks again, still once per resource.
		e.fresh()
		e.fake.ResetLog()
		dashboardRefresh(t, e.p, e.today)
		if n := len(e.fake.Requests()); n != want {
			t.Fatalf("%s: second refresh: %d requests, want %d", persona, n, want)
		}
	}
}
