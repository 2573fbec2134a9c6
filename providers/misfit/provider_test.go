package misfit

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/misfit/misfittest"
	"github.com/fittui/fittui/providers/providertest"
)

func TestNewOptions(t *testing.T) {
	for _, c := range []struct {
		opts map[string]string
		api  string
		bad  string
	}{
		{map[string]string{"timezone": "Mars/Olympus"}, "", "timezone"},
		{map[string]string{"distance_unit": "furlong"}, "", "distance_unit"},
		{nil, "ftp://x", "not an http(s) URL"},
		{map[string]string{"timezone": "Asia/Tokyo", "distance_unit": "km"}, "", ""},
	} {
		_, err := New(providers.AccountSpec{Name: "m", Provider: Name, Options: c.opts}, providers.Env{APIURL: c.api})
		if (c.bad == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.bad) {
			t.Errorf("%v %q: %v", c.opts, c.api, err)
		}
	}
}

func TestProfile(t *testing.T) {
	e := setup(t, "office")
	prof, err := e.p.Profile(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	// The zone is the newest goal's offset: New York in March before DST.
	_, off := t0.In(e.loc).Zone()
	if _, got := t0.In(prof.Location).Zone(); got != off || prof.Location.String() != "UTC-05:00" {
		t.Errorf("location %v (offset %d), want offset %d", prof.Location, got, off)
	}
	demo, _ := e.fake.DemoDevice(ctx(t))
	if prof.DisplayName != e.fake.DisplayName() || len(prof.Devices) != 1 {
		t.Fatalf("profile %+v", prof)
	}
	d := prof.Devices[0]
	if d.Name != "Misfit Shine" || d.Kind != "tracker" || d.BatteryPercent != demo.BatteryPercent ||
		!d.LastSync.Equal(demo.LastSync.Truncate(time.Second)) || d.LastSync.Location() != prof.Location {
		t.Errorf("device %+v, demo %+v", d, demo)
	}
	u, err := e.p.User(ctx(t))
	if err != nil || u.ID != misfittest.UserID || u.Birthday != misfittest.Birthday || u.Gender != misfittest.Gender || u.Email != e.fake.Email() {
		t.Errorf("user %+v %v", u, err)
	}
	dev, ok, err := e.p.Device(ctx(t))
	if err != nil || !ok || dev.Serial != misfittest.Serial(demo.ID) || dev.Type != "shine" || dev.Firmware == "" {
		t.Errorf("device %+v %v %v", dev, ok, err)
	}
	// Profile, device and goals: three requests, shared with a second call.
	e.p.Profile(ctx(t))
	if n := e.fake.APIRequests(""); n != 5 { // 3 + User + Device above
		t.Errorf("%d requests", n)
	}
	for _, r := range e.fake.Requests() {
		if r.TokenVia != "bearer" || strings.Contains(r.Query, "access_token") {
			t.Errorf("token sent as %q: %+v", r.TokenVia, r)
		}
	}
}

func TestProfileZones(t *testing.T) {
	// Summer in London: the goals say +1.
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	e := setupWith(t, misfittest.Config{Persona: "runner", Now: func() time.Time { return summer }}, nil)
	prof, err := e.p.Profile(ctx(t))
	if err != nil || prof.Location.String() != "UTC+01:00" {
		t.Fatalf("runner in July: %v %v", prof.Location, err)
	}
	// The option wins and costs no goals request.
	e = setupWith(t, misfittest.Config{Persona: "nightshift"}, map[string]string{"timezone": "Asia/Tokyo"})
	prof, err = e.p.Profile(ctx(t))
	if err != nil || prof.Location.String() != "Asia/Tokyo" || e.fake.APIRequests("/goals") != 0 {
		t.Fatalf("option: %v %v, %d goals requests", prof.Location, err, e.fake.APIRequests("/goals"))
	}
	// UTC tomorrow covers Tokyo's today (00:04 on the 6th).
	e = setup(t, "nightshift")
	prof, _ = e.p.Profile(ctx(t))
	if prof.Location.String() != "UTC+09:00" {
		t.Fatalf("nightshift: %v", prof.Location)
	}
	sum, err := e.p.DaySummary(ctx(t), e.today)
	if err != nil || sum.Date != (providers.Date{Year: 2026, Month: 3, Day: 6}) {
		t.Fatalf("Tokyo today: %+v %v", sum, err)
	}
	// No device and no goals: no devices, UTC.
	e = setup(t, "office")
	e.fake.SetNoDevice(true)
	e.fake.SetFault("/goals", misfittest.FaultNone, 0)
	prof, err = e.p.Profile(ctx(t))
	if err != nil || len(prof.Devices) != 0 {
		t.Fatalf("no device: %+v %v", prof, err)
	}
	if zoneFromGoals(nil) != time.UTC || fixedZone(5*time.Hour+30*time.Minute).String() != "UTC+05:30" {
		t.Error("zone helpers")
	}
}

func TestDaySummary(t *testing.T) {
	for _, persona := range []string{"office", "runner", "nightshift"} {
		e := setup(t, persona)
		for _, day := range []providers.Date{e.today, e.today.AddDays(-1), e.today.AddDays(-40)} {
			got, err := e.p.DaySummary(ctx(t), day)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := e.fake.Demo().DaySummary(ctx(t), day)
			active := 0
			for _, s := range e.fake.Sessions(ctx(t), day) {
				active += int(s.Duration / time.Minute)
			}
			if got.Date != day || got.Steps != want.Steps || got.Calories != want.Calories ||
				math.Abs(got.DistanceKm-want.DistanceKm) > 0.0005 || got.ActiveMinutes != active ||
				got.Goals.Steps != want.Goals.Steps || got.HasFloors || got.RestingHeartRate != 0 {
				t.Errorf("%s %s: got %+v\nwant %+v (active %d)", persona, day, got, want, active)
			}
			if day == e.today.AddDays(-1) && active == 0 {
				t.Errorf("%s: no sessions yesterday; the active-minute check is empty", persona)
			}
		}
		// A future day: empty, no request.
		n := e.fake.APIRequests("")
		got, err := e.p.DaySummary(ctx(t), e.today.AddDays(1))
		if err != nil || got.Steps != 0 || e.fake.APIRequests("") != n {
			t.Errorf("future: %+v %v", got, err)
		}
	}
}

func TestDaySummaryRequests(t *testing.T) {
	e := setup(t, "office")
	if _, err := e.p.DaySummary(ctx(t), e.today); err != nil {
		t.Fatal(err)
	}
	// Profile (3) then summary, goals (shared with the profile's) and
	// sessions: every range a month long, one request each.
	if n := e.fake.APIRequests(""); n != 5 {
		t.Fatalf("%d requests: %+v", n, e.fake.Requests())
	}
	for _, r := range e.fake.Requests() {
		if strings.Contains(r.Path, "/summary") && !strings.Contains(r.Query, "detail=true") {
			t.Errorf("summary without detail: %s", r.Query)
		}
	}
	// Within the month everything is shared.
	for i := 1; i < 30; i++ {
		e.p.DaySummary(ctx(t), e.today.AddDays(-i))
	}
	e.p.DailySeries(ctx(t), e.today.AddDays(-29), e.today)
	if n := e.fake.APIRequests(""); n != 6 { // + one sleeps request
		t.Fatalf("%d requests after a month of asks", n)
	}
}

func TestIntraday(t *testing.T) {
	e := setup(t, "runner")
	in, err := e.p.Intraday(ctx(t), e.today)
	if err != nil || in.Date != e.today || in.Note != IntradayNote || len(in.HeartRate.Samples) != 0 || len(in.Steps.Samples) != 0 {
		t.Fatalf("%+v %v", in, err)
	}
	if n := e.fake.APIRequests(""); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestDailySeriesSplitsAt31Days(t *testing.T) {
	e := setup(t, "office")
	from := e.today.AddDays(-99)
	got, err := e.p.DailySeries(ctx(t), from, e.today.AddDays(2))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today.AddDays(2))
	if len(got) != len(want) {
		t.Fatalf("%d days, want %d", len(got), len(want))
	}
	// Sleep minutes: the demo's sleeps mapped to Misfit's stages.
	// The main sleep's minutes are sleep minutes, the others nap minutes.
	sleepMin, napMin := map[providers.Date]int{}, map[providers.Date]int{}
	for _, s := range e.fake.DemoSleeps(ctx(t), from.AddDays(-1), e.today) {
		if s.Date.Before(from) {
			continue
		}
		for _, seg := range s.Segments {
			if misfittest.SleepValue(seg.Stage) != 1 {
				if s.Main {
					sleepMin[s.Date] += int(seg.Duration / time.Minute)
				} else {
					napMin[s.Date] += int(seg.Duration / time.Minute)
				}
			}
		}
	}
	for i := range got {
		w := want[i]
		if got[i].Date != w.Date || got[i].Steps != w.Steps || got[i].SleepMinutes != sleepMin[w.Date] || got[i].NapMinutes != napMin[w.Date] ||
			got[i].RestingHeartRate != 0 || got[i].WeightKg != 0 {
			t.Errorf("%s: got %+v, want steps %d sleep %d", w.Date, got[i], w.Steps, sleepMin[w.Date])
		}
	}
	// 100 days to today: summaries in 4 requests of at most 31 days,
	// sleeps (from the day before) in 4, none overlapping.
	var spans [][2]string
	for _, r := range e.fake.Requests() {
		if r.Status != 200 {
			t.Errorf("request %+v", r)
		}
		if strings.Contains(r.Path, "/summary") || strings.Contains(r.Path, "/sleeps") {
			q := parseQuery(t, r.Query)
			a, _ := providers.ParseDate(q["start_date"])
			b, _ := providers.ParseDate(q["end_date"])
			if n := a.DaysUntil(b) + 1; n > MaxRangeDays || n < 1 {
				t.Errorf("range of %d days: %s", n, r.Query)
			}
			spans = append(spans, [2]string{r.Path, q["start_date"]})
		}
	}
	if len(spans) != 8 {
		t.Errorf("%d range requests: %v", len(spans), spans)
	}
}

func parseQuery(t *testing.T, raw string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func TestDailySeriesErrors(t *testing.T) {
	e := setup(t, "office")
	if _, err := e.p.DailySeries(ctx(t), e.today, e.today.AddDays(-1)); err == nil {
		t.Error("backwards range")
	}
	if _, err := e.p.DailySeries(ctx(t), e.today.AddDays(-30*366), e.today); err == nil {
		t.Error("30 years")
	}
	got, err := e.p.DailySeries(ctx(t), e.today.AddDays(1), e.today.AddDays(3))
	if err != nil || len(got) != 3 || got[0].Steps != 0 {
		t.Errorf("future: %+v %v", got, err)
	}
}

func TestSleep(t *testing.T) {
	for _, persona := range []string{"office", "nightshift"} {
		e := setup(t, persona)
		from := e.today.AddDays(-45)
		got, err := e.p.Sleeps(ctx(t), from, e.today)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := e.fake.Demo().Sleep(ctx(t), from, e.today)
		if len(got) != len(want) || len(got) < 40 {
			t.Fatalf("%s: %d sleeps, want %d", persona, len(got), len(want))
		}
		naps := 0
		for i, g := range got {
			w := want[i]
			if !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Date != w.Date || g.Main != w.Main || g.Classic ||
				g.AutoDetected != w.Main || g.ID == "" {
				t.Fatalf("%s sleep %d: got %+v\nwant %+v", persona, i, g.SleepSession, w)
			}
			if _, off := g.Start.Zone(); off != offsetAt(w.Start) {
				t.Errorf("start offset %d", off)
			}
			// Segments: the demo's, mapped and merged.
			var wantSegs []providers.SleepSegment
			var asleep time.Duration
			for _, seg := range w.Segments {
				st := map[int]providers.SleepStage{1: providers.StageWake, 2: providers.StageLight, 3: providers.StageDeep}[misfittest.SleepValue(seg.Stage)]
				if st != providers.StageWake {
					asleep += seg.Duration
				}
				if n := len(wantSegs); n > 0 && wantSegs[n-1].Stage == st {
					wantSegs[n-1].Duration += seg.Duration
					continue
				}
				wantSegs = append(wantSegs, providers.SleepSegment{Stage: st, Start: seg.Start, Duration: seg.Duration})
			}
			if g.Asleep != asleep || len(g.Segments) != len(wantSegs) {
				t.Fatalf("sleep %d: asleep %v want %v, %d segments want %d", i, g.Asleep, asleep, len(g.Segments), len(wantSegs))
			}
			for j := range wantSegs {
				gs, ws := g.Segments[j], wantSegs[j]
				if gs.Stage != ws.Stage || !gs.Start.Equal(ws.Start) || gs.Duration != ws.Duration {
					t.Fatalf("sleep %d segment %d: %+v want %+v", i, j, gs, ws)
				}
			}
			if !g.Main {
				naps++
			}
		}
		if persona == "nightshift" && naps == 0 {
			t.Error("no naps: the main-sleep choice is untested")
		}
		// The Provider method gives the same sessions.
		plain, _ := e.p.Sleep(ctx(t), from, e.today)
		if len(plain) != len(got) || !plain[0].Start.Equal(got[0].Start) {
			t.Error("Sleep and Sleeps differ")
		}
	}
}

func offsetAt(t time.Time) int {
	_, off := t.Zone()
	return off
}

func TestSessionsGoalsSummaries(t *testing.T) {
	e := setup(t, "runner")
	from := e.today.AddDays(-40)
	sess, err := e.p.Sessions(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	var want []misfittest.Session
	for d := from; !d.After(e.today); d = d.AddDays(1) {
		want = append(want, e.fake.Sessions(ctx(t), d)...)
	}
	if len(sess) != len(want) || len(want) == 0 {
		t.Fatalf("%d sessions, want %d", len(sess), len(want))
	}
	types := map[string]bool{}
	for i, s := range sess {
		w := want[i]
		if s.ID != w.ID || s.ActivityType != w.Type || !s.Start.Equal(w.Start) || s.Duration != w.Duration || s.Steps != w.Steps ||
			s.Points != misfittest.Points(w.Steps) || s.DistanceKm <= 0 {
			t.Fatalf("session %d: %+v want %+v", i, s, w)
		}
		types[s.ActivityType] = true
	}
	if !types["Running"] || !types["Walking"] {
		t.Errorf("types %v", types)
	}
	goals, err := e.p.Goals(ctx(t), from, e.today.AddDays(5))
	if err != nil || len(goals) != 41 || !goals[0].HasOffset || goals[40].Date != e.today || goals[0].TargetPoints != 1500 {
		t.Fatalf("goals %d %+v %v", len(goals), goals[0], err)
	}
	sums, err := e.p.Summaries(ctx(t), from, e.today)
	if err != nil || len(sums) != 41 {
		t.Fatalf("summaries %d %v", len(sums), err)
	}
	y, _ := e.fake.Demo().DaySummary(ctx(t), e.today.AddDays(-1))
	s := sums[39]
	if s.Steps != y.Steps || s.Points != misfittest.Points(y.Steps) || s.Calories != float64(y.Calories) ||
		s.ActivityCalories != misfittest.ActivityCalories(y) || math.Abs(s.DistanceKm-y.DistanceKm) > 0.0005 {
		t.Errorf("summary %+v, demo %+v", s, y)
	}
}

func TestDistanceUnitKm(t *testing.T) {
	e := setupWith(t, misfittest.Config{Persona: "office"}, map[string]string{"distance_unit": "km"})
	got, err := e.p.DaySummary(ctx(t), e.today.AddDays(-1))
	want, _ := e.fake.Demo().DaySummary(ctx(t), e.today.AddDays(-1))
	// The fake serves miles; read as km they are 1.609 times too short.
	if err != nil || math.Abs(got.DistanceKm-misfittest.Miles(want.DistanceKm)) > 0.0005 {
		t.Fatalf("km: %v (miles %v) %v", got.DistanceKm, misfittest.Miles(want.DistanceKm), err)
	}
}

func TestConcurrentCallsShareRequests(t *testing.T) {
	e := setup(t, "office")
	done := make(chan error, 20)
	for i := range 20 {
		go func() {
			var err error
			switch i % 4 {
			case 0:
				_, err = e.p.DaySummary(ctx(nil), e.today)
			case 1:
				_, err = e.p.Sleep(ctx(nil), e.today, e.today)
			case 2:
				_, err = e.p.DailySeries(ctx(nil), e.today.AddDays(-29), e.today)
			case 3:
				_, err = e.p.Profile(ctx(nil))
			}
			done <- err
		}()
	}
	for range 20 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// profile, device, goals, summary, sessions, sleeps.
	if n := e.fake.APIRequests(""); n != 6 {
		paths := []string{}
		for _, r := range e.fake.Requests() {
			paths = append(paths, r.Path+"?"+r.Query)
		}
		slices.Sort(paths)
		t.Fatalf("%d requests:\n%s", n, strings.Join(paths, "\n"))
	}
	// After the memo's time the same asks go out again.
	e.fresh()
	e.p.DaySummary(ctx(t), e.today)
	if n := e.fake.APIRequests(""); n <= 6 {
		t.Errorf("memo never expires: %d", n)
	}
}

// TestContract: what every provider keeps (package providertest).
func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{Name: Name, Title: "Misfit", BadAPIURLs: []string{"ftp://x"},
		Start:   func(t *testing.T) providertest.Account { return setup(t, "office").account() },
		Timeout: func(p providers.Provider, d time.Duration) { p.(*Provider).api.Timeout = d },
		BaseURL: func(p providers.Provider) string { return p.(*Provider).api.BaseURL }, DefaultAPIURL: DefaultAPIURL})
}

// One sleep whose details run past its own end is left out with a note;
// the other sleeps of the same answer are kept.
func TestSleepWithStrayDetailsKeepsTheOthers(t *testing.T) {
	e := setup(t, "nightshift")
	from := e.today.AddDays(-6)
	want, _ := e.fake.Demo().Sleep(ctx(t), from, e.today)
	// The bad one: the first sleep starting on from+2 (Misfit files a
	// sleep under the date it starts).
	badDay := from.AddDays(2)
	badID := misfittest.SleepID(badDay, 0)
	e.fake.SetStraySleepDetail(badID)
	got, err := e.p.Sleeps(ctx(t), from, e.today)
	if err != nil {
		t.Fatalf("one bad sleep failed the answer: %v", err)
	}
	var keep []providers.SleepSession
	dropped := false
	for _, w := range want {
		if !dropped && providers.DateOf(w.Start.In(e.loc)) == badDay {
			dropped = true // the first sleep starting that day: the bad one
			continue
		}
		keep = append(keep, w)
	}
	if !dropped || len(got) != len(keep) {
		t.Fatalf("%d sleeps, want %d (all but the bad one)", len(got), len(keep))
	}
	for i, g := range got {
		if g.ID == badID || !g.Start.Equal(keep[i].Start) || !g.End.Equal(keep[i].End) || g.Main != keep[i].Main {
			t.Errorf("sleep %d: %s %v..%v main %v, want %v..%v main %v", i, g.ID, g.Start, g.End, g.Main, keep[i].Start, keep[i].End, keep[i].Main)
		}
	}
	notes := providers.NotesOf(e.p)
	if len(notes) != 1 || !strings.Contains(notes[0], badID) || !strings.Contains(notes[0], "outside the sleep") ||
		!strings.Contains(notes[0], "the other sleeps are shown") {
		t.Errorf("notes %q", notes)
	}
	// Sleep (the Provider method) and the daily series agree.
	plain, err := e.p.Sleep(ctx(t), from, e.today)
	if err != nil || len(plain) != len(got) {
		t.Errorf("Sleep: %d sleeps, %v", len(plain), err)
	}
	if _, err := e.p.DailySeries(ctx(t), from, e.today); err != nil {
		t.Errorf("daily series with a bad sleep: %v", err)
	}
	if n := providers.NotesOf(e.p); len(n) != 1 {
		t.Errorf("the note is said once, not per call: %q", n)
	}
}

// A device body wrapped as {"device": {...}} reads like the bare object.
func TestWrappedDevice(t *testing.T) {
	e := setup(t, "office")
	bare, ok, err := e.p.Device(ctx(t))
	if err != nil || !ok {
		t.Fatalf("bare device: %+v %v %v", bare, ok, err)
	}
	w := setup(t, "office")
	w.fake.SetWrappedDevice(true)
	got, ok, err := w.p.Device(ctx(t))
	if err != nil || !ok || got != bare {
		t.Errorf("wrapped device %+v %v %v, want %+v", got, ok, err, bare)
	}
	prof, err := w.p.Profile(ctx(t))
	if err != nil || len(prof.Devices) != 1 || prof.Devices[0].BatteryPercent != bare.BatteryPercent {
		t.Errorf("profile with a wrapped device: %+v %v", prof, err)
	}
}
