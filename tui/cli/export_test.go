package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/tui"
	"github.com/fittui/fittui/tui/cli/clitest"
	"github.com/fittui/fittui/tui/export"
)

// exportfake is the demo's office persona with trouble on given days
// (options, each a date): fail (a sign-in error), limit (rate limited
// once, until the clock's now), cancel (the person presses Ctrl-C).
type exportFake struct {
	providers.Provider
	now                 func() time.Time
	fail, limit, cancel providers.Date
	mu                  sync.Mutex
	limited             bool
}

// cancelExport is what the fake's cancel option calls.
var cancelExport func()

func init() {
	providers.Register(providers.Registration{Name: "exportfake", Title: "export test",
		New: func(spec providers.AccountSpec, env providers.Env) (providers.Provider, error) {
			p, err := demo.New(providers.AccountSpec{Name: spec.Name, Options: map[string]string{"persona": "office"}}, env)
			if err != nil {
				return nil, err
			}
			f := &exportFake{Provider: p, now: env.Now}
			for key, d := range map[string]*providers.Date{"fail": &f.fail, "limit": &f.limit, "cancel": &f.cancel} {
				if v := spec.Options[key]; v != "" {
					if *d, err = providers.ParseDate(v); err != nil {
						return nil, err
					}
				}
			}
			return f, nil
		}})
}

func (f *exportFake) trouble(ctx context.Context, from, to providers.Date) error {
	in := func(d providers.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(to) }
	switch {
	case in(f.fail):
		return providers.ErrSignIn("exportfake", "fake", nil)
	case in(f.cancel):
		cancelExport()
		<-ctx.Done()
		return ctx.Err()
	case in(f.limit):
		f.mu.Lock()
		defer f.mu.Unlock()
		if !f.limited {
			f.limited = true
			return providers.ErrRateLimited("exportfake", f.now())
		}
	}
	return nil
}

func (f *exportFake) Intraday(ctx context.Context, d providers.Date) (providers.Intraday, error) {
	if err := f.trouble(ctx, d, d); err != nil {
		return providers.Intraday{}, err
	}
	return f.Provider.Intraday(ctx, d)
}

func (f *exportFake) DaySummary(ctx context.Context, d providers.Date) (providers.DaySummary, error) {
	if err := f.trouble(ctx, d, d); err != nil {
		return providers.DaySummary{}, err
	}
	return f.Provider.DaySummary(ctx, d)
}

// fakeAccount configures one exportfake account called "fake".
func fakeAccount(t *testing.T, options string) {
	t.Helper()
	writeConfig(t, "[[account]]\nname = \"fake\"\nprovider = \"exportfake\"\n[account.options]\n"+options+"\n")
}

// runCancel runs fittui in-process with a context cancelExport cancels.
func runCancel(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelExport = cancel
	t.Cleanup(func() { cancelExport = nil })
	var out, errOut bytes.Buffer
	a := &app{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: os.Getenv,
		now: func() time.Time { return fixedNow }, runTUI: func(tui.Options) error { return nil }}
	code := a.run(ctx, args)
	return result{out: out.String(), err: errOut.String(), code: code}
}

func demoProvider(t *testing.T, name string) (providers.Provider, *time.Location) {
	t.Helper()
	for _, spec := range demo.Accounts() {
		if spec.Name == name {
			p, err := providers.Open(spec, providers.Env{Now: func() time.Time { return fixedNow }})
			if err != nil {
				t.Fatal(err)
			}
			prof, err := p.Profile(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return p, prof.Location
		}
	}
	t.Fatalf("no demo account %q", name)
	return nil, nil
}

// exportOK runs an export that must succeed quietly and returns its CSV
// records (header first).
func exportOK(t *testing.T, args ...string) [][]string {
	t.Helper()
	r := run(t, nil, append([]string{"export", "--format", "csv"}, args...)...)
	if r.code != 0 || r.err != "" {
		t.Fatalf("%v: code %d stderr %q", args, r.code, r.err)
	}
	recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%v: not CSV: %v\n%s", args, err, r.out)
	}
	return recs
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q is not a whole number", s)
	}
	return n
}

func parseTime(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	_, off := at.Zone()
	if _, want := at.In(loc).Zone(); off != want {
		t.Errorf("%s has offset %d, the account's zone says %d", s, off, want)
	}
	return at
}

// Steps per day, and 15-minute steps added up per day, equal the demo's
// own day summaries in every persona's zone.
func TestExportStepsMatchDemo(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	for _, spec := range demo.Accounts() {
		t.Run(spec.Name, func(t *testing.T) {
			p, loc := demoProvider(t, spec.Name)
			days := exportOK(t, "--demo", "--account", spec.Name, "--metric", "steps", "--resolution", "day", "--from", "2026-01-10", "--to", "2026-01-16")
			quarters := exportOK(t, "--demo", "--account", spec.Name, "--metric", "steps", "--from", "2026-01-10", "--to", "2026-01-16")
			if got := strings.Join(quarters[0], ","); got != "time,steps" {
				t.Errorf("15min header %q", got)
			}
			perDay := map[string]int{}
			for _, rec := range quarters[1:] {
				at := parseTime(t, rec[0], loc)
				if at.Minute()%15 != 0 || at.Second() != 0 {
					t.Errorf("%s is not on a quarter hour", rec[0])
				}
				perDay[providers.DateOf(at.In(loc)).String()] += atoi(t, rec[1])
			}
			if len(days) != 8 || strings.Join(days[0], ",") != "date,steps" {
				t.Fatalf("day rows %v", days)
			}
			for _, rec := range days[1:] {
				d, _ := providers.ParseDate(rec[0])
				sum, err := p.DaySummary(ctx, d)
				if err != nil {
					t.Fatal(err)
				}
				if atoi(t, rec[1]) != sum.Steps || perDay[rec[0]] != sum.Steps {
					t.Errorf("%s: day row %s, 15-minute rows add up to %d, summary says %d", rec[0], rec[1], perDay[rec[0]], sum.Steps)
				}
			}
		})
	}
}

// Heart rate: minute rows account for every reading; the day row's
// resting heart rate is the summary's; 1sec gives the readings as they are.
func TestExportHeartMatchesDemo(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	p, loc := demoProvider(t, "runner")
	day := providers.Date{Year: 2026, Month: time.January, Day: 12}
	in, err := p.Intraday(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	hr := in.HeartRate.Samples
	mins := exportOK(t, "--demo", "--account", "runner", "--metric", "heart", "--from", day.String(), "--to", day.String())
	n := 0
	for _, rec := range mins[1:] {
		n += atoi(t, rec[4])
	}
	if n != len(hr) || len(mins) != 1+1440 {
		t.Errorf("%d minute rows hold %d readings; the day has %d", len(mins)-1, n, len(hr))
	}
	var sum float64
	for _, s := range hr[:60] {
		sum += s.Value
	}
	if got, _ := strconv.ParseFloat(mins[1][1], 64); math.Abs(got-sum/60) > 0.005 || !parseTime(t, mins[1][0], loc).Equal(day.In(loc)) {
		t.Errorf("first minute %v, want mean %.2f at %v", mins[1], sum/60, day.In(loc))
	}

	secs := exportOK(t, "--demo", "--account", "runner", "--metric", "heart", "--resolution", "1sec", "--from", day.String(), "--to", day.String())
	if len(secs) != 1+len(hr) {
		t.Fatalf("%d 1sec rows for %d readings", len(secs)-1, len(hr))
	}
	for _, i := range []int{0, 12345, len(hr) - 1} {
		if at := parseTime(t, secs[1+i][0], loc); !at.Equal(hr[i].Time.Truncate(time.Second)) || secs[1+i][1] != strconv.Itoa(int(hr[i].Value)) {
			t.Errorf("row %d %v, reading %v", i, secs[1+i], hr[i])
		}
	}

	daily := exportOK(t, "--demo", "--account", "runner", "--metric", "heart", "--resolution", "day", "--from", day.String(), "--to", day.String())
	sumDay, err := p.DaySummary(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if got := daily[1]; got[0] != day.String() || atoi(t, got[1]) != sumDay.RestingHeartRate || atoi(t, got[5]) != len(hr) {
		t.Errorf("day row %v; resting %d, %d readings", got, sumDay.RestingHeartRate, len(hr))
	}
}

func TestExportSleepMatchesDemo(t *testing.T) {
	isolate(t)
	p, loc := demoProvider(t, "nightshift")
	from, to := providers.Date{Year: 2026, Month: time.January, Day: 1}, providers.Date{Year: 2026, Month: time.January, Day: 14}
	sessions, err := p.Sleep(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	recs := exportOK(t, "--demo", "--account", "nightshift", "--metric", "sleep", "--from", from.String(), "--to", to.String())
	if len(recs) != 1+len(sessions) || len(sessions) == 0 {
		t.Fatalf("%d rows for %d sessions", len(recs)-1, len(sessions))
	}
	for i, s := range sessions {
		rec := recs[1+i]
		if rec[0] != s.Date.String() || !parseTime(t, rec[1], loc).Equal(s.Start) || !parseTime(t, rec[2], loc).Equal(s.End) ||
			rec[3] != strconv.FormatBool(s.Main) || atoi(t, rec[4]) != int(s.Asleep/time.Minute) {
			t.Errorf("row %v for session %+v", rec, s)
		}
	}
	segs := exportOK(t, "--demo", "--account", "nightshift", "--metric", "sleep", "--resolution", "1min", "--from", from.String(), "--to", to.String())
	n := 0
	for _, s := range sessions {
		n += len(s.Segments)
	}
	if len(segs) != 1+n {
		t.Errorf("%d segment rows for %d segments", len(segs)-1, n)
	}
}

// CSV and JSON carry the same rows; JSON keys are the CSV header, in order.
func TestExportCSVAndJSONAgree(t *testing.T) {
	isolate(t)
	for _, metric := range []string{"heart", "steps", "sleep", "weight", "summary"} {
		args := []string{"export", "--demo", "--account", "office", "--metric", metric, "--from", "2026-01-17", "--to", "2026-01-19"}
		c := run(t, nil, append(args, "--format", "csv")...)
		j := run(t, nil, append(args, "--format", "json")...)
		if c.code != 0 || j.code != 0 || c.err+j.err != "" {
			t.Fatalf("%s: codes %d %d stderr %q %q", metric, c.code, j.code, c.err, j.err)
		}
		recs, err := csv.NewReader(strings.NewReader(c.out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var objs []json.RawMessage
		if err := json.Unmarshal([]byte(j.out), &objs); err != nil {
			t.Fatalf("%s: not a JSON array: %v", metric, err)
		}
		if len(objs) != len(recs)-1 || len(objs) == 0 {
			t.Fatalf("%s: %d objects, %d CSV rows", metric, len(objs), len(recs)-1)
		}
		for i, raw := range objs {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			dec.Token() // {
			var keys, vals []string
			for dec.More() {
				k, _ := dec.Token()
				v, _ := dec.Token()
				keys = append(keys, k.(string))
				switch v := v.(type) {
				case nil:
					vals = append(vals, "")
				default:
					vals = append(vals, fmt.Sprint(v))
				}
			}
			if !slices.Equal(keys, recs[0]) {
				t.Fatalf("%s: keys %v, header %v", metric, keys, recs[0])
			}
			if !slices.Equal(vals, recs[1+i]) {
				t.Errorf("%s row %d: JSON %v, CSV %v", metric, i, vals, recs[1+i])
			}
		}
	}
}

// Without --to the export runs to today (which ends now).
func TestExportToDefaultsToToday(t *testing.T) {
	isolate(t)
	recs := exportOK(t, "--demo", "--account", "runner", "--metric", "summary", "--from", "2026-01-18")
	if len(recs) != 4 || recs[3][0] != "2026-01-20" {
		t.Errorf("rows %v, want 2026-01-18..20", recs)
	}
}

func TestExportToFile(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "steps.json")
	args := []string{"export", "--demo", "--account", "office", "--metric", "steps", "--from", "2026-01-05", "--to", "2026-01-09", "--format", "json"}
	want := run(t, nil, args...)
	r := run(t, nil, append(args, "-o", path)...)
	if r.code != 0 || r.out != "" || r.err != "" {
		t.Fatalf("code %d stdout %q stderr %q", r.code, r.out, r.err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != want.out || want.code != 0 {
		t.Errorf("file differs from standard output (%v)", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	// Again into the same file: replaced whole.
	r = run(t, nil, "export", "--demo", "--account", "office", "--metric", "weight", "--from", "2026-01-05", "--format", "csv", "--output", path)
	if b, _ := os.ReadFile(path); r.code != 0 || !strings.HasPrefix(string(b), "date,weight_kg\n") {
		t.Errorf("overwrite: code %d, file %q", r.code, b)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"steps.json"}) {
		t.Errorf("folder holds %v", got)
	}
	// -o - is standard output.
	if r := run(t, nil, append(args, "-o", "-")...); r.out != want.out {
		t.Error("-o - is not standard output")
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// A provider failing on the third day: the export stops, says where and
// why, and leaves no file (an older file of that name stays as it was).
func TestExportFailureLeavesNoFile(t *testing.T) {
	isolate(t)
	fakeAccount(t, `fail = "2026-01-03"`)
	dir := t.TempDir()
	for _, old := range []bool{false, true} {
		path := filepath.Join(dir, "heart.csv")
		if old {
			os.WriteFile(path, []byte("old"), 0o600)
		}
		r := run(t, nil, "export", "--account", "fake", "--metric", "heart", "--from", "2026-01-01", "--to", "2026-01-05", "--format", "csv", "-o", path)
		want := `fittui: export stopped at 2026-01-03: exportfake: account "fake" needs signing in again: run ` + "`fittui auth login exportfake --account fake`\n" +
			"fittui: nothing was written to " + path + "\n"
		if r.code != 1 || r.err != want {
			t.Errorf("code %d stderr %q\nwant %q", r.code, r.err, want)
		}
		b, err := os.ReadFile(path)
		switch {
		case old && string(b) != "old":
			t.Errorf("the older file now holds %q (%v)", b, err)
		case !old && !os.IsNotExist(err):
			t.Errorf("a file was left: %v", err)
		}
		if got := names(t, dir); len(got) != map[bool]int{false: 0, true: 1}[old] {
			t.Errorf("folder holds %v", got)
		}
	}
}

func TestExportInterrupted(t *testing.T) {
	isolate(t)
	fakeAccount(t, `cancel = "2026-01-03"`)
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.json")
	r := runCancel(t, "export", "--account", "fake", "--metric", "summary", "--from", "2026-01-01", "--to", "2026-01-05", "--format", "json", "-o", path)
	want := "fittui: export interrupted at 2026-01-03\nfittui: nothing was written to " + path + "\n"
	if r.code != 1 || r.err != want {
		t.Errorf("code %d stderr %q\nwant %q", r.code, r.err, want)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("folder holds %v", got)
	}
}

// Rate limited on day two: the export says so, waits until the time given
// (here: now, so the test does not wait) and finishes with every row.
func TestExportRateLimitWaits(t *testing.T) {
	isolate(t)
	var waits []time.Time
	old := waitUntil
	waitUntil = func(ctx context.Context, now func() time.Time, until time.Time) error {
		waits = append(waits, until)
		return nil
	}
	t.Cleanup(func() { waitUntil = old })

	want := run(t, nil, "export", "--demo", "--account", "office", "--metric", "heart", "--from", "2026-01-01", "--to", "2026-01-03", "--format", "csv")
	fakeAccount(t, `limit = "2026-01-02"`)
	r := run(t, nil, "export", "--account", "fake", "--metric", "heart", "--from", "2026-01-01", "--to", "2026-01-03", "--format", "csv")
	if r.code != 0 || r.err != "rate limit reached: waiting until 12:30 (Ctrl-C stops)\n" {
		t.Errorf("code %d stderr %q", r.code, r.err)
	}
	if r.out != want.out || want.code != 0 {
		t.Error("output differs from the same export without the rate limit")
	}
	if len(waits) != 1 || !waits[0].Equal(fixedNow) {
		t.Errorf("waited until %v, want once until %v", waits, fixedNow)
	}
}

// With stderr on a terminal a progress bar is drawn there and erased at
// the end, unless the rows go to the same terminal; elsewhere stderr
// stays empty.
func TestExportProgressBar(t *testing.T) {
	isolate(t)
	old := isTerminal
	t.Cleanup(func() { isTerminal = old })
	args := []string{"export", "--demo", "--account", "office", "--metric", "steps", "--from", "2026-01-01", "--to", "2026-01-10", "--format", "csv"}
	for _, tc := range []struct {
		name         string
		stdoutIsTerm bool
		stderrIsTerm bool
		bar          bool
	}{{"stderr on a terminal", false, true, true}, {"both on a terminal", true, true, false}, {"no terminal", false, false, false}} {
		var mu sync.Mutex
		tick := fixedNow
		r := runWith(t, func(a *app) {
			a.now = func() time.Time { // a second passes every time anyone looks
				mu.Lock()
				defer mu.Unlock()
				tick = tick.Add(time.Second)
				return tick
			}
			isTerminal = func(w any) bool { return (w == a.out && tc.stdoutIsTerm) || (w == a.errOut && tc.stderrIsTerm) }
		}, args...)
		if r.code != 0 || strings.Contains(r.out, "\r") || !strings.HasPrefix(r.out, "time,steps\n") {
			t.Errorf("%s: code %d stdout %q", tc.name, r.code, r.out[:min(len(r.out), 80)])
		}
		drawn := strings.Contains(r.err, "\rsteps 15min  ") && strings.Contains(r.err, "10/10 days") && strings.HasSuffix(r.err, "\r\x1b[K")
		if drawn != tc.bar || (!tc.bar && r.err != "") {
			t.Errorf("%s: stderr %q", tc.name, r.err)
		}
	}
}

func TestExportUsageErrors(t *testing.T) {
	isolate(t)
	base := func(over ...string) []string {
		args := map[string]string{"--account": "office", "--metric": "heart", "--from": "2026-01-10", "--format": "csv"}
		for i := 0; i+1 < len(over); i += 2 {
			args[over[i]] = over[i+1]
		}
		out := []string{"export", "--demo"}
		for _, k := range []string{"--account", "--metric", "--from", "--to", "--resolution", "--format", "-o"} {
			if v, ok := args[k]; ok && v != "" {
				out = append(out, k, v)
			}
		}
		return out
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{base("--metric", "pulse"), 2, `fittui: --metric: "pulse" is not a metric: use heart, steps, sleep, weight or summary` + "\n"},
		{base("--metric", "steps", "--resolution", "1sec"), 2, "fittui: --resolution: steps cannot be exported at 1sec: steps are counted per minute at the finest; use 1min, 15min or day\n"},
		{base("--metric", "weight", "--resolution", "15min"), 2, "fittui: --resolution: weight cannot be exported at 15min: it is one value per day; use day\n"},
		{base("--resolution", "hourly"), 2, `fittui: --resolution: "hourly" is not a resolution: use 1sec, 1min, 15min or day` + "\n"},
		{base("--format", "xlsx"), 2, `fittui: --format: "xlsx" is not a format: use csv or json` + "\n"},
		{base("--from", "2026-02-30"), 2, `fittui: --from: "2026-02-30" is not a date in the form YYYY-MM-DD` + "\n"},
		{base("--to", "soon"), 2, `fittui: --to: "soon" is not a date in the form YYYY-MM-DD` + "\n"},
		{base("--to", "2026-01-09"), 2, "fittui: --to 2026-01-09 is before --from 2026-01-10\n"},
		{base("--from", "2026-01-21"), 2, `fittui: --from 2026-01-21 is in the future: today is 2026-01-20 in America/New_York, account "office"'s time zone` + "\n"},
		{base("--to", "2026-02-01"), 2, `fittui: --to 2026-02-01 is in the future: today is 2026-01-20`},
		{base("--account", "bob"), 2, `fittui: no account named "bob" (accounts: `},
		{base("--account", ""), 2, `fittui: required flag(s) "account" not set` + "\nfittui: Run 'fittui export --help' for usage.\n"},
		{[]string{"export", "--demo", "--account", "office"}, 2, `fittui: required flag(s) "format", "from", "metric" not set`},
		{base("-o", filepath.Join(dir, "no", "such", "folder.csv")), 1, "fittui: cannot write " + filepath.Join(dir, "no", "such", "folder.csv") + ": no such file or directory\n"},
		{base("-o", dir), 1, "fittui: " + dir + " is a folder: name a file to write\n"},
		{append(base(), "extra"), 2, `fittui: unknown command "extra" for "fittui export"`},
	} {
		r := run(t, nil, tc.args...)
		if r.code != tc.code || !strings.HasPrefix(r.err, tc.err) || r.out != "" {
			t.Errorf("%v:\ncode %d stderr %q\nwant %d %q", tc.args[2:], r.code, r.err, tc.code, tc.err)
		}
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("folder holds %v", got)
	}
}

func TestExportHelpListsFields(t *testing.T) {
	isolate(t)
	r := run(t, nil, "export", "--help")
	for _, want := range []string{"--account NAME", "--metric heart|steps|sleep|weight|summary", "--from YYYY-MM-DD", "--to YYYY-MM-DD",
		"--resolution 1sec|1min|15min|day", "--format csv|json", "-o, --output FILE", "bpm_mean", "resting_heart_rate", "weight_kg", "goal_floors"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// The real binary, stopped by SIGTERM in the middle of a long export,
// leaves neither the file nor its temporary file behind.
func TestExportBinaryTerminated(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	bin := clitest.Binary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "heart.csv")

	cmd := exec.Command(bin, "export", "--demo", "--account", "runner", "--metric", "steps", "--resolution", "day",
		"--from", "2025-12-01", "--to", "2025-12-31", "--format", "csv", "-o", path)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("export: %v %s", err, out)
	}
	if b, err := os.ReadFile(path); err != nil || strings.Count(string(b), "\n") != 32 {
		t.Fatalf("file: %v\n%s", err, b)
	}
	os.Remove(path)

	// Ten years of 1-second readings: minutes of work, stopped early.
	var stderr bytes.Buffer
	cmd = exec.Command(bin, "export", "--demo", "--account", "runner", "--metric", "heart", "--resolution", "1sec",
		"--from", "2016-01-01", "--format", "csv", "-o", path)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the temporary file to grow, so the signal lands mid-write.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if es, _ := os.ReadDir(dir); len(es) == 1 {
			if info, err := es[0].Info(); err == nil && info.Size() > 1<<20 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no temporary file grew in %s: %v", dir, names(t, dir))
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	if exitCode(err) != 1 || !strings.Contains(stderr.String(), "fittui: export interrupted at ") ||
		!strings.Contains(stderr.String(), "fittui: nothing was written to "+path) {
		t.Errorf("exit %d stderr %q", exitCode(err), stderr.String())
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// A Fitbit account through the cache and the account's rate budget: the
// export fills the budget, waits for the next hour (the test's clock jumps
// there), finishes with every day, and a second export of the same days
// comes from the cache without a single request.
func TestExportFitbitThroughCacheAndBudget(t *testing.T) {
	isolate(t)
	var mu sync.Mutex
	clock := fixedNow // 12:30 UTC
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	fake := fitbittest.New(fitbittest.Config{ClientSecret: "s3cret", Now: now})
	t.Cleanup(fake.Close)
	for k, v := range map[string]string{"CLIENT_ID": fake.ClientID(), "CLIENT_SECRET": "s3cret",
		"TOKEN_URL": fake.TokenURL(), "API_URL": fake.URL} {
		t.Setenv("FITTUI_FITBIT_"+k, v)
	}
	seed(t, "fitbit", "fb", fake.Grant())
	var waits []time.Time
	old := waitUntil
	waitUntil = func(ctx context.Context, _ func() time.Time, until time.Time) error {
		waits = append(waits, until)
		mu.Lock()
		clock = until // the hour has passed
		mu.Unlock()
		return nil
	}
	t.Cleanup(func() { waitUntil = old })
	exportFB := func(args ...string) result {
		return runWith(t, func(a *app) { a.now = now }, append([]string{"export", "--account", "fb", "--format", "csv"}, args...)...)
	}

	// Steps per day equal the served persona's own summaries.
	r := exportFB("--metric", "steps", "--resolution", "day", "--from", "2026-01-05", "--to", "2026-01-11")
	if r.code != 0 || r.err != "" {
		t.Fatalf("steps: code %d stderr %q", r.code, r.err)
	}
	recs, _ := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if len(recs) != 8 {
		t.Fatalf("steps rows %v", recs)
	}
	for _, rec := range recs[1:] {
		d, _ := providers.ParseDate(rec[0])
		sum, err := fake.Demo().DaySummary(context.Background(), d)
		if err != nil || atoi(t, rec[1]) != sum.Steps {
			t.Errorf("%s: %s steps, Fitbit's data says %d (%v)", rec[0], rec[1], sum.Steps, err)
		}
	}

	// Someone else's app has spent most of this hour's 150 requests.
	fake.SetRateLimit(150, 140)
	sent := fake.APIRequests("")
	args := []string{"--metric", "heart", "--from", "2026-01-01", "--to", "2026-01-14"}
	r = exportFB(args...)
	if r.code != 0 {
		t.Fatalf("heart: code %d stderr %q", r.code, r.err)
	}
	if want := "rate limit reached: waiting until "; !strings.HasPrefix(r.err, want) ||
		!strings.Contains(r.err, " (what is fetched so far is cached; Ctrl-C stops)\n") || len(waits) == 0 {
		t.Errorf("stderr %q after %d waits", r.err, len(waits))
	}
	if len(waits) > 0 && !waits[0].Equal(fixedNow.Truncate(time.Hour).Add(time.Hour)) {
		t.Errorf("first wait until %v, want the top of the hour", waits[0])
	}
	days := map[string]bool{}
	recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		days[rec[0][:10]] = true
	}
	if len(days) != 14 {
		t.Errorf("rows cover %d days, want 14", len(days))
	}
	if fake.APIRequests("") == sent {
		t.Fatal("nothing was asked of Fitbit")
	}

	before := len(fake.Requests())
	again := exportFB(args...)
	if again.code != 0 || again.out != r.out || again.err != "" {
		t.Errorf("second export: code %d stderr %q, same output %v", again.code, again.err, again.out == r.out)
	}
	for _, req := range fake.Requests()[before:] {
		// The profile (time zone) is re-read after half an hour; the days
		// are settled and come from the cache.
		if !req.OAuth && !strings.HasSuffix(req.Path, "/profile.json") && !strings.HasSuffix(req.Path, "/devices.json") {
			t.Errorf("the second export asked for %s", req.Path)
		}
	}
}

// Sleep minutes mean the main sleep in `today` and `export --metric
// summary` alike; naps are nap_minutes in both (JSON key and CSV column).
func TestSleepMinutesAreTheMainSleepEverywhere(t *testing.T) {
	isolate(t)
	p, err := demo.New(providers.AccountSpec{Name: "nightshift", Provider: demo.Name, Options: map[string]string{"persona": "nightshift"}},
		providers.Env{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	from := providers.DateOf(fixedNow).AddDays(-20)
	sleeps, err := p.Sleep(ctx, from, providers.DateOf(fixedNow).AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	var day providers.Date
	main, naps := 0, 0
	for _, s := range sleeps {
		if !s.Main {
			day = s.Date
		}
	}
	if day.IsZero() {
		t.Fatal("no nap in 20 days of the night-shift persona")
	}
	for _, s := range sleeps {
		switch {
		case s.Date != day:
		case s.Main:
			main += int(s.Asleep / time.Minute)
		default:
			naps += int(s.Asleep / time.Minute)
		}
	}
	r := run(t, nil, "today", "--demo", "--account", "nightshift", "--date", day.String(), "--json")
	var today struct {
		Sleep *int `json:"sleep_minutes"`
		Naps  *int `json:"nap_minutes"`
	}
	if err := json.Unmarshal([]byte(r.out), &today); err != nil || today.Sleep == nil || *today.Sleep != main || today.Naps == nil || *today.Naps != naps {
		t.Fatalf("today: %s (%v), want sleep %d naps %d", r.out, err, main, naps)
	}
	j := run(t, nil, "export", "--demo", "--account", "nightshift", "--metric", "summary", "--from", day.String(), "--to", day.String(), "--format", "json")
	var rows []struct {
		Sleep *int `json:"sleep_minutes"`
		Naps  *int `json:"nap_minutes"`
	}
	if err := json.Unmarshal([]byte(j.out), &rows); err != nil || len(rows) != 1 || rows[0].Sleep == nil || *rows[0].Sleep != main ||
		rows[0].Naps == nil || *rows[0].Naps != naps {
		t.Fatalf("export summary: %s (%v), want sleep %d naps %d", j.out, err, main, naps)
	}
	recs := exportOK(t, "--demo", "--account", "nightshift", "--metric", "summary", "--from", day.String(), "--to", day.String())
	col := slices.Index(recs[0], "nap_minutes")
	if col < 0 || recs[1][col] != strconv.Itoa(naps) || recs[1][slices.Index(recs[0], "sleep_minutes")] != strconv.Itoa(main) {
		t.Errorf("CSV header %v row %v, want sleep %d naps %d", recs[0], recs[1], main, naps)
	}
}

// The health metrics export what the demo provider says, and the
// workouts' columns are the keys of `today --json`'s workouts.
func TestExportHealthMatchesDemo(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	if strings.Join(export.WorkoutColumns, ",") != strings.Join(workoutKeys, ",") {
		t.Fatalf("export's workout columns %v, today's workout keys %v", export.WorkoutColumns, workoutKeys)
	}
	p, loc := demoProvider(t, "runner")
	h, _ := providers.HealthOf(p)
	from, to := providers.Date{Year: 2026, Month: time.January, Day: 10}, providers.Date{Year: 2026, Month: time.January, Day: 16}
	days, err := h.Health(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	hrv := exportOK(t, "--demo", "--account", "runner", "--metric", "hrv", "--from", from.String(), "--to", to.String())
	if len(hrv) != 8 || strings.Join(hrv[0], ",") != "date,hrv_ms" {
		t.Fatalf("hrv rows %v", hrv)
	}
	for i, rec := range hrv[1:] {
		if rec[0] != days[i].Date.String() || rec[1] != strconv.FormatFloat(*days[i].HRV, 'f', -1, 64) {
			t.Errorf("hrv row %v, want %s %v", rec, days[i].Date, *days[i].HRV)
		}
	}
	zones := exportOK(t, "--demo", "--account", "runner", "--metric", "zones", "--resolution", "1min", "--from", from.String(), "--to", from.String())
	earned := 0
	for _, rec := range zones[1:] {
		parseTime(t, rec[0], loc)
		earned += atoi(t, rec[4])
	}
	if earned != days[0].ZoneMinutes.Total() || earned == 0 {
		t.Errorf("zone minutes per minute add up to %d, the day's are %d", earned, days[0].ZoneMinutes.Total())
	}
	ws, _ := h.Workouts(ctx, from, to)
	rows := exportOK(t, "--demo", "--account", "runner", "--metric", "workouts", "--from", from.String(), "--to", to.String())
	if strings.Join(rows[0], ",") != strings.Join(workoutKeys, ",") || len(rows) != len(ws)+1 || len(ws) < 7 {
		t.Fatalf("workout rows %v for %d workouts", rows, len(ws))
	}
	for i, rec := range rows[1:] {
		if w := ws[i]; rec[0] != string(w.Type) || rec[1] != w.Name || !parseTime(t, rec[2], loc).Equal(w.Start) || atoi(t, rec[6]) != *w.Steps {
			t.Errorf("workout row %v, want %+v", rec, w)
		}
	}
	// The night-shift tracker has no SpO2 sensor: no rows, no error.
	if recs := exportOK(t, "--demo", "--account", "nightshift", "--metric", "spo2", "--from", from.String(), "--to", to.String()); len(recs) != 1 {
		t.Errorf("nightshift SpO2 rows %v", recs)
	}
}
