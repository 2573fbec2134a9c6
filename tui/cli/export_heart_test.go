package cli

import (
	"encoding/csv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/misfit/misfittest"
)

// signedIn is a network provider's fake with one signed-in account named
// after the provider, the FITTUI_* settings pointing at it.
type signedIn struct {
	log func() []string // the API requests answered, "METHOD path"
}

func signIn(t *testing.T, provider string, now func() time.Time) signedIn {
	t.Helper()
	var env []string
	var grant oauthtest.Pair
	var s signedIn
	switch provider {
	case "fitbit":
		f := fitbittest.New(fitbittest.Config{Now: now})
		t.Cleanup(f.Close)
		env, grant = f.Env(), f.Grant()
		s.log = func() []string { return paths(f.APILog()) }
	case "googlehealth":
		f := googlehealthtest.New(googlehealthtest.Config{Now: now})
		t.Cleanup(f.Close)
		env, grant = f.Env(), f.Grant()
		s.log = func() []string { return paths(f.APILog()) }
	case "misfit":
		f := misfittest.New(misfittest.Config{Now: now})
		t.Cleanup(f.Close)
		env, grant = f.Env(), f.Grant()
		s.log = func() []string { return paths(f.APILog()) }
	case "jawbone":
		f := jawbonetest.New(jawbonetest.Config{Now: now})
		t.Cleanup(f.Close)
		env, grant = f.Env(), f.Grant()
		s.log = func() []string { return paths(f.APILog()) }
	default:
		t.Fatalf("no fake for %s", provider)
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	seed(t, provider, provider, grant)
	return s
}

// paths lists a fake's logged requests (every fake's log is fakekit's,
// which googlehealthtest names).
func paths(rs []googlehealthtest.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// A heart-rate export asks for heart rate only: 60 days of it at 1-minute
// rows cost one heart-rate request a day on Fitbit (before: a steps
// request beside each), fewer on Google Health, whose rollUp serves
// ranges, and none on Misfit and Jawbone, which have no intraday heart
// rate (the note says so). The counts are at the fakes, through the
// cache and the budget as `fittui export` runs.
func TestExportHeartAsksForHeartRateOnly(t *testing.T) {
	for _, tc := range []struct {
		provider  string
		heart     string // a heart-rate request's path has it
		most      int    // heart-rate requests for 60 days
		rows      bool
		otherwise []string // the paths any other request may have
	}{
		// One a day (before: 122 requests in all, a steps request beside
		// each heart-rate one).
		{"fitbit", "/activities/heart/date/", 60, true, []string{"/profile.json", "/devices.json"}},
		// 14-day rollUps in pages of the fake's 5000 windows: 21 (before:
		// 60 and 60 of steps).
		{"googlehealth", "/dataTypes/heart-rate/", 30, true, []string{"/settings", "/pairedDevices"}},
		// No intraday heart rate: the profile's requests only (Jawbone's
		// before: 15 more, for the days' moves).
		{"misfit", "/heart", 0, false, []string{"/profile", "/activity/goals", "/device"}},
		{"jawbone", "/heartrates", 0, false, []string{"/users/@me"}},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			isolate(t)
			var mu sync.Mutex
			clock := fixedNow
			now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			fake := signIn(t, tc.provider, now)
			days, most := 60, tc.most
			if raceEnabled {
				days, most = 8, tc.most*8/60
			}
			to := providers.DateOf(fixedNow) // today in every fake's zone
			export := func() (heart int, other []string) {
				t.Helper()
				before := len(fake.log())
				r := runWith(t, func(a *app) { a.now = now }, "export", "--account", tc.provider, "--format", "csv",
					"--metric", "heart", "--from", to.AddDays(1-days).String(), "--to", to.String())
				if r.code != 0 {
					t.Fatalf("code %d stderr %q", r.code, r.err)
				}
				recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
				if err != nil || (len(recs) > 1) != tc.rows {
					t.Fatalf("%d records (%v); stderr %q", len(recs), err, r.err)
				}
				for _, p := range fake.log()[before:] {
					switch {
					case strings.Contains(p, tc.heart):
						heart++
					case !containsAny(p, tc.otherwise):
						other = append(other, p)
					}
				}
				t.Logf("%s: %d heart-rate requests of %d; stderr %q", tc.provider, heart, len(fake.log())-before, r.err)
				return heart, other
			}
			if heart, other := export(); heart > most || len(other) > 0 {
				t.Errorf("%d days: %d heart-rate requests (at most %d), and %d others: %v", days, heart, most, len(other), other)
			}
			// Ten minutes later the settled days and yesterday come from the
			// cache: today is asked again.
			mu.Lock()
			clock = clock.Add(10 * time.Minute)
			mu.Unlock()
			if heart, other := export(); heart > min(most, 1) || len(other) > 0 {
				t.Errorf("again: %d heart-rate requests, and %d others: %v", heart, len(other), other)
			}
		})
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
