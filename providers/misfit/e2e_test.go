package misfit_test

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

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/misfit/misfittest"
	"github.com/fittui/fittui/tui/cli/clitest"
	"github.com/fittui/fittui/tui/format"
)

// TestEndToEnd drives the real fittui binary against the fake Misfit API:
// `fittui auth login misfit` completed by a scripted browser, `fittui
// today --json` compared with the demo oracle, the dashboard in tmux, and
// `fittui auth logout` saying Misfit cannot revoke.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")

	// The fake's data clock is frozen at the start so the oracle sees what
	// the binary saw; skip close to midnight in the account's zone.
	frozen := time.Now().Truncate(time.Second)
	fake, env := signedIn(t, bin, misfittest.Config{Persona: "office", Now: func() time.Time { return frozen }})
	if l := frozen.In(fake.Location()); l.Hour() == 23 && l.Minute() >= 55 || l.Hour() == 0 && l.Minute() < 2 {
		t.Skip("too close to midnight in the account's zone")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// fittui today --json against the oracle.
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
		LatestHeartRate *struct{} `json:"latest_heart_rate"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("today --json: %v\n%s", err, raw)
	}
	oracle := fake.Demo()
	loc := fake.Location()
	today := providers.DateOf(frozen.In(loc))
	_, off := frozen.In(loc).Zone()
	zone := fmt.Sprintf("UTC-%02d:00", -off/3600) // New York, from the goals' offset
	sum, _ := oracle.DaySummary(ctx, today)
	active := 0
	for _, s := range fake.Sessions(ctx, today) {
		active += int(s.Duration / time.Minute)
	}
	if got.Account != "misfit" || got.Provider != "misfit" || got.Date != today.String() || got.TimeZone != zone ||
		got.Steps != sum.Steps || got.DistanceKm != math.Round(sum.DistanceKm*100)/100 || got.Calories != sum.Calories ||
		got.ActiveMinutes != active || got.Floors != nil || got.RestingHeartRate != nil || got.WeightKg != nil ||
		got.LatestHeartRate != nil || got.Goals.Steps == nil || *got.Goals.Steps != sum.Goals.Steps {
		t.Fatalf("today --json:\n%s\noracle summary %+v, active %d, zone %s", raw, sum, active, zone)
	}
	// The main sleep: the demo's, minus the time Misfit counts as awake.
	for _, s := range fake.DemoSleeps(ctx, today.AddDays(-1), today) {
		if !s.Main || s.Date != today {
			continue
		}
		asleep := 0
		for _, seg := range s.Segments {
			if misfittest.SleepValue(seg.Stage) != 1 {
				asleep += int(seg.Duration / time.Minute)
			}
		}
		if got.SleepMinutes == nil || *got.SleepMinutes != asleep {
			t.Fatalf("sleep %v, oracle %d", got.SleepMinutes, asleep)
		}
	}

	// The dashboard in tmux shows the account's steps and device, and q quits it.
	dev, _ := fake.DemoDevice(ctx)
	wants := []string{
		"Today · misfit",
		format.Int(sum.Steps) + " / " + format.Int(sum.Goals.Steps),
		fmt.Sprintf("Misfit Shine %d%%", dev.BatteryPercent),
	}
	screen, ok := clitest.Dashboard(t, bin, env, wants)
	if !ok {
		t.Log("tmux not installed; dashboard step skipped")
	} else {
		t.Logf("today --json:\n%s\ndashboard:\n%s", raw, screen)
	}

	// Logout: nothing to revoke at Misfit; the token is deleted.
	cmd = exec.CommandContext(ctx, bin, "auth", "logout", "misfit")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Misfit offers no way to revoke a token") {
		t.Fatalf("logout: %v\n%s", err, out)
	}
	for _, sec := range fake.OAuth.Secrets() {
		if strings.Contains(string(out), sec) || strings.Contains(string(raw), sec) {
			t.Fatal("a secret was printed")
		}
	}
	// The account is gone (today falls back to the demo accounts).
	cmd = exec.CommandContext(ctx, bin, "today", "--json")
	cmd.Env = env
	if out, _ := cmd.CombinedOutput(); strings.Contains(string(out), `"provider": "misfit"`) {
		t.Fatalf("today after logout still shows misfit:\n%s", out)
	}
}

// TestEndToEndFailures: bad answers make `fittui today` exit non-zero
// with a message that says what happened.
func TestEndToEndFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")
	fake, env := signedIn(t, bin, misfittest.Config{Persona: "runner"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	today := func() (int, string) {
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
	// The answers that worked are cached, so each failure is met on a
	// resource nothing has fetched yet: the summary is broken from the
	// start, then (repaired) refused with the token revoked.
	fake.SetFault("/summary", misfittest.FaultMalformed, -1)
	if code, msg := today(); code == 0 || !strings.Contains(msg, "daily summary") {
		t.Fatalf("malformed summary: exit %d: %s", code, msg)
	}
	fake.ClearFaults()
	fake.Revoke()
	code, msg := today()
	if code == 0 || !strings.Contains(msg, "fittui auth login misfit") {
		t.Fatalf("revoked: exit %d: %s", code, msg)
	}
	for _, sec := range fake.OAuth.Secrets() {
		if strings.Contains(msg, sec) {
			t.Fatalf("secret in output: %s", msg)
		}
	}
}

// signedIn starts a fake for cfg, signs in to it with `fittui auth login
// misfit --no-browser` completed by a scripted browser, and returns the
// fake and the environment that points the binary at it.
func signedIn(t *testing.T, bin string, cfg misfittest.Config) (*misfittest.Server, []string) {
	t.Helper()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	cfg.RedirectURIs = []string{redirect}
	fake := misfittest.New(cfg)
	t.Cleanup(fake.Close)
	env := clitest.Env(t, "FITTUI_MISFIT_CLIENT_ID="+fake.ClientID(), "FITTUI_MISFIT_CLIENT_SECRET="+fake.ClientSecret(),
		"FITTUI_MISFIT_AUTH_URL="+fake.AuthURL(), "FITTUI_MISFIT_TOKEN_URL="+fake.TokenURL(),
		"FITTUI_MISFIT_API_URL="+fake.URL, "FITTUI_MISFIT_REDIRECT_URL="+redirect)
	clitest.Login(t, bin, env, "misfit", fake.OAuth, fake.AuthURL())
	if q := fake.OAuth.LastAuthorize(); q.Get("scope") != "public,tracking,session,sleeps" {
		t.Errorf("scope %q", q.Get("scope"))
	}
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
