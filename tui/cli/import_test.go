package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
	"github.com/fittui/fittui/tui/textfmt"
)

var (
	importFrom = providers.Date{Year: 2024, Month: time.January, Day: 8}
	importTo   = providers.Date{Year: 2024, Month: time.January, Day: 14}
)

func writeTakeout(t *testing.T) (string, *takeouttest.Oracle) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "takeout-20240301T101010Z-001.zip")
	or, err := takeouttest.WriteZip(path, takeouttest.Options{Persona: "office", From: importFrom, To: importTo,
		Layout: takeouttest.GoogleTakeout, GoogleData: true, Imperial: true})
	if err != nil {
		t.Fatal(err)
	}
	return path, or
}

func TestImportThenTodayAndDashboard(t *testing.T) {
	isolate(t)
	path, or := writeTakeout(t)
	r := run(t, nil, "import", path, "--account", "old-charge")
	if r.code != 0 || r.err != "" {
		t.Fatalf("import: code %d err %q", r.code, r.err)
	}
	hr, _, steps := or.Totals()
	for _, want := range []string{`Imported into account "old-charge"`, "time zone America/New_York", "weight in lb, distance in mi",
		"heart_rate", "7 days", textfmt.Int(hr) + " samples", "sleep", "weigh-ins", "Left out", "2024-01-08 to 2024-01-14",
		"fittui today --account old-charge --date 2024-01-14"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("report does not say %q:\n%s", want, r.out)
		}
	}
	if steps == 0 {
		t.Fatal("no steps in the oracle")
	}
	// The data lives under XDG_DATA_HOME, not the cache.
	if _, err := os.Stat(takeout.AccountDir("", "old-charge")); err != nil {
		t.Fatalf("index folder: %v", err)
	}

	day := importTo.AddDays(-1)
	r = run(t, nil, "today", "--json", "--account", "old-charge", "--date", day.String())
	if r.code != 0 {
		t.Fatalf("today: code %d err %q", r.code, r.err)
	}
	var got struct {
		Account, Provider, TimeZone string
		Steps                       int
		RestingHeartRate            *int     `json:"resting_heart_rate"`
		WeightKg                    *float64 `json:"weight_kg"`
		SleepMinutes                *int     `json:"sleep_minutes"`
		LatestHeartRate             *struct {
			BPM  int       `json:"bpm"`
			Time time.Time `json:"time"`
		} `json:"latest_heart_rate"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("%v: %s", err, r.out)
	}
	want := or.Days[day]
	if got.Account != "old-charge" || got.Provider != "takeout" || got.Steps != want.Steps ||
		got.LatestHeartRate == nil || got.LatestHeartRate.BPM != int(want.LastHR.Value) || !got.LatestHeartRate.Time.Equal(want.LastHR.Time) {
		t.Errorf("today %s: %s\nwant steps %d, last heart rate %v", day, r.out, want.Steps, want.LastHR)
	}
	if want.RestingHR > 0 && (got.RestingHeartRate == nil || *got.RestingHeartRate != want.RestingHR) {
		t.Errorf("resting %v, want %d", got.RestingHeartRate, want.RestingHR)
	}

	// A day outside the archive is not known, not a day of zeros: null
	// in JSON (every key still there), "-" in the text.
	before := importFrom.AddDays(-3)
	r = run(t, nil, "today", "--json", "--account", "old-charge", "--date", before.String())
	var outside map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.out), &outside); r.code != 0 || err != nil {
		t.Fatalf("today %s: code %d %v %s %s", before, r.code, err, r.out, r.err)
	}
	for _, k := range []string{"steps", "distance_km", "calories", "active_minutes", "floors", "resting_heart_rate"} {
		if v, ok := outside[k]; !ok || string(v) != "null" {
			t.Errorf("today %s: %s = %s (present %v), want null", before, k, v, ok)
		}
	}
	r = run(t, nil, "today", "--account", "old-charge", "--date", before.String())
	if !regexp.MustCompile(`(?m)^Steps +- +none recorded$`).MatchString(r.out) || strings.Contains(r.out, " 0 ") {
		t.Errorf("today %s text:\n%s", before, r.out)
	}

	// The dashboard lists the imported account and its provider answers.
	r = run(t, nil)
	if r.code != 0 || r.tui == nil {
		t.Fatalf("dashboard: code %d err %q", r.code, r.err)
	}
	var found bool
	for _, acc := range r.tui.Accounts {
		if acc.Spec.Name != "old-charge" {
			continue
		}
		found = true
		if acc.Spec.Provider != takeout.Name || acc.Provider.Kind() != takeout.Name {
			t.Errorf("account %+v provider %s", acc.Spec, acc.Provider.Kind())
		}
		s, err := acc.Provider.DaySummary(context.Background(), day)
		if err != nil || s.Steps != want.Steps {
			t.Errorf("dashboard's provider: %+v %v", s, err)
		}
	}
	if !found || r.tui.Notice != "" {
		t.Errorf("dashboard accounts %v notice %q", accountNames(r.tui.Accounts), r.tui.Notice)
	}

	// `fittui cache clear` does not lose imported data.
	if r := run(t, nil, "cache", "clear"); r.code != 0 {
		t.Fatalf("cache clear: %d %s", r.code, r.err)
	}
	r = run(t, nil, "today", "--json", "--account", "old-charge", "--date", day.String())
	if r.code != 0 || !strings.Contains(r.out, `"steps": `+strconv.Itoa(want.Steps)) {
		t.Errorf("after cache clear: code %d out %s err %s", r.code, r.out, r.err)
	}

	// Importing again adds nothing twice.
	r = run(t, nil, "import", path, "--account", "old-charge")
	if r.code != 0 {
		t.Fatalf("second import: %d %s", r.code, r.err)
	}
	p, err := takeout.New(providers.AccountSpec{Name: "old-charge", Provider: takeout.Name}, providers.Env{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Manifest()
	if err != nil || m.Samples["heart_rate"] != hr || len(m.Sources) != 2 {
		t.Errorf("after importing twice: %v sources %d, want %d heart-rate samples (%v)", m.Samples, len(m.Sources), hr, err)
	}
}

func TestImportDefaultsAndRefusals(t *testing.T) {
	isolate(t)
	path, _ := writeTakeout(t)
	writeConfig(t, "[[account]]\nname = \"me\"\nprovider = \"demo\"\n")

	r := run(t, nil, "import", path, "--account", "me")
	if r.code != ExitUsage || !strings.Contains(r.err, `account "me" is a demo account (in the configuration file)`) || !strings.Contains(r.err, "--account NAME") {
		t.Errorf("import into a demo account: code %d err %q", r.code, r.err)
	}
	r = run(t, nil, "import", filepath.Join(t.TempDir(), "missing.zip"))
	if r.code != ExitUsage || !strings.Contains(r.err, "missing.zip: no such file or folder") {
		t.Errorf("missing path: code %d err %q", r.code, r.err)
	}
	r = run(t, nil, "import")
	if r.code != ExitUsage {
		t.Errorf("no path: code %d err %q", r.code, r.err)
	}
	r = run(t, nil, "import", path, "--account", ".hidden")
	if r.code != ExitUsage || !strings.Contains(r.err, "--account") {
		t.Errorf("bad name: code %d err %q", r.code, r.err)
	}
	// Without --account: "takeout", listed after the configured account.
	r = run(t, nil, "import", path)
	if r.code != 0 || !strings.Contains(r.out, `account "takeout"`) {
		t.Fatalf("default name: code %d out %q err %q", r.code, r.out, r.err)
	}
	r = run(t, nil)
	if got := strings.Join(accountNames(r.tui.Accounts), ","); got != "me,takeout" {
		t.Errorf("dashboard accounts %s, want me,takeout", got)
	}
	// A folder with nothing recognisable is a runtime error that says what
	// was looked for.
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "import", empty, "--account", "x")
	if r.code != ExitRuntime || !strings.Contains(r.err, "heart_rate-YYYY-MM-DD.json") {
		t.Errorf("empty folder: code %d err %q", r.code, r.err)
	}
}

// A damaged file is a warning naming it on stderr; the rest is imported.
func TestImportWarnsAboutDamagedFiles(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	or, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "runner", From: importFrom, To: importTo, Layout: takeouttest.FitbitExport})
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, or.Name, "user-site-export", "heart_rate-2024-02-01.json")
	if err := os.WriteFile(bad, []byte(`[{"dateTime":"02/01/24 00:00:00","value":{"bpm":6`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, "import", dir)
	if r.code != 0 {
		t.Fatalf("code %d err %q", r.code, r.err)
	}
	if !strings.Contains(r.err, "fittui: warning: skipped "+bad+": ") || !strings.Contains(r.err, "truncated") {
		t.Errorf("stderr %q does not name the damaged file", r.err)
	}
	if !strings.Contains(r.out, "Skipped 1 damaged or unreadable file(s):") {
		t.Errorf("report:\n%s", r.out)
	}
	// Not a terminal: no progress line.
	if strings.Contains(r.err, "importing [") {
		t.Errorf("progress drawn on a non-terminal: %q", r.err)
	}
}

func TestImportProgressOnATerminal(t *testing.T) {
	isolate(t)
	path, _ := writeTakeout(t)
	old := isTerminal
	isTerminal = func(any) bool { return true }
	defer func() { isTerminal = old }()
	r := run(t, nil, "import", path)
	if r.code != 0 || !strings.Contains(r.err, "importing [") || !strings.HasSuffix(r.err, "\r\x1b[K") {
		t.Errorf("code %d stderr %q", r.code, r.err)
	}
}

// An export without a profile, as the checked one: --time-zone gives the
// wearer's zone, the report says the clock of each file family, the
// units and what was read and left out; importing again says what
// changed.
func TestImportTimeZoneAndReport(t *testing.T) {
	isolate(t)
	from := providers.Date{Year: 2018, Month: time.March, Day: 30}
	to := from.AddDays(4)
	path := filepath.Join(t.TempDir(), "MyFitbitData.zip")
	or, err := takeouttest.WriteZip(path, takeouttest.Options{Persona: "office", From: from, To: to, Layout: takeouttest.FitbitExport,
		Zone: "Australia/Sydney", Pounds: true, NoProfile: true, ReadZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, "import", path, "--time-zone", "Mars/Olympus")
	if r.code != ExitUsage || !strings.Contains(r.err, "--time-zone") || !strings.Contains(r.err, "Australia/Sydney") {
		t.Errorf("unknown zone: code %d err %q", r.code, r.err)
	}
	// Without a zone: UTC is assumed, and the warning says which zone
	// the files point to.
	r = run(t, nil, "import", path, "--account", "aus")
	if r.code != 0 || !strings.Contains(r.out, "time zone UTC, assumed") ||
		!strings.Contains(r.err, "UTC is assumed") || !strings.Contains(r.err, "--time-zone Australia/Sydney") {
		t.Errorf("no zone: code %d out %s err %q", r.code, r.out, r.err)
	}
	r = run(t, nil, "import", path, "--account", "aus", "--time-zone", "Australia/Sydney")
	if r.code != 0 {
		t.Fatalf("code %d err %q", r.code, r.err)
	}
	for _, want := range []string{"time zone Australia/Sydney, from --time-zone", "weight in lb",
		"heart_rate  UTC", "start at local midnight in UTC (13:00 or 14:00 the day before)",
		"sleep, weight and the daily files are local time", "distance in centimetres", "weights in pounds",
		"the height file's 1.77 m", "Read, by file family:", "heart_rate-YYYY-MM-DD.json", "exercise-N.json",
		"Left out (fittui does not read these), by file family:", "README.txt", "floors", "exercise logs"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("report does not say %q:\n%s", want, r.out)
		}
	}
	if !strings.Contains(r.err, "rebuilt in Australia/Sydney") {
		t.Errorf("stderr %q does not say the account was rebuilt", r.err)
	}
	day := from.AddDays(2)
	r = run(t, nil, "today", "--json", "--account", "aus", "--date", day.String())
	var got struct {
		Steps      int      `json:"steps"`
		DistanceKm float64  `json:"distance_km"`
		Floors     *int     `json:"floors"`
		WeightKg   *float64 `json:"weight_kg"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("%v: %s", err, r.out)
	}
	want := or.Days[day]
	if got.Steps != want.Steps || got.DistanceKm < want.DistanceKm-0.006 || got.DistanceKm > want.DistanceKm+0.006 ||
		got.Floors == nil || *got.Floors != want.Floors {
		t.Errorf("today %s: %s\nwant %d steps, %.2f km, %d floors", day, r.out, want.Steps, want.DistanceKm, want.Floors)
	}
	if want.WeightKg > 0 && (got.WeightKg == nil || *got.WeightKg > 100) {
		t.Errorf("weight %v, want %.1f kg", got.WeightKg, want.WeightKg)
	}
	// The same archive again: nothing changed, and it says so.
	r = run(t, nil, "import", path, "--account", "aus")
	if r.code != 0 || !strings.Contains(r.out, "Nothing changed: all ") || strings.Contains(r.out, "Found:") ||
		!strings.Contains(r.out, "as imported before") {
		t.Errorf("second import: code %d out %s", r.code, r.out)
	}
}
