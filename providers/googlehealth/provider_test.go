package googlehealth

import (
	"math"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/providertest"
)

func TestProfileMatchesDemo(t *testing.T) {
	for _, persona := range []string{"office", "runner", "nightshift"} {
		t.Run(persona, func(t *testing.T) {
			f := newFixture(t, persona)
			got, err := f.p.Profile(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := f.demo.Profile(ctx(t))
			if got.Location.String() != want.Location.String() {
				t.Fatalf("zone %v, want %v", got.Location, want.Location)
			}
			if len(got.Devices) != len(want.Devices) {
				t.Fatalf("devices %+v, want %+v", got.Devices, want.Devices)
			}
			for i, g := range got.Devices {
				w := want.Devices[i]
				kind := w.Kind
				if kind == "watch" {
					kind = "tracker" // Google knows TRACKER and SCALE only
				}
				if g.ID != w.ID || g.Name != w.Name || g.Kind != kind || g.BatteryPercent != w.BatteryPercent {
					t.Errorf("device %+v, want %+v", g, w)
				}
				if w.BatteryLevel != "" && g.BatteryLevel != w.BatteryLevel {
					t.Errorf("battery level %q, want %q", g.BatteryLevel, w.BatteryLevel)
				}
				if !g.LastSync.Equal(w.LastSync) || g.LastSync.Location() != got.Location {
					t.Errorf("last sync %v, want %v in the account's zone", g.LastSync, w.LastSync)
				}
				if g.BatteryLow() != w.BatteryLow() {
					t.Errorf("BatteryLow %v, want %v", g.BatteryLow(), w.BatteryLow())
				}
			}
		})
	}
}

func TestSettingsAndUserProfile(t *testing.T) {
	f := newFixture(t, "office")
	st, err := f.p.Settings(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if st.TimeZone != "America/New_York" || st.UTCOffset != -5*time.Hour || st.DistanceUnit != "MILES" ||
		st.WeightUnit != "POUNDS" || st.Location.String() != "America/New_York" || st.Locale != "en_US" {
		t.Fatalf("settings %+v", st)
	}
	up, err := f.p.UserProfile(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if up.Age != 41 || up.MemberSince != (providers.Date{Year: 2019, Month: 9, Day: 14}) || up.WalkingStrideMm != 720 || up.RunningStrideMm != 1000 {
		t.Fatalf("profile %+v", up)
	}
}

// The days to check: today (partial), yesterday, a week ago, and the US
// and EU clock-change days (a 25-hour day).
func checkDays(f *fixture) []providers.Date {
	return []providers.Date{f.today, f.today.AddDays(-1), f.today.AddDays(-7),
		{Year: 2026, Month: 11, Day: 1}, {Year: 2026, Month: 10, Day: 25}}
}

func TestDaySummaryMatchesDemo(t *testing.T) {
	for _, persona := range []string{"office", "runner", "nightshift"} {
		t.Run(persona, func(t *testing.T) {
			f := newFixture(t, persona)
			for _, day := range checkDays(f) {
				got, err := f.p.DaySummary(ctx(t), day)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := f.demo.DaySummary(ctx(t), day)
				want.Goals = providers.Goals{} // Google has no goals
				if math.Abs(got.DistanceKm-want.DistanceKm) > 1e-6 {
					t.Errorf("%s: distance %v, want %v", day, got.DistanceKm, want.DistanceKm)
				}
				got.DistanceKm = want.DistanceKm
				if got != want {
					t.Errorf("%s:\n got %+v\nwant %+v", day, got, want)
				}
			}
			// The future is empty and costs nothing.
			n := f.fake.Count()
			got, err := f.p.DaySummary(ctx(t), f.today.AddDays(1))
			if err != nil || got != (providers.DaySummary{Date: f.today.AddDays(1)}) || f.fake.Count() != n {
				t.Fatalf("tomorrow: %+v, %v, %d requests", got, err, f.fake.Count()-n)
			}
		})
	}
}

// Per-minute heart rate is the mean of the demo's 1-s readings in that
// minute; steps per minute are the demo's; times are in the account's
// zone; today stops at the last whole minute.
func TestIntradayMatchesDemo(t *testing.T) {
	f := newFixture(t, "runner")
	for _, day := range checkDays(f) {
		got, err := f.p.Intraday(ctx(t), day)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := f.demo.Intraday(ctx(t), day)
		if got.HeartRate.Resolution != time.Minute || got.Steps.Resolution != time.Minute || got.Note != "" {
			t.Fatalf("%s: resolutions %v %v, note %q", day, got.HeartRate.Resolution, got.Steps.Resolution, got.Note)
		}
		mins := len(want.Steps.Samples)
		if len(got.Steps.Samples) != mins {
			t.Fatalf("%s: %d step minutes, want %d", day, len(got.Steps.Samples), mins)
		}
		for i, s := range got.Steps.Samples {
			w := want.Steps.Samples[i]
			if !s.Time.Equal(w.Time) || s.Value != w.Value || s.Time.Location() != f.p.known.Get() {
				t.Fatalf("%s: steps[%d] = %v %v, want %v %v", day, i, s.Time, s.Value, w.Time, w.Value)
			}
		}
		means := map[int64][2]float64{}
		lows, highs := map[int64]float64{}, map[int64]float64{}
		for _, s := range want.HeartRate.Samples {
			m := s.Time.Truncate(time.Minute).Unix()
			v := means[m]
			means[m] = [2]float64{v[0] + s.Value, v[1] + 1}
			if lo, ok := lows[m]; !ok || s.Value < lo {
				lows[m] = s.Value
			}
			highs[m] = math.Max(highs[m], s.Value)
		}
		// Each minute keeps its real lowest and highest reading (the
		// rollUp's beatsPerMinuteMin and Max), not the mean three times.
		if len(got.HeartRate.Min) != mins || len(got.HeartRate.Max) != mins {
			t.Fatalf("%s: %d/%d minute ranges for %d minutes", day, len(got.HeartRate.Min), len(got.HeartRate.Max), mins)
		}
		spread := 0.0
		for i, s := range got.HeartRate.Samples {
			lo, hi := got.HeartRate.Range(i)
			m := s.Time.Unix()
			if lo != math.Round(lows[m]) || hi != math.Round(highs[m]) || lo > s.Value || hi < s.Value {
				t.Fatalf("%s: hr[%d] range %v..%v, want %v..%v (mean %v)", day, i, lo, hi, math.Round(lows[m]), math.Round(highs[m]), s.Value)
			}
			spread += hi - lo
		}
		if spread == 0 {
			t.Fatalf("%s: every minute's range is empty", day)
		}
		if len(got.HeartRate.Samples) != mins {
			t.Fatalf("%s: %d heart-rate minutes, want %d", day, len(got.HeartRate.Samples), mins)
		}
		for i, s := range got.HeartRate.Samples {
			v := means[s.Time.Unix()]
			if v[1] == 0 || math.Abs(s.Value-v[0]/v[1]) > 1e-9 || (i > 0 && !s.Time.After(got.HeartRate.Samples[i-1].Time)) {
				t.Fatalf("%s: hr[%d] = %v at %v, want %v", day, i, s.Value, s.Time, v[0]/max(v[1], 1))
			}
			if !sameOffset(s.Time, s.Time.In(f.loc)) {
				t.Fatalf("%s: hr time %v lost its offset", day, s.Time)
			}
		}
	}
}

func TestSleepMatchesDemo(t *testing.T) {
	for _, persona := range []string{"office", "nightshift"} { // nightshift naps (classic stages)
		t.Run(persona, func(t *testing.T) {
			f := newFixture(t, persona)
			from := f.today.AddDays(-44) // two blocks, over the clock change
			got, err := f.p.Sleep(ctx(t), from, f.today)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := f.demo.Sleep(ctx(t), from, f.today)
			if len(got) != len(want) {
				t.Fatalf("%d sessions, want %d", len(got), len(want))
			}
			classic := 0
			for i, g := range got {
				w := want[i]
				if g.Date != w.Date || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Main != w.Main ||
					g.Classic != w.Classic || g.Asleep != w.Asleep || len(g.Segments) != len(w.Segments) {
					t.Fatalf("session %d:\n got %v %v..%v main %v classic %v asleep %v segs %d\nwant %v %v..%v main %v classic %v asleep %v segs %d",
						i, g.Date, g.Start, g.End, g.Main, g.Classic, g.Asleep, len(g.Segments),
						w.Date, w.Start, w.End, w.Main, w.Classic, w.Asleep, len(w.Segments))
				}
				if !sameOffset(g.Start, w.Start) || !sameOffset(g.End, w.End) {
					t.Fatalf("session %d: offsets %v %v, want %v %v", i, g.Start, g.End, w.Start, w.End)
				}
				for j, s := range g.Segments {
					ws := w.Segments[j]
					if s.Stage != ws.Stage || !s.Start.Equal(ws.Start) || s.Duration != ws.Duration || !sameOffset(s.Start, ws.Start) {
						t.Fatalf("session %d segment %d: %+v, want %+v", i, j, s, ws)
					}
				}
				if i > 0 && g.Start.Before(got[i-1].Start) {
					t.Fatalf("sessions not oldest first")
				}
				if g.Classic {
					classic++
				}
			}
			if persona == "nightshift" && classic == 0 {
				t.Fatal("no classic nap in 45 days; the test lost its point")
			}
		})
	}
}

func TestDailySeriesMatchesDemo(t *testing.T) {
	f := newFixture(t, "office")
	for _, span := range []int{1, 30, 200} {
		from, to := f.today.AddDays(-(span - 1)), f.today
		got, err := f.p.DailySeries(ctx(t), from, to.AddDays(2)) // two future days: zeros
		if err != nil {
			t.Fatal(err)
		}
		want, _ := f.demo.DailySeries(ctx(t), from, to.AddDays(2))
		want = providertest.DailyCore(want) // the fields this provider serves
		if len(got) != len(want) {
			t.Fatalf("%d days, want %d", len(got), len(want))
		}
		weighed := 0
		for i := range got {
			g, w := got[i], want[i]
			if math.Abs(g.WeightKg-w.WeightKg) > 1e-4 {
				t.Errorf("%s: weight %v, want %v", g.Date, g.WeightKg, w.WeightKg)
			}
			if w.WeightKg > 0 {
				weighed++
			}
			g.WeightKg = w.WeightKg
			if g != w {
				t.Errorf("span %d:\n got %+v\nwant %+v", span, g, w)
			}
		}
		if weighed < span*9/10 {
			t.Fatalf("only %d weigh-ins in %d days; the test lost its point", weighed, span)
		}
	}
}

func TestBodyAndHeartRateSamples(t *testing.T) {
	f := newFixture(t, "office")
	from := f.today.AddDays(-6)
	body, err := f.p.Body(ctx(t), from, f.today)
	if err != nil {
		t.Fatal(err)
	}
	series, _ := f.demo.DailySeries(ctx(t), from, f.today)
	var days []providers.DailyValues
	for _, v := range series {
		if v.WeightKg > 0 {
			days = append(days, v)
		}
	}
	if len(body.Weight.Samples) != len(days) || len(body.BodyFat.Samples) != len(days) {
		t.Fatalf("%d weights, %d body fats, want %d", len(body.Weight.Samples), len(body.BodyFat.Samples), len(days))
	}
	for i, d := range days {
		w, bf := body.Weight.Samples[i], body.BodyFat.Samples[i]
		if providers.DateOf(w.Time) != d.Date || math.Abs(w.Value-d.WeightKg) > 1e-4 ||
			bf.Value != googlehealthtest.BodyFatPercent(d.Date) || !w.Time.Equal(bf.Time) || !sameOffset(w.Time, w.Time.In(f.loc)) {
			t.Fatalf("day %s: weight %v at %v, fat %v", d.Date, w.Value, w.Time, bf.Value)
		}
	}

	// Raw heart rate: the demo's 1-s readings, here over ten minutes.
	start := f.today.In(f.loc).Add(9 * time.Hour)
	hr, err := f.p.HeartRateSamples(ctx(t), start, start.Add(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	in, _ := f.demo.Intraday(ctx(t), f.today)
	var want []providers.Sample
	for _, s := range in.HeartRate.Samples {
		if !s.Time.Before(start) && s.Time.Before(start.Add(10*time.Minute)) {
			want = append(want, s)
		}
	}
	if len(hr.Samples) != len(want) || len(want) != 600 {
		t.Fatalf("%d samples, want %d", len(hr.Samples), len(want))
	}
	for i, s := range hr.Samples {
		if !s.Time.Equal(want[i].Time) || s.Value != math.Round(want[i].Value) {
			t.Fatalf("sample %d: %v %v, want %v %v", i, s.Time, s.Value, want[i].Time, want[i].Value)
		}
	}
}

// Sleep minutes are the main sleep (metadata.mainSleep), naps apart, in
// the daily series as in Sleep: what today and export summary both read.
func TestDailySleepIsTheMainSleep(t *testing.T) {
	f := newFixture(t, "nightshift")
	from := f.today.AddDays(-20)
	days, err := f.p.DailySeries(ctx(t), from, f.today)
	if err != nil {
		t.Fatal(err)
	}
	sleeps, err := f.p.Sleep(ctx(t), from, f.today)
	if err != nil {
		t.Fatal(err)
	}
	main, naps := map[providers.Date]int{}, map[providers.Date]int{}
	napDays := 0
	for _, s := range sleeps {
		if s.Main {
			main[s.Date] += int(s.Asleep / time.Minute)
		} else {
			if naps[s.Date] == 0 {
				napDays++
			}
			naps[s.Date] += int(s.Asleep / time.Minute)
		}
	}
	if napDays == 0 {
		t.Fatal("no naps in 20 days: the test lost its point")
	}
	for _, d := range days {
		if d.SleepMinutes != main[d.Date] || d.NapMinutes != naps[d.Date] {
			t.Errorf("%s: sleep %d naps %d, want %d and %d", d.Date, d.SleepMinutes, d.NapMinutes, main[d.Date], naps[d.Date])
		}
	}
}
