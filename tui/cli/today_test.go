package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/tui/cli/clitest"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/tui/textfmt"
)

// expected is what `fittui today` should report, worked out here from the
// provider's own answers.
type expected struct {
	loc      *time.Location
	sum      providers.DaySummary
	sleepMin *int
	napMin   *int // nil: no sleep that day at all
	weight   *float64
	hr       *providers.Sample
	health   providers.HealthDay
	fat      *float64
	workouts []providers.Workout
}

func expect(t *testing.T, spec providers.AccountSpec, now time.Time, day providers.Date) expected {
	t.Helper()
	ctx := context.Background()
	p, err := providers.Open(spec, providers.Env{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	prof, err := p.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.loc = prof.Location
	if e.sum, err = p.DaySummary(ctx, day); err != nil {
		t.Fatal(err)
	}
	sleep, err := p.Sleep(ctx, day, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sleep {
		if s.Main {
			m := int(s.Asleep.Minutes())
			e.sleepMin = &m
			break
		}
	}
	if len(sleep) > 0 {
		n := 0
		for _, s := range sleep {
			if !s.Main {
				n += int(s.Asleep.Minutes())
			}
		}
		e.napMin = &n
	}
	series, err := p.DailySeries(ctx, day.AddDays(-30), day)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range series {
		if v.WeightKg > 0 {
			w := v.WeightKg
			e.weight = &w // the last one wins: series are oldest first
		}
	}
	in, err := p.Intraday(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(in.HeartRate.Samples); n > 0 {
		e.hr = &in.HeartRate.Samples[n-1]
	}
	if h, ok := providers.HealthOf(p); ok {
		days, err := h.Health(ctx, day.AddDays(-30), day)
		if err != nil {
			t.Fatal(err)
		}
		e.health = days[len(days)-1]
		for _, d := range days {
			if d.BodyFatPct != nil {
				e.fat = d.BodyFatPct // the last one wins
			}
		}
		if e.workouts, err = h.Workouts(ctx, day, day); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// todayJSON mirrors the documented JSON; pointers tell null from zero.
type todayJSON struct {
	Account          *string  `json:"account"`
	Provider         *string  `json:"provider"`
	Date             *string  `json:"date"`
	TimeZone         *string  `json:"time_zone"`
	Steps            *int     `json:"steps"`
	DistanceKm       *float64 `json:"distance_km"`
	Calories         *int     `json:"calories"`
	ActiveMinutes    *int     `json:"active_minutes"`
	Floors           *int     `json:"floors"`
	RestingHeartRate *int     `json:"resting_heart_rate"`
	SleepMinutes     *int     `json:"sleep_minutes"`
	NapMinutes       *int     `json:"nap_minutes"`
	WeightKg         *float64 `json:"weight_kg"`
	Goals            *struct {
		Steps         *int     `json:"steps"`
		DistanceKm    *float64 `json:"distance_km"`
		Calories      *int     `json:"calories"`
		ActiveMinutes *int     `json:"active_minutes"`
		Floors        *int     `json:"floors"`
	} `json:"goals"`
	LatestHeartRate *struct {
		BPM  int    `json:"bpm"`
		Time string `json:"time"`
	} `json:"latest_heart_rate"`
	HRV           *float64 `json:"hrv_ms"`
	SpO2          *float64 `json:"spo2_pct"`
	BreathingRate *float64 `json:"breathing_rate"`
	SkinTempDelta *float64 `json:"skin_temp_delta_c"`
	VO2Max        *float64 `json:"vo2_max"`
	CardioFitness *string  `json:"cardio_fitness"`
	ZoneMinutes   *struct {
		FatBurn *int `json:"fat_burn"`
		Cardio  *int `json:"cardio"`
		Peak    *int `json:"peak"`
		Total   *int `json:"total"`
	} `json:"zone_minutes"`
	BodyFatPct *float64                     `json:"body_fat_pct"`
	Workouts   []map[string]json.RawMessage `json:"workouts"`
}

var jsonKeys = []string{"account", "active_minutes", "body_fat_pct", "breathing_rate", "calories", "cardio_fitness", "date",
	"distance_km", "floors", "goals", "hrv_ms", "latest_heart_rate", "nap_minutes", "provider", "resting_heart_rate", "skin_temp_delta_c",
	"sleep_minutes", "spo2_pct", "steps", "time_zone", "vo2_max", "weight_kg", "workouts", "zone_minutes"}

// workoutKeys are the keys of each workout object, and the columns of
// `fittui export --metric workouts`.
var workoutKeys = []string{"type", "name", "start", "end", "active_minutes", "distance_km", "steps", "calories",
	"avg_heart_rate", "zone_minutes"}

// checkJSON decodes out and compares it with e.
func checkJSON(t *testing.T, out []byte, spec providers.AccountSpec, day providers.Date, e expected) {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(out, &keys); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, jsonKeys) {
		t.Errorf("keys %v\nwant %v", got, jsonKeys)
	}
	var j todayJSON
	if err := json.Unmarshal(out, &j); err != nil {
		t.Fatal(err)
	}
	near := func(name string, got *float64, want float64) {
		if got == nil || math.Abs(*got-want) > 0.005 {
			t.Errorf("%s = %v, want %.3f", name, got, want)
		}
	}
	eqInt := func(name string, got *int, want int, known bool) {
		switch {
		case !known && got != nil:
			t.Errorf("%s = %d, want null", name, *got)
		case known && (got == nil || *got != want):
			t.Errorf("%s = %v, want %d", name, got, want)
		}
	}
	if *j.Account != spec.Name || *j.Provider != "demo" || *j.Date != day.String() || *j.TimeZone != e.loc.String() {
		t.Errorf("account %q provider %q date %q zone %q", *j.Account, *j.Provider, *j.Date, *j.TimeZone)
	}
	s := e.sum
	eqInt("steps", j.Steps, s.Steps, true)
	near("distance_km", j.DistanceKm, s.DistanceKm)
	eqInt("calories", j.Calories, s.Calories, true)
	eqInt("active_minutes", j.ActiveMinutes, s.ActiveMinutes, true)
	eqInt("floors", j.Floors, s.Floors, s.HasFloors)
	eqInt("resting_heart_rate", j.RestingHeartRate, s.RestingHeartRate, s.RestingHeartRate > 0)
	if e.sleepMin != nil {
		eqInt("sleep_minutes", j.SleepMinutes, *e.sleepMin, true)
	} else {
		eqInt("sleep_minutes", j.SleepMinutes, 0, false)
	}
	if e.napMin != nil {
		eqInt("nap_minutes", j.NapMinutes, *e.napMin, true)
	} else {
		eqInt("nap_minutes", j.NapMinutes, 0, false)
	}
	if e.weight != nil {
		near("weight_kg", j.WeightKg, *e.weight)
	} else if j.WeightKg != nil {
		t.Errorf("weight_kg = %v, want null", *j.WeightKg)
	}
	eqInt("goals.steps", j.Goals.Steps, s.Goals.Steps, s.Goals.Steps > 0)
	if s.Goals.DistanceKm > 0 {
		near("goals.distance_km", j.Goals.DistanceKm, s.Goals.DistanceKm)
	}
	eqInt("goals.calories", j.Goals.Calories, s.Goals.Calories, s.Goals.Calories > 0)
	eqInt("goals.active_minutes", j.Goals.ActiveMinutes, s.Goals.ActiveMinutes, s.Goals.ActiveMinutes > 0)
	eqInt("goals.floors", j.Goals.Floors, s.Goals.Floors, s.Goals.Floors > 0)
	checkHealthJSON(t, keys, j, e)
	switch {
	case e.hr == nil && j.LatestHeartRate != nil:
		t.Errorf("latest_heart_rate = %+v, want null", j.LatestHeartRate)
	case e.hr != nil && j.LatestHeartRate == nil:
		t.Errorf("latest_heart_rate is null, want %v", e.hr.Value)
	case e.hr != nil:
		if j.LatestHeartRate.BPM != int(math.Round(e.hr.Value)) {
			t.Errorf("latest_heart_rate.bpm = %d, want %.0f", j.LatestHeartRate.BPM, e.hr.Value)
		}
		at, err := time.Parse(time.RFC3339, j.LatestHeartRate.Time)
		if err != nil || !at.Equal(e.hr.Time.Truncate(time.Second)) {
			t.Errorf("latest_heart_rate.time = %q (%v), want %v", j.LatestHeartRate.Time, err, e.hr.Time)
		}
		if _, off := at.Zone(); off != func() int { _, o := e.hr.Time.Zone(); return o }() {
			t.Errorf("latest_heart_rate.time %q lost the sample's offset", j.LatestHeartRate.Time)
		}
	}
}

// checkHealthJSON compares the health keys with e: null exactly where the
// provider has no value.
func checkHealthJSON(t *testing.T, keys map[string]json.RawMessage, j todayJSON, e expected) {
	t.Helper()
	h := e.health
	opt := func(name string, got *float64, want *float64) {
		switch {
		case want == nil && got != nil:
			t.Errorf("%s = %v, want null", name, *got)
		case want != nil && (got == nil || math.Abs(*got-*want) > 0.005):
			t.Errorf("%s = %v, want %v", name, got, *want)
		}
	}
	opt("hrv_ms", j.HRV, h.HRV)
	opt("breathing_rate", j.BreathingRate, h.BreathingRate)
	opt("skin_temp_delta_c", j.SkinTempDelta, h.SkinTempDelta)
	opt("body_fat_pct", j.BodyFatPct, e.fat)
	var spo2, vo2 *float64
	if h.SpO2 != nil {
		spo2 = &h.SpO2.AvgPct
	}
	if h.VO2Max != nil {
		vo2 = &h.VO2Max.Value
		if j.CardioFitness == nil || *j.CardioFitness != string(h.VO2Max.Level) {
			t.Errorf("cardio_fitness = %v, want %q", j.CardioFitness, h.VO2Max.Level)
		}
	} else if j.CardioFitness != nil {
		t.Errorf("cardio_fitness = %q, want null", *j.CardioFitness)
	}
	opt("spo2_pct", j.SpO2, spo2)
	opt("vo2_max", j.VO2Max, vo2)
	switch z := h.ZoneMinutes; {
	case z == nil && j.ZoneMinutes != nil:
		t.Errorf("zone_minutes = %+v, want null", j.ZoneMinutes)
	case z != nil && (j.ZoneMinutes == nil || j.ZoneMinutes.FatBurn == nil || *j.ZoneMinutes.FatBurn != z.FatBurn ||
		*j.ZoneMinutes.Cardio != z.Cardio || *j.ZoneMinutes.Peak != z.Peak || *j.ZoneMinutes.Total != z.Total()):
		t.Errorf("zone_minutes = %s, want %+v", keys["zone_minutes"], *z)
	}
	if string(keys["workouts"]) == "null" || len(j.Workouts) != len(e.workouts) {
		t.Fatalf("workouts = %s, want %d", keys["workouts"], len(e.workouts))
	}
	for i, w := range j.Workouts {
		var got []string
		for k := range w {
			got = append(got, k)
		}
		want := slices.Clone(workoutKeys)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("workout keys %v, want %v", got, want)
		}
		ew := e.workouts[i]
		var start string
		var steps int
		json.Unmarshal(w["start"], &start)
		json.Unmarshal(w["steps"], &steps)
		if at, err := time.Parse(time.RFC3339, start); err != nil || !at.Equal(ew.Start) || steps != *ew.Steps {
			t.Errorf("workout %d: start %s steps %d, want %v %d", i, start, steps, ew.Start, *ew.Steps)
		}
	}
}

func TestTodayJSON(t *testing.T) {
	isolate(t)
	day := providers.Date{Year: 2026, Month: time.January, Day: 15}
	sawWeight, sawFat, sawWorkout, sawNoSpO2 := false, false, false, false
	for _, spec := range demo.Accounts() {
		t.Run(spec.Name, func(t *testing.T) {
			r := run(t, nil, "today", "--demo", "--account", spec.Name, "--date", "2026-01-15", "--json")
			if r.code != 0 || r.err != "" {
				t.Fatalf("code %d stderr %q", r.code, r.err)
			}
			e := expect(t, spec, fixedNow, day)
			checkJSON(t, []byte(r.out), spec, day, e)
			sawWeight = sawWeight || e.weight != nil
			sawFat = sawFat || e.fat != nil
			sawWorkout = sawWorkout || len(e.workouts) > 0
			sawNoSpO2 = sawNoSpO2 || e.health.SpO2 == nil && e.health.HRV != nil
		})
	}
	if !sawWeight {
		t.Error("no demo account reported a weight, so weight_kg was never checked against a value")
	}
	if !sawFat || !sawWorkout || !sawNoSpO2 {
		t.Errorf("body fat %v, a workout %v, a device without SpO2 %v: not every case was checked", sawFat, sawWorkout, sawNoSpO2)
	}
}

// Without --date the day is today in the account's own zone, up to now.
func TestTodayDefaultsToTodayInAccountZone(t *testing.T) {
	isolate(t)
	spec := demo.Accounts()[0]
	r := run(t, nil, "today", "--demo", "--json")
	if r.code != 0 {
		t.Fatalf("code %d stderr %q", r.code, r.err)
	}
	e := expect(t, spec, fixedNow, providers.Date{})
	day := providers.DateOf(fixedNow.In(e.loc))
	e = expect(t, spec, fixedNow, day)
	checkJSON(t, []byte(r.out), spec, day, e)
	if e.hr != nil && e.hr.Time.After(fixedNow) {
		t.Errorf("latest heart rate %v is after now %v", e.hr.Time, fixedNow)
	}
}

func TestTodayText(t *testing.T) {
	isolate(t)
	spec := demo.Accounts()[1]
	day := providers.Date{Year: 2026, Month: time.January, Day: 12}
	r := run(t, nil, "today", "--demo", "--account", spec.Name, "--date", day.String())
	if r.code != 0 || r.err != "" {
		t.Fatalf("code %d stderr %q", r.code, r.err)
	}
	e := expect(t, spec, fixedNow, day)
	lines := strings.Split(r.out, "\n")
	if want := spec.Name + " (demo) · Monday 12 January 2026 · " + e.loc.String(); lines[0] != want {
		t.Errorf("header %q, want %q", lines[0], want)
	}
	row := func(label string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, label+" ") {
				return strings.Join(strings.Fields(l[len(label):]), " ")
			}
		}
		t.Errorf("no %q row in\n%s", label, r.out)
		return ""
	}
	s := e.sum
	if g := s.Goals.Steps; g > 0 {
		want := textfmt.Int(s.Steps) + " / " + textfmt.Int(g) + " " + strconv.Itoa(textfmt.Percent(float64(s.Steps), float64(g))) + "%"
		if got := row("Steps"); got != want {
			t.Errorf("Steps row %q, want %q", got, want)
		}
	}
	if got, want := row("Calories"), textfmt.Int(s.Calories); !strings.HasPrefix(got, want+" ") && got != want {
		t.Errorf("Calories row %q, want it to start with %q", got, want)
	}
	if s.RestingHeartRate > 0 {
		if got := row("Resting HR"); got != itoa(s.RestingHeartRate)+" bpm" {
			t.Errorf("Resting HR row %q", got)
		}
	}
	if e.sleepMin != nil {
		if got, want := row("Sleep"), itoa(*e.sleepMin/60)+"h"; !strings.HasPrefix(got, want) {
			t.Errorf("Sleep row %q, want %q...", got, want)
		}
	}
	// Columns line up: every row's value ends in the same column.
	ends := map[int]bool{}
	for _, l := range lines[2:] {
		if l == "" {
			continue
		}
		fields := strings.SplitN(strings.TrimSpace(l[len("Active minutes"):]), "  ", 2)
		ends[strings.Index(l, fields[0])+len(fields[0])] = true
	}
	if len(ends) != 1 {
		t.Errorf("values do not line up (ends at %v):\n%s", ends, r.out)
	}
}

func itoa(n int) string { return textfmt.Int(n) }

func TestTodayNoticeWithoutAccounts(t *testing.T) {
	isolate(t)
	r := run(t, nil, "today", "--date", "2026-01-15", "--json")
	if r.code != 0 || r.err != NoAccountsNotice+"\n" {
		t.Fatalf("code %d stderr %q", r.code, r.err)
	}
	var j todayJSON
	if err := json.Unmarshal([]byte(r.out), &j); err != nil || *j.Account != demo.Accounts()[0].Name {
		t.Errorf("stdout is not the first demo account's JSON: %v %s", err, r.out)
	}
}

func TestTodayUsageErrors(t *testing.T) {
	isolate(t)
	names := strings.Join(demoNames(), ", ")
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--date", "2026-13-01"}, `fittui: --date: "2026-13-01": there is no month 13` + "\n"},
		{[]string{"--date", "2026-02-30"}, `fittui: --date: "2026-02-30": February 2026 has 28 days` + "\n"},
		{[]string{"--date", "-7x"}, `fittui: --date: "-7x" `},
		{[]string{"--date", "15/01/2026"}, `fittui: --date: "15/01/2026" is not a date`},
		{[]string{"--date", "2026-01-22"}, `fittui: --date 2026-01-22 is in the future: today is 2026-01-2`},
		{[]string{"--date", "2031-01-01", "--json"}, `fittui: --date 2031-01-01 is in the future`},
		{[]string{"--account", "bob"}, `fittui: no account named "bob" (accounts: ` + names + ")\n"},
	} {
		r := run(t, nil, append([]string{"today", "--demo"}, tc.args...)...)
		if r.code != 2 || !strings.HasPrefix(r.err, tc.err) || r.out != "" {
			t.Errorf("%v: code %d stderr %q; want 2 and %q", tc.args, r.code, r.err, tc.err)
		}
	}
}

// The real binary, run as a person would.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	bin := clitest.Binary(t) // stamped with clitest.Version, Commit and Date

	out, err := exec.Command(bin, "--version").Output()
	if err != nil || string(out) != "fittui 9.9.9 (deadbee, 2026-02-03)\n" || clitest.Version != "9.9.9" {
		t.Errorf("--version: %q %v", out, err)
	}

	spec := demo.Accounts()[0]
	day := providers.Date{Year: 2026, Month: time.January, Day: 15}
	cmd := exec.Command(bin, "today", "--demo", "--json", "--date", day.String())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("today: %v\n%s", err, stderr.String())
	}
	checkJSON(t, out, spec, day, expect(t, spec, time.Now(), day))

	cmd = exec.Command(bin, "today", "--demo", "--date", "someday")
	cmd.Stderr = &stderr
	stderr.Reset()
	if err := cmd.Run(); exitCode(err) != 2 || !strings.Contains(stderr.String(), `fittui: --date: "someday"`) {
		t.Errorf("bad --date: exit %d, stderr %q", exitCode(err), stderr.String())
	}

	bad := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(bad, []byte("[[account]]\nname = \"x\"\nprovider = \"demo\"\ncolour = \"red\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(bin, "today")
	cmd.Env = append(os.Environ(), "FITTUI_CONFIG="+bad)
	stderr.Reset()
	cmd.Stderr = &stderr
	if err := cmd.Run(); exitCode(err) != 2 || !strings.HasPrefix(stderr.String(), "fittui: "+bad+`:4: unknown key "account.colour"`) {
		t.Errorf("bad config: exit %d, stderr %q", exitCode(err), stderr.String())
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// The text shows the health metrics the provider gives and nothing for
// one the device does not measure (the night-shift tracker has no SpO2
// sensor); each workout is a line.
func TestTodayTextHealth(t *testing.T) {
	isolate(t)
	day := providers.Date{Year: 2026, Month: time.January, Day: 11} // a Sunday: the runner's long run and a walk
	for _, spec := range demo.Accounts() {
		r := run(t, nil, "today", "--demo", "--account", spec.Name, "--date", day.String())
		if r.code != 0 || r.err != "" {
			t.Fatalf("%s: code %d stderr %q", spec.Name, r.code, r.err)
		}
		e := expect(t, spec, fixedNow, day)
		rows := map[string][]string{}
		for _, l := range strings.Split(r.out, "\n") {
			for _, label := range []string{"HRV", "SpO2", "Breathing rate", "Skin temp", "VO2 max", "Zone minutes", "Body fat", "Workout"} {
				if strings.HasPrefix(l, label+" ") {
					rows[label] = append(rows[label], strings.Join(strings.Fields(l[len(label):]), " "))
				}
			}
		}
		h := e.health
		if want := textfmt.Int(int(math.Round(*h.HRV))) + " ms last night"; len(rows["HRV"]) != 1 || rows["HRV"][0] != want {
			t.Errorf("%s: HRV rows %q, want %q", spec.Name, rows["HRV"], want)
		}
		if (h.SpO2 == nil) != (len(rows["SpO2"]) == 0) {
			t.Errorf("%s: SpO2 rows %q for %+v", spec.Name, rows["SpO2"], h.SpO2)
		}
		if want := itoa(h.ZoneMinutes.Total()) + " fat burn"; len(rows["Zone minutes"]) != 1 || !strings.HasPrefix(rows["Zone minutes"][0], want) {
			t.Errorf("%s: zone minutes rows %q, want %q...", spec.Name, rows["Zone minutes"], want)
		}
		if (e.fat != nil) != (len(rows["Body fat"]) == 1) {
			t.Errorf("%s: body fat rows %q for %v", spec.Name, rows["Body fat"], e.fat)
		}
		if len(rows["Workout"]) != len(e.workouts) || len(e.workouts) == 0 {
			t.Fatalf("%s: workout rows %q for %d workouts", spec.Name, rows["Workout"], len(e.workouts))
		}
		for i, w := range e.workouts {
			want := w.Name + " " + w.Start.Format("15:04") + "-" + w.End.Format("15:04")
			if !strings.Contains(rows["Workout"][i], want) {
				t.Errorf("%s: workout row %q, want %q in it", spec.Name, rows["Workout"][i], want)
			}
		}
	}
}

// deniedDemo is a demo account whose token lacks a scope: SpO2 says which
// and how to grant it, workouts are not granted; the rest shows.
type deniedDemo struct{ *demo.Provider }

func (d deniedDemo) Health(ctx context.Context, from, to providers.Date) ([]providers.HealthDay, error) {
	hs, err := d.Provider.Health(ctx, from, to)
	for i := range hs {
		hs[i].SpO2 = nil
		hs[i].Note(providers.HealthSpO2, "not granted: scope health.readonly; run `fittui auth login x` and allow it")
	}
	return hs, err
}

func (d deniedDemo) Workouts(context.Context, providers.Date, providers.Date) ([]providers.Workout, error) {
	return nil, &providers.NotGrantedError{Metric: providers.HealthWorkouts, Scope: "activity.readonly", How: "sign in again and allow it"}
}

func TestTodayNotGranted(t *testing.T) {
	d, err := demo.New(providers.AccountSpec{Name: "runner", Provider: demo.Name}, providers.Env{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	day := providers.Date{Year: 2026, Month: time.January, Day: 11}
	s, err := fetchDay(context.Background(), deniedDemo{d}, day)
	if err != nil {
		t.Fatal(err)
	}
	s.Account, s.Provider, s.TimeZone = "runner", "demo", "Europe/London"
	if s.SpO2 != nil || s.HRV == nil || len(s.Workouts) != 0 {
		t.Fatalf("spo2 %v hrv %v workouts %v", s.SpO2, s.HRV, s.Workouts)
	}
	text := strings.Join(strings.Fields(s.text(time.UTC)), " ")
	for _, want := range []string{"SpO2 - not granted: scope health.readonly; run `fittui auth login x` and allow it",
		"Workouts - not granted: scope activity.readonly; sign in again and allow it", "HRV "} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, s.text(time.UTC))
		}
	}
	if notes := s.Notes(); len(notes) != 2 || !strings.HasPrefix(notes[0], "SpO2: not granted") || !strings.HasPrefix(notes[1], "workouts: not granted") {
		t.Errorf("notes %q", notes)
	}
}

// The text rounds a goal's percentage as the dashboard does (one
// function, textfmt.Percent): 6,559 of 10,000 is 66%, not 65%; 9,960 is
// 99%, since the goal is not reached.
func TestTodayPercentAsTheDashboard(t *testing.T) {
	for steps, want := range map[int]int{6559: 66, 9960: 99, 10000: 100} {
		s := daySummary{Account: "me", Provider: "demo", Steps: ptr(steps), Goals: dayGoals{Steps: ptr(10000)}}
		line := strings.SplitN(s.text(time.UTC), "\n", 4)[2]
		if pane := textfmt.Percent(float64(steps), 10000); !strings.HasPrefix(line, "Steps") || !strings.HasSuffix(line, " "+strconv.Itoa(want)+"%") || pane != want {
			t.Errorf("%d steps: %q, want it to end in %d%% as the dashboard's %d%%", steps, line, want, pane)
		}
	}
}

// --date also takes the date prompt's words and offsets (datearg),
// counted from today in the account's zone.
func TestTodayDateForms(t *testing.T) {
	isolate(t)
	spec := demo.Accounts()[0]
	e := expect(t, spec, fixedNow, providers.Date{})
	today := providers.DateOf(fixedNow.In(e.loc))
	for arg, want := range map[string]providers.Date{"yesterday": today.AddDays(-1), "-7d": today.AddDays(-7), "today": today, "-2w": today.AddDays(-14)} {
		r := run(t, nil, "today", "--demo", "--json", "--date", arg)
		var got struct{ Date string }
		if err := json.Unmarshal([]byte(r.out), &got); r.code != 0 || err != nil || got.Date != want.String() {
			t.Errorf("--date %s: code %d date %q, want %s (%v %s)", arg, r.code, got.Date, want, err, r.err)
		}
	}
}

// [account.goals] stand over the provider's goals (and give one where it
// has none: sleep), in the text and JSON alike; units change the text
// only, and reach the dashboard's accounts.
func TestTodayConfiguredGoalsAndUnits(t *testing.T) {
	isolate(t)
	writeConfig(t, `units = "imperial"

[[account]]
name = "me"
provider = "demo"
[account.options]
persona = "runner"
[account.goals]
steps = 8000
sleep_minutes = 450

[[account]]
name = "work"
provider = "demo"
units = "metric"
[account.options]
persona = "office"
`)
	spec := providers.AccountSpec{Name: "me", Provider: "demo", Options: map[string]string{"persona": "runner"}}
	day := providers.Date{Year: 2026, Month: time.January, Day: 12}
	e := expect(t, spec, fixedNow, day)
	if e.sleepMin == nil || e.sum.Goals.Calories == 0 || e.sum.DistanceKm == 0 {
		t.Fatal("the runner's day has no sleep, calorie goal or distance")
	}
	r := run(t, nil, "today", "--json", "--account", "me", "--date", day.String())
	var j todayJSON
	var goals struct {
		SleepMinutes *int `json:"sleep_minutes"`
	}
	if err := json.Unmarshal([]byte(r.out), &j); err != nil || r.code != 0 {
		t.Fatalf("code %d %v: %s %s", r.code, err, r.out, r.err)
	}
	var raw struct{ Goals json.RawMessage }
	_ = json.Unmarshal([]byte(r.out), &raw)
	_ = json.Unmarshal(raw.Goals, &goals)
	if j.Goals.Steps == nil || *j.Goals.Steps != 8000 || goals.SleepMinutes == nil || *goals.SleepMinutes != 450 ||
		j.Goals.Calories == nil || *j.Goals.Calories != e.sum.Goals.Calories {
		t.Errorf("goals %s, want steps 8000, sleep 450, the provider's calories %d", raw.Goals, e.sum.Goals.Calories)
	}
	if j.DistanceKm == nil || math.Abs(*j.DistanceKm-e.sum.DistanceKm) > 0.005 {
		t.Errorf("JSON distance %v, want %.2f km (metric, whatever the units)", j.DistanceKm, e.sum.DistanceKm)
	}
	r = run(t, nil, "today", "--account", "me", "--date", day.String())
	miles := fmt.Sprintf("%.2f mi", e.sum.DistanceKm/1.609344)
	sleep := fmt.Sprintf("%dh %02dm / 7h 30m %d%%", *e.sleepMin/60, *e.sleepMin%60, textfmt.Percent(float64(*e.sleepMin), 450))
	steps := textfmt.Int(e.sum.Steps) + " / 8,000 " + strconv.Itoa(textfmt.Percent(float64(e.sum.Steps), 8000)) + "%"
	for _, want := range []string{miles, sleep, steps} {
		if !strings.Contains(strings.Join(strings.Fields(r.out), " "), want) {
			t.Errorf("text does not say %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, " km") {
		t.Errorf("imperial text shows km:\n%s", r.out)
	}
	// The dashboard's accounts carry them.
	r = run(t, nil)
	if r.tui == nil || len(r.tui.Accounts) != 2 {
		t.Fatalf("dashboard: %d %s", r.code, r.err)
	}
	me, work := r.tui.Accounts[0], r.tui.Accounts[1]
	if me.Goals.Steps != 8000 || me.Goals.SleepMinutes != 450 || me.Units != textfmt.Imperial || work.Units != textfmt.Metric {
		t.Errorf("dashboard accounts: me %+v %q, work %q", me.Goals, me.Units, work.Units)
	}
}
