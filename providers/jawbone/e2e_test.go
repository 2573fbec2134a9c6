package jawbone_test

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
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/tui/cli/clitest"
	"github.com/fittui/fittui/tui/format"
)

// TestEndToEnd drives the real fittui binary against the fake Jawbone UP
// API: `fittui auth login jawbone` completed by a scripted browser,
// `fittui today --json` compared with the demo oracle, the dashboard in
// tmux, then `fittui auth logout jawbone`, which must disconnect the app
// through PartnerAppMembership so the token stops working.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fittui binary")
	}
	bin := clitest.Build(t, clitest.Fittui, "")
	frozen := time.Now().Truncate(time.Second)
	fake, env := signedIn(t, bin, jawbonetest.Config{Persona: "office", Now: func() time.Time { return frozen }})
	if l := frozen.In(fake.Location()); l.Hour() == 23 && l.Minute() >= 55 || l.Hour() == 0 && l.Minute() < 2 {
		t.Skip("too close to midnight in the account's zone")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

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
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("today --json: %v\n%s", err, raw)
	}
	oracle := fake.Demo()
	loc := fake.Location()
	today := providers.DateOf(frozen.In(loc))
	sum, _ := oracle.DaySummary(ctx, today)
	dist := math.Round(sum.DistanceKm*100) / 100
	if jawbonetest.DistanceOmitted(today) {
		dist = 0
	}
	if got.Account != "jawbone" || got.Provider != "jawbone" || got.Date != today.String() || got.TimeZone != loc.String() ||
		got.Steps != sum.Steps || got.DistanceKm != dist || got.Calories != sum.Calories ||
		got.ActiveMinutes != sum.ActiveMinutes || got.Floors != nil ||
		got.RestingHeartRate == nil || *got.RestingHeartRate != sum.RestingHeartRate {
		t.Fatalf("today --json:\n%s\noracle summary %+v", raw, sum)
	}
	sleeps, _ := oracle.Sleep(ctx, today, today)
	for _, s := range sleeps {
		if s.Main && (got.SleepMinutes == nil || *got.SleepMinutes != int(s.Asleep/time.Minute)) {
			t.Fatalf("sleep %v, oracle %v", got.SleepMinutes, s.Asleep)
		}
	}
	days, _ := oracle.DailySeries(ctx, today.AddDays(-30), today)
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].WeightKg > 0 {
			if got.WeightKg == nil || *got.WeightKg != days[i].WeightKg {
				t.Fatalf("weight %v, oracle %v", got.WeightKg, days[i].WeightKg)
			}
			break
		}
	}

	// The dashboard in tmux shows the account's steps and resting rate.
	wants := []string{"Today · jawbone", format.Int(sum.Steps), fmt.Sprintf("resting %d", sum.RestingHeartRate)}
	if screen, ok := clitest.Dashboard(t, bin, env, wants); ok {
		t.Logf("dashboard:\n%s", screen)
	} else {
		t.Log("tmux not installed; dashboard step skipped")
	}

	// Logging out disconnects the app: the fake saw the DELETE and no
	// token it issued works any more.
	issued := liveTokens(fake)
	if len(issued) == 0 {
		t.Fatal("no live token before logout")
	}
	logout := exec.CommandContext(ctx, bin, "auth", "logout", "jawbone")
	logout.Env = env
	out, err := logout.CombinedOutput()
	if err != nil {
		t.Fatalf("logout: %v\n%s", err, out)
	}
	for _, sec := range fake.OAuth.Secrets() {
		if strings.Contains(string(out), sec) {
			t.Fatal("a secret was printed by auth logout")
		}
	}
	if fake.Disconnects() != 1 {
		t.Fatalf("%d disconnects", fake.Disconnects())
	}
	deleted := false
	for _, r := range fake.Requests() {
		deleted = deleted || r.Method == "DELETE" && r.Path == jawbonetest.APIPath+"/users/@me/PartnerAppMembership" && r.Status == 200
	}
	if !deleted || len(liveTokens(fake)) != 0 {
		t.Fatalf("after logout: DELETE seen %v, %d tokens still work", deleted, len(liveTokens(fake)))
	}
}

// liveTokens lists the access tokens the fake would still accept.
func liveTokens(fake *jawbonetest.Server) []string {
	var out []string
	for _, s := range fake.OAuth.Secrets() {
		if fake.OAuth.ValidAccessToken(s) {
			out = append(out, s)
		}
	}
	return out
}

// signedIn starts a fake for cfg, signs in with `fittui auth login
// jawbone --no-browser` completed by a scripted browser, and returns the
// fake and the environment that points the binary at it.
func signedIn(t *testing.T, bin string, cfg jawbonetest.Config) (*jawbonetest.Server, []string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
	cfg.RedirectURIs = []string{redirect}
	fake := jawbonetest.New(cfg)
	t.Cleanup(fake.Close)
	env := clitest.Env(t, "FITTUI_JAWBONE_CLIENT_ID="+fake.ClientID(), "FITTUI_JAWBONE_CLIENT_SECRET="+fake.ClientSecret(),
		"FITTUI_JAWBONE_AUTH_URL="+fake.AuthURL(), "FITTUI_JAWBONE_TOKEN_URL="+fake.TokenURL(),
		"FITTUI_JAWBONE_API_URL="+fake.APIURL(), "FITTUI_JAWBONE_REDIRECT_URL="+redirect)
	clitest.Login(t, bin, env, "jawbone", fake.OAuth, fake.AuthURL())
	return fake, env
}
