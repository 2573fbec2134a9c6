package takeout_test

import (
	"archive/zip"
	"bytes"
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

// sparseHR thins the heart rate of the archives of from..to to a
// reading every 15 s (real exports have one every 5 to 15 s): what the
// tests check is the same per sample, and at every 5 s those archives
// were 60-90 MB each, so the package took 2 GB and, under the race
// detector, more than its 10 minutes.
const sparseHR = 15

var (
	from   = providers.Date{Year: 2024, Month: time.January, Day: 8}
	to     = providers.Date{Year: 2024, Month: time.February, Day: 20}
	nowFix = time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
)

func imp(t *testing.T, root, account string, paths ...string) *takeout.Report {
	t.Helper()
	rep, err := takeout.Import(context.Background(), takeout.Options{Paths: paths, Account: account, Root: root,
		Now: func() time.Time { return nowFix }})
	if err != nil {
		t.Fatalf("import %v: %v", paths, err)
	}
	return rep
}

func open(t *testing.T, root, account string) *takeout.Provider {
	t.Helper()
	p, err := takeout.New(providers.AccountSpec{Name: account, Provider: takeout.Name, Options: map[string]string{"root": root}},
		providers.Env{Now: func() time.Time { return nowFix }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func found(rep *takeout.Report, metric string) takeout.MetricCount {
	for _, f := range rep.Found {
		if f.Metric == metric {
			return f
		}
	}
	return takeout.MetricCount{Metric: metric}
}

// check compares everything the provider says with the oracle.
func check(t *testing.T, p *takeout.Provider, or *takeouttest.Oracle, from, to providers.Date) {
	t.Helper()
	ctx := context.Background()
	prof, err := p.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if prof.Location.String() != or.Zone {
		t.Errorf("zone %s, want %s", prof.Location, or.Zone)
	}
	series, err := p.DailySeries(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(series) != from.DaysUntil(to)+1 {
		t.Fatalf("%d daily values for %s..%s", len(series), from, to)
	}
	for i, v := range series {
		d := from.AddDays(i)
		want := or.Days[d]
		if want == nil {
			t.Fatalf("no oracle for %s", d)
		}
		if v.Date != d || v.Steps != want.Steps || v.RestingHeartRate != want.RestingHR || v.SleepMinutes != want.SleepMinutes || v.NapMinutes != want.NapMinutes ||
			math.Abs(v.WeightKg-want.WeightKg) > 1e-6 {
			t.Errorf("%s daily %+v, want steps %d resting %d sleep %d weight %.3f", d, v, want.Steps, want.RestingHR, want.SleepMinutes, want.WeightKg)
		}
		sum, err := p.DaySummary(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Floors != want.Floors || sum.HasFloors != or.HasFloors {
			t.Errorf("%s floors %d (has %v), want %d (has %v)", d, sum.Floors, sum.HasFloors, want.Floors, or.HasFloors)
		}
		if sum.Steps != want.Steps || sum.ActiveMinutes != want.ActiveMinutes || sum.RestingHeartRate != want.RestingHR ||
			math.Abs(sum.DistanceKm-math.Round(want.DistanceKm*100)/100) > 0.011 || math.Abs(float64(sum.Calories)-want.Calories) > 1 {
			t.Errorf("%s summary %+v, want steps %d active %d resting %d km %.2f kcal %.0f", d, sum, want.Steps, want.ActiveMinutes, want.RestingHR, want.DistanceKm, want.Calories)
		}
		in, err := p.Intraday(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(in.HeartRate.Samples) != want.HRSamples || len(in.Steps.Samples) != want.StepMinutes {
			t.Errorf("%s intraday %d hr %d steps, want %d, %d", d, len(in.HeartRate.Samples), len(in.Steps.Samples), want.HRSamples, want.StepMinutes)
		}
		if last, ok := in.HeartRate.Last(); ok && (!last.Time.Equal(want.LastHR.Time) || last.Value != want.LastHR.Value || last.Time.Location().String() != or.Zone) {
			t.Errorf("%s last heart rate %v %v, want %v", d, last.Time, last.Value, want.LastHR)
		}
		steps := 0
		for _, s := range in.Steps.Samples {
			steps += int(s.Value)
		}
		if steps != want.Steps {
			t.Errorf("%s intraday steps add up to %d, want %d", d, steps, want.Steps)
		}
	}
	sleeps, err := p.Sleep(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var want []providers.SleepSession
	for _, s := range or.Sessions {
		if !s.Date.Before(from) && !s.Date.After(to) {
			want = append(want, s)
		}
	}
	if len(sleeps) != len(want) {
		t.Fatalf("%d sleeps, want %d", len(sleeps), len(want))
	}
	for i, s := range sleeps {
		w := want[i]
		if !s.Start.Equal(w.Start) || !s.End.Equal(w.End) || s.Date != w.Date || s.Main != w.Main || s.Classic != w.Classic ||
			s.Asleep != w.Asleep || len(s.Segments) != len(w.Segments) {
			t.Errorf("sleep %d: %v..%v %s main %v asleep %v %d segments, want %v..%v %s main %v asleep %v %d", i,
				s.Start, s.End, s.Date, s.Main, s.Asleep, len(s.Segments), w.Start, w.End, w.Date, w.Main, w.Asleep, len(w.Segments))
			continue
		}
		for k, seg := range s.Segments {
			if ws := w.Segments[k]; seg.Stage != ws.Stage || !seg.Start.Equal(ws.Start) || seg.Duration != ws.Duration {
				t.Errorf("sleep %d segment %d: %s at %v for %v, want %s at %v for %v", i, k, seg.Stage, seg.Start, seg.Duration, ws.Stage, ws.Start, ws.Duration)
				break
			}
		}
	}
}

// checkHealthIntraday compares each day's HRV readings and zone minutes
// with the oracle's, and says how many of each it saw.
func checkHealthIntraday(t *testing.T, p *takeout.Provider, or *takeouttest.Oracle, from, to providers.Date) (hrv, zones int) {
	t.Helper()
	for d := from; !d.After(to); d = d.AddDays(1) {
		hi, err := p.HealthIntraday(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		want := or.Days[d]
		if want == nil {
			want = &takeouttest.Day{}
		}
		checkHealthIntradayDay(t, d, hi, want)
		hrv += len(hi.HRV.Samples)
		zones += len(hi.Zones)
	}
	return hrv, zones
}

func checkHealthIntradayDay(t *testing.T, d providers.Date, hi providers.HealthIntraday, want *takeouttest.Day) {
	t.Helper()
	if len(hi.HRV.Samples) != len(want.HRV) {
		t.Errorf("%s: %d HRV readings, want %d", d, len(hi.HRV.Samples), len(want.HRV))
	} else {
		for i, s := range hi.HRV.Samples {
			if w := want.HRV[i]; !s.Time.Equal(w.Time) || s.Value != w.Value {
				t.Errorf("%s HRV reading %d: %v %v, want %v %v", d, i, s.Time, s.Value, w.Time, w.Value)
				break
			}
		}
	}
	if len(hi.Zones) != len(want.ZoneMinutes) {
		t.Errorf("%s: %d zone minutes, want %d", d, len(hi.Zones), len(want.ZoneMinutes))
		return
	}
	for i, z := range hi.Zones {
		if w := want.ZoneMinutes[i]; !z.Start.Equal(w.Start) || z.Zone != w.Zone || z.Earned != w.Earned || z.Length != w.Length {
			t.Errorf("%s zone minute %d: %+v, want %+v", d, i, z, w)
			break
		}
	}
}

func checkReport(t *testing.T, rep *takeout.Report, or *takeouttest.Oracle) {
	t.Helper()
	hr, stepMinutes, _ := or.Totals()
	if f := found(rep, "heart_rate"); f.Samples != hr || f.Days != len(or.Days) {
		t.Errorf("report heart_rate %+v, want %d samples on %d days", f, hr, len(or.Days))
	}
	if f := found(rep, "steps"); f.Samples != stepMinutes || f.Days != len(or.Days) {
		t.Errorf("report steps %+v, want %d samples on %d days", f, stepMinutes, len(or.Days))
	}
	sleeps := 0
	for _, d := range or.Days {
		sleeps += d.Sleeps
	}
	if f := found(rep, "sleep"); f.Samples != sleeps {
		t.Errorf("report sleep %+v, want %d", f, sleeps)
	}
	if len(rep.Skipped) != 0 {
		t.Errorf("skipped %v", rep.Skipped)
	}
	if rep.Manifest.Samples["heart_rate"] != hr || rep.Manifest.Samples["steps"] != stepMinutes {
		t.Errorf("manifest samples %v, want %d heart rate and %d steps", rep.Manifest.Samples, hr, stepMinutes)
	}
}

func TestImportFitbitExportFolder(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: to, HREvery: sparseHR, Layout: takeouttest.FitbitExport})
	if err != nil {
		t.Fatal(err)
	}
	rep := imp(t, root, "fb", dir)
	checkReport(t, rep, or)
	if rep.Ignored != 1 || rep.Duplicates != 0 || rep.From != from || rep.To != to {
		t.Errorf("ignored %d duplicates %d range %s..%s", rep.Ignored, rep.Duplicates, rep.From, rep.To)
	}
	p := open(t, root, "fb")
	check(t, p, or, from, to)
	prof, _ := p.Profile(context.Background())
	if prof.DisplayName != or.Name {
		t.Errorf("display name %q, want %q", prof.DisplayName, or.Name)
	}
}

// The Google data CSVs repeat the JSON tree in UTC: nothing is counted
// twice, and days only the CSVs have are imported from them.
func TestImportTakeoutZipWithGoogleDataDuplicates(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "takeout.zip")
	or, err := takeouttest.WriteZip(path, takeouttest.Options{Persona: "runner", From: from, To: to, HREvery: sparseHR,
		Layout: takeouttest.GoogleTakeout, GoogleData: true, CSVOnlyDays: 2})
	if err != nil {
		t.Fatal(err)
	}
	rep := imp(t, root, "g", path)
	checkReport(t, rep, or)
	var csvOnly int
	for i := range 2 {
		d := or.Days[to.AddDays(-i)]
		csvOnly += d.HRSamples + d.StepMinutes
	}
	if got := rep.DuplicatesOf("heart_rate") + rep.DuplicatesOf("steps"); got != or.CSVRows-csvOnly {
		t.Errorf("%d heart-rate and step duplicates dropped, want %d (CSV rows %d, of which %d only in the CSVs)", got, or.CSVRows-csvOnly, or.CSVRows, csvOnly)
	}
	if rep.Duplicates != or.Duplicates {
		t.Errorf("%d duplicates dropped in all (%v), want %d", rep.Duplicates, rep.DuplicatesBy, or.Duplicates)
	}
	check(t, open(t, root, "g"), or, from, to)
}

// Any one part of a split archive brings its siblings.
func TestImportSplitZip(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	paths, or, err := takeouttest.WriteSplit(dir, "takeout-20240301T101010Z", 3, takeouttest.Options{Persona: "nightshift", From: from, To: to, HREvery: sparseHR,
		Layout: takeouttest.GoogleTakeout, GoogleData: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := imp(t, root, "split", paths[1])
	if len(rep.Archives) != 3 {
		t.Errorf("archives %v, want all three parts", rep.Archives)
	}
	checkReport(t, rep, or)
	check(t, open(t, root, "split"), or, from, to)
	if got := rep.Manifest.Sources[0].Paths; len(got) != 3 {
		t.Errorf("manifest sources %v", got)
	}
}

// Weight in pounds and distance in miles (en_US settings) are stored in kg
// and km.
func TestImportImperialUnits(t *testing.T) {
	for _, layout := range []takeouttest.Layout{takeouttest.FitbitExport, takeouttest.GoogleTakeout} {
		dir, root := t.TempDir(), t.TempDir()
		or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: to, HREvery: sparseHR, Layout: layout, Imperial: true})
		if err != nil {
			t.Fatal(err)
		}
		rep := imp(t, root, "us", dir)
		if rep.Manifest.WeightUnit != "lb" || rep.Manifest.DistanceUnit != "mi" {
			t.Errorf("units %s %s", rep.Manifest.WeightUnit, rep.Manifest.DistanceUnit)
		}
		weighIns := 0
		for _, d := range or.Days {
			if d.WeightKg > 0 {
				weighIns++
				if d.WeightKg < 40 || d.WeightKg > 150 {
					t.Fatalf("oracle weight %.1f kg is not a person's", d.WeightKg)
				}
			}
		}
		if weighIns == 0 {
			t.Fatal("the office persona should weigh in")
		}
		check(t, open(t, root, "us"), or, from, to)
	}
}

// Re-importing the same archive changes nothing; a newer archive adds
// only what is new, and the manifest records every source.
func TestReimportIsIdempotent(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	first := filepath.Join(dir, "old.zip")
	mid := providers.Date{Year: 2024, Month: time.January, Day: 31}
	if _, err := takeouttest.WriteZip(first, takeouttest.Options{Persona: "office", From: from, To: mid, HREvery: sparseHR, Layout: takeouttest.GoogleTakeout, GoogleData: true}); err != nil {
		t.Fatal(err)
	}
	rep1 := imp(t, root, "me", first)
	rep2 := imp(t, root, "me", first)
	for _, m := range []string{"heart_rate", "steps", "sleep", "weight", "resting_heart_rate", "active_minutes"} {
		if rep1.Manifest.Samples[m] != rep2.Manifest.Samples[m] || rep1.Manifest.Days[m] != rep2.Manifest.Days[m] {
			t.Errorf("%s: %d samples on %d days after one import, %d on %d after two", m,
				rep1.Manifest.Samples[m], rep1.Manifest.Days[m], rep2.Manifest.Samples[m], rep2.Manifest.Days[m])
		}
	}
	newer := filepath.Join(dir, "new")
	or, err := takeouttest.WriteDir(newer, takeouttest.Options{Persona: "office", From: from, To: to, HREvery: sparseHR, Layout: takeouttest.FitbitExport})
	if err != nil {
		t.Fatal(err)
	}
	rep3 := imp(t, root, "me", newer)
	hr, steps, _ := or.Totals()
	if rep3.Manifest.Samples["heart_rate"] != hr || rep3.Manifest.Samples["steps"] != steps {
		t.Errorf("after the newer archive: %v, want %d heart rate and %d steps", rep3.Manifest.Samples, hr, steps)
	}
	if len(rep3.Manifest.Sources) != 3 || rep3.Manifest.From != from.String() || rep3.Manifest.To != to.String() {
		t.Errorf("manifest %d sources, %s..%s", len(rep3.Manifest.Sources), rep3.Manifest.From, rep3.Manifest.To)
	}
	check(t, open(t, root, "me"), or, from, to)
}

// A small memory bound (many flushes, days merged again and again) gives
// the same index.
func TestBoundedMemoryGivesTheSameIndex(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "runner", From: from, To: to, HREvery: sparseHR, Layout: takeouttest.GoogleTakeout, GoogleData: true, CSVOnlyDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := takeout.Import(context.Background(), takeout.Options{Paths: []string{dir}, Account: "small", Root: root, MaxPending: 5000})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, or)
	check(t, open(t, root, "small"), or, from, to)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Damaged files are skipped with a warning naming them; the rest is
// imported.
func TestDamagedFilesAreSkipped(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: to, HREvery: sparseHR, Layout: takeouttest.FitbitExport})
	if err != nil {
		t.Fatal(err)
	}
	ged := filepath.Join(dir, or.Name, "user-site-export")
	writeFile(t, filepath.Join(ged, "heart_rate-2024-03-01.json"), `[{"dateTime":"03/01/24 00:00:05","value":{"bpm":60,"confidence":2}},{"dateTime":"03/01/24 00:00:1`)
	writeFile(t, filepath.Join(ged, "steps-2024-03-02.json"), `{"not":"a list"}`)
	writeFile(t, filepath.Join(ged, "sleep-2024-03-03.json"), `[{"logId":1,"startTime":]`)
	writeFile(t, filepath.Join(ged, "steps-2024-03-04.json"), `[{"dateTime":"03/04/24 10:00:00","value":""},{"dateTime":"13/45/24 10:01:00","value":"5"},{"dateTime":"03/04/24 10:02:00","value":"7"}]`)
	rep := imp(t, root, "dmg", dir)
	if len(rep.Skipped) != 3 {
		t.Fatalf("skipped %v, want the three damaged files", rep.Skipped)
	}
	for i, name := range []string{"heart_rate-2024-03-01.json", "sleep-2024-03-03.json", "steps-2024-03-02.json"} {
		if s := rep.Skipped[i]; !strings.HasSuffix(s.File, name) || s.Reason == "" {
			t.Errorf("skipped[%d] = %+v, want %s with a reason", i, s, name)
		}
	}
	if rep.BadRecords != 2 {
		t.Errorf("%d bad records, want 2 (an empty value, a date that is not one)", rep.BadRecords)
	}
	march4 := providers.Date{Year: 2024, Month: time.March, Day: 4}
	p := open(t, root, "dmg")
	sum, _ := p.DaySummary(context.Background(), march4)
	if sum.Steps != 7 {
		t.Errorf("steps on %s: %d, want 7 (the one good record)", march4, sum.Steps)
	}
	check(t, p, or, from, to)
}

// A zip member whose data is damaged fails its checksum and is skipped.
func TestDamagedZipMember(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	files, or, err := takeouttest.Files(takeouttest.Options{Persona: "office", From: from, To: from.AddDays(2), Layout: takeouttest.GoogleTakeout})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	victim := ""
	for _, f := range files {
		method := zip.Deflate
		if strings.Contains(f.Name, "heart_rate-") && victim == "" {
			method, victim = zip.Store, f.Name
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(f.Data)
	}
	_ = zw.Close()
	b := buf.Bytes()
	i := bytes.Index(b, []byte(`"bpm":`))
	b[i+7] ^= 0x01 // one digit changes: the CRC no longer matches
	path := filepath.Join(dir, "t.zip")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// A zip cut short (an interrupted download) is skipped as a whole.
	cut := filepath.Join(dir, "cut.zip")
	if err := os.WriteFile(cut, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	rep := imp(t, root, "z", path, cut)
	if len(rep.Skipped) != 2 {
		t.Fatalf("skipped %v", rep.Skipped)
	}
	got := rep.Skipped[0].File + " " + rep.Skipped[1].File
	if !strings.Contains(got, "cut.zip") || !strings.Contains(got, victim) {
		t.Errorf("skipped %v, want cut.zip and %s", rep.Skipped, victim)
	}
	d := or.Days[from]
	if f := found(rep, "heart_rate"); f.Days != 2 || f.Samples+d.HRSamples != or.Days[from].HRSamples+or.Days[from.AddDays(1)].HRSamples+or.Days[from.AddDays(2)].HRSamples {
		t.Errorf("heart rate %+v after skipping the first day's file", f)
	}
}

func TestNothingToImport(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "notes.txt"), "hello")
	_, err := takeout.Import(context.Background(), takeout.Options{Paths: []string{dir}, Account: "x", Root: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "no Fitbit data found") {
		t.Errorf("error %v", err)
	}
	_, err = takeout.Import(context.Background(), takeout.Options{Paths: []string{filepath.Join(dir, "missing.zip")}, Account: "x", Root: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "missing.zip") {
		t.Errorf("error %v", err)
	}
}

func TestNoProfileReadsUTC(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: from.AddDays(3), Layout: takeouttest.FitbitExport, NoProfile: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := imp(t, root, "utc", dir)
	if rep.Manifest.TimeZone != "UTC" || len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "UTC") {
		t.Errorf("zone %s warnings %v", rep.Manifest.TimeZone, rep.Warnings)
	}
	check(t, open(t, root, "utc"), or, from, from.AddDays(3))
}

func TestProviderEdges(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	if _, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: from.AddDays(2), Layout: takeouttest.FitbitExport}); err != nil {
		t.Fatal(err)
	}
	imp(t, root, "e", dir)
	p := open(t, root, "e")
	ctx := context.Background()
	in, err := p.Intraday(ctx, from.AddDays(-1))
	if err != nil || in.Note != takeout.NoIntradayNote || len(in.HeartRate.Samples) != 0 || in.Date != from.AddDays(-1) {
		t.Errorf("intraday of a day without data: %+v %v", in, err)
	}
	series, err := p.DailySeries(ctx, from.AddDays(-40), from.AddDays(40))
	if err != nil || len(series) != 81 {
		t.Fatalf("%d values, %v", len(series), err)
	}
	for i, v := range series {
		inRange := i >= 40 && i <= 42
		if v.Date != from.AddDays(i-40) || (v.Steps > 0) != inRange {
			t.Errorf("value %d: %+v", i, v)
		}
	}
	if _, err := p.DailySeries(ctx, from, from.AddDays(-1)); err == nil {
		t.Error("a range that ends before it starts is an error")
	}
	if _, err := takeout.New(providers.AccountSpec{Name: "nobody", Provider: takeout.Name, Options: map[string]string{"root": root}}, providers.Env{}); err == nil ||
		!strings.Contains(err.Error(), "fittui import PATH --account nobody") {
		t.Errorf("opening an account never imported: %v", err)
	}
	accs, err := takeout.Accounts(root)
	if err != nil || len(accs) != 1 || accs[0].Name != "e" || accs[0].From != from || accs[0].To != from.AddDays(2) {
		t.Errorf("accounts %+v %v", accs, err)
	}
	if accs, err := takeout.Accounts(filepath.Join(root, "none")); err != nil || len(accs) != 0 {
		t.Errorf("accounts of a missing root: %v %v", accs, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Intraday(cctx, from); err == nil {
		t.Error("a cancelled context is an error")
	}
}

// An import interrupted keeps what it read; running it again finishes it.
func TestInterruptedImport(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: to, HREvery: sparseHR, Layout: takeouttest.FitbitExport})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = takeout.Import(ctx, takeout.Options{Paths: []string{dir}, Account: "int", Root: root, OnProgress: func(p takeout.Progress) {
		if p.Done*2 > p.Total {
			cancel()
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("error %v", err)
	}
	p := open(t, root, "int")
	if m, err := p.Manifest(); err != nil || m.Samples["calories"] == 0 {
		t.Errorf("after the interruption: %v %v", m.Samples, err)
	}
	rep := imp(t, root, "int", dir)
	hr, _, _ := or.Totals()
	if rep.Manifest.Samples["heart_rate"] != hr {
		t.Errorf("after finishing: %d heart rate samples, want %d", rep.Manifest.Samples["heart_rate"], hr)
	}
	check(t, open(t, root, "int"), or, from, to)
}
