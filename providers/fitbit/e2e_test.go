package fitbit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/tui/cli/clitest"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/tui/format"
)

// TestEndToEnd drives the real fittui binary against the fake Fitbit API:
// `fittui auth login fitbit` completed by a scripted browser, `fittui
// today --json` compared with the demo oracle, then the dashboard in tmux.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")

	// The fake's data clock is frozen at the start so the oracle sees what
	// the binary saw; skip close to midnight in the account's zone.
	frozen := time.Now().Truncate(time.Second)
	fake, env := signedIn(t, bin, fitbittest.Config{Persona: "office", Now: func() time.Time { return frozen },
		ClientSecret: "e2e-secret"})
	if l := frozen.In(fake.Location()); l.Hour() == 23 && l.Minute() >= 55 || l.Hour() == 0 && l.Minute() < 2 {
		t.Skip("too close to midnight in the account's zone")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// 2. fittui today --json against the oracle.
	cmd := exec.CommandContext(ctx, bin, "today", "--json")
	cmd.Env = env
	raw, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("today: %v\n%s", err, msg)
	}
	var got struct {
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
			Steps *int `json:"steps"`
		} `json:"goals"`
		LatestHeartRate *struct {
			BPM  int       `json:"bpm"`
			Time time.Time `json:"time"`
		} `json:"latest_heart_rate"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("today --json: %v\n%s", err, raw)
	}
	oracle, _ := demo.New(providers.AccountSpec{Name: "o", Options: map[string]string{"persona": "office"}},
		providers.Env{Now: func() time.Time { return frozen }})
	loc := fake.Location()
	today := providers.DateOf(frozen.In(loc))
	sum, _ := oracle.DaySummary(ctx, today)
	sleeps, _ := oracle.Sleep(ctx, today, today)
	days, _ := oracle.DailySeries(ctx, today.AddDays(-30), today)
	in, _ := oracle.Intraday(ctx, today)
	if got.Account != "fitbit" || got.Provider != "fitbit" || got.Date != today.String() || got.TimeZone != loc.String() ||
		got.Steps != sum.Steps || got.DistanceKm != math.Round(sum.DistanceKm*100)/100 || got.Calories != sum.Calories ||
		got.ActiveMinutes != sum.ActiveMinutes || got.Floors == nil || *got.Floors != sum.Floors ||
		got.RestingHeartRate == nil || *got.RestingHeartRate != sum.RestingHeartRate ||
		got.Goals.Steps == nil || *got.Goals.Steps != sum.Goals.Steps {
		t.Fatalf("today --json:\n%s\noracle summary %+v", raw, sum)
	}
	for _, s := range sleeps {
		if s.Main && (got.SleepMinutes == nil || *got.SleepMinutes != int(s.Asleep/time.Minute)) {
			t.Fatalf("sleep %v, oracle %v", got.SleepMinutes, s.Asleep)
		}
	}
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].WeightKg > 0 {
			if got.WeightKg == nil || *got.WeightKg != days[i].WeightKg {
				t.Fatalf("weight %v, oracle %v", got.WeightKg, days[i].WeightKg)
			}
			break
		}
	}
	// Latest heart rate: the mean of the last minute's 1-second readings.
	if n := len(in.HeartRate.Samples); n > 0 {
		last := in.HeartRate.Samples[n-1].Time
		start := today.In(loc)
		minute := start.Add(last.Sub(start).Truncate(time.Minute))
		var total float64
		var k int
		for _, s := range in.HeartRate.Samples {
			if !s.Time.Before(minute) {
				total += s.Value
				k++
			}
		}
		if got.LatestHeartRate == nil || got.LatestHeartRate.BPM != int(math.Round(total/float64(k))) || !got.LatestHeartRate.Time.Equal(minute) {
			t.Fatalf("latest heart rate %+v, oracle %v at %v", got.LatestHeartRate, math.Round(total/float64(k)), minute)
		}
	}

	// 3. The dashboard in tmux shows the account's steps, and q quits it.
	prof, _ := oracle.Profile(ctx)
	wants := []string{
		"Today · fitbit",
		format.Int(sum.Steps) + " / " + format.Int(sum.Goals.Steps),
		fmt.Sprintf("%s %d%%", prof.Devices[0].Name, prof.Devices[0].BatteryPercent),
		fmt.Sprintf("%d bpm", got.LatestHeartRate.BPM),
		fmt.Sprintf("resting %d", sum.RestingHeartRate),
	}
	screen, ok := clitest.Dashboard(t, bin, env, wants)
	if !ok {
		t.Log("tmux not installed; dashboard step skipped")
		return
	}
	t.Logf("today --json:\n%s\ndashboard:\n%s", raw, screen)
}

// TestEndToEndFailures: bad answers and the 410 shutdown make `fittui
// today` exit non-zero with a message that says what happened.
func TestEndToEndFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")
	fake, env := signedIn(t, bin, fitbittest.Config{Persona: "runner"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
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
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stderr.String()
	}
	if code, msg := today(); code != 0 {
		t.Fatalf("healthy fake: exit %d: %s", code, msg)
	}
	fake.SetFault("/activities/date/", fitbittest.FaultMalformed, -1)
	if code, msg := today(); code == 0 || !strings.Contains(msg, "daily activity summary") {
		t.Fatalf("malformed summary: exit %d: %s", code, msg)
	}
	fake.ClearFaults()
	fake.SetGone(true)
	code, msg := today()
	if code == 0 || !strings.Contains(msg, "Fitbit Web API has been turned off; add a Google Health account") {
		t.Fatalf("410: exit %d: %s", code, msg)
	}
	noSecrets := func(s string) {
		for _, sec := range fake.OAuth.Secrets() {
			if strings.Contains(s, sec) {
				t.Fatalf("secret in output: %s", s)
			}
		}
	}
	noSecrets(msg)
}

// signedIn starts a fake for cfg, signs in to it with `fittui auth login
// fitbit --no-browser` completed by a scripted browser (consent, then the
// redirect to fittui's loopback callback), and returns the fake and the
// environment that points the binary at it.
func signedIn(t *testing.T, bin string, cfg fitbittest.Config) (*fitbittest.Server, []string) {
	t.Helper()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	cfg.RedirectURIs = []string{redirect}
	fake := fitbittest.New(cfg)
	t.Cleanup(fake.Close)
	extra := []string{"FITTUI_FITBIT_CLIENT_ID=" + fake.ClientID(),
		"FITTUI_FITBIT_AUTH_URL=" + fake.AuthURL(), "FITTUI_FITBIT_TOKEN_URL=" + fake.TokenURL(),
		"FITTUI_FITBIT_API_URL=" + fake.URL, "FITTUI_FITBIT_REDIRECT_URL=" + redirect}
	if cfg.ClientSecret != "" {
		extra = append(extra, "FITTUI_FITBIT_CLIENT_SECRET="+cfg.ClientSecret)
	}
	env := clitest.Env(t, extra...)
	clitest.Login(t, bin, env, "fitbit", fake.OAuth, fake.AuthURL())
	return fake, env
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
