package demo

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func mustHealth(t testing.TB, pr *Provider, from, to providers.Date) []providers.HealthDay {
	t.Helper()
	hs, err := pr.Health(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if want := from.DaysUntil(to) + 1; len(hs) != want {
		t.Fatalf("Health %s..%s: %d days, want %d", from, to, len(hs), want)
	}
	for i, h := range hs {
		if want := from.AddDays(i); h.Date != want {
			t.Fatalf("Health entry %d has date %s, want %s", i, h.Date, want)
		}
	}
	return hs
}

func mustWorkouts(t testing.TB, pr *Provider, from, to providers.Date) []providers.Workout {
	t.Helper()
	ws, err := pr.Workouts(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func in(v, lo, hi float64) bool { return v >= lo && v <= hi }

// Every persona has plausible nightly metrics every day of a year; the
// night-shift persona's tracker has no SpO2 sensor, so it never has one;
// body fat comes with the office persona's weigh-ins only.
func TestHealthPlausibleAndPerDevice(t *testing.T) {
	from, to := date("2025-06-01"), date("2026-05-31")
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		hs := mustHealth(t, pr, from, to)
		daily := mustDaily(t, pr, from, to)
		var hrvSum, restSum, hrvRest float64
		for i, h := range hs {
			if h.HRV == nil || h.BreathingRate == nil || h.SkinTempDelta == nil || h.VO2Max == nil || h.ZoneMinutes == nil ||
				h.ZoneTime == nil || h.ZoneBounds == nil {
				t.Fatalf("%s %s: a metric every device measures is missing: %+v", name, h.Date, h)
			}
			if !in(*h.HRV, 10, 130) || !in(*h.BreathingRate, 10, 20) || !in(*h.SkinTempDelta, -1.5, 1.5) ||
				!in(h.VO2Max.Value, 30, 65) || h.VO2Max.Level == "" {
				t.Fatalf("%s %s: implausible %v %v %v %+v", name, h.Date, *h.HRV, *h.BreathingRate, *h.SkinTempDelta, *h.VO2Max)
			}
			if (name == "nightshift") != (h.SpO2 == nil) {
				t.Fatalf("%s %s: SpO2 %+v (the night-shift tracker has no sensor, the others do)", name, h.Date, h.SpO2)
			}
			if s := h.SpO2; s != nil && !(in(s.AvgPct, 90, 100) && s.LowPct < s.AvgPct && s.AvgPct < s.HighPct && s.HighPct <= 100) {
				t.Fatalf("%s %s: SpO2 %+v", name, h.Date, *s)
			}
			weighed := daily[i].WeightKg > 0
			if (h.BodyFatPct != nil) != (weighed && name == "office") {
				t.Fatalf("%s %s: body fat %v with weight %v", name, h.Date, h.BodyFatPct, daily[i].WeightKg)
			}
			if h.BodyFatPct != nil && !in(*h.BodyFatPct, 15, 35) {
				t.Fatalf("%s %s: body fat %v", name, h.Date, *h.BodyFatPct)
			}
			b := *h.ZoneBounds
			for z := range providers.NumZones {
				if b[z].Min > b[z].Max || z > 0 && b[z].Min != b[z-1].Max+1 {
					t.Fatalf("%s %s: zone bounds %+v", name, h.Date, b)
				}
			}
			zm, zt := *h.ZoneMinutes, *h.ZoneTime
			if zm.FatBurn != zt[providers.ZoneFatBurn] || zm.Cardio != 2*zt[providers.ZoneCardio] || zm.Peak != 2*zt[providers.ZonePeak] {
				t.Fatalf("%s %s: zone minutes %+v do not weigh the time in zones %v", name, h.Date, zm, zt)
			}
			if len(h.Missing) > 0 {
				t.Fatalf("%s %s: notes %v", name, h.Date, h.Missing)
			}
			hrvSum += *h.HRV
			restSum += float64(daily[i].RestingHeartRate)
			hrvRest += *h.HRV * float64(daily[i].RestingHeartRate)
		}
		n := float64(len(hs))
		if cov := hrvRest/n - hrvSum/n*restSum/n; cov >= 0 {
			t.Errorf("%s: HRV does not fall as the resting heart rate rises (covariance %.2f)", name, cov)
		}
		if name == "runner" && hs[0].ZoneMinutes.Total() == 0 {
			t.Errorf("runner earns no zone minutes on %s", hs[0].Date)
		}
	}
}

// Health, workouts and the intraday series are the same for every call,
// range and process.
func TestHealthDeterministic(t *testing.T) {
	d := date("2026-03-08")
	for _, name := range Personas() {
		a, _ := open(t, name, farFuture)
		b, _ := open(t, name, farFuture)
		long := mustHealth(t, a, d.AddDays(-40), d.AddDays(3))
		short := mustHealth(t, b, d.AddDays(-1), d)
		if !reflect.DeepEqual(long[39:41], short) {
			t.Errorf("%s: health depends on the range asked:\n%+v\n%+v", name, long[39:41], short)
		}
		wa := mustWorkouts(t, a, d.AddDays(-10), d)
		wb := mustWorkouts(t, b, d.AddDays(-10), d)
		if !reflect.DeepEqual(wa, wb) {
			t.Errorf("%s: workouts differ between providers", name)
		}
		ia, _ := a.HealthIntraday(ctx, d)
		days.reset()
		ib, _ := b.HealthIntraday(ctx, d)
		if !reflect.DeepEqual(ia, ib) {
			t.Errorf("%s: intraday health differs between providers", name)
		}
	}
}

// Workouts are the day's logged runs and walks: their steps are the
// intraday steps of their span, their heart rate that of the intraday
// series within a few beats, their zone minutes within the day's.
func TestWorkoutsAgreeWithIntraday(t *testing.T) {
	from, to := date("2026-06-08"), date("2026-06-14") // Monday to Sunday
	kinds := map[string]map[providers.WorkoutType]int{}
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		ws := mustWorkouts(t, pr, from, to)
		hs := mustHealth(t, pr, from, to)
		kinds[name] = map[providers.WorkoutType]int{}
		perDay := map[providers.Date]int{}
		for _, w := range ws {
			kinds[name][w.Type]++
			if w.Date.Before(from) || w.Date.After(to) || providers.DateOf(w.Start) != w.Date || !w.End.After(w.Start) {
				t.Fatalf("%s: workout %+v outside its day", name, w)
			}
			if w.Name == "" || w.Active == nil || w.DistanceKm == nil || w.Steps == nil || w.Calories == nil ||
				w.AvgHeartRate == nil || w.ZoneMinutes == nil {
				t.Fatalf("%s: workout with a missing number: %+v", name, w)
			}
			day := mustIntraday(t, pr, w.Date)
			steps := 0
			for _, s := range day.Steps.Samples {
				if !s.Time.Before(w.Start) && s.Time.Before(w.End) {
					steps += int(s.Value)
				}
			}
			if steps != *w.Steps {
				t.Errorf("%s %s %s: %d steps, intraday %d", name, w.Date, w.Name, *w.Steps, steps)
			}
			hr := w.HeartRate(day.HeartRate)
			if want := int(w.End.Sub(w.Start) / time.Second); len(hr.Samples) != want {
				t.Fatalf("%s %s: %d heart-rate samples during the workout, want %d", name, w.Name, len(hr.Samples), want)
			}
			mean, _ := meanHR(day.HeartRate, w.Start, w.End)
			if math.Abs(mean-float64(*w.AvgHeartRate)) > 10 {
				t.Errorf("%s %s %s: average heart rate %d, intraday %.1f", name, w.Date, w.Name, *w.AvgHeartRate, mean)
			}
			if *w.Active > w.End.Sub(w.Start) || *w.DistanceKm <= 0 || *w.Calories <= 0 {
				t.Errorf("%s: workout numbers %+v", name, w)
			}
			perDay[w.Date] += *w.ZoneMinutes
		}
		for _, h := range hs {
			if perDay[h.Date] > h.ZoneMinutes.Total() {
				t.Errorf("%s %s: workouts earned %d zone minutes, the day %d", name, h.Date, perDay[h.Date], h.ZoneMinutes.Total())
			}
		}
	}
	if kinds["runner"][providers.WorkoutRun] != 7 || kinds["runner"][providers.WorkoutWalk] != 2 {
		t.Errorf("runner's week: %v, want a run a day and two weekend walks", kinds["runner"])
	}
	if kinds["office"][providers.WorkoutWalk] != 7 || kinds["office"][providers.WorkoutRun] != 0 {
		t.Errorf("office week: %v, want a walk a day", kinds["office"])
	}
}

// The intraday health series: HRV every five minutes of the main sleep,
// never while awake, around the day's HRV; zone minutes adding up to the
// day's.
func TestHealthIntraday(t *testing.T) {
	d := date("2026-06-14")
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		hi, err := pr.HealthIntraday(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		h := mustHealth(t, pr, d, d)[0]
		sleep := mainSleep(t, mustSleep(t, pr, d, d), d)
		if hi.Date != d || hi.HRV.Resolution != 5*time.Minute || len(hi.HRV.Samples) < 40 {
			t.Fatalf("%s: HRV series %d samples at %v", name, len(hi.HRV.Samples), hi.HRV.Resolution)
		}
		sum := 0.0
		for _, s := range hi.HRV.Samples {
			if s.Time.Before(sleep.Start) || !s.Time.Before(sleep.End) {
				t.Fatalf("%s: HRV reading at %s outside the sleep %s-%s", name, s.Time, sleep.Start, sleep.End)
			}
			for _, seg := range sleep.Segments {
				if !s.Time.Before(seg.Start) && s.Time.Before(seg.Start.Add(seg.Duration)) && !isAsleep(seg.Stage) {
					t.Fatalf("%s: HRV reading at %s while awake", name, s.Time)
				}
			}
			sum += s.Value
		}
		if mean := sum / float64(len(hi.HRV.Samples)); math.Abs(mean-*h.HRV) > 0.2**h.HRV {
			t.Errorf("%s: night's readings average %.1f, the day's HRV %.1f", name, mean, *h.HRV)
		}
		earned := 0
		for i, z := range hi.Zones {
			earned += z.Earned
			if z.Zone == providers.ZoneLight || z.Earned != providers.Earned(z.Zone) || z.Length != time.Minute ||
				i > 0 && !z.Start.After(hi.Zones[i-1].Start) || providers.DateOf(z.Start) != d {
				t.Fatalf("%s: zone minute %+v", name, z)
			}
		}
		if earned != h.ZoneMinutes.Total() {
			t.Errorf("%s: the zone minutes of the day's intervals add up to %d, the day's to %d", name, earned, h.ZoneMinutes.Total())
		}
	}
}

// Today: the night's metrics once the main sleep is over, zone minutes
// only counting up, workouts once they are over; future days empty.
func TestHealthToday(t *testing.T) {
	pr, c := open(t, "runner", farFuture)
	d := date("2026-06-14") // a Sunday: a long run and a walk
	full := mustHealth(t, pr, d, d)[0]
	fullW := mustWorkouts(t, pr, d, d)
	wake := mainSleep(t, mustSleep(t, pr, d, d), d).End
	prevAZM, prevW := -1, 0
	for _, at := range []time.Time{local(pr, d, 0, 0), wake.Add(-time.Minute), wake, local(pr, d, 10, 0), local(pr, d, 15, 0), local(pr, d, 23, 59)} {
		c.Set(at)
		h := mustHealth(t, pr, d, d.AddDays(2))
		if (h[0].HRV != nil) != !at.Before(wake) || (h[0].SpO2 != nil) != !at.Before(wake) {
			t.Fatalf("at %s (woke %s): HRV %v SpO2 %v", at.Format("15:04"), wake.Format("15:04"), h[0].HRV, h[0].SpO2)
		}
		if !h[1].Empty() || !h[2].Empty() {
			t.Fatalf("at %s: the future has health %+v", at, h[1:])
		}
		total := 0
		if h[0].ZoneMinutes != nil {
			total = h[0].ZoneMinutes.Total()
		}
		if total < prevAZM {
			t.Fatalf("at %s: zone minutes went down to %d", at.Format("15:04"), total)
		}
		prevAZM = total
		ws := mustWorkouts(t, pr, d, d.AddDays(1))
		if len(ws) < prevW || len(ws) > len(fullW) || len(ws) > 0 && !reflect.DeepEqual(ws, fullW[:len(ws)]) {
			t.Fatalf("at %s: workouts %+v are not the day's so far", at.Format("15:04"), ws)
		}
		for _, w := range ws {
			if w.End.After(at) {
				t.Fatalf("at %s: a workout still going on: %+v", at.Format("15:04"), w)
			}
		}
		prevW = len(ws)
	}
	if prevAZM != full.ZoneMinutes.Total() || prevW != len(fullW) || prevW != 2 {
		t.Errorf("end of the day: %d zone minutes (full day %d), %d workouts (full day %d)", prevAZM, full.ZoneMinutes.Total(), prevW, len(fullW))
	}
}

func TestHealthBadRangesAndCancel(t *testing.T) {
	pr, _ := open(t, "office", farFuture)
	d := date("2026-06-15")
	if _, err := pr.Health(ctx, d, d.AddDays(-1)); err == nil || !strings.Contains(err.Error(), "ends before it starts") {
		t.Errorf("reversed range: %v", err)
	}
	if _, err := pr.Workouts(ctx, d.AddDays(-30*366), d); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("huge range: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := pr.Health(cctx, d.AddDays(-100), d); !errors.Is(err, context.Canceled) {
		t.Errorf("Health on a cancelled context: %v", err)
	}
	if _, err := pr.HealthIntraday(cctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("HealthIntraday on a cancelled context: %v", err)
	}
	if _, err := pr.Workouts(cctx, d.AddDays(-100), d); !errors.Is(err, context.Canceled) {
		t.Errorf("Workouts on a cancelled context: %v", err)
	}
}
