package googlehealth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/tui/cli/clitest"
	"github.com/fittui/fittui/tui/format"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
)

// todayJSON is `fittui today --json` (its keys are public interface).
type todayJSON struct {
	Account          string   `json:"account"`
	Provider         string   `json:"provider"`
	Date             string   `json:"date"`
	TimeZone         string   `json:"time_zone"`
	Steps            int      `json:"steps"`
	DistanceKm       float64  `json:"distance_km"`
	Calories         int      `json:"calories"`
	ActiveMinutes    int      `json:"active_minutes"`
	Floors           *int     `json:"floors"`
	RestingHeartRate *int     `json:"resting_heart_rate"`
	SleepMinutes     *int     `json:"sleep_minutes"`
	WeightKg         *float64 `json:"weight_kg"`
	Goals            struct {
		Steps         *int     `json:"steps"`
		DistanceKm    *float64 `json:"distance_km"`
		Calories      *int     `json:"calories"`
		ActiveMinutes *int     `json:"active_minutes"`
		Floors        *int     `json:"floors"`
	} `json:"goals"`
	LatestHeartRate *struct {
		BPM  int       `json:"bpm"`
		Time time.Time `json:"time"`
	} `json:"latest_heart_rate"`
}

// TestEndToEnd drives the real fittui binary against the fake: `fittui
// auth login googlehealth --no-browser` completed by a scripted browser,
// `fittui today --json` compared with the demo oracle, then the dashboard
// in tmux.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")
	// The fake's data clock stops one second before a whole minute, so the
	// last minute of heart rate is complete whenever the binary asks.
	frozen := time.Now().Truncate(time.Minute).Add(-time.Second)
	fake, env := signedIn(t, bin, googlehealthtest.Config{Persona: "office", Now: func() time.Time { return frozen }})
	loc := fake.Location()
	if l := frozen.In(loc); l.Hour() == 23 && l.Minute() >= 55 || l.Hour() == 0 && l.Minute() < 3 {
		t.Skip("too close to midnight in the account's zone")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	fake.ResetRequests()
	cmd := exec.CommandContext(ctx, bin, "today", "--json")
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("today: %v\n%s", err, stderr.String())
	}
	var got todayJSON
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("today --json: %v\n%s", err, raw)
	}
	oracle, _ := demo.New(providers.AccountSpec{Name: "o", Options: map[string]string{"persona": "office"}},
		providers.Env{Now: func() time.Time { return frozen }})
	today := providers.DateOf(frozen.In(loc))
	sum, _ := oracle.DaySummary(ctx, today)
	sleeps, _ := oracle.Sleep(ctx, today, today)
	days, _ := oracle.DailySeries(ctx, today.AddDays(-30), today)
	in, _ := oracle.Intraday(ctx, today)
	round2 := func(v float64) float64 { return math.Round(v*100) / 100 }

	if got.Account != "googlehealth" || got.Provider != "googlehealth" || got.Date != today.String() || got.TimeZone != loc.String() ||
		got.Steps != sum.Steps || got.DistanceKm != round2(sum.DistanceKm) || got.Calories != sum.Calories ||
		got.ActiveMinutes != sum.ActiveMinutes || got.Floors == nil || *got.Floors != sum.Floors ||
		got.RestingHeartRate == nil || *got.RestingHeartRate != sum.RestingHeartRate {
		t.Fatalf("today --json:\n%s\noracle summary %+v", raw, sum)
	}
	// Google has no goals.
	if got.Goals.Steps != nil || got.Goals.Calories != nil || got.Goals.DistanceKm != nil || got.Goals.ActiveMinutes != nil || got.Goals.Floors != nil {
		t.Fatalf("goals from nowhere: %s", raw)
	}
	for _, s := range sleeps {
		if s.Main && (got.SleepMinutes == nil || *got.SleepMinutes != int(s.Asleep/time.Minute)) {
			t.Fatalf("sleep %v, oracle %v", got.SleepMinutes, s.Asleep)
		}
	}
	weighed := false
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].WeightKg > 0 {
			weighed = true
			if got.WeightKg == nil || *got.WeightKg != round2(days[i].WeightKg) {
				t.Fatalf("weight %v, oracle %v", got.WeightKg, days[i].WeightKg)
			}
			break
		}
	}
	if !weighed {
		t.Fatal("the oracle has no weigh-in; the test lost its point")
	}
	// Latest heart rate: the mean of the last whole minute's readings, at
	// that minute, with the account's offset.
	minute := frozen.Add(time.Second).Add(-time.Minute)
	var total float64
	var k int
	for _, s := range in.HeartRate.Samples {
		if !s.Time.Before(minute) {
			total += s.Value
			k++
		}
	}
	if k != 60 || got.LatestHeartRate == nil || got.LatestHeartRate.BPM != int(math.Round(total/60)) ||
		!got.LatestHeartRate.Time.Equal(minute) {
		t.Fatalf("latest heart rate %+v, oracle %v at %v (%d readings)", got.LatestHeartRate, math.Round(total/60), minute, k)
	}
	if _, off := got.LatestHeartRate.Time.Zone(); func() bool { _, o := minute.In(loc).Zone(); return o != off }() {
		t.Fatalf("latest heart rate at %v lost the account's offset", got.LatestHeartRate.Time)
	}
	// The request budget holds for the binary too: nothing twice, and
	// settings, devices, 6 for the summary, 2 intraday, the 31-day
	// block's sleep pages and weight.
	all, _ := oracle.Sleep(ctx, today.AddDays(-30), today)
	want := 2 + 6 + 2 + (len(all)+24)/25 + 1
	seen := map[string]bool{}
	for _, r := range fake.Requests() {
		if r.Status != 200 || seen[r.Key()] {
			t.Fatalf("the binary's request %s got %d (or was sent twice)", r.Key(), r.Status)
		}
		seen[r.Key()] = true
	}
	if fake.Count() != want {
		t.Errorf("today --json made %d requests, want %d", fake.Count(), want)
	}
	t.Logf("today --json made %d requests:\n%s", fake.Count(), raw)

	// The dashboard in tmux shows the account, and q quits it.
	prof, _ := oracle.Profile(ctx)
	wants := []string{
		"googlehealth",
		format.Int(sum.Steps),
		fmt.Sprintf("%s %d%%", prof.Devices[0].Name, prof.Devices[0].BatteryPercent),
		fmt.Sprintf("%d bpm", got.LatestHeartRate.BPM),
		fmt.Sprintf("resting %d", sum.RestingHeartRate),
	}
	screen, ok := clitest.Dashboard(t, bin, env, wants)
	if !ok {
		t.Log("tmux not installed; dashboard step skipped")
		return
	}
	t.Logf("dashboard:\n%s", screen)
}

// TestEndToEndFailures: an account without Fitbit data, a revoked grant
// and a malformed answer make `fittui today` exit non-zero with a message
// that says what to do, and never print a secret.
func TestEndToEndFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")
	fake, env := signedIn(t, bin, googlehealthtest.Config{Persona: "runner"})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Each run starts from an empty cache: with cached data fittui shows
	// the last good data and says why on stderr instead (tui/cli's
	// TestTodayOfflineFromCache).
	today := func() (int, string) {
		clear := exec.CommandContext(ctx, bin, "cache", "clear")
		clear.Env = env
		if out, err := clear.CombinedOutput(); err != nil {
			t.Fatalf("cache clear: %v: %s", err, out)
		}
		cmd := exec.CommandContext(ctx, bin, "today", "--json")
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		for _, sec := range fake.OAuth.Secrets() {
			if strings.Contains(stderr.String(), sec) || strings.Contains(string(out), sec) {
				t.Fatal("a secret was printed")
			}
		}
		return code, stderr.String()
	}
	if code, msg := today(); code != 0 {
		t.Fatalf("healthy fake: exit %d: %s", code, msg)
	}
	fake.Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultMalformedJSON, Path: "/sleep/", Times: -1})
	if code, msg := today(); code == 0 || !strings.Contains(msg, "sleep") || !strings.Contains(msg, "JSON") {
		t.Fatalf("malformed sleep: exit %d: %s", code, msg)
	}
	fake.ClearFaults()
	fake.SetAccountNotLinked(true)
	if code, msg := today(); code == 0 || !strings.Contains(msg, "ACCOUNT_NOT_LINKED") || !strings.Contains(msg, "fittui auth login googlehealth") {
		t.Fatalf("not linked: exit %d: %s", code, msg)
	}
	fake.SetAccountNotLinked(false)
	fake.Revoke()
	if code, msg := today(); code == 0 || !strings.Contains(msg, "fittui auth login googlehealth") {
		t.Fatalf("revoked: exit %d: %s", code, msg)
	}
}

// signedIn starts a fake and signs in to it with `fittui auth login
// googlehealth --no-browser`, playing the browser with the fake's OAuth
// helper (consent, then the redirect to fittui's loopback callback on a
// port of fittui's choosing, as Google allows for desktop clients).
func signedIn(t *testing.T, bin string, cfg googlehealthtest.Config) (*googlehealthtest.Server, []string) {
	t.Helper()
	fake := googlehealthtest.New(cfg)
	t.Cleanup(fake.Close)
	env := clitest.Env(t, fake.Env()...)
	clitest.Login(t, bin, env, "googlehealth", fake.OAuth, fake.AuthURL())
	q := fake.OAuth.LastAuthorize()
	if q.Get("access_type") != "offline" || q.Get("code_challenge_method") != "S256" ||
		q.Get("scope") != strings.Join(googlehealthtest.Scopes, " ") {
		t.Fatalf("authorize request %v", q)
	}
	return fake, env
}
