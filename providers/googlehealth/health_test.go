package googlehealth

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 0.006
}

// Every health type read from the fake is the demo persona's metric:
// the night's values once the night is over, the zones, VO2 max and body
// fat; what a device does not measure (the night-shift tracker's SpO2)
// nil, with no note.
func TestHealthMatchesDemo(t *testing.T) {
	for _, persona := range []string{"office", "runner", "nightshift"} {
		t.Run(persona, func(t *testing.T) {
			f := newFixture(t, persona)
			from := f.today.AddDays(-40) // two blocks
			got, err := f.p.Health(ctx(t), from, f.today.AddDays(1))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := f.demo.Health(ctx(t), from, f.today.AddDays(1))
			if len(got) != len(want) {
				t.Fatalf("%d days, want %d", len(got), len(want))
			}
			spo2, fat := 0, 0
			for i, g := range got {
				w := want[i]
				if g.Date != w.Date || !near(g.HRV, w.HRV) || !near(g.BreathingRate, w.BreathingRate) || !near(g.SkinTempDelta, w.SkinTempDelta) ||
					!near(g.BodyFatPct, w.BodyFatPct) || !reflect.DeepEqual(g.SpO2, w.SpO2) || !reflect.DeepEqual(g.VO2Max, w.VO2Max) ||
					!reflect.DeepEqual(g.ZoneMinutes, w.ZoneMinutes) || !reflect.DeepEqual(g.ZoneTime, w.ZoneTime) ||
					!reflect.DeepEqual(g.ZoneBounds, w.ZoneBounds) || len(g.Missing) != 0 {
					t.Fatalf("%s:\n got %s\nwant %s", g.Date, show(g), show(w))
				}
				if g.SpO2 != nil {
					spo2++
				}
				if g.BodyFatPct != nil {
					fat++
				}
			}
			if (spo2 == 0) != (persona == "nightshift") || (fat > 0) != (persona == "office") {
				t.Errorf("%d days with SpO2, %d with body fat", spo2, fat)
			}
		})
	}
}

func show(h providers.HealthDay) string {
	b, _ := json.Marshal(h)
	return string(b)
}

// The night's HRV readings and the day's zone minutes, minute by minute.
func TestHealthIntradayMatchesDemo(t *testing.T) {
	for _, persona := range []string{"runner", "nightshift"} {
		f := newFixture(t, persona)
		for _, day := range []providers.Date{f.today.AddDays(-3), f.today} {
			got, err := f.p.HealthIntraday(ctx(t), day)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := f.demo.HealthIntraday(ctx(t), day)
			if len(got.HRV.Samples) != len(want.HRV.Samples) || len(got.Zones) != len(want.Zones) || got.Missing != nil {
				t.Fatalf("%s %s: %d HRV readings, %d zone minutes; want %d, %d", persona, day, len(got.HRV.Samples), len(got.Zones),
					len(want.HRV.Samples), len(want.Zones))
			}
			for i, s := range got.HRV.Samples {
				if w := want.HRV.Samples[i]; !s.Time.Equal(w.Time) || s.Value != w.Value || !sameOffset(s.Time, w.Time) {
					t.Fatalf("HRV reading %d: %v, want %v", i, s, w)
				}
			}
			for i, z := range got.Zones {
				if w := want.Zones[i]; !z.Start.Equal(w.Start) || z.Length != w.Length || z.Zone != w.Zone || z.Earned != w.Earned {
					t.Fatalf("zone minute %d: %+v, want %+v", i, z, w)
				}
			}
		}
		if persona == "runner" {
			if in, _ := f.p.HealthIntraday(ctx(t), f.today.AddDays(-3)); len(in.Zones) == 0 || len(in.HRV.Samples) == 0 {
				t.Fatalf("the runner has no zone minutes or HRV readings")
			}
		}
	}
}

// Workouts: the demo's logged runs and walks, exercise pages of 25.
func TestWorkoutsMatchDemo(t *testing.T) {
	f := newFixture(t, "runner")
	from := f.today.AddDays(-60)
	got, err := f.p.Workouts(ctx(t), from, f.today)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := f.demo.Workouts(ctx(t), from, f.today)
	if len(got) != len(want) || len(want) < 60 {
		t.Fatalf("%d workouts, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Date != w.Date || g.Type != w.Type || g.Name != w.Name || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) ||
			*g.Active != *w.Active || math.Abs(*g.DistanceKm-*w.DistanceKm) > 1e-6 || *g.Steps != *w.Steps || *g.Calories != *w.Calories ||
			*g.AvgHeartRate != *w.AvgHeartRate || *g.ZoneMinutes != *w.ZoneMinutes || !sameOffset(g.Start, w.Start) {
			t.Fatalf("workout %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	pages := 0
	for _, r := range f.fake.Requests() {
		if strings.Contains(r.Path, "/exercise/") {
			pages++
			if !strings.Contains(r.Query, "pageSize=25") {
				t.Errorf("exercise asked without pageSize=25: %s", r.Query)
			}
		}
	}
	if pages < len(want)/25 {
		t.Errorf("%d exercise pages for %d workouts", pages, len(want))
	}
}

// A token without the health metrics scope: those metrics say which scope
// is missing and how to grant it; zone minutes, VO2 max and workouts
// (activity and fitness) still show. Without activity and fitness the
// workouts are not granted, the rest shows.
func TestHealthMissingScopes(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.DenyScope(ScopeMetrics)
	days, err := f.p.Health(ctx(t), f.today.AddDays(-2), f.today)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range days {
		if d.HRV != nil || d.SpO2 != nil || d.BreathingRate != nil || d.SkinTempDelta != nil || d.BodyFatPct != nil || d.ZoneBounds != nil {
			t.Fatalf("%s: health metrics without their scope: %s", d.Date, show(d))
		}
		if d.ZoneMinutes == nil || d.ZoneTime == nil || d.VO2Max == nil {
			t.Fatalf("%s: activity metrics gone with the health scope: %s", d.Date, show(d))
		}
		for _, m := range []providers.HealthMetric{providers.HealthHRV, providers.HealthSpO2, providers.HealthBreathing,
			providers.HealthTemperature, providers.HealthBodyFat} {
			why := d.Missing[m]
			if !strings.Contains(why, "not granted: scope "+ScopeMetrics) || !strings.Contains(why, "fittui auth login googlehealth --account me") ||
				!strings.Contains(why, "health metrics and measurements") {
				t.Errorf("%s %s: note %q", d.Date, m, why)
			}
		}
		if _, ok := d.Missing[providers.HealthZones]; ok || len(d.Missing) != 5 {
			t.Errorf("%s: notes %v", d.Date, d.Missing)
		}
	}
	in, err := f.p.HealthIntraday(ctx(t), f.today)
	if err != nil || !strings.Contains(in.Missing[providers.HealthHRV], ScopeMetrics) || in.Missing[providers.HealthZones] != "" {
		t.Fatalf("intraday: %+v %v", in.Missing, err)
	}
	if ws, err := f.p.Workouts(ctx(t), f.today.AddDays(-6), f.today); err != nil || len(ws) == 0 {
		t.Fatalf("workouts without the health scope: %v %v", ws, err)
	}

	f = newFixture(t, "office")
	f.fake.DenyScope(ScopeActivity)
	_, err = f.p.Workouts(ctx(t), f.today.AddDays(-6), f.today)
	var ng *providers.NotGrantedError
	if !providers.IsNotGranted(err) || !asNotGranted(err, &ng) || ng.Scope != ScopeActivity || ng.Metric != providers.HealthWorkouts ||
		!strings.Contains(err.Error(), "fittui auth login googlehealth --account me") {
		t.Fatalf("workouts without activity: %v", err)
	}
	days, err = f.p.Health(ctx(t), f.today, f.today)
	if err != nil || days[0].HRV == nil || days[0].ZoneMinutes != nil || !strings.Contains(days[0].Missing[providers.HealthZones], ScopeActivity) ||
		!strings.Contains(days[0].Missing[providers.HealthVO2Max], ScopeActivity) {
		t.Fatalf("health without activity: %s %v", show(days[0]), err)
	}
}

func asNotGranted(err error, ng **providers.NotGrantedError) bool {
	e, ok := err.(*providers.NotGrantedError)
	*ng = e
	return ok
}

// Today + 30 days on Google Health with the health metrics: the daily
// types one request per type for the block (9), the exercise pages, and
// the day's two intraday lists; nothing asked twice.
func TestRequestBudgetWithHealth(t *testing.T) {
	for _, persona := range []string{"office", "runner", "nightshift"} {
		t.Run(persona, func(t *testing.T) {
			f := newFixture(t, persona)
			providertest.DashboardRefresh(t, f.p, f.today)
			base := f.fake.Count()
			healthRefresh(t, f)
			reqs := f.fake.Requests()
			ws, _ := f.demo.Workouts(ctx(t), f.today.AddDays(-30), f.today)
			pages := max(1, (len(ws)+24)/25)
			if got, want := len(reqs)-base, 9+pages+2; got != want {
				for _, r := range reqs[base:] {
					t.Log(r.Key())
				}
				t.Fatalf("%d health requests, want %d", got, want)
			}
			seen := map[string]bool{}
			for _, r := range reqs {
				if seen[r.Key()] {
					t.Errorf("asked twice: %s", r.Key())
				}
				seen[r.Key()] = true
			}
			t.Logf("%s: today + 30 days, cold: %d requests without health, %d with (%d workouts, %d exercise pages)",
				persona, base, len(reqs), len(ws), pages)
			f.fake.ResetRequests()
			providertest.DashboardRefresh(t, f.p, f.today)
			healthRefresh(t, f)
			if n := f.fake.Count(); n != 0 {
				t.Fatalf("an immediate second refresh made %d requests", n)
			}
		})
	}
}

// healthRefresh asks what the day pane and the history ask of the health
// metrics: 30 days of them (the day's values and their personal ranges),
// the day's intraday series and workouts, the history's workouts.
func healthRefresh(t *testing.T, f *fixture) {
	t.Helper()
	providertest.Concurrently(t,
		func(c context.Context) error { _, err := f.p.Health(c, f.today.AddDays(-29), f.today); return err },
		func(c context.Context) error { _, err := f.p.HealthIntraday(c, f.today); return err },
		func(c context.Context) error { _, err := f.p.Workouts(c, f.today, f.today); return err },
		func(c context.Context) error { _, err := f.p.Workouts(c, f.today.AddDays(-29), f.today); return err },
	)
}

// Bad values in a health answer are bad data, named, not wrong numbers.
func TestHealthBadData(t *testing.T) {
	loc := time.UTC
	day := providers.Date{Year: 2026, Month: 11, Day: 20}
	at := func(d providers.Date) *providers.HealthDay { h := providers.HealthDay{Date: d}; return &h }
	for _, tc := range []struct {
		dt   dataType
		json string
		err  string
	}{
		{dtDailySpO2, `{"dailyOxygenSaturation":{"date":{"year":2026,"month":11,"day":20},"averagePercentage":140}}`, "out of range"},
		{dtDailySpO2, `{"dailyOxygenSaturation":{"date":{"year":2026,"month":11,"day":20},"lowerBoundPercentage":90}}`, "without averagePercentage"},
		{dtDailyHRV, `{"dailyHeartRateVariability":{"date":{"year":2026,"month":13,"day":20},"averageHeartRateVariabilityMilliseconds":40}}`, "date out of range"},
		{dtDailyHRV, `{"dailyHeartRateVariability":{"date":{"year":2026,"month":11,"day":20},"averageHeartRateVariabilityMilliseconds":"forty"}}`, "dailyHeartRateVariability"},
		{dtDailyVO2Max, `{"dailyVo2Max":{"date":{"year":2026,"month":11,"day":20},"vo2Max":-3}}`, "out of range"},
		{dtDailyZones, `{"dailyHeartRateZones":{"date":{"year":2026,"month":11,"day":20},"heartRateZones":[{"heartRateZoneType":"PEAK","minBeatsPerMinute":"170","maxBeatsPerMinute":"150"}]}}`, "out of range"},
	} {
		var p point
		if err := p.UnmarshalJSON([]byte(tc.json)); err != nil {
			t.Fatal(err)
		}
		err := convertDailyHealth(&p, tc.dt, at)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s %s: %v, want %q", tc.dt.id, tc.json, err, tc.err)
		}
	}
	for _, tc := range []struct {
		json string
		err  string
	}{
		{`{"exercise":{"exerciseType":"RUNNING","displayName":"Run","interval":{"startTime":"2026-11-20T07:00:00Z","endTime":"2026-11-20T06:00:00Z"}}}`, "ends before it starts"},
		{`{"exercise":{"exerciseType":"RUNNING","interval":{"startTime":"2026-11-20T07:00:00Z","endTime":"2026-11-20T08:00:00Z"},"activeDuration":"7200s"}}`, "active duration"},
		{`{"exercise":{"exerciseType":"RUNNING","interval":{"startTime":"2026-11-20T07:00:00Z","endTime":"2026-11-20T08:00:00Z"},"metricsSummary":{"averageHeartRateBeatsPerMinute":"900"}}}`, "out of range"},
		{`{"exercise":{"exerciseType":"RUNNING","interval":{"startTime":"2026-11-20T07:00:00Z","endTime":"2026-11-20T08:00:00Z"},"metricsSummary":{"steps":true}}}`, "expected an integer"},
	} {
		var p point
		if err := p.UnmarshalJSON([]byte(tc.json)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := convertExercise(&p, loc); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: %v, want %q", tc.json, err, tc.err)
		}
	}
	// A well-formed exercise with int64s as strings and a name of its own.
	var p point
	p.UnmarshalJSON([]byte(`{"exercise":{"exerciseType":"BIKING","interval":{"startTime":"2026-11-20T07:00:00Z","endTime":"2026-11-20T08:00:00Z",` +
		`"startUtcOffset":"3600s","civilStartTime":{"date":{"year":2026,"month":11,"day":20},"time":{"hours":8}}},"activeDuration":"3300s",` +
		`"metricsSummary":{"steps":"120","caloriesKcal":512.4,"distanceMillimeters":21500000,"averageHeartRateBeatsPerMinute":"131","activeZoneMinutes":"58"}}}`))
	w, ok, err := convertExercise(&p, loc)
	if err != nil || !ok || w.Type != providers.WorkoutBike || w.Name != "Bike" || w.Date != day || *w.Active != 55*time.Minute ||
		*w.Steps != 120 || *w.Calories != 512 || *w.DistanceKm != 21.5 || *w.AvgHeartRate != 131 || *w.ZoneMinutes != 58 {
		t.Fatalf("%+v %v %v", w, ok, err)
	}
	if _, off := w.Start.Zone(); off != 3600 {
		t.Errorf("start lost its offset: %v", w.Start)
	}
}
