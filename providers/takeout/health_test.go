package takeout_test

import (
	"context"
	"math"
	"testing"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// checkHealth holds Health to the oracle's daily keys: every metric the
// archive has, nothing it has not.
func checkHealth(t *testing.T, p *takeout.Provider, or *takeouttest.Oracle, from, to providers.Date) (seen map[string]int) {
	t.Helper()
	hs, err := p.Health(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != from.DaysUntil(to)+1 {
		t.Fatalf("%d health days for %s..%s", len(hs), from, to)
	}
	seen = map[string]int{}
	opt := func(d providers.Date, name string, got *float64, m map[string]float64, key string) {
		want, ok := m[key]
		switch {
		case !ok && got != nil:
			t.Errorf("%s %s = %v, the archive has none", d, name, *got)
		case ok && (got == nil || math.Abs(*got-want) > 1e-9):
			t.Errorf("%s %s = %v, want %v", d, name, got, want)
		case ok:
			seen[name]++
		}
	}
	for i, h := range hs {
		d := from.AddDays(i)
		w := or.Days[d]
		if h.Date != d {
			t.Fatalf("day %d is %s", i, h.Date)
		}
		if w == nil { // outside the archive
			if !h.Empty() {
				t.Errorf("%s is outside the archive but has %+v", d, h)
			}
			continue
		}
		m := w.Metrics
		opt(d, "hrv", h.HRV, m, "hrv_rmssd_ms")
		opt(d, "breathing", h.BreathingRate, m, "respiratory_rate")
		var spo2, vo2 *float64
		if h.SpO2 != nil {
			spo2 = &h.SpO2.AvgPct
			if h.SpO2.LowPct != m["spo2_lower_pct"] || h.SpO2.HighPct != m["spo2_upper_pct"] {
				t.Errorf("%s SpO2 range %+v, want %v-%v", d, *h.SpO2, m["spo2_lower_pct"], m["spo2_upper_pct"])
			}
		}
		opt(d, "spo2", spo2, m, "spo2_avg_pct")
		if h.VO2Max != nil {
			vo2 = &h.VO2Max.Value
		}
		key := "vo2_max"
		if _, ok := m[key]; !ok {
			key = "run_vo2_max"
		}
		opt(d, "vo2max", vo2, m, key)
		var fat *float64
		if w.FatPct > 0 {
			fat = &w.FatPct
		}
		if (h.BodyFatPct == nil) != (fat == nil) || fat != nil && *h.BodyFatPct != *fat {
			t.Errorf("%s body fat %v, want %v", d, h.BodyFatPct, fat)
		} else if fat != nil {
			seen["body_fat"]++
		}
		if _, ok := m["azm_fat_burn"]; ok != (h.ZoneMinutes != nil) {
			t.Errorf("%s zone minutes %+v, archive %v", d, h.ZoneMinutes, m)
		} else if ok {
			z := h.ZoneMinutes
			if float64(z.FatBurn) != m["azm_fat_burn"] || float64(z.Cardio) != m["azm_cardio"] || float64(z.Peak) != m["azm_peak"] ||
				float64(z.Total()) != m["azm_total"] {
				t.Errorf("%s zone minutes %+v, archive %v", d, *z, m)
			}
			seen["zones"]++
		}
		if _, ok := m["hr_zone_fat_burn_minutes"]; ok != (h.ZoneTime != nil) {
			t.Errorf("%s time in zones %v, archive %v", d, h.ZoneTime, m)
		} else if ok {
			zt := *h.ZoneTime
			// The files count fractional minutes; the domain whole ones.
			if float64(zt[providers.ZoneLight]) != math.Round(m["hr_zone_below_minutes"]) || float64(zt[providers.ZoneCardio]) != math.Round(m["hr_zone_cardio_minutes"]) ||
				float64(zt[providers.ZonePeak]) != math.Round(m["hr_zone_peak_minutes"]) {
				t.Errorf("%s time in zones %v, archive %v", d, zt, m)
			}
			seen["zone_time"]++
		}
		if h.SkinTempDelta != nil || h.ZoneBounds != nil || len(h.Missing) > 0 {
			t.Errorf("%s: an archive has no skin temperature or zone bounds: %+v", d, h)
		}
	}
	return seen
}

// checkWorkouts holds Workouts to the oracle's exercise logs.
func checkWorkouts(t *testing.T, p *takeout.Provider, or *takeouttest.Oracle, from, to providers.Date) int {
	t.Helper()
	ws, err := p.Workouts(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	var want []takeouttest.Exercise
	for _, e := range or.Exercises {
		if d := providers.DateOf(e.Start); !d.Before(from) && !d.After(to) {
			want = append(want, e)
		}
	}
	if len(ws) != len(want) {
		t.Fatalf("%d workouts, want %d", len(ws), len(want))
	}
	for i, w := range ws {
		e := want[i]
		typ := providers.WorkoutWalk
		if e.Name == "Run" {
			typ = providers.WorkoutRun
		}
		if w.Name != e.Name || w.Type != typ || !w.Start.Equal(e.Start) || w.End.Sub(w.Start) != e.Duration || w.Date != providers.DateOf(e.Start) ||
			w.Steps == nil || *w.Steps != e.Steps || w.Calories == nil || *w.Calories != e.Calories ||
			w.AvgHeartRate == nil || *w.AvgHeartRate != e.AvgHR || w.Active == nil || *w.Active != e.Duration || w.ZoneMinutes != nil {
			t.Errorf("workout %d: %+v, want %+v", i, w, e)
		}
		if w.Start.Location().String() != or.Zone {
			t.Errorf("workout %d starts in %s, the archive reads in %s", i, w.Start.Location(), or.Zone)
		}
	}
	return len(ws)
}

// A Takeout with the Google data CSVs: HRV, SpO2, breathing rate, zone
// minutes, the time in zones, VO2 max, the office scale's body fat and
// the exercise logs come back through the health methods.
func TestHealthFromTakeout(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	end := from.AddDays(20)
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: end,
		Layout: takeouttest.GoogleTakeout, GoogleData: true})
	if err != nil {
		t.Fatal(err)
	}
	imp(t, root, "h", dir)
	p := open(t, root, "h")
	seen := checkHealth(t, p, or, from.AddDays(-3), end.AddDays(2))
	for _, m := range []string{"hrv", "spo2", "breathing", "vo2max", "body_fat", "zones", "zone_time"} {
		if seen[m] == 0 {
			t.Errorf("no day had %s, so it was never checked (seen %v)", m, seen)
		}
	}
	if n := checkWorkouts(t, p, or, from, end); n == 0 {
		t.Error("no workouts in the archive")
	}
	// The day shown: the night's HRV readings (Heart Rate Variability
	// Details) and the minutes that earned zone minutes (the AZM folder).
	if hrv, zones := checkHealthIntraday(t, p, or, from.AddDays(-1), end.AddDays(1)); hrv == 0 || zones == 0 {
		t.Errorf("%d HRV readings and %d zone minutes in the archive", hrv, zones)
	}
}

// A legacy Fitbit export (zones, VO2 max, exercise logs in UTC), and a
// roll-up of an older version: rebuilt from the days when read, so an
// archive imported before health metrics showed needs no re-import.
func TestHealthFromFitbitExport(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "runner", From: from, To: to, HREvery: sparseHR, Layout: takeouttest.FitbitExport,
		Zone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	imp(t, root, "f", dir)
	p := open(t, root, "f")
	seen := checkHealth(t, p, or, from, to)
	if seen["vo2max"] == 0 || seen["zone_time"] == 0 {
		t.Errorf("seen %v", seen)
	}
	if n := checkWorkouts(t, p, or, from, to); n < 20 {
		t.Errorf("%d workouts in six weeks of a runner", n)
	}
	if err := takeout.DowngradeRollupsForTest(root, "f"); err != nil {
		t.Fatal(err)
	}
	p = open(t, root, "f")
	checkHealth(t, p, or, from, to)
	checkWorkouts(t, p, or, from, to)
}
