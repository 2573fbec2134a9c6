package fitbit

import (
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/providertest"
)

var personas = []string{"runner", "office", "nightshift"}

func TestProfileAndDevices(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			e := setup(t, persona)
			got, err := e.p.Profile(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := e.fake.Demo().Profile(ctx(t))
			if got.DisplayName != want.DisplayName || got.Location.String() != want.Location.String() {
				t.Fatalf("profile %q %v, want %q %v", got.DisplayName, got.Location, want.DisplayName, want.Location)
			}
			if len(got.Devices) != len(want.Devices) {
				t.Fatalf("%d devices, want %d", len(got.Devices), len(want.Devices))
			}
			for i, d := range got.Devices {
				w := want.Devices[i]
				kind := w.Kind
				if kind == "watch" {
					kind = "tracker" // Fitbit knows TRACKER and SCALE only
				}
				if d.ID != fitbittest.DeviceID(w.ID) || d.Name != w.Name || d.Kind != kind || d.BatteryPercent != w.BatteryPercent {
					t.Errorf("device %+v, want %+v", d, w)
				}
				if w.BatteryPercent < 0 && d.BatteryLevel != w.BatteryLevel {
					t.Errorf("battery word %q, want %q", d.BatteryLevel, w.BatteryLevel)
				}
				if w.BatteryPercent >= 0 && d.BatteryLevel == "" {
					t.Errorf("battery word missing")
				}
				if d.BatteryLow() != w.BatteryLow() {
					t.Errorf("BatteryLow %v, want %v", d.BatteryLow(), w.BatteryLow())
				}
				if !d.LastSync.Equal(w.LastSync.Truncate(time.Millisecond)) || d.LastSync.Location().String() != got.Location.String() {
					t.Errorf("last sync %v, want %v in %v", d.LastSync, w.LastSync, got.Location)
				}
			}
		})
	}
}

func TestDaySummaryMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			e := setup(t, persona)
			for _, back := range []int{0, 1, 2, 9, 40} {
				day := e.today.AddDays(-back)
				got, err := e.p.DaySummary(ctx(t), day)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := e.fake.Demo().DaySummary(ctx(t), day)
				if !want.HasFloors {
					want.Goals.Floors = 0 // no floors goal without an altimeter
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got %+v\nwant %+v", day, got, want)
				}
			}
		})
	}
	// Requests carry no Accept-Language, so Fitbit answers in metric units.
	e := setup(t, "office")
	if _, err := e.p.DaySummary(ctx(t), e.today); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.fake.Requests() {
		if r.Header.Get("Accept-Language") != "" {
			t.Fatalf("request %s sent Accept-Language %q", r.Path, r.Header.Get("Accept-Language"))
		}
	}
}

// perBucket reduces samples to detail-long buckets counted from midnight.
func perBucket(day providers.Date, loc *time.Location, s []providers.Sample, detail time.Duration, mean bool) []providers.Sample {
	var out []providers.Sample
	start := day.In(loc)
	sum, n, cur := 0.0, 0, -1
	emit := func() {
		if n == 0 {
			return
		}
		v := sum
		if mean {
			v = math.Round(sum / float64(n))
		}
		out = append(out, providers.Sample{Time: start.Add(time.Duration(cur) * detail), Value: v})
	}
	for _, x := range s {
		b := int(x.Time.Sub(start) / detail)
		if b != cur {
			emit()
			cur, sum, n = b, 0, 0
		}
		sum += x.Value
		n++
	}
	emit()
	return out
}

func sameSamples(t *testing.T, what string, got, want []providers.Sample, loc *time.Location) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d samples, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !got[i].Time.Equal(want[i].Time) || got[i].Value != want[i].Value || got[i].Time.Location().String() != loc.String() {
			t.Fatalf("%s[%d] = %v %v, want %v %v", what, i, got[i].Time, got[i].Value, want[i].Time, want[i].Value)
		}
	}
}

func TestIntradayMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			e := setup(t, persona)
			for _, day := range []providers.Date{e.today, e.today.AddDays(-1)} {
				want, _ := e.fake.Demo().Intraday(ctx(t), day)
				for _, detail := range []Detail{Detail1Min, Detail15Min} {
					got, err := e.p.IntradayAt(ctx(t), day, detail)
					if err != nil {
						t.Fatal(err)
					}
					step := detail.duration()
					if got.Note != "" || got.HeartRate.Resolution != step || got.Steps.Resolution != step {
						t.Fatalf("note %q, resolutions %v %v", got.Note, got.HeartRate.Resolution, got.Steps.Resolution)
					}
					sameSamples(t, "heart "+string(detail), got.HeartRate.Samples, perBucket(day, e.loc, want.HeartRate.Samples, step, true), e.loc)
					sameSamples(t, "steps "+string(detail), got.Steps.Samples, perBucket(day, e.loc, want.Steps.Samples, step, false), e.loc)
				}
			}
			// Today stops at now.
			got, _ := e.p.Intraday(ctx(t), e.today)
			if last, ok := got.HeartRate.Last(); !ok || last.Time.After(t0) || t0.Sub(last.Time) > 2*time.Minute {
				t.Fatalf("last heart sample %v (now %v)", last.Time, t0)
			}
			// The Intraday method is the 1-minute one.
			if got.Steps.Resolution != time.Minute {
				t.Fatalf("Intraday resolution %v", got.Steps.Resolution)
			}
			fut, err := e.p.Intraday(ctx(t), e.today.AddDays(1))
			if err != nil || len(fut.HeartRate.Samples) != 0 {
				t.Fatalf("future day: %v %d samples", err, len(fut.HeartRate.Samples))
			}
		})
	}
}

// TestIntradayDSTDay: on the day New York's clocks go back, Fitbit's
// wall-clock times repeat 01:00-01:59; samples still come out in order
// and at the right instants.
func TestIntradayDSTDay(t *testing.T) {
	e := setupAt(t, "office", time.Date(2025, 11, 3, 18, 0, 0, 0, time.UTC))
	day := providers.Date{Year: 2025, Month: time.November, Day: 2}
	got, err := e.p.IntradayAt(ctx(t), day, Detail1Min)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.fake.Demo().Intraday(ctx(t), day)
	sameSamples(t, "heart", got.HeartRate.Samples, perBucket(day, e.loc, want.HeartRate.Samples, time.Minute, true), e.loc)
	if n := len(got.Steps.Samples); n != 25*60 {
		t.Fatalf("%d step minutes on a 25-hour day", n)
	}
	// 1sec detail (what Intraday asks for) through the repeated hour too.
	sec, err := e.p.Intraday(ctx(t), day)
	if err != nil {
		t.Fatal(err)
	}
	sameSamples(t, "heart 1sec", sec.HeartRate.Samples, fitbittest.SecondHeartRate(want.HeartRate.Samples), e.loc)
}

// Intraday asks for heart rate at 1sec detail where the app may have it:
// readings every 5-15 s as the tracker took them, steps per minute; an
// app refused 1sec data gets minutes (one extra request, then an hour
// without asking again); an app without intraday access the daily
// fallback, as before.
func TestIntradayOneSecond(t *testing.T) {
	e := setup(t, "runner")
	day := e.today.AddDays(-1)
	want, _ := e.fake.Demo().Intraday(ctx(t), day)
	got, err := e.p.Intraday(ctx(t), day)
	if err != nil {
		t.Fatal(err)
	}
	secs := fitbittest.SecondHeartRate(want.HeartRate.Samples)
	if got.Note != "" || got.HeartRate.Resolution != 0 || got.Steps.Resolution != time.Minute || len(secs) < 5000 {
		t.Fatalf("note %q, resolutions %v %v, %d readings", got.Note, got.HeartRate.Resolution, got.Steps.Resolution, len(secs))
	}
	sameSamples(t, "heart 1sec", got.HeartRate.Samples, secs, e.loc)
	sameSamples(t, "steps", got.Steps.Samples, perBucket(day, e.loc, want.Steps.Samples, time.Minute, false), e.loc)
	for i := 1; i < len(got.HeartRate.Samples); i++ {
		if gap := got.HeartRate.Samples[i].Time.Sub(got.HeartRate.Samples[i-1].Time); gap < 5*time.Second || gap > 15*time.Second {
			t.Fatalf("reading %d: %v after the one before, want 5-15 s", i, gap)
		}
	}
	if err := registration.CheckIntraday(got); err != nil {
		t.Errorf("descriptor: %v", err)
	}
	if n := e.fake.APIRequests("/1sec.json"); n != 1 {
		t.Errorf("%d 1sec requests", n)
	}

	// Refused 1sec: minutes, and 1sec is not asked again within the hour.
	m := setup(t, "runner")
	m.fake.SetSecondsForbidden(true)
	got, err = m.p.Intraday(ctx(t), day)
	if err != nil || got.Note != "" || got.HeartRate.Resolution != time.Minute {
		t.Fatalf("refused 1sec: note %q resolution %v %v", got.Note, got.HeartRate.Resolution, err)
	}
	sameSamples(t, "heart 1min", got.HeartRate.Samples, perBucket(day, m.loc, want.HeartRate.Samples, time.Minute, true), m.loc)
	if _, err := m.p.Intraday(ctx(t), day.AddDays(-1)); err != nil {
		t.Fatal(err)
	}
	if n := m.fake.APIRequests("/1sec.json"); n != 1 {
		t.Errorf("%d 1sec requests after the refusal, want 1", n)
	}
	m.clock.Advance(intradayRecheck + time.Minute)
	if _, err := m.p.Intraday(ctx(t), day.AddDays(-2)); err != nil {
		t.Fatal(err)
	}
	if n := m.fake.APIRequests("/1sec.json"); n != 2 {
		t.Errorf("%d 1sec requests an hour later, want 2", n)
	}

	// No intraday access at all: the daily fallback, without a minute
	// request after the refused second one.
	n := setup(t, "runner")
	n.fake.SetIntradayForbidden(true)
	got, err = n.p.Intraday(ctx(t), day)
	if err != nil || got.Note != IntradayNote {
		t.Fatalf("no intraday: %+v %v", got.Note, err)
	}
	if k := n.fake.APIRequests("/1min.json") + n.fake.APIRequests("/1sec.json"); k != 2 {
		t.Errorf("%d intraday requests for an app without access, want 2 (heart 1sec, steps 1min)", k)
	}
}

func TestDailySeriesMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			e := setup(t, persona)
			from := e.today.AddDays(-29)
			got, err := e.p.DailySeries(ctx(t), from, e.today)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today)
			want = providertest.DailyCore(want) // the fields this provider serves
			if !reflect.DeepEqual(got, want) {
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("%s: got %+v want %+v", got[i].Date, got[i], want[i])
					}
				}
				t.FailNow()
			}
			// A range running into the future: future days are empty and
			// not asked for.
			e.fresh()
			e.fake.ResetLog()
			got, err = e.p.DailySeries(ctx(t), e.today.AddDays(-2), e.today.AddDays(3))
			if err != nil || len(got) != 6 || got[5].Date != e.today.AddDays(3) || got[5].Steps != 0 {
				t.Fatalf("future range: %v %+v", err, got)
			}
			for _, r := range e.fake.Requests() {
				if strings.Contains(r.Path, e.today.AddDays(1).String()) {
					t.Fatalf("asked for a future day: %s", r.Path)
				}
			}
		})
	}
}

func TestLongRangesSplitAtAPILimits(t *testing.T) {
	e := setup(t, "office")
	from := e.today.AddDays(-399) // 400 days
	got, err := e.p.DailySeries(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today)
	want = providertest.DailyCore(want) // the fields this provider serves
	if !reflect.DeepEqual(got, want) {
		t.Fatal("400-day series differs from the demo's")
	}
	counts := map[string]int{
		"/activities/steps/": 1,  // 1095 days per request
		"/activities/heart/": 2,  // 365
		"/sleep/":            4,  // 100
		"/body/log/weight/":  13, // 31
	}
	for sub, n := range counts {
		if got := e.fake.APIRequests(sub); got != n {
			t.Errorf("%s: %d requests, want %d", sub, got, n)
		}
	}
	if _, err := e.p.DailySeries(ctx(t), e.today, e.today.AddDays(-1)); err == nil {
		t.Fatal("backwards range accepted")
	}
}

func TestSleepMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			e := setup(t, persona)
			from := e.today.AddDays(-20)
			got, err := e.p.Sleep(ctx(t), from, e.today)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := e.fake.Demo().Sleep(ctx(t), from, e.today)
			if len(got) != len(want) || len(got) < 20 {
				t.Fatalf("%d sessions, want %d", len(got), len(want))
			}
			classic := 0
			for i := range got {
				g, w := got[i], want[i]
				if g.Date != w.Date || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Main != w.Main ||
					g.Classic != w.Classic || g.Asleep != w.Asleep || len(g.Segments) != len(w.Segments) {
					t.Fatalf("session %d:\n got %+v\nwant %+v", i, g, w)
				}
				if g.Start.Location().String() != e.loc.String() {
					t.Fatalf("start in %v", g.Start.Location())
				}
				for j := range g.Segments {
					if g.Segments[j].Stage != w.Segments[j].Stage || !g.Segments[j].Start.Equal(w.Segments[j].Start) || g.Segments[j].Duration != w.Segments[j].Duration {
						t.Fatalf("segment %d/%d: %+v want %+v", i, j, g.Segments[j], w.Segments[j])
					}
				}
				if g.Classic {
					classic++
				}
			}
			if persona == "nightshift" && classic == 0 {
				t.Fatal("no classic naps in 3 weeks of the night-shift persona")
			}
			logs, err := e.p.SleepLogs(ctx(t), from, e.today)
			if err != nil {
				t.Fatal(err)
			}
			k := map[providers.Date]int{}
			for _, l := range logs {
				if l.LogID != fitbittest.SleepLogID(l.Date, k[l.Date]) {
					t.Fatalf("log id %s, want %s", l.LogID, fitbittest.SleepLogID(l.Date, k[l.Date]))
				}
				k[l.Date]++
			}
		})
	}
}

func TestWeightAndFatLogs(t *testing.T) {
	e := setup(t, "office")
	from := e.today.AddDays(-44)
	ws, err := e.p.WeightLogs(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	days, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today)
	var want []providers.DailyValues
	for _, d := range days {
		if d.WeightKg > 0 {
			want = append(want, d)
		}
	}
	if len(ws) != len(want) || len(ws) < 40 {
		t.Fatalf("%d weigh-ins, want %d", len(ws), len(want))
	}
	two53 := new(big.Int).Lsh(big.NewInt(1), 53)
	for i, w := range ws {
		d := want[i].Date
		id, ok := new(big.Int).SetString(w.LogID, 10)
		if w.LogID != fitbittest.WeightLogID(d) || !ok || id.Cmp(two53) <= 0 {
			t.Fatalf("log id %s, want %s (> 2^53)", w.LogID, fitbittest.WeightLogID(d))
		}
		c, _ := parseClock(fitbittest.WeighInTime)
		if w.WeightKg != want[i].WeightKg || w.FatPercent != fitbittest.BodyFat(d) || !w.Time.Equal(c.at(d, e.loc)) || w.Source != "Aria" {
			t.Fatalf("weigh-in %+v, want %v kg %v%% on %s", w, want[i].WeightKg, fitbittest.BodyFat(d), d)
		}
		if w.BMI <= 0 {
			t.Fatalf("BMI %v", w.BMI)
		}
	}
	if n := e.fake.APIRequests("/body/log/weight/"); n != 2 { // 45 days, 31 per request
		t.Fatalf("%d weight requests, want 2", n)
	}
	fs, err := e.p.BodyFatLogs(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != len(want) {
		t.Fatalf("%d fat logs, want %d", len(fs), len(want))
	}
	for i, f := range fs {
		if f.FatPercent != fitbittest.BodyFat(want[i].Date) || f.LogID != fitbittest.FatLogID(want[i].Date) {
			t.Fatalf("fat %+v", f)
		}
	}
	if n := e.fake.APIRequests("/body/log/fat/"); n != 2 { // 30 per request
		t.Fatalf("%d fat requests, want 2", n)
	}
	// The runner has no scale.
	r := setup(t, "runner")
	ws, err = r.p.WeightLogs(ctx(t), r.today.AddDays(-10), r.today)
	if err != nil || len(ws) != 0 {
		t.Fatalf("runner weigh-ins: %v %d", err, len(ws))
	}
}

func TestBigIDsSurvive(t *testing.T) {
	// The fake's ids are beyond 2^53, where float64 cannot hold every
	// integer: a decoder going through float64 would change them.
	ids := fitbittest.WeightLogID(providers.Date{Year: 2026, Month: 3, Day: 5})
	n, err := strconv.ParseUint(ids, 10, 64)
	if err != nil || n <= 1<<53 || uint64(float64(n)) == n {
		t.Fatalf("test id %s does not exercise float64 rounding", ids)
	}
	var got struct{ ID id }
	if err := json.Unmarshal([]byte(`{"ID": `+ids+`}`), &got); err != nil || string(got.ID) != ids {
		t.Fatalf("decoded %q, %v", got.ID, err)
	}
}

// TestContract: what every provider keeps (package providertest).
func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{Name: Name, Title: "Fitbit Web API (legacy)", BadAPIURLs: []string{"ftp://x"},
		Start:   func(t *testing.T) providertest.Account { return setup(t, "office").account() },
		Timeout: func(p providers.Provider, d time.Duration) { p.(*Provider).api.Timeout = d },
		BaseURL: func(p providers.Provider) string { return p.(*Provider).api.BaseURL }, DefaultAPIURL: DefaultAPIURL})
}
