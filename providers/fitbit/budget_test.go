package fitbit

import (
	"sort"
	"testing"

	"github.com/fittui/fittui/providers/providertest"
)

// TestRequestBudget: today's pane and 30 days of history, cold, cost one
// request per Fitbit resource and nothing twice.
func TestRequestBudget(t *testing.T) {
	for _, persona := range personas {
		e := setup(t, persona)
		providertest.DashboardRefresh(t, e.p, e.today)
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
		providertest.DashboardRefresh(t, e.p, e.today)
		if n := len(e.fake.Requests()); n != want {
			t.Fatalf("%s: repeated refresh sent %d more requests", persona, n-want)
		}
		// A later refresh asks again, still once per resource.
		e.fresh()
		e.fake.ResetLog()
		providertest.DashboardRefresh(t, e.p, e.today)
		if n := len(e.fake.Requests()); n != want {
			t.Fatalf("%s: second refresh: %d requests, want %d", persona, n, want)
		}
	}
}
