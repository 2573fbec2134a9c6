package googlehealth

import (
	"github.com/fittui/fittui/providers/providertest"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
)

// The today pane and 30 days of history, cold: settings and devices (2),
// the day's summary (steps and resting heart rate by block, shared with
// the history; distance, floors, calories, active minutes: 4 more),
// heart rate and steps per minute (2), sleep for the 31-day block (pages
// of 25, shared by the sleep pane and the history) and weight (1).
// Nothing is asked twice, and at most MaxInFlight requests are open.
func TestRequestBudgetTodayAnd30Days(t *testing.T) {
	for _, persona := range []string{"office", "runner", "nightshift"} {
		t.Run(persona, func(t *testing.T) {
			f := newFixture(t, persona)
			providertest.DashboardRefresh(t, f.p, f.today)
			reqs := f.fake.Requests()

			sessions, _ := f.demo.Sleep(ctx(t), f.today.AddDays(-30), f.today)
			sleepPages := (len(sessions) + 24) / 25
			want := 2 + 2 + 4 + 2 + sleepPages + 1
			if len(reqs) != want {
				for _, r := range reqs {
					t.Log(r.Key())
				}
				t.Fatalf("%d requests, want %d", len(reqs), want)
			}
			seen := map[string]bool{}
			for _, r := range reqs {
				if seen[r.Key()] {
					t.Errorf("asked twice: %s", r.Key())
				}
				seen[r.Key()] = true
				if r.Status != 200 {
					t.Errorf("status %d for %s", r.Status, r.Key())
				}
			}
			if m := f.fake.MaxInFlight(); m > MaxInFlight {
				t.Errorf("%d requests in flight at once, limit %d", m, MaxInFlight)
			}
			t.Logf("%s: today pane + 30 days of history, cold: %d requests (%d sleep sessions, %d sleep pages); peak %d in flight",
				persona, len(reqs), len(sessions), sleepPages, f.fake.MaxInFlight())

			// The same refresh right away is served from what was just read.
			f.fake.ResetRequests()
			providertest.DashboardRefresh(t, f.p, f.today)
			if n := f.fake.Count(); n != 0 {
				t.Fatalf("an immediate second refresh made %d requests", n)
			}
			// Once the answers are old, the settings are not asked again
			// (the zone is kept) unless Profile asks.
			f.fresh()
			if _, err := f.p.DaySummary(ctx(t), f.today); err != nil {
				t.Fatal(err)
			}
			for _, r := range f.fake.Requests() {
				if strings.HasSuffix(r.Path, "/settings") {
					t.Fatal("settings asked again for the time zone")
				}
			}
		})
	}
}

// The reuse window is real time, not the data clock: answers older than
// reuseFor are fetched again.
func TestReuseWindowExpires(t *testing.T) {
	f := newFixture(t, "office")
	clock := time.Unix(1e9, 0)
	f.p.memoClock = func() time.Time { return clock }
	if _, err := f.p.Settings(ctx(t)); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(reuseFor - time.Second)
	f.p.Settings(ctx(t))
	if f.fake.Count() != 1 {
		t.Fatalf("%d requests within the window", f.fake.Count())
	}
	clock = clock.Add(2 * time.Second)
	f.p.Settings(ctx(t))
	if f.fake.Count() != 2 {
		t.Fatalf("%d requests after the window", f.fake.Count())
	}
}

// Empty pages with a nextPageToken (at the start and between pages) do not
// end the walk: the answers equal those without them.
func TestPaginationThroughEmptyPages(t *testing.T) {
	plain := newFixture(t, "nightshift", googlehealthtest.Config{MaxPageSize: 1000})
	paged := newFixture(t, "nightshift", googlehealthtest.Config{MaxPageSize: 1000})
	paged.fake.SetEmptyPages(true)
	from := plain.today.AddDays(-59)

	a, err := plain.p.Sleep(ctx(t), from, plain.today)
	if err != nil {
		t.Fatal(err)
	}
	b, err := paged.p.Sleep(ctx(t), from, paged.today)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := plain.demo.Sleep(ctx(t), from, plain.today)
	if len(a) != len(want) || len(b) != len(want) {
		t.Fatalf("%d and %d sessions, want %d", len(a), len(b), len(want))
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || a[i].Asleep != b[i].Asleep || len(a[i].Segments) != len(b[i].Segments) {
			t.Fatalf("session %d differs", i)
		}
	}
	lists := func(f *fixture) int {
		n := 0
		for _, r := range f.fake.Requests() {
			if strings.HasSuffix(r.Path, "/dataPoints") {
				n++
			}
		}
		return n
	}
	if lists(plain) < 3 || lists(paged) != 2*lists(plain) {
		t.Fatalf("%d pages plain, %d with empty pages; want every page preceded by an empty one", lists(plain), lists(paged))
	}

	// Raw heart rate over 2 hours (before now): 7200 readings in pages of
	// 1000.
	start := plain.today.In(plain.loc).Add(time.Hour)
	ha, err := plain.p.HeartRateSamples(ctx(t), start, start.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	paged.fake.ResetRequests()
	hb, err := paged.p.HeartRateSamples(ctx(t), start, start.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(ha.Samples) != 7200 || len(hb.Samples) != 7200 || paged.fake.Count() != 2*8 {
		t.Fatalf("%d and %d samples, %d requests", len(ha.Samples), len(hb.Samples), paged.fake.Count())
	}
	for i := range ha.Samples {
		if !ha.Samples[i].Time.Equal(hb.Samples[i].Time) || ha.Samples[i].Value != hb.Samples[i].Value ||
			(i > 0 && !ha.Samples[i].Time.After(ha.Samples[i-1].Time)) {
			t.Fatalf("sample %d differs or is out of order", i)
		}
	}
}

// Requests use the path spelling in paths and the filter spelling in
// filters (the fake refuses anything else).
func TestRequestSpellings(t *testing.T) {
	f := newFixture(t, "office")
	if err := refresh(ctx(t), f); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.fake.Requests() {
		if strings.Contains(r.Path, "_") || strings.Contains(r.Path, "RestingHeart") {
			t.Errorf("path %s is not kebab-case", r.Path)
		}
		if fl := r.Values().Get("filter"); fl != "" {
			field, _, _ := strings.Cut(fl, " ")
			typ, _, _ := strings.Cut(field, ".")
			if strings.Contains(typ, "-") || !strings.Contains(r.Path, strings.ReplaceAll(typ, "_", "-")) {
				t.Errorf("filter %q does not name %s in snake_case", fl, r.Path)
			}
		}
		if strings.HasSuffix(r.Path, "/sleep/dataPoints") && !strings.Contains(r.Values().Get("filter"), "sleep.interval.civil_end_time") {
			t.Errorf("sleep filtered on %q, not its end time", r.Values().Get("filter"))
		}
	}
}

// Ranges are split at each type's limit: 14 days for calories and active
// minutes, 90 for the others (and heart-rate rollUp at 14).
func TestRangeSplits(t *testing.T) {
	f := newFixture(t, "runner")
	from := f.today.AddDays(-99) // 100 days
	got, err := f.p.DailyTotals(ctx(t), from, f.today)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, r := range f.fake.Requests() {
		if r.Status != 200 {
			t.Fatalf("%d for %s", r.Status, r.Key())
		}
		parts := strings.Split(r.Path, "/")
		if len(parts) == 7 { // "", v4, users, me, dataTypes, TYPE, dataPoints[:method]
			per[parts[5]+" "+strings.TrimPrefix(parts[6], "dataPoints")]++
		}
	}
	want := map[string]int{
		"steps :dailyRollUp": 2, "distance :dailyRollUp": 2, "floors :dailyRollUp": 2,
		"total-calories :dailyRollUp": 8, "active-minutes :dailyRollUp": 8, "daily-resting-heart-rate ": 1,
	}
	for k, v := range want {
		if per[k] != v {
			t.Errorf("%s: %d requests, want %d (all: %v)", k, per[k], v, per)
		}
	}
	for i, d := range got {
		w, _ := f.demo.DaySummary(ctx(t), d.Date)
		w.Goals = providers.Goals{}
		if math.Abs(d.DistanceKm-w.DistanceKm) > 1e-6 {
			t.Fatalf("day %d distance %v, want %v", i, d.DistanceKm, w.DistanceKm)
		}
		d.DistanceKm = w.DistanceKm
		if d != w {
			t.Fatalf("day %d:\n got %+v\nwant %+v", i, d, w)
		}
	}

	// Heart rate per minute over 20 days: two rollUp requests.
	f.fake.ResetRequests()
	start := from.In(f.loc)
	pts, err := f.p.rollUpPoints(ctx(t), dtHeartRate, start, start.Add(20*24*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if f.fake.Count() != 2 || len(pts) != 20*24 {
		t.Fatalf("%d requests, %d windows", f.fake.Count(), len(pts))
	}
}

func TestRangeChecks(t *testing.T) {
	f := newFixture(t, "office")
	if _, err := f.p.DailySeries(ctx(t), f.today, f.today.AddDays(-1)); err == nil {
		t.Fatal("a backwards range was accepted")
	}
	if _, err := f.p.Sleep(ctx(t), f.today.AddDays(-maxRangeDays), f.today); err == nil {
		t.Fatal("a huge range was accepted")
	}
	if f.fake.Count() != 0 {
		t.Fatalf("%d requests for refused ranges", f.fake.Count())
	}
	// The future costs nothing and is empty.
	f.p.Profile(ctx(t))
	f.fake.ResetRequests()
	days, err := f.p.DailySeries(ctx(t), f.today.AddDays(1), f.today.AddDays(3))
	if err != nil || len(days) != 3 || days[0] != (providers.DailyValues{Date: f.today.AddDays(1)}) || f.fake.Count() != 0 {
		t.Fatalf("%+v, %v, %d requests", days, err, f.fake.Count())
	}
	in, err := f.p.Intraday(ctx(t), f.today.AddDays(1))
	if err != nil || len(in.Steps.Samples)+len(in.HeartRate.Samples) != 0 || f.fake.Count() != 0 {
		t.Fatalf("%+v, %v", in, err)
	}
}
