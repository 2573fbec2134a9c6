package jawbone

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/providertest"
)

func TestProfile(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			t.Parallel()
			e := setup(t, persona)
			got, err := e.p.Profile(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := e.fake.Demo().Profile(ctx(t))
			if got.DisplayName != want.DisplayName || got.Location.String() != want.Location.String() || len(got.Devices) != 0 {
				t.Fatalf("profile %+v, want %q in %v", got, want.DisplayName, want.Location)
			}
		})
	}
}

// wantSummary is the demo's summary as Jawbone can tell it: no floors,
// no goals, and no distance on the days the fake leaves it out.
func wantSummary(e *env, t *testing.T, day providers.Date) providers.DaySummary {
	w, _ := e.fake.Demo().DaySummary(ctx(t), day)
	w.Floors, w.HasFloors, w.Goals = 0, false, providers.Goals{}
	if jawbonetest.DistanceOmitted(day) {
		w.DistanceKm = 0
	}
	return w
}

func TestDaySummaryMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			t.Parallel()
			e := setup(t, persona)
			for _, back := range []int{0, 1, 2, 9, 40, 130} {
				day := e.today.AddDays(-back)
				got, err := e.p.DaySummary(ctx(t), day)
				if err != nil {
					t.Fatal(err)
				}
				if want := wantSummary(e, t, day); !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got %+v\nwant %+v", day, got, want)
				}
			}
			// A future day is empty and costs nothing.
			e.fake.ResetLog()
			got, err := e.p.DaySummary(ctx(t), e.today.AddDays(3))
			if err != nil || got != (providers.DaySummary{Date: e.today.AddDays(3)}) || e.fake.APIRequests("") != 0 {
				t.Fatalf("future: %+v %v, %d requests", got, err, e.fake.APIRequests(""))
			}
		})
	}
}

// Days whose distance is in metres only, or missing, and days whose tzs
// list offsets in seconds: each trap is hit by the fake's data.
func TestDistanceAndZoneTraps(t *testing.T) {
	e := setup(t, "runner")
	var km, none, numeric, named bool
	for back := 0; back < 60; back++ {
		d := e.today.AddDays(-back)
		km = km || jawbonetest.KmOmitted(d) && !jawbonetest.DistanceOmitted(d)
		none = none || jawbonetest.DistanceOmitted(d)
		numeric = numeric || jawbonetest.NumericTZs(d)
		named = named || !jawbonetest.NumericTZs(d)
	}
	if !km || !none || !numeric || !named {
		t.Fatal("the fake's 60 days do not cover every trap")
	}
	days, err := e.p.DailySeries(ctx(t), e.today.AddDays(-59), e.today)
	if err != nil {
		t.Fatal(err)
	}
	moves, err := e.p.Moves(ctx(t), e.today.AddDays(-59), e.today)
	if err != nil {
		t.Fatal(err)
	}
	if len(moves) != 60 || len(days) != 60 {
		t.Fatalf("%d moves, %d days", len(moves), len(days))
	}
	for _, m := range moves {
		w := wantSummary(e, t, m.Date)
		if m.DistanceKm != w.DistanceKm || m.Steps != w.Steps || m.Calories != w.Calories {
			t.Errorf("%s: %+v, want %+v", m.Date, m, w)
		}
		// The day's zone comes from details.tz, a name, whatever tzs says.
		if m.Zone.String() != e.loc.String() || !m.ZoneNamed {
			t.Errorf("%s: zone %v", m.Date, m.Zone)
		}
	}
}

// hourly is the oracle of hourly intraday steps: the demo's minute steps
// summed per hour from midnight (by elapsed time), hours without steps
// left out.
func hourly(e *env, t *testing.T, day providers.Date) []providers.Sample {
	in, _ := e.fake.Demo().Intraday(ctx(t), day)
	start := day.In(e.loc)
	var out []providers.Sample
	for _, s := range in.Steps.Samples {
		if s.Value == 0 {
			continue
		}
		h := start.Add(s.Time.Sub(start).Truncate(time.Hour))
		if k := len(out) - 1; k >= 0 && out[k].Time.Equal(h) {
			out[k].Value += s.Value
		} else {
			out = append(out, providers.Sample{Time: h, Value: s.Value})
		}
	}
	return out
}

func TestIntradayHourlySteps(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			t.Parallel()
			e := setup(t, persona)
			for _, back := range []int{0, 1, 2, 3} { // both tzs spellings
				day := e.today.AddDays(-back)
				got, err := e.p.Intraday(ctx(t), day)
				if err != nil {
					t.Fatal(err)
				}
				if got.Note != IntradayNote || len(got.HeartRate.Samples) != 0 || got.Steps.Resolution != time.Hour {
					t.Fatalf("%s: note %q, %d heart samples, resolution %v", day, got.Note, len(got.HeartRate.Samples), got.Steps.Resolution)
				}
				want := hourly(e, t, day)
				if len(got.Steps.Samples) != len(want) {
					t.Fatalf("%s: %d hours, want %d", day, len(got.Steps.Samples), len(want))
				}
				for i, s := range got.Steps.Samples {
					if !s.Time.Equal(want[i].Time) || s.Value != want[i].Value {
						t.Fatalf("%s hour %d: %v %v, want %v %v", day, i, s.Time, s.Value, want[i].Time, want[i].Value)
					}
					if _, off := s.Time.Zone(); func() int { _, o := want[i].Time.In(e.loc).Zone(); return o }() != off {
						t.Fatalf("%s hour %d: offset %d", day, i, off)
					}
				}
			}
		})
	}
}

// On the day clocks go back, hourly_totals has one key for the repeated
// hour (its steps added up) and the numeric tzs has two entries; on the
// day they go forward there is no 02 key. Totals still add up and hours
// stay in order.
func TestIntradayDSTDays(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2025, 11, 2, 23, 0, 0, 0, time.UTC), // New York falls back on Nov 2
		time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC),  // and springs forward on Mar 8
	} {
		e := setupAt(t, "office", now, 0)
		day := e.today
		got, err := e.p.Intraday(ctx(t), day)
		if err != nil {
			t.Fatal(err)
		}
		sum, _ := e.fake.Demo().DaySummary(ctx(t), day)
		total := 0.0
		for i, s := range got.Steps.Samples {
			total += s.Value
			if i > 0 && !s.Time.After(got.Steps.Samples[i-1].Time) {
				t.Fatalf("%s: hours out of order at %d", day, i)
			}
			if providers.DateOf(s.Time.In(e.loc)) != day {
				t.Fatalf("%s: hour %v is on another day", day, s.Time)
			}
		}
		if int(total) != sum.Steps {
			t.Fatalf("%s: hourly steps add up to %v, want %d", day, total, sum.Steps)
		}
	}
}

func TestDailySeriesMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			t.Parallel()
			e := setup(t, persona)
			from := e.today.AddDays(-95)
			got, err := e.p.DailySeries(ctx(t), from, e.today.AddDays(2))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today.AddDays(2))
			want = providertest.DailyCore(want) // the fields this provider serves
			if !reflect.DeepEqual(got, want) {
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("%s: got %+v want %+v", got[i].Date, got[i], want[i])
					}
				}
				t.FailNow()
			}
		})
	}
}

// wantSleep maps the demo's sessions to what Jawbone can say: stages by
// depth (wake, light, deep, REM), runs of one depth merged.
func wantSleep(in []providers.SleepSession) []providers.SleepSession {
	stage := map[int]providers.SleepStage{1: providers.StageWake, 2: providers.StageLight, 3: providers.StageDeep, 4: providers.StageREM}
	out := make([]providers.SleepSession, len(in))
	for i, s := range in {
		s.Classic = false
		var segs []providers.SleepSegment
		for _, seg := range s.Segments {
			st := stage[jawbonetest.Depth(seg.Stage)]
			if k := len(segs) - 1; k >= 0 && segs[k].Stage == st {
				segs[k].Duration += seg.Duration
				continue
			}
			seg.Stage = st
			segs = append(segs, seg)
		}
		s.Segments = segs
		out[i] = s
	}
	return out
}

func TestSleepMatchesDemo(t *testing.T) {
	for _, persona := range personas {
		t.Run(persona, func(t *testing.T) {
			t.Parallel()
			e := setup(t, persona)
			from := e.today.AddDays(-20)
			got, err := e.p.Sleep(ctx(t), from, e.today)
			if err != nil {
				t.Fatal(err)
			}
			demo, _ := e.fake.Demo().Sleep(ctx(t), from, e.today)
			want := wantSleep(demo)
			if len(got) != len(want) || len(got) < 20 {
				t.Fatalf("%d sleeps, want %d", len(got), len(want))
			}
			for i := range got {
				g, w := got[i], want[i]
				if g.Date != w.Date || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Main != w.Main ||
					g.Classic || g.Asleep != w.Asleep || len(g.Segments) != len(w.Segments) {
					t.Fatalf("sleep %d:\n got %+v\nwant %+v", i, g, w)
				}
				for j := range g.Segments {
					if g.Segments[j].Stage != w.Segments[j].Stage || !g.Segments[j].Start.Equal(w.Segments[j].Start) ||
						g.Segments[j].Duration != w.Segments[j].Duration {
						t.Fatalf("sleep %d segment %d: %+v, want %+v", i, j, g.Segments[j], w.Segments[j])
					}
				}
				// details.tz is a name on some days and "GMT-0500" on others:
				// times keep the offset they were measured in either way.
				_, goff := g.Start.Zone()
				_, woff := w.Start.Zone()
				if goff != woff {
					t.Fatalf("sleep %d: offset %d, want %d (%v)", i, goff, woff, g.Start.Location())
				}
			}
		})
	}
}

func TestBodyEventsZones(t *testing.T) {
	e := setup(t, "office") // the persona with a scale
	from := e.today.AddDays(-9)
	evs, err := e.p.BodyEvents(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	days, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today)
	n := 0
	zones := map[string]bool{}
	for _, d := range days {
		if d.WeightKg == 0 {
			continue
		}
		ev := evs[n]
		n++
		at := d.Date.In(e.loc).Add(jawbonetest.WeighIn)
		if ev.Date != d.Date || ev.WeightKg != d.WeightKg || !ev.Time.Equal(at) {
			t.Fatalf("%s: %+v, want %v at %v", d.Date, ev, d.WeightKg, at)
		}
		_, off := ev.Time.Zone()
		_, woff := at.Zone()
		if off != woff {
			t.Fatalf("%s: offset %d, want %d", d.Date, off, woff)
		}
		zones[ev.Time.Location().String()] = true
	}
	if n != len(evs) || n < 5 {
		t.Fatalf("%d events, %d weigh-ins", len(evs), n)
	}
	// Named, "GMT-0500" and null (the account's zone) all occurred.
	if !zones[e.loc.String()] || len(zones) < 2 {
		t.Fatalf("zones seen: %v", zones)
	}
}

// Paging: a page size of 2 makes a month a dozen pages; every item comes
// once, and the relative links.next were followed.
func TestPagingFollowsRelativeLinks(t *testing.T) {
	e := setupAt(t, "office", t0, 2)
	from := e.today.AddDays(-29)
	got, err := e.p.DailySeries(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.fake.Demo().DailySeries(ctx(t), from, e.today)
	want = providertest.DailyCore(want) // the fields this provider serves
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("paged series differs")
	}
	tokens := 0
	for _, r := range e.fake.Requests() {
		if strings.Contains(r.Query, "page_token=") {
			tokens++
			if !strings.Contains(r.Path, "/users/"+jawbonetest.UserXID+"/") {
				t.Fatalf("next page at %s, not the link's path", r.Path)
			}
		}
	}
	if tokens < 20 {
		t.Fatalf("only %d follow-up pages", tokens)
	}
}

// The answers of one refresh are shared: the today pane's calls ask for
// each resource once.
func TestOneRefreshAsksOnce(t *testing.T) {
	e := setup(t, "runner")
	if _, err := e.p.Profile(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.fake.ResetLog()
	done := make(chan error, 4)
	go func() { _, err := e.p.DaySummary(ctx(t), e.today); done <- err }()
	go func() { _, err := e.p.Intraday(ctx(t), e.today); done <- err }()
	go func() { _, err := e.p.Sleep(ctx(t), e.today, e.today); done <- err }()
	go func() { _, err := e.p.DailySeries(ctx(t), e.today.AddDays(-30), e.today); done <- err }()
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	for _, r := range e.fake.Requests() {
		seen[r.Path+"?"+r.Query]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%s asked %d times", k, n)
		}
	}
	if e.fake.APIRequests("/moves") == 0 || e.fake.APIRequests("/ticks") == 0 {
		t.Fatalf("requests %v", seen)
	}
}

func TestRangeErrors(t *testing.T) {
	e := setup(t, "office")
	if _, err := e.p.DailySeries(ctx(t), e.today, e.today.AddDays(-1)); err == nil {
		t.Fatal("reversed range accepted")
	}
	if _, err := e.p.Sleep(ctx(t), e.today.AddDays(-30*366), e.today); err == nil {
		t.Fatal("30-year range accepted")
	}
	got, err := e.p.Sleep(ctx(t), e.today.AddDays(1), e.today.AddDays(5))
	if err != nil || len(got) != 0 {
		t.Fatalf("future sleep %v %v", got, err)
	}
}

// TestContract: what every provider keeps (package providertest).
func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{Name: Name, Title: "Jawbone UP", BadAPIURLs: []string{"ftp://x"},
		Start:   func(t *testing.T) providertest.Account { return setup(t, "office").account() },
		Timeout: func(p providers.Provider, d time.Duration) { p.(*Provider).api.Timeout = d },
		BaseURL: func(p providers.Provider) string { return p.(*Provider).api.BaseURL }, DefaultAPIURL: DefaultAPIURL})
}

// A sleep whose ticks answer 404 keeps its summary (asleep minutes and
// the light, sound and awake totals of the summary) without a stage
// timeline; the other sleeps keep theirs, and today works.
func TestSleepWithoutTicksKeepsItsSummary(t *testing.T) {
	e := setup(t, "office")
	from := e.today.AddDays(-3)
	demo, _ := e.fake.Demo().Sleep(ctx(t), from, e.today)
	want := wantSleep(demo)
	sums, err := e.p.Sleeps(ctx(t), from, e.today)
	if err != nil {
		t.Fatal(err)
	}
	gone := sums[1].XID
	e.fake.SetMissingTicks(gone)
	got, err := e.p.Sleep(ctx(t), from, e.today)
	if err != nil {
		t.Fatalf("a sleep without ticks failed Sleep: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d sleeps, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Date != w.Date || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Main != w.Main || g.Asleep != w.Asleep {
			t.Errorf("sleep %d: %+v, want %+v", i, g, w)
		}
		switch {
		case i == 1 && len(g.Segments) != 0:
			t.Errorf("sleep %d (ticks 404): %d segments, want none", i, len(g.Segments))
		case i != 1 && len(g.Segments) != len(w.Segments):
			t.Errorf("sleep %d: %d segments, want %d", i, len(g.Segments), len(w.Segments))
		}
	}
	if s := sums[1]; s.Light+s.Sound+s.REM == 0 || s.Awake == 0 {
		t.Errorf("the summary of %s lost its totals: %+v", gone, s)
	}
	// today's answers all work.
	for _, d := range []providers.Date{sums[1].Date, e.today} {
		if _, err := e.p.DaySummary(ctx(t), d); err != nil {
			t.Errorf("summary %s: %v", d, err)
		}
		if _, err := e.p.Sleep(ctx(t), d, d); err != nil {
			t.Errorf("sleep %s: %v", d, err)
		}
	}
	// Another failure of the ticks still fails: only "not there" is kept.
	e2 := setup(t, "office")
	e2.fake.SetFault("/ticks", jawbonetest.FaultMalformed, -1)
	if _, err := e2.p.Sleep(ctx(t), from, e.today); err == nil {
		t.Error("malformed ticks passed as a missing timeline")
	}
}
