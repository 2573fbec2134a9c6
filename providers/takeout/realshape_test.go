package takeout_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// The archive of the export checked: a legacy account export from a
// tracker worn in Australia, no profile, weights in pounds; per-sample
// files in UTC across the end of summer time (13:00 then 14:00 UTC is
// local midnight).
var (
	ausFrom = providers.Date{Year: 2018, Month: time.March, Day: 27}
	ausTo   = providers.Date{Year: 2018, Month: time.April, Day: 8}
)

func ausOptions() takeouttest.Options {
	return takeouttest.Options{Persona: "office", From: ausFrom, To: ausTo, Layout: takeouttest.FitbitExport,
		Zone: "Australia/Sydney", Pounds: true, NoProfile: true, ReadZone: "Australia/Sydney"}
}

func importWith(t *testing.T, opt takeout.Options) *takeout.Report {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return nowFix }
	}
	rep, err := takeout.Import(context.Background(), opt)
	if err != nil {
		t.Fatalf("import %v: %v", opt.Paths, err)
	}
	return rep
}

func clockOf(rep *takeout.Report, fam string) takeout.ClockFinding {
	for _, c := range rep.Clocks {
		if c.Family == fam {
			return c
		}
	}
	return takeout.ClockFinding{}
}

func TestRealShapeAustralianExport(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "MyFitbitData.zip")
	or, err := takeouttest.WriteZip(path, ausOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep := importWith(t, takeout.Options{Paths: []string{path}, Account: "aus", Root: root, TimeZone: "Australia/Sydney"})
	if rep.Zone != "Australia/Sydney" || rep.ZoneFrom != "--time-zone" {
		t.Errorf("zone %s from %s", rep.Zone, rep.ZoneFrom)
	}
	for _, fam := range []string{"heart_rate", "steps", "distance", "calories"} {
		c := clockOf(rep, fam)
		if c.Clock != takeout.ClockUTC || c.Checked == 0 || c.Agree != c.Checked {
			t.Errorf("%s clock %+v, want UTC from every file checked", fam, c)
		}
		if fam == "heart_rate" && !strings.Contains(c.Why, "13:00 or 14:00") {
			t.Errorf("heart rate clock %+v, want local midnight at 13:00 (summer time) or 14:00 UTC", c)
		}
	}
	// Altitude files are sparse (their first record is mid-day) and
	// exercise logs have no dates: both follow the others.
	for _, fam := range []string{"altitude", "exercise"} {
		if c := clockOf(rep, fam); c.Clock != takeout.ClockUTC || c.Checked != 0 {
			t.Errorf("%s clock %+v, want UTC like the other per-sample files", fam, c)
		}
	}
	if u := rep.WeightUnit; u.Unit != "lb" || u.From != "bmi" || !strings.Contains(u.Why, "1.77 m") {
		t.Errorf("weight unit %+v, want pounds told by the bmi and the height file", u)
	}
	if rep.From != ausFrom || rep.To != ausTo {
		t.Errorf("report range %s..%s, want %s..%s (the year of \"no data\" resting entries is not data)", rep.From, rep.To, ausFrom, ausTo)
	}
	restingDays := 0
	for _, d := range or.Days {
		if d.RestingHR > 0 {
			restingDays++
		}
	}
	if f := found(rep, "resting_heart_rate"); f.Days != restingDays || f.Samples != restingDays {
		t.Errorf("resting heart rate %+v, want %d days", f, restingDays)
	}
	if rep.Reimport || len(rep.Warnings) != 0 || rep.BadRecords != 0 {
		t.Errorf("reimport %v warnings %v bad %d", rep.Reimport, rep.Warnings, rep.BadRecords)
	}
	p := open(t, root, "aus")
	check(t, p, or, ausFrom, ausTo)

	ctx := context.Background()
	// The figures of the issue: distance in km (not cm), steps of the
	// local day, weight in kg (not pounds), stages as the log's summary.
	d := providers.Date{Year: 2018, Month: time.April, Day: 3}
	sum, _ := p.DaySummary(ctx, d)
	want := or.Days[d]
	if sum.Steps != want.Steps || math.Abs(sum.DistanceKm-want.DistanceKm) > 0.006 || sum.DistanceKm < 1 || sum.DistanceKm > 30 {
		t.Errorf("%s: %d steps %.2f km, want %d steps %.2f km", d, sum.Steps, sum.DistanceKm, want.Steps, want.DistanceKm)
	}
	series, err := p.DailySeries(ctx, ausFrom, ausTo)
	if err != nil {
		t.Fatal(err)
	}
	weighed := 0
	for _, v := range series {
		w := or.Days[v.Date]
		if w.WeightKg == 0 {
			continue
		}
		weighed++
		if math.Abs(v.WeightKg-w.WeightRaw*0.45359237) > 1e-9 || v.WeightKg > 120 {
			t.Errorf("%s weight %.2f kg, want %.1f lb = %.2f kg", v.Date, v.WeightKg, w.WeightRaw, w.WeightRaw*0.45359237)
		}
	}
	if weighed == 0 {
		t.Fatal("no weigh-ins in the archive")
	}
	sleeps, err := p.Sleep(ctx, ausFrom, ausTo)
	if err != nil {
		t.Fatal(err)
	}
	mains := 0
	for _, s := range sleeps {
		if !s.Main {
			continue
		}
		mains++
		w := or.Days[s.Date]
		for st, tot := range s.StageTotals() {
			if d := tot - time.Duration(w.Stages[st])*time.Minute; d < -30*time.Second || d > 30*time.Second {
				t.Errorf("%s %s %.1f min, the log's summary says %d", s.Date, st, tot.Minutes(), w.Stages[st])
			}
		}
		ex, err := p.Extras(ctx, s.Date)
		if err != nil || len(ex.Sleeps) == 0 {
			t.Fatalf("extras of %s: %+v %v", s.Date, ex, err)
		}
		for _, ss := range ex.Sleeps {
			if ss.Minutes != nil && ss.Minutes["light"] != w.Stages["light"] {
				t.Errorf("%s summary kept %v, want %v", s.Date, ss.Minutes, w.Stages)
			}
		}
	}
	if mains < 10 {
		t.Errorf("%d main sleeps", mains)
	}
	// What the domain has no place for: kept under documented keys.
	exercises := 0
	for day, w := range or.Days {
		if day.Before(ausFrom) || day.After(ausTo) {
			continue
		}
		ex, err := p.Extras(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range w.Metrics {
			if got, ok := ex.Metrics[k]; !ok || math.Abs(got-v) > 1e-9 {
				t.Errorf("%s %s = %v (%v), want %v", day, k, got, ok, v)
			}
		}
		if len(ex.Exercises) != w.Exercises {
			t.Errorf("%s: %d exercise logs, want %d", day, len(ex.Exercises), w.Exercises)
		}
		exercises += len(ex.Exercises)
	}
	if exercises == 0 || found(rep, "exercise").Samples != len(or.Exercises) {
		t.Errorf("%d exercise logs kept, report %+v, want %d", exercises, found(rep, "exercise"), len(or.Exercises))
	}
	for _, e := range or.Exercises {
		ex, _ := p.Extras(ctx, providers.DateOf(e.Start))
		ok := false
		for _, g := range ex.Exercises {
			ok = ok || g.LogID == e.LogID && g.Start.Equal(e.Start) && g.Duration == e.Duration && g.Steps == e.Steps && g.AvgHR == e.AvgHR && g.Name == e.Name
		}
		if !ok {
			t.Errorf("exercise %+v not kept as written (%+v)", e, ex.Exercises)
		}
	}
	// Read and left out, by family.
	fams := map[string]int{}
	for _, f := range rep.Read {
		fams[f.Family] = f.Files
	}
	for _, f := range []string{"heart_rate-YYYY-MM-DD.json", "altitude-YYYY-MM-DD.json", "exercise-N.json", "height-YYYY-MM-DD.json",
		"time_in_heart_rate_zones-YYYY-MM-DD.json", "demographic_vo2_max-YYYY-MM-DD.json"} {
		if fams[f] == 0 {
			t.Errorf("read families %v lack %s", rep.Read, f)
		}
	}
}

// Without a profile or --time-zone, UTC is assumed, and the report says
// which zone the files' starts point to.
func TestNoZoneSaysUTCAndHints(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	o := ausOptions()
	o.ReadZone, o.To = "", ausFrom.AddDays(6)
	or, err := takeouttest.WriteDir(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	rep := importWith(t, takeout.Options{Paths: []string{dir}, Account: "utc", Root: root})
	if rep.Zone != "UTC" || rep.ZoneFrom != "assumed" || len(rep.Warnings) != 1 {
		t.Fatalf("zone %s from %s warnings %v", rep.Zone, rep.ZoneFrom, rep.Warnings)
	}
	if w := rep.Warnings[0]; !strings.Contains(w, "UTC is assumed") || !strings.Contains(w, "UTC+11:00") || !strings.Contains(w, "--time-zone Australia/Sydney") {
		t.Errorf("warning %q", w)
	}
	check(t, open(t, root, "utc"), or, o.From, o.To)

	// Giving the zone afterwards rebuilds the account in it.
	rep = importWith(t, takeout.Options{Paths: []string{dir}, Account: "utc", Root: root, TimeZone: "Australia/Sydney"})
	if !rep.Rebuilt || rep.Reimport || !strings.Contains(strings.Join(rep.Warnings, " "), "rebuilt in Australia/Sydney") {
		t.Errorf("rebuilt %v reimport %v warnings %v", rep.Rebuilt, rep.Reimport, rep.Warnings)
	}
	o.ReadZone = "Australia/Sydney"
	_, or2, err := takeouttest.Files(o)
	if err != nil {
		t.Fatal(err)
	}
	check(t, open(t, root, "utc"), or2, o.From, o.To)
	if m, _ := open(t, root, "utc").Manifest(); len(m.Sources) != 1 || m.TimeZoneFrom != "--time-zone" {
		t.Errorf("manifest after the rebuild: %d sources, zone from %q", len(m.Sources), m.TimeZoneFrom)
	}
}

// An export generation whose per-sample files are local is read as local:
// the clock comes from the files, not from an assumption.
func TestLocalSampleClockIsDetected(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	o := ausOptions()
	o.NoProfile, o.Pounds, o.LocalSampleClock, o.To = false, false, true, ausFrom.AddDays(9)
	or, err := takeouttest.WriteDir(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	rep := importWith(t, takeout.Options{Paths: []string{dir}, Account: "local", Root: root})
	if rep.ZoneFrom != "profile" {
		t.Errorf("zone from %s", rep.ZoneFrom)
	}
	for _, fam := range []string{"heart_rate", "steps", "distance", "calories", "altitude", "exercise"} {
		if c := clockOf(rep, fam); c.Clock != takeout.ClockLocal {
			t.Errorf("%s clock %+v, want local", fam, c)
		}
	}
	check(t, open(t, root, "local"), or, o.From, o.To)
}

// A re-import says what changed: nothing for the same archive, new days
// and samples for a newer one, changed values where a sample moved.
func TestReimportSaysWhatChanged(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	mid := from.AddDays(7)
	first := filepath.Join(dir, "old")
	if _, err := takeouttest.WriteDir(first, takeouttest.Options{Persona: "office", From: from, To: mid, Layout: takeouttest.FitbitExport}); err != nil {
		t.Fatal(err)
	}
	rep1 := imp(t, root, "me", first)
	if rep1.Reimport || rep1.Changes != nil {
		t.Errorf("first import: reimport %v changes %v", rep1.Reimport, rep1.Changes)
	}
	rep2 := imp(t, root, "me", first)
	if !rep2.Reimport || len(rep2.Changes) == 0 {
		t.Fatalf("second import: reimport %v changes %v", rep2.Reimport, rep2.Changes)
	}
	for _, c := range rep2.Changes {
		if c.NewDays != 0 || c.Added != 0 || c.Changed != 0 || c.Removed != 0 || c.Unchanged == 0 {
			t.Errorf("the same archive again changed %+v", c)
		}
	}
	// A newer archive: more days, and one sample's value changed.
	newer := filepath.Join(dir, "new")
	end := mid.AddDays(5)
	or, err := takeouttest.WriteDir(newer, takeouttest.Options{Persona: "office", From: from, To: end, Layout: takeouttest.FitbitExport})
	if err != nil {
		t.Fatal(err)
	}
	hrFile := filepath.Join(newer, or.Name, "user-site-export", "heart_rate-"+from.String()+".json")
	b, err := os.ReadFile(hrFile)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), `"bpm":`) + len(`"bpm":`)
	b = append(b[:i:i], append([]byte("1"), b[i:]...)...) // 64 -> 164
	writeFile(t, hrFile, string(b))
	rep3 := imp(t, root, "me", newer)
	byName := map[string]takeout.MetricChange{}
	for _, c := range rep3.Changes {
		byName[c.Metric] = c
	}
	newDays := mid.DaysUntil(end)
	hr := byName["heart_rate"]
	if hr.NewDays != newDays || hr.Changed != 1 || hr.Added == 0 || hr.Unchanged == 0 {
		t.Errorf("heart rate changes %+v, want %d new days and one changed sample", hr, newDays)
	}
	if st := byName["steps"]; st.NewDays != newDays || st.Changed != 0 {
		t.Errorf("steps changes %+v", st)
	}
}

// Takeout also comes as .tgz: the same data as the zip.
func TestImportTgz(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "takeout-20240301T101010Z-001.tgz")
	or, err := takeouttest.WriteTgz(path, takeouttest.Options{Persona: "runner", From: from, To: from.AddDays(9),
		Layout: takeouttest.GoogleTakeout, GoogleData: true, CSVOnlyDays: 2})
	if err != nil {
		t.Fatal(err)
	}
	rep := importWith(t, takeout.Options{Paths: []string{path}, Account: "tgz", Root: root})
	checkReport(t, rep, or)
	if rep.Duplicates != or.Duplicates {
		t.Errorf("%d duplicates (%v), want %d", rep.Duplicates, rep.DuplicatesBy, or.Duplicates)
	}
	p := open(t, root, "tgz")
	check(t, p, or, from, from.AddDays(9))
	checkHealthIntraday(t, p, or, from, from.AddDays(9))
}

// The newest Takeout ("Google Health", one folder per family under the
// CSV tree): the CSVs fill the days the JSON tree lacks — per-sample
// data, weigh-ins in grams, sleeps from UserSleeps with their stages,
// resting heart rate — and the daily summaries (HRV, SpO2, respiratory
// rate, sleep score, active zone minutes) are kept.
func TestImportGoogleHealthTakeout(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	end := from.AddDays(13)
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: end,
		Layout: takeouttest.GoogleTakeout, GoogleHealth: true, GoogleData: true, CSVOnlyDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	rep := importWith(t, takeout.Options{Paths: []string{dir}, Account: "gh", Root: root})
	checkReport(t, rep, or)
	if rep.Duplicates != or.Duplicates || rep.BadRecords != 0 {
		t.Errorf("%d duplicates (%v), want %d; %d bad records", rep.Duplicates, rep.DuplicatesBy, or.Duplicates, rep.BadRecords)
	}
	if rep.Ignored != or.Ignored {
		t.Errorf("%d files ignored (%v), want %d", rep.Ignored, rep.LeftOut, or.Ignored)
	}
	left := map[string]bool{}
	for _, f := range rep.LeftOut {
		left[f.Family] = true
	}
	for _, f := range []string{"estimated_oxygen_variation-YYYY-MM-DD.csv", "Stress Score/Stress Score.csv", "swim_lengths_data-YYYY-MM-DD.json"} {
		if !left[f] {
			t.Errorf("left-out families %v lack %s", rep.LeftOut, f)
		}
	}
	p := open(t, root, "gh")
	check(t, p, or, from, end)
	// The last days' zone minutes come from the Google data copy only.
	if hrv, zones := checkHealthIntraday(t, p, or, from, end); hrv == 0 || zones == 0 {
		t.Errorf("%d HRV readings and %d zone minutes", hrv, zones)
	}
	ctx := context.Background()
	for d := from; !d.After(end); d = d.AddDays(1) {
		ex, err := p.Extras(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range or.Days[d].Metrics {
			if got, ok := ex.Metrics[k]; !ok || math.Abs(got-v) > 1e-9 {
				t.Errorf("%s %s = %v (%v), want %v", d, k, got, ok, v)
			}
		}
		for k := range ex.Metrics {
			if _, ok := or.Days[d].Metrics[k]; !ok {
				t.Errorf("%s has %s = %v the archive does not", d, k, ex.Metrics[k])
			}
		}
	}
}
