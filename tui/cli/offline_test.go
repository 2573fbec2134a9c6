package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/tui"
	"github.com/fittui/fittui/tui/engine"
)

// fitbitAt starts the fake Fitbit on a clock the test moves and points
// the configuration at it, with a signed-in account "fb".
func fitbitAt(t *testing.T) (*fitbittest.Server, func() time.Time, func(time.Duration)) {
	t.Helper()
	var mu sync.Mutex
	clock := fixedNow
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	fake := fitbittest.New(fitbittest.Config{ClientSecret: "s3cret", Now: now})
	t.Cleanup(fake.Close)
	for k, v := range map[string]string{"CLIENT_ID": fake.ClientID(), "CLIENT_SECRET": "s3cret",
		"TOKEN_URL": fake.TokenURL(), "API_URL": fake.URL} {
		t.Setenv("FITTUI_FITBIT_"+k, v)
	}
	seed(t, "fitbit", "fb", fake.Grant())
	return fake, now, func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
}

// dashboardOnce asks for account "fb" what the dashboard's first refresh
// asks (tui/engine): the profile, the day's summary and intraday series,
// its sleep and the weight lookback, through the same wiring.
func dashboardOnce(t *testing.T, now func() time.Time) providers.Date {
	t.Helper()
	a := &app{in: strings.NewReader(""), out: io.Discard, errOut: io.Discard, getenv: os.Getenv, now: now,
		runTUI: func(tui.Options) error { return nil }}
	setup, err := a.connect()
	if err != nil {
		t.Fatal(err)
	}
	list, err := setup.Accounts()
	if err != nil || len(list) != 1 {
		t.Fatalf("accounts %v %v", list, err)
	}
	o, err := setup.Open(list[0])
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prof := o.Source.ProfileAnswer(ctx, cache.Ask)
	if prof.Err != nil {
		t.Fatal(prof.Err)
	}
	day := providers.DateOf(now().In(prof.Value.Location))
	for _, err := range []error{
		o.Source.DaySummaryAnswer(ctx, cache.Ask, day).Err,
		o.Source.IntradayAnswer(ctx, cache.Ask, day).Err,
		o.Source.SleepAnswer(ctx, cache.Ask, day, day).Err,
		o.Source.DailySeriesAnswer(ctx, cache.Ask, day.AddDays(-(engine.WeightLookback - 1)), day).Err,
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return day
}

// TestTodayOfflineFromTheDashboardsCache: the day after the dashboard
// showed a day, with the provider unreachable, `today --date` shows that
// day from the cache (the command asks a longer weight lookback than the
// dashboard: the days it lacks are left out) and says it is offline; the
// export of a metric the dashboard showed works the same way.
func TestTodayOfflineFromTheDashboardsCache(t *testing.T) {
	isolate(t)
	fake, now, advance := fitbitAt(t)
	day := dashboardOnce(t, now)
	fake.Close()
	advance(26 * time.Hour)

	for _, args := range [][]string{
		{"today", "--account", "fb", "--date", day.String()},
		{"today", "--account", "fb", "--date", day.String(), "--json"},
	} {
		r := runWith(t, func(a *app) { a.now = now }, args...)
		if r.code != 0 || !strings.Contains(r.err, "fittui: fb: offline, last updated ") {
			t.Fatalf("%v offline: code %d\nstdout %s\nstderr %s", args, r.code, r.out, r.err)
		}
		if !strings.Contains(r.out, "Sleep") && !strings.Contains(r.out, `"sleep_minutes"`) {
			t.Fatalf("%v: %s", args, r.out)
		}
	}
	r := runWith(t, func(a *app) { a.now = now }, "export", "--account", "fb", "--metric", "heart", "--format", "csv",
		"--from", day.String(), "--to", day.String())
	recs, _ := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if r.code != 0 || len(recs) < 2 {
		t.Fatalf("heart export offline: code %d rows %d\n%s", r.code, len(recs), r.err)
	}
}

// TestTodayStalledProviderSaysOffline: when the provider stalls past the
// command's deadline, the cached data is printed with "offline, last
// updated HH:MM", every time (the audit saw no note in 2 of 3 runs: the
// deadline was recorded as the caller's, not the provider's).
func TestTodayStalledProviderSaysOffline(t *testing.T) {
	isolate(t)
	fake, now, advance := fitbitAt(t)
	if r := runWith(t, func(a *app) { a.now = now }, "today", "--account", "fb"); r.code != 0 || r.err != "" {
		t.Fatalf("online: %d %s", r.code, r.err)
	}
	advance(2 * time.Hour)
	fake.SetFault("", fitbittest.FaultStall, -1)
	for range 3 {
		r := runWith(t, func(a *app) { a.now = now; a.timeout = 300 * time.Millisecond }, "today", "--account", "fb")
		// The data is from 12:30 UTC, 07:30 in the account's New York.
		if r.code != 0 || !strings.Contains(r.err, "fittui: fb: offline, last updated 07:30") || !strings.Contains(r.out, "Steps") {
			t.Fatalf("stalled: code %d\nstdout %s\nstderr %s", r.code, r.out, r.err)
		}
	}
}

// TestTodayOfflineHistoryDay: a day the dashboard's history showed (its
// daily values only are cached) is shown offline from those: steps,
// resting heart rate and weight, the rest unknown, saying so; a day the
// cache does not hold at all fails, saying why.
func TestTodayOfflineHistoryDay(t *testing.T) {
	isolate(t)
	fake, now, advance := fitbitAt(t)
	day := dashboardOnce(t, now)
	fake.Close()
	advance(26 * time.Hour)
	past := day.AddDays(-5)
	want, _ := fake.Demo().DaySummary(context.Background(), past)
	r := runWith(t, func(a *app) { a.now = now }, "today", "--account", "fb", "--date", past.String(), "--json")
	var got struct {
		Steps      int      `json:"steps"`
		DistanceKm *float64 `json:"distance_km"`
		Resting    *int     `json:"resting_heart_rate"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.out), &got) != nil || got.Steps != want.Steps || got.DistanceKm != nil ||
		got.Resting == nil || *got.Resting != want.RestingHeartRate ||
		!strings.Contains(r.err, "offline, last updated") || !strings.Contains(r.err, "not in the cache: ") {
		t.Fatalf("code %d\nstdout %s\nstderr %s\nwant steps %d resting %d", r.code, r.out, r.err, want.Steps, want.RestingHeartRate)
	}
	r = runWith(t, func(a *app) { a.now = now }, "today", "--account", "fb", "--date", past.String())
	if r.code != 0 || !strings.Contains(r.out, "not in the cache (offline)") {
		t.Fatalf("text: %s", r.out)
	}
	r = runWith(t, func(a *app) { a.now = now }, "today", "--account", "fb", "--date", day.AddDays(-200).String())
	if r.code != 1 || !strings.Contains(r.err, "is not in the cache, and ") || !strings.Contains(r.err, "cannot reach the provider") {
		t.Fatalf("uncached day: %d %s", r.code, r.err)
	}
}

// TestExportOfflineFromTheDashboardsCache: offline, an export serves what
// the dashboard left in the cache: summaries of history days from their
// daily values (the rest null, said once), and a range running into a
// day nobody has stops at that day (not at the first day of its span),
// saying it is offline.
func TestExportOfflineFromTheDashboardsCache(t *testing.T) {
	isolate(t)
	fake, now, advance := fitbitAt(t)
	day := dashboardOnce(t, now)
	fake.Close()
	advance(26 * time.Hour)
	exp := func(args ...string) result {
		return runWith(t, func(a *app) { a.now = now }, append([]string{"export", "--account", "fb", "--format", "csv"}, args...)...)
	}
	r := exp("--metric", "summary", "--from", day.AddDays(-3).String(), "--to", day.String())
	recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if r.code != 0 || err != nil || len(recs) != 5 || !strings.Contains(r.err, "the summaries of some days") ||
		!strings.Contains(r.err, "fittui: fb: offline, last updated ") {
		t.Fatalf("summary: code %d\n%s\n%s", r.code, r.out, r.err)
	}
	want, _ := fake.Demo().DaySummary(context.Background(), day.AddDays(-3))
	if recs[1][1] != strconv.Itoa(want.Steps) || recs[1][2] != "" || recs[4][2] == "" {
		t.Fatalf("rows %v, want %d steps and no distance on the first day, the summary on the last", recs, want.Steps)
	}
	r = exp("--metric", "steps", "--resolution", "day", "--from", day.AddDays(-3).String())
	if r.code != 1 || !strings.Contains(r.err, "export stopped at "+day.AddDays(1).String()+": offline, and that day is not in the cache") {
		t.Fatalf("steps into today: code %d\n%s", r.code, r.err)
	}
}
