package demo

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

var ctx = context.Background()

// clock is a settable test clock.
type clock struct{ t atomic.Pointer[time.Time] }

func (c *clock) Now() time.Time  { return *c.t.Load() }
func (c *clock) Set(t time.Time) { c.t.Store(&t) }

func open(t testing.TB, persona string, now time.Time) (*Provider, *clock) {
	t.Helper()
	c := &clock{}
	c.Set(now)
	pr, err := New(providers.AccountSpec{Name: "test-" + persona, Options: map[string]string{"persona": persona}}, providers.Env{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return pr, c
}

func date(s string) providers.Date {
	d, err := providers.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// local returns wall-clock time hh:mm on d in the persona's zone.
func local(pr *Provider, d providers.Date, hh, mm int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, pr.loc)
}

// farFuture is a clock after every date the tests look at: all days are past.
var farFuture = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func mustIntraday(t testing.TB, pr *Provider, d providers.Date) providers.Intraday {
	t.Helper()
	in, err := pr.Intraday(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func mustSummary(t testing.TB, pr *Provider, d providers.Date) providers.DaySummary {
	t.Helper()
	s, err := pr.DaySummary(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustDaily(t testing.TB, pr *Provider, from, to providers.Date) []providers.DailyValues {
	t.Helper()
	vs, err := pr.DailySeries(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if want := from.DaysUntil(to) + 1; len(vs) != want {
		t.Fatalf("DailySeries %s..%s: %d values, want %d", from, to, len(vs), want)
	}
	for i, v := range vs {
		if want := from.AddDays(i); v.Date != want {
			t.Fatalf("DailySeries entry %d has date %s, want %s", i, v.Date, want)
		}
	}
	return vs
}

func mustSleep(t testing.TB, pr *Provider, from, to providers.Date) []providers.SleepSession {
	t.Helper()
	ss, err := pr.Sleep(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func sumSteps(s providers.Series) int {
	n := 0
	for _, x := range s.Samples {
		n += int(x.Value)
	}
	return n
}

func mainSleep(t testing.TB, ss []providers.SleepSession, d providers.Date) providers.SleepSession {
	t.Helper()
	for _, s := range ss {
		if s.Main && s.Date == d {
			return s
		}
	}
	t.Fatalf("no main sleep on %s", d)
	return providers.SleepSession{}
}

// meanHR averages the heart-rate samples in [from, to).
func meanHR(s providers.Series, from, to time.Time) (float64, int) {
	sum, n := 0.0, 0
	for _, x := range s.Samples {
		if !x.Time.Before(from) && x.Time.Before(to) {
			sum += x.Value
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

func TestRegistryAndOpen(t *testing.T) {
	// The registration itself: TestContract.
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	p, err := providers.Open(providers.AccountSpec{Name: "me", Provider: "demo", Options: map[string]string{"persona": "runner"}},
		providers.Env{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind() != "demo" {
		t.Fatalf("Kind() = %q", p.Kind())
	}
	if got := p.(*Provider).Persona(); got != "runner" {
		t.Fatalf("persona = %q, want runner", got)
	}
	prof, err := p.Profile(ctx)
	if err != nil || prof.DisplayName != "Alex (runner)" {
		t.Fatalf("Profile() = %+v, %v", prof, err)
	}
}

func TestPersonaChoice(t *testing.T) {
	cases := []struct {
		name    string
		options map[string]string
		want    string
	}{
		{"nightshift", nil, "nightshift"},
		{"runner", map[string]string{}, "runner"},
		{"someone", nil, "office"},
		{"nightshift", map[string]string{"persona": "runner"}, "runner"},
	}
	for _, c := range cases {
		pr, err := New(providers.AccountSpec{Name: c.name, Provider: "demo", Options: c.options}, providers.Env{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if pr.Persona() != c.want {
			t.Errorf("account %q options %v: persona %q, want %q", c.name, c.options, pr.Persona(), c.want)
		}
	}
}

func TestUnknownPersona(t *testing.T) {
	_, err := providers.Open(providers.AccountSpec{Name: "me", Provider: "demo", Options: map[string]string{"persona": "astronaut"}}, providers.Env{})
	if err == nil {
		t.Fatal("unknown persona accepted")
	}
	for _, want := range []string{`"astronaut"`, `"me"`, "nightshift", "office", "runner"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestAccountsAndProfiles(t *testing.T) {
	now := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	accts := Accounts()
	wantNames := []string{"runner", "office", "nightshift"}
	if len(accts) != len(wantNames) {
		t.Fatalf("Accounts() = %d accounts, want %d", len(accts), len(wantNames))
	}
	zones := map[string]bool{}
	for i, a := range accts {
		if a.Name != wantNames[i] || a.Provider != "demo" || a.Options["persona"] != wantNames[i] {
			t.Fatalf("account %d = %+v", i, a)
		}
		p, err := providers.Open(a, providers.Env{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		prof, err := p.Profile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(prof.DisplayName, a.Name) && !strings.Contains(prof.DisplayName, "night shift") {
			t.Errorf("%s: display name %q", a.Name, prof.DisplayName)
		}
		if prof.Location == nil || zones[prof.Location.String()] {
			t.Errorf("%s: zone %v missing or shared", a.Name, prof.Location)
		} else {
			zones[prof.Location.String()] = true
		}
		if len(prof.Devices) == 0 {
			t.Fatalf("%s: no devices", a.Name)
		}
		kinds := map[string]providers.Device{}
		for _, d := range prof.Devices {
			kinds[d.Kind] = d
			if d.LastSync.IsZero() || d.LastSync.After(now) || now.Sub(d.LastSync) > 36*time.Hour {
				t.Errorf("%s %s: last sync %v, now %v", a.Name, d.Name, d.LastSync, now)
			}
			if d.LastSync.Location() != prof.Location {
				t.Errorf("%s %s: last sync in %v, want the account's zone", a.Name, d.Name, d.LastSync.Location())
			}
		}
		switch a.Name {
		case "runner":
			w, ok := kinds["watch"]
			if !ok || w.BatteryLow() || w.BatteryPercent < 21 {
				t.Errorf("runner's watch: %+v", w)
			}
			if now.Sub(w.LastSync) > 15*time.Minute {
				t.Errorf("runner's watch synced %v ago", now.Sub(w.LastSync))
			}
		case "office":
			tr, okT := kinds["tracker"]
			_, okS := kinds["scale"]
			if !okT || !okS || tr.BatteryLow() {
				t.Errorf("office devices: %+v", prof.Devices)
			}
		case "nightshift":
			tr := kinds["tracker"]
			if !tr.BatteryLow() || tr.BatteryPercent != 12 {
				t.Errorf("nightshift's tracker battery: %+v, want low (12%%)", tr)
			}
		}
	}
	if !zones["Europe/London"] || !zones["America/New_York"] || !zones["Asia/Tokyo"] {
		t.Errorf("zones = %v", zones)
	}
}

func TestDeterministic(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	d := date("2026-06-10")
	for _, name := range Personas() {
		days.reset()
		a, _ := open(t, name, now)
		inA := mustIntraday(t, a, d)
		sumA := mustSummary(t, a, d)
		dsA := mustDaily(t, a, d.AddDays(-120), d)
		slA := mustSleep(t, a, d.AddDays(-30), d)

		days.reset() // generate everything again from scratch
		b, _ := open(t, name, now)
		inB := mustIntraday(t, b, d)
		if !reflect.DeepEqual(inA, inB) {
			t.Errorf("%s: intraday differs between runs", name)
		}
		if sumB := mustSummary(t, b, d); sumA != sumB {
			t.Errorf("%s: summary %+v then %+v", name, sumA, sumB)
		}
		if dsB := mustDaily(t, b, d.AddDays(-120), d); !reflect.DeepEqual(dsA, dsB) {
			t.Errorf("%s: daily series differs between runs", name)
		}
		if slB := mustSleep(t, b, d.AddDays(-30), d); !reflect.DeepEqual(slA, slB) {
			t.Errorf("%s: sleep differs between runs", name)
		}

		// Another day is another day.
		other := mustIntraday(t, b, d.AddDays(-1))
		same := 0
		for i := range other.HeartRate.Samples {
			if other.HeartRate.Samples[i].Value == inA.HeartRate.Samples[i].Value {
				same++
			}
		}
		if same > len(other.HeartRate.Samples)/2 {
			t.Errorf("%s: %d of %d heart-rate values equal to the next day's", name, same, len(other.HeartRate.Samples))
		}
		if sumSteps(other.Steps) == sumSteps(inA.Steps) {
			t.Errorf("%s: two days with %d steps", name, sumSteps(inA.Steps))
		}
	}
	// And another persona another life.
	r, _ := open(t, "runner", now)
	o, _ := open(t, "office", now)
	if reflect.DeepEqual(mustDaily(t, r, d.AddDays(-6), d), mustDaily(t, o, d.AddDays(-6), d)) {
		t.Error("runner and office have the same week")
	}
}

// Today is the full day cut at the clock: as time passes samples are only
// appended, never changed.
func TestTodayIsAPrefixOfTheDay(t *testing.T) {
	for _, name := range Personas() {
		pr, c := open(t, name, farFuture)
		d := date("2026-06-15")
		full := mustIntraday(t, pr, d)
		fullSum := mustSummary(t, pr, d)
		if len(full.HeartRate.Samples) != 86400 || len(full.Steps.Samples) != 1440 {
			t.Fatalf("%s: full day has %d heart and %d step samples", name, len(full.HeartRate.Samples), len(full.Steps.Samples))
		}
		prev := providers.DaySummary{}
		prevHR := 0
		for _, at := range []time.Time{
			local(pr, d, 0, 0), local(pr, d, 0, 0).Add(30 * time.Second), local(pr, d, 7, 12).Add(45 * time.Second),
			local(pr, d, 13, 0), local(pr, d, 13, 0).Add(time.Second), local(pr, d, 21, 47), local(pr, d, 23, 59).Add(59 * time.Second),
		} {
			c.Set(at.UTC()) // the clock's zone must not matter
			if at.Minute() == 47 {
				days.reset() // a fresh generation must give the same prefix
			}
			in := mustIntraday(t, pr, d)
			el := at.Sub(local(pr, d, 0, 0))
			hr, st := in.HeartRate.Samples, in.Steps.Samples
			if want := int(el/time.Second) + 1; len(hr) != want {
				t.Fatalf("%s at %s: %d heart samples, want %d", name, at.Format("15:04:05"), len(hr), want)
			}
			if want := int(el / time.Minute); len(st) != want {
				t.Fatalf("%s at %s: %d step minutes, want %d", name, at.Format("15:04:05"), len(st), want)
			}
			if last, _ := in.HeartRate.Last(); last.Time.After(at) {
				t.Fatalf("%s at %s: heart sample from the future %s", name, at, last.Time)
			}
			if !reflect.DeepEqual(hr, full.HeartRate.Samples[:len(hr)]) || !reflect.DeepEqual(st, full.Steps.Samples[:len(st)]) {
				t.Fatalf("%s at %s: today so far is not a prefix of the full day", name, at.Format("15:04:05"))
			}
			if len(hr) < prevHR {
				t.Fatalf("%s: samples disappeared as time passed", name)
			}
			prevHR = len(hr)

			sum := mustSummary(t, pr, d)
			if sum.Steps != sumSteps(in.Steps) {
				t.Errorf("%s at %s: summary %d steps, intraday %d", name, at.Format("15:04"), sum.Steps, sumSteps(in.Steps))
			}
			if sum.Steps < prev.Steps || sum.Calories < prev.Calories || sum.ActiveMinutes < prev.ActiveMinutes ||
				sum.DistanceKm < prev.DistanceKm || sum.Floors < prev.Floors {
				t.Errorf("%s at %s: totals went down: %+v after %+v", name, at.Format("15:04"), sum, prev)
			}
			prev = sum
			dv := mustDaily(t, pr, d.AddDays(-2), d)
			if dv[2].Steps != sum.Steps || dv[2].DistanceKm != sum.DistanceKm || dv[2].Calories != sum.Calories ||
				dv[2].Floors != sum.Floors {
				t.Errorf("%s at %s: daily series has %+v today, summary %+v", name, at.Format("15:04"), dv[2], sum)
			}
		}
		if prev.Steps > fullSum.Steps || prev.Calories > fullSum.Calories {
			t.Errorf("%s: today so far %+v beyond the full day %+v", name, prev, fullSum)
		}
		if fullSum.Steps == 0 || prev.Steps == 0 {
			t.Errorf("%s: no steps by the end of the day", name)
		}
	}
}

func TestTotalsAgreeWithIntraday(t *testing.T) {
	for _, name := range Personas() {
		now := time.Date(2026, 6, 17, 15, 20, 0, 0, time.UTC) // a Wednesday afternoon in every zone but Tokyo's evening
		pr, _ := open(t, name, now)
		_, today := pr.clock()
		p := pr.p
		for _, d := range []providers.Date{today.AddDays(-3), today.AddDays(-4), today.AddDays(-1), today} { // incl. a weekend
			in := mustIntraday(t, pr, d)
			sum := mustSummary(t, pr, d)
			pl := p.plan(d, pr.loc)

			if got := sumSteps(in.Steps); sum.Steps != got {
				t.Errorf("%s %s: summary %d steps, intraday %d", name, d, sum.Steps, got)
			}
			metres, kcal, active := 0.0, 0.0, 0
			kg := p.bodyKg
			if p.hasScale {
				kg = p.weightOn(dayNumber(d))
			}
			thr := float64(sum.RestingHeartRate) + activeHRR*(p.maxHR-float64(sum.RestingHeartRate))
			for i, s := range in.Steps.Samples {
				st := s.Value
				stride, perStep := p.walkStride, 0.00055
				if st >= 140 {
					stride, perStep = p.runStride, 0.0009
				}
				metres += st * stride
				kcal += st * kg * perStep
				mean, n := meanHR(providers.Series{Samples: in.HeartRate.Samples[i*60 : i*60+60]}, s.Time, s.Time.Add(time.Minute))
				if n != 60 {
					t.Fatalf("%s %s: minute %d has %d heart samples", name, d, i, n)
				}
				if st >= 100 || mean >= thr {
					active++
				}
			}
			kcal += p.bmr * float64(len(in.Steps.Samples)) / 1440
			if math.Abs(sum.DistanceKm-metres/1000) > 0.0051 {
				t.Errorf("%s %s: distance %.2f km, steps say %.4f", name, d, sum.DistanceKm, metres/1000)
			}
			if math.Abs(float64(sum.Calories)-kcal) > 0.51 {
				t.Errorf("%s %s: %d kcal, intraday says %.1f", name, d, sum.Calories, kcal)
			}
			if sum.ActiveMinutes != active {
				t.Errorf("%s %s: %d active minutes, intraday says %d", name, d, sum.ActiveMinutes, active)
			}
			if sum.HasFloors != p.hasFloors || (!p.hasFloors && (sum.Floors != 0 || sum.Goals.Floors != 0)) {
				t.Errorf("%s %s: floors %d (has %v), goal %d", name, d, sum.Floors, sum.HasFloors, sum.Goals.Floors)
			}
			if sum.RestingHeartRate != pl.restingHR || sum.Goals != p.goals {
				t.Errorf("%s %s: summary %+v", name, d, sum)
			}

			// Daily series and sleep agree with the summary.
			dv := mustDaily(t, pr, d, d)[0]
			ss := mustSleep(t, pr, d, d)
			asleep, main := 0, 0
			for _, s := range ss {
				asleep += int(s.Asleep / time.Minute)
				if s.Main {
					main += int(s.Asleep / time.Minute)
				}
			}
			// Sleep minutes are the main sleep's, naps apart; together all.
			if dv.Steps != sum.Steps || dv.RestingHeartRate != sum.RestingHeartRate || dv.SleepMinutes+dv.NapMinutes != asleep ||
				dv.SleepMinutes != main || dv.DistanceKm != sum.DistanceKm || dv.Calories != sum.Calories ||
				dv.Floors != sum.Floors || dv.DistanceKm == 0 || dv.Calories == 0 {
				t.Errorf("%s %s: daily %+v, summary %+v, %d min asleep, %d in the main sleep", name, d, dv, sum, asleep, main)
			}

			// Resting heart rate is what the heart does asleep, well
			// below the waking day.
			if d == today {
				continue
			}
			ms := mainSleep(t, ss, d)
			night, n := meanHR(in.HeartRate, ms.Start, ms.End)
			if n < 4*3600 {
				t.Fatalf("%s %s: only %d heart samples during the main sleep", name, d, n)
			}
			if math.Abs(night-float64(sum.RestingHeartRate)) > 3 {
				t.Errorf("%s %s: resting %d bpm but %.1f bpm asleep", name, d, sum.RestingHeartRate, night)
			}
			dayMean, _ := meanHR(in.HeartRate, ms.End.Add(time.Hour), ms.End.Add(9*time.Hour))
			if dayMean < night+8 {
				t.Errorf("%s %s: %.1f bpm awake, %.1f asleep", name, d, dayMean, night)
			}
		}
	}
}

// The cheap daily model and the intraday generator place the same steps on
// every day, stages or not.
func TestDailyStepsMatchIntradayModel(t *testing.T) {
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		from := date("2025-11-01")
		vs := mustDaily(t, pr, from, from.AddDays(364))
		var m minutes
		for _, v := range vs {
			fr := newFrame(v.Date, pr.loc)
			a, b := pr.p.plan(v.Date, pr.loc), pr.p.plan(v.Date.AddDays(1), pr.loc)
			total := pr.p.fillDay(fr, &a, &b, &m, true)
			sum := 0
			for _, s := range m.steps {
				sum += int(s)
			}
			if total != v.Steps || sum != v.Steps {
				t.Fatalf("%s %s: daily %d steps, staged model %d (sum %d)", name, v.Date, v.Steps, total, sum)
			}
		}
	}
}

func TestRealisticDays(t *testing.T) {
	from, to := date("2026-05-04"), date("2026-05-10") // Monday to Sunday
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		ss := mustSleep(t, pr, from, to.AddDays(1)) // tomorrow's sleep may start tonight
		for d := from; !d.After(to); d = d.AddDays(1) {
			in := mustIntraday(t, pr, d)
			hr, st := in.HeartRate.Samples, in.Steps.Samples
			if in.HeartRate.Resolution != time.Second || in.Steps.Resolution != time.Minute {
				t.Fatalf("resolutions %v, %v", in.HeartRate.Resolution, in.Steps.Resolution)
			}
			jumps, lo, hi := 0.0, 1000.0, 0.0
			for i, s := range hr {
				if s.Value < 40 || s.Value > 200 || s.Value != math.Round(s.Value) {
					t.Fatalf("%s %s: heart rate %v at %s", name, d, s.Value, s.Time)
				}
				if s.Time.Location() != pr.loc {
					t.Fatalf("%s %s: sample in %v", name, d, s.Time.Location())
				}
				lo, hi = min(lo, s.Value), max(hi, s.Value)
				if i > 0 {
					jumps += math.Abs(s.Value - hr[i-1].Value)
				}
			}
			// A smooth walk, not white noise: small steps, wide range.
			if mean := jumps / float64(len(hr)-1); mean > 1 {
				t.Errorf("%s %s: heart rate jumps %.2f bpm a second on average", name, d, mean)
			}
			if hi-lo < 30 {
				t.Errorf("%s %s: heart rate only spans %v..%v", name, d, lo, hi)
			}

			// Steps come in bursts: many still minutes, some brisk walks.
			still, awake, longest, run := 0, 0, 0, 0
			for _, s := range st {
				if s.Value < 0 || s.Value > 200 {
					t.Fatalf("%s %s: %v steps in a minute", name, d, s.Value)
				}
				inBed := false
				for _, sl := range ss {
					inBed = inBed || !s.Time.Before(sl.Start) && s.Time.Before(sl.End)
				}
				if inBed {
					if s.Value != 0 {
						t.Fatalf("%s %s: %v steps at %s while asleep", name, d, s.Value, s.Time)
					}
					continue
				}
				awake++
				if s.Value == 0 {
					still++
				}
				if s.Value >= 95 {
					run++
					longest = max(longest, run)
				} else {
					run = 0
				}
			}
			if still < awake*4/10 {
				t.Errorf("%s %s: only %d of %d waking minutes without steps", name, d, still, awake)
			}
			if longest < 8 {
				t.Errorf("%s %s: longest brisk walk %d min", name, d, longest)
			}

			// The peak heart rate of the runner's day comes during the run.
			if name == "runner" {
				peak := 0
				for i := range hr {
					if hr[i].Value > hr[peak].Value {
						peak = i
					}
				}
				m := peak / 60
				ran := false
				for j := max(m-10, 0); j <= m; j++ {
					ran = ran || st[j].Value >= 140
				}
				if hr[peak].Value < 140 || !ran {
					t.Errorf("runner %s: peak %v bpm at %s, not during the run", d, hr[peak].Value, hr[peak].Time.Format("15:04"))
				}
			}
		}
	}
}

func TestDailyRangesAndRestingOrder(t *testing.T) {
	from, to := date("2025-07-01"), date("2026-06-30")
	ranges := map[string][2]int{"runner": {13000, 22000}, "office": {5500, 9800}, "nightshift": {7500, 12000}}
	series := map[string][]providers.DailyValues{}
	meanRest := map[string]float64{}
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		vs := mustDaily(t, pr, from, to)
		series[name] = vs
		r := ranges[name]
		for _, v := range vs {
			meanRest[name] += float64(v.RestingHeartRate) / float64(len(vs))
			if v.Steps < r[0] || v.Steps > r[1] {
				t.Errorf("%s %s: %d steps, want %d..%d", name, v.Date, v.Steps, r[0], r[1])
			}
			if v.SleepMinutes+v.NapMinutes < 300 || v.SleepMinutes+v.NapMinutes > 540+45 { // main sleep 5-9 h plus a nap
				t.Errorf("%s %s: %d min asleep", name, v.Date, v.SleepMinutes+v.NapMinutes)
			}
			if v.SleepMinutes < 300 || v.SleepMinutes > 540 || v.NapMinutes > 45 {
				t.Errorf("%s %s: %d min in the main sleep, %d in naps", name, v.Date, v.SleepMinutes, v.NapMinutes)
			}
		}
	}
	if !(meanRest["runner"] < meanRest["office"] && meanRest["office"] < meanRest["nightshift"]) {
		t.Errorf("mean resting heart rates %v", meanRest)
	}
	for i := range series["runner"] {
		r, o, n := series["runner"][i].RestingHeartRate, series["office"][i].RestingHeartRate, series["nightshift"][i].RestingHeartRate
		if r < 40 || r >= o || r >= n {
			t.Errorf("%s: resting heart rates runner %d, office %d, nightshift %d", series["runner"][i].Date, r, o, n)
		}
	}
}

func TestSleepStagesAndTimes(t *testing.T) {
	from, to := date("2025-07-01"), date("2026-06-30")
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		ss := mustSleep(t, pr, from, to)
		mains, naps := 0, 0
		for i, s := range ss {
			if i > 0 && !ss[i-1].Start.Before(s.Start) {
				t.Fatalf("%s: sessions out of order at %s", name, s.Start)
			}
			if s.Date.Before(from) || s.Date.After(to) || s.Date != providers.DateOf(s.End.In(pr.loc)) {
				t.Fatalf("%s: session ending %s has date %s", name, s.End, s.Date)
			}
			// Segments tile the session.
			at, wake := s.Start, time.Duration(0)
			for _, seg := range s.Segments {
				if !seg.Start.Equal(at) || seg.Duration <= 0 {
					t.Fatalf("%s %s: segment %+v does not follow %s", name, s.Date, seg, at)
				}
				at = at.Add(seg.Duration)
				if !isAsleep(seg.Stage) {
					wake += seg.Duration
				}
			}
			if !at.Equal(s.End) || s.Asleep != s.End.Sub(s.Start)-wake {
				t.Fatalf("%s %s: segments end %s, session %s; asleep %v", name, s.Date, at, s.End, s.Asleep)
			}
			tot := s.StageTotals()
			if !s.Main {
				naps++
				if !s.Classic || tot[providers.StageAsleep] == 0 || tot[providers.StageDeep] != 0 || s.End.Sub(s.Start) > time.Hour {
					t.Errorf("%s %s: nap %+v", name, s.Date, tot)
				}
				continue
			}
			mains++
			if s.Classic || s.Asleep < 5*time.Hour || s.Asleep > 9*time.Hour {
				t.Errorf("%s %s: main sleep %v asleep (classic %v)", name, s.Date, s.Asleep, s.Classic)
			}
			for _, st := range []providers.SleepStage{providers.StageDeep, providers.StageLight, providers.StageREM, providers.StageWake} {
				if tot[st] == 0 {
					t.Errorf("%s %s: no %s sleep", name, s.Date, st)
				}
			}
			// Cycles: several REM periods; deep early, REM late.
			rems := 0
			third := s.End.Sub(s.Start) / 3
			var deepEarly, deepLate, remEarly, remLate time.Duration
			for _, seg := range s.Segments {
				early := seg.Start.Before(s.Start.Add(third))
				late := !seg.Start.Before(s.End.Add(-third))
				switch seg.Stage {
				case providers.StageREM:
					rems++
					if early {
						remEarly += seg.Duration
					} else if late {
						remLate += seg.Duration
					}
				case providers.StageDeep:
					if early {
						deepEarly += seg.Duration
					} else if late {
						deepLate += seg.Duration
					}
				}
			}
			if rems < 3 || deepEarly <= deepLate || remLate <= remEarly {
				t.Errorf("%s %s: %d REM periods; deep %v early, %v late; REM %v early, %v late",
					name, s.Date, rems, deepEarly, deepLate, remEarly, remLate)
			}
			// When they sleep.
			start := s.Start.Hour()*60 + s.Start.Minute()
			end := s.End.Hour()*60 + s.End.Minute()
			switch name {
			case "nightshift": // by day
				if start < 7*60 || start > 9*60 || end < 13*60 || end > 16*60+30 {
					t.Errorf("nightshift %s: slept %s..%s", s.Date, s.Start.Format("15:04"), s.End.Format("15:04"))
				}
			default: // by night
				if start < 12*60 {
					start += 24 * 60
				}
				if start < 21*60 || start > 25*60+30 || end < 4*60+30 || end > 9*60+30 {
					t.Errorf("%s %s: slept %s..%s", name, s.Date, s.Start.Format("15:04"), s.End.Format("15:04"))
				}
			}
		}
		if want := from.DaysUntil(to) + 1; mains != want {
			t.Errorf("%s: %d main sleeps in %d days", name, mains, want)
		}
		if (name == "nightshift") != (naps > 0) {
			t.Errorf("%s: %d naps in a year", name, naps)
		}
	}
}

func TestWeight(t *testing.T) {
	from, to := date("2025-01-01"), date("2026-12-31")
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		vs := mustDaily(t, pr, from, to)
		if name != "office" {
			for _, v := range vs {
				if v.WeightKg != 0 {
					t.Fatalf("%s %s: weight %v without a scale", name, v.Date, v.WeightKg)
				}
			}
			continue
		}
		lo, hi := 1000.0, 0.0
		for i, v := range vs {
			if v.WeightKg < 70 || v.WeightKg > 100 || math.Abs(v.WeightKg*10-math.Round(v.WeightKg*10)) > 1e-6 {
				t.Fatalf("%s: weight %v", v.Date, v.WeightKg)
			}
			if i > 0 && math.Abs(v.WeightKg-vs[i-1].WeightKg) >= 0.5 {
				t.Errorf("%s: weight jumped from %v to %v", v.Date, vs[i-1].WeightKg, v.WeightKg)
			}
			lo, hi = min(lo, v.WeightKg), max(hi, v.WeightKg)
		}
		if hi-lo < 1.5 {
			t.Errorf("weight stays within %v..%v over two years: no drift", lo, hi)
		}
	}
}

// Today's weight appears once the morning weigh-in happened, and the
// scale's last sync is that weigh-in.
func TestWeighInToday(t *testing.T) {
	d := date("2026-06-16")
	pr, c := open(t, "office", farFuture)
	c.Set(local(pr, d, 3, 0))
	vs := mustDaily(t, pr, d.AddDays(-1), d)
	if vs[0].WeightKg == 0 || vs[1].WeightKg != 0 {
		t.Fatalf("at 03:00: weights %v, %v; want yesterday's only", vs[0].WeightKg, vs[1].WeightKg)
	}
	prof, _ := pr.Profile(ctx)
	yesterdays := pr.p.plan(d.AddDays(-1), pr.loc).weighIn
	if scale := prof.Devices[1]; scale.Kind != "scale" || !scale.LastSync.Equal(yesterdays) {
		t.Fatalf("scale %+v, want last sync %s", scale, yesterdays)
	}
	c.Set(local(pr, d, 12, 0))
	vs = mustDaily(t, pr, d.AddDays(-1), d)
	if vs[1].WeightKg == 0 {
		t.Fatal("at noon: no weight today")
	}
	prof, _ = pr.Profile(ctx)
	if got := prof.Devices[1].LastSync; providers.DateOf(got) != d || got.After(c.Now()) {
		t.Fatalf("scale last synced %s at noon", got)
	}
}

// A sleep in progress is not reported until it ends.
func TestSleepInProgress(t *testing.T) {
	d := date("2026-06-16")
	pr, c := open(t, "nightshift", farFuture)
	ms := mainSleep(t, mustSleep(t, pr, d, d), d)
	c.Set(ms.End.Add(-time.Minute))
	if ss := mustSleep(t, pr, d, d); len(ss) != 0 {
		t.Fatalf("sleep reported before it ended: %+v", ss)
	}
	if v := mustDaily(t, pr, d, d)[0]; v.SleepMinutes != 0 {
		t.Fatalf("%d min asleep counted before waking", v.SleepMinutes)
	}
	c.Set(ms.End)
	if ss := mustSleep(t, pr, d, d); len(ss) != 1 || !reflect.DeepEqual(ss[0], ms) {
		t.Fatalf("after waking: %+v", ss)
	}
	if v := mustDaily(t, pr, d, d)[0]; v.SleepMinutes != int(ms.Asleep/time.Minute) {
		t.Fatalf("%d min asleep, want %v", v.SleepMinutes, ms.Asleep)
	}
}

func TestDSTDays(t *testing.T) {
	cases := []struct {
		persona string
		day     string
		hours   int
	}{
		{"runner", "2026-03-29", 23}, // London springs forward
		{"runner", "2026-10-25", 25}, // and falls back
		{"office", "2026-03-08", 23}, // New York
		{"office", "2026-11-01", 25},
		{"runner", "2026-03-30", 24},
		{"nightshift", "2026-03-08", 24}, // Tokyo has no DST
	}
	for _, c := range cases {
		pr, _ := open(t, c.persona, farFuture)
		d := date(c.day)
		in := mustIntraday(t, pr, d)
		hr, st := in.HeartRate.Samples, in.Steps.Samples
		if len(hr) != c.hours*3600 || len(st) != c.hours*60 {
			t.Fatalf("%s %s: %d heart, %d step samples for a %d-hour day", c.persona, c.day, len(hr), len(st), c.hours)
		}
		if !hr[0].Time.Equal(d.In(pr.loc)) || !hr[len(hr)-1].Time.Add(time.Second).Equal(d.AddDays(1).In(pr.loc)) {
			t.Fatalf("%s %s: samples %s..%s", c.persona, c.day, hr[0].Time, hr[len(hr)-1].Time)
		}
		for i := 1; i < len(hr); i++ {
			if hr[i].Time.Sub(hr[i-1].Time) != time.Second {
				t.Fatalf("%s %s: gap at %s", c.persona, c.day, hr[i].Time)
			}
		}
		_, o1 := hr[0].Time.Zone()
		_, o2 := hr[len(hr)-1].Time.Zone()
		if (o1 != o2) != (c.hours != 24) {
			t.Errorf("%s %s: offsets %d and %d", c.persona, c.day, o1, o2)
		}
		sum := mustSummary(t, pr, d)
		dv := mustDaily(t, pr, d.AddDays(-1), d.AddDays(1))
		if sum.Steps != sumSteps(in.Steps) || dv[1].Steps != sum.Steps || sum.Steps == 0 {
			t.Errorf("%s %s: summary %d, daily %d, intraday %d steps", c.persona, c.day, sum.Steps, dv[1].Steps, sumSteps(in.Steps))
		}
		ss := mustSleep(t, pr, d, d.AddDays(1))
		for _, s := range ss {
			if s.Main && (s.Asleep < 5*time.Hour || s.Date != providers.DateOf(s.End)) {
				t.Errorf("%s %s: main sleep %s..%s", c.persona, c.day, s.Start, s.End)
			}
		}
	}
}

// Habits follow the wall clock: on DST days 14:00 is 13 or 15 hours after
// midnight.
func TestWallClockOnDSTDays(t *testing.T) {
	london := runner.location()
	for _, c := range []struct {
		day  string
		want int
	}{{"2026-03-29", 13 * 60}, {"2026-10-25", 15 * 60}, {"2026-06-14", 14 * 60}} {
		fr := newFrame(date(c.day), london)
		if got := fr.at(14 * 60); got != c.want {
			t.Errorf("%s: 14:00 is minute %d, want %d", c.day, got, c.want)
		}
	}
}

func TestFutureIsEmpty(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	for _, name := range Personas() {
		pr, _ := open(t, name, now)
		_, today := pr.clock()
		for _, d := range []providers.Date{today.AddDays(1), today.AddDays(400)} {
			in := mustIntraday(t, pr, d)
			if len(in.HeartRate.Samples) != 0 || len(in.Steps.Samples) != 0 || in.Date != d ||
				in.HeartRate.Resolution != time.Second || in.Steps.Resolution != time.Minute {
				t.Errorf("%s %s: intraday %d/%d samples", name, d, len(in.HeartRate.Samples), len(in.Steps.Samples))
			}
			sum := mustSummary(t, pr, d)
			want := providers.DaySummary{Date: d, HasFloors: pr.p.hasFloors, Goals: pr.p.goals}
			if sum != want {
				t.Errorf("%s %s: summary %+v", name, d, sum)
			}
		}
		vs := mustDaily(t, pr, today.AddDays(-1), today.AddDays(5))
		for _, v := range vs[2:] {
			if v != (providers.DailyValues{Date: v.Date}) {
				t.Errorf("%s: future daily values %+v", name, v)
			}
		}
		if vs[0].Steps == 0 || vs[0].RestingHeartRate == 0 || vs[0].SleepMinutes == 0 {
			t.Errorf("%s: yesterday is empty: %+v", name, vs[0])
		}
		if ss := mustSleep(t, pr, today.AddDays(1), today.AddDays(10)); len(ss) != 0 {
			t.Errorf("%s: future sleep %+v", name, ss)
		}
	}
}

func TestBadRangesAndCancel(t *testing.T) {
	pr, _ := open(t, "office", farFuture)
	d := date("2026-06-15")
	if _, err := pr.DailySeries(ctx, d, d.AddDays(-1)); err == nil || !strings.Contains(err.Error(), "ends before it starts") {
		t.Errorf("reversed range: %v", err)
	}
	if _, err := pr.Sleep(ctx, d.AddDays(-30*366), d); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("huge range: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := pr.Intraday(cctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("Intraday on a cancelled context: %v", err)
	}
	if _, err := pr.DailySeries(cctx, d.AddDays(-100), d); !errors.Is(err, context.Canceled) {
		t.Errorf("DailySeries on a cancelled context: %v", err)
	}
	if _, err := pr.DaySummary(cctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("DaySummary on a cancelled context: %v", err)
	}
}

// A tick re-slices the memoised day; the memo stays small; callers cannot
// write into each other's samples by appending.
func TestMemo(t *testing.T) {
	days.reset()
	days.size = memoSize // the program's bound, not a test binary's
	t.Cleanup(func() { days.reset(); days.size = daysKept() })
	pr, c := open(t, "runner", farFuture)
	d := date("2026-06-15")
	c.Set(local(pr, d, 10, 0))
	a := mustIntraday(t, pr, d)
	c.Set(local(pr, d, 10, 0).Add(time.Second))
	b := mustIntraday(t, pr, d)
	if &a.HeartRate.Samples[0] != &b.HeartRate.Samples[0] {
		t.Error("the second tick regenerated the day")
	}
	if len(b.HeartRate.Samples) != len(a.HeartRate.Samples)+1 {
		t.Errorf("one second later: %d samples after %d", len(b.HeartRate.Samples), len(a.HeartRate.Samples))
	}
	if cap(b.HeartRate.Samples) != len(b.HeartRate.Samples) || cap(b.Steps.Samples) != len(b.Steps.Samples) {
		t.Error("returned slices have spare capacity into the shared day")
	}
	for i := range memoSize + 3 {
		mustIntraday(t, pr, d.AddDays(-i))
	}
	days.mu.Lock()
	n := len(days.entries)
	days.mu.Unlock()
	if n != memoSize {
		t.Errorf("memo holds %d days, want %d", n, memoSize)
	}
}

func TestConcurrentUse(t *testing.T) {
	days.reset()
	d := date("2026-06-15")
	type result struct {
		in  providers.Intraday
		sum providers.DaySummary
		ds  []providers.DailyValues
	}
	want := map[string]result{}
	for _, name := range Personas() {
		pr, _ := open(t, name, farFuture)
		want[name] = result{mustIntraday(t, pr, d), mustSummary(t, pr, d), mustDaily(t, pr, d.AddDays(-30), d)}
	}
	days.reset()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 12 {
		name := Personas()[i%3]
		pr, _ := open(t, name, farFuture)
		wg.Go(func() {
			for j := range 3 {
				if i == 5 && j == 1 {
					days.reset()
				}
				got := result{}
				var err error
				if got.in, err = pr.Intraday(ctx, d.AddDays(-j%2)); err != nil {
					errs <- err.Error()
					return
				}
				if got.sum, err = pr.DaySummary(ctx, d); err != nil {
					errs <- err.Error()
					return
				}
				if got.ds, err = pr.DailySeries(ctx, d.AddDays(-30), d); err != nil {
					errs <- err.Error()
					return
				}
				w := want[name]
				if j%2 == 0 && !reflect.DeepEqual(got.in, w.in) || got.sum != w.sum || !reflect.DeepEqual(got.ds, w.ds) {
					errs <- name + ": concurrent result differs"
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// Without zone data the personas fall back to a fixed offset.
func TestZoneFallback(t *testing.T) {
	p := &persona{name: "nowhere", zone: "Nowhere/Atlantis", zoneAbbr: "ATL", zoneOffset: -2 * 3600}
	loc := p.location()
	if _, off := time.Date(2026, 6, 1, 0, 0, 0, 0, loc).Zone(); off != -2*3600 {
		t.Fatalf("fallback offset %d", off)
	}
}

// Minutes agrees exactly with Intraday (steps per minute, the sum and
// count of each minute's 1-second readings), on a past day, a DST day
// and today cut mid-minute, and never makes the 1-second samples.
func TestMinutesAgreeWithIntraday(t *testing.T) {
	days.reset()
	pr, c := open(t, "office", farFuture)
	today := date("2026-03-05")
	for _, tc := range []struct {
		day providers.Date
		now time.Time
	}{
		{today.AddDays(-1), local(pr, today, 10, 4).Add(7 * time.Second)},
		{date("2026-03-08"), local(pr, date("2026-03-09"), 12, 0)}, // New York springs forward
		{today, local(pr, today, 10, 4).Add(7 * time.Second)},
		{today, local(pr, today, 10, 4)},
	} {
		c.Set(tc.now)
		days.reset()
		m, err := pr.Minutes(ctx, tc.day)
		if err != nil {
			t.Fatal(err)
		}
		days.mu.Lock()
		dd := days.entries[0].val
		days.mu.Unlock()
		materialized := false
		seconds.mu.Lock()
		for _, e := range seconds.entries {
			materialized = materialized || e.key == dd
		}
		seconds.mu.Unlock()
		if materialized {
			t.Errorf("%s: Minutes made the 1-second samples", tc.day)
		}
		in := mustIntraday(t, pr, tc.day)
		if !m.Start.Equal(tc.day.In(pr.loc)) || m.Readings != len(in.HeartRate.Samples) || len(m.Steps) != len(in.Steps.Samples) {
			t.Fatalf("%s: start %v, %d readings, %d minutes; intraday %d and %d", tc.day, m.Start, m.Readings, len(m.Steps),
				len(in.HeartRate.Samples), len(in.Steps.Samples))
		}
		for i, s := range in.Steps.Samples {
			if float64(m.Steps[i]) != s.Value || !m.StepSamples()[i].Time.Equal(s.Time) {
				t.Fatalf("%s: minute %d steps %d, intraday %v", tc.day, i, m.Steps[i], s)
			}
		}
		sums := make([]int32, (len(in.HeartRate.Samples)+59)/60)
		counts := make([]int, len(sums))
		for i, s := range in.HeartRate.Samples {
			sums[i/60] += int32(s.Value)
			counts[i/60]++
		}
		if !reflect.DeepEqual(sums, m.HeartSum) {
			t.Fatalf("%s: heart sums differ", tc.day)
		}
		for i, n := range counts {
			if m.HeartCount(i) != n {
				t.Fatalf("%s: minute %d has %d readings, HeartCount %d", tc.day, i, n, m.HeartCount(i))
			}
		}
	}
	if m, err := pr.Minutes(ctx, today.AddDays(400)); err != nil || len(m.Steps)+len(m.HeartSum)+m.Readings != 0 {
		t.Errorf("the future: %+v %v", m, err)
	}
}
