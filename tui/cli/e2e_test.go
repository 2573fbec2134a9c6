package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/misfit/misfittest"
	"github.com/fittui/fittui/tui/cli/clitest"
	"github.com/fittui/fittui/tui/textfmt"
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
	HRV           *float64 `json:"hrv_ms"`
	BreathingRate *float64 `json:"breathing_rate"`
	ZoneMinutes   *struct {
		Total *int `json:"total"`
	} `json:"zone_minutes"`
	Workouts []json.RawMessage `json:"workouts"`
}

// fake is a provider's fake server as the table drives it.
type fake struct {
	env     []string // FITTUI_* settings that point fittui at it
	oauth   *oauthtest.Server
	authURL string
	loc     *time.Location
	oracle  *demo.Provider
	secrets func() []string
	server  any // the concrete fake, for a row's own checks
}

// run is what a row's checks get: the binary, its environment and the
// day the frozen clock is on.
type run struct {
	t      *testing.T
	bin    string
	env    []string
	f      *fake
	ctx    context.Context
	frozen time.Time
	today  providers.Date
}

// failure is a way to break the fake and what `fittui today` must say.
type failure struct {
	name  string
	apply func(server any)
	wants []string
}

// e2eRow is one provider's end-to-end test.
type e2eRow struct {
	name string
	// freeze picks the fake's frozen clock from now.
	freeze func(now time.Time) time.Time
	// start starts the fake on persona with the frozen clock (nil: the
	// real clock) and the redirect URI fittui will listen on.
	start func(t *testing.T, persona string, now func() time.Time, redirect string, e2eSecret bool) *fake
	// authorized checks the authorize request fittui sent.
	authorized func(t *testing.T, q url.Values, server any)
	// today checks `fittui today --json` against the oracle and returns
	// what the dashboard must show; before runs just before it.
	before func(r *run)
	today  func(r *run, got todayJSON, raw []byte) []string
	// after checks what follows on the running account (logout...).
	after    func(r *run, raw []byte)
	failures []failure
}

var e2eRows = []e2eRow{
	{
		name: "fitbit",
		start: func(t *testing.T, persona string, now func() time.Time, redirect string, secret bool) *fake {
			cfg := fitbittest.Config{Persona: persona, Now: now, RedirectURIs: []string{redirect}}
			if secret {
				cfg.ClientSecret = "e2e-secret"
			}
			s := fitbittest.New(cfg)
			t.Cleanup(s.Close)
			return &fake{s.Env(), s.OAuth, s.AuthURL(), s.Location(), s.Demo(), s.Secrets, s}
		},
		today: func(r *run, got todayJSON, raw []byte) []string {
			sum, sleeps, days, in := oracleDay(r)
			if got.Account != "fitbit" || got.Provider != "fitbit" || got.Date != r.today.String() || got.TimeZone != r.f.loc.String() ||
				got.Steps != sum.Steps || got.DistanceKm != round2(sum.DistanceKm) || got.Calories != sum.Calories ||
				got.ActiveMinutes != sum.ActiveMinutes || got.Floors == nil || *got.Floors != sum.Floors ||
				got.RestingHeartRate == nil || *got.RestingHeartRate != sum.RestingHeartRate ||
				got.Goals.Steps == nil || *got.Goals.Steps != sum.Goals.Steps {
				r.t.Fatalf("today --json:\n%s\noracle summary %+v", raw, sum)
			}
			mainSleep(r.t, got, sleeps)
			latestWeight(r.t, got, days, false)
			// fittui reads no health metrics from Fitbit: null, and no workouts.
			if got.HRV != nil || got.BreathingRate != nil || got.ZoneMinutes != nil || got.Workouts == nil || len(got.Workouts) != 0 {
				r.t.Fatalf("health metrics from a provider that reads none:\n%s", raw)
			}
			// Latest heart rate: the last reading of Fitbit's 1sec detail (a
			// reading every 5-15 s of the demo's 1-second ones).
			if secs := fitbittest.SecondHeartRate(in.HeartRate.Samples); len(secs) > 0 {
				last := secs[len(secs)-1]
				if got.LatestHeartRate == nil || got.LatestHeartRate.BPM != int(last.Value) || !got.LatestHeartRate.Time.Equal(last.Time) {
					r.t.Fatalf("latest heart rate %+v, oracle %v at %v", got.LatestHeartRate, last.Value, last.Time)
				}
			}
			prof, _ := r.f.oracle.Profile(r.ctx)
			return []string{
				"Day · fitbit",
				textfmt.Int(sum.Steps) + " / " + textfmt.Int(sum.Goals.Steps),
				fmt.Sprintf("%s %d%%", prof.Devices[0].Name, prof.Devices[0].BatteryPercent),
				fmt.Sprintf("%d bpm", got.LatestHeartRate.BPM),
				fmt.Sprintf("Resting   %d bpm", sum.RestingHeartRate),
			}
		},
		failures: []failure{
			{"malformed summary", func(s any) {
				s.(*fitbittest.Server).SetFault("/activities/date/", fitbittest.FaultMalformed, -1)
			}, []string{"daily activity summary"}},
			{"410 Gone", func(s any) {
				s.(*fitbittest.Server).ClearFaults()
				s.(*fitbittest.Server).SetGone(true)
			}, []string{"Fitbit Web API has been turned off; add a Google Health account"}},
		},
	},
	{
		name: "googlehealth",
		// The data clock stops one second before a whole minute, so the
		// last minute of heart rate is complete whenever the binary asks.
		freeze: func(now time.Time) time.Time { return now.Truncate(time.Minute).Add(-time.Second) },
		start: func(t *testing.T, persona string, now func() time.Time, _ string, _ bool) *fake {
			s := googlehealthtest.New(googlehealthtest.Config{Persona: persona, Now: now})
			t.Cleanup(s.Close)
			return &fake{s.Env(), s.OAuth, s.AuthURL(), s.Location(), s.Demo(), s.Secrets, s}
		},
		// Google allows desktop clients any loopback port.
		authorized: func(t *testing.T, q url.Values, _ any) {
			if q.Get("access_type") != "offline" || q.Get("code_challenge_method") != "S256" ||
				q.Get("scope") != strings.Join(googlehealthtest.Scopes, " ") {
				t.Fatalf("authorize request %v", q)
			}
		},
		before: func(r *run) { r.f.server.(*googlehealthtest.Server).ResetRequests() },
		today: func(r *run, got todayJSON, raw []byte) []string {
			sum, sleeps, days, in := oracleDay(r)
			if got.Account != "googlehealth" || got.Provider != "googlehealth" || got.Date != r.today.String() || got.TimeZone != r.f.loc.String() ||
				got.Steps != sum.Steps || got.DistanceKm != round2(sum.DistanceKm) || got.Calories != sum.Calories ||
				got.ActiveMinutes != sum.ActiveMinutes || got.Floors == nil || *got.Floors != sum.Floors ||
				got.RestingHeartRate == nil || *got.RestingHeartRate != sum.RestingHeartRate {
				r.t.Fatalf("today --json:\n%s\noracle summary %+v", raw, sum)
			}
			// Google has no goals.
			if got.Goals.Steps != nil || got.Goals.Calories != nil || got.Goals.DistanceKm != nil || got.Goals.ActiveMinutes != nil || got.Goals.Floors != nil {
				r.t.Fatalf("goals from nowhere: %s", raw)
			}
			mainSleep(r.t, got, sleeps)
			latestWeight(r.t, got, days, true)
			// Latest heart rate: the mean of the last whole minute's readings,
			// at that minute, with the account's offset.
			minute := r.frozen.Add(time.Second).Add(-time.Minute)
			bpm, k := meanSince(in, minute)
			if k != 60 || got.LatestHeartRate == nil || got.LatestHeartRate.BPM != bpm || !got.LatestHeartRate.Time.Equal(minute) {
				r.t.Fatalf("latest heart rate %+v, oracle %v at %v (%d readings)", got.LatestHeartRate, bpm, minute, k)
			}
			if _, off := got.LatestHeartRate.Time.Zone(); func() bool { _, o := minute.In(r.f.loc).Zone(); return o != off }() {
				r.t.Fatalf("latest heart rate at %v lost the account's offset", got.LatestHeartRate.Time)
			}
			// Health metrics: Google Health's, read through the binary.
			if hd, err := h0(r).Health(r.ctx, r.today, r.today); err != nil || !sameOpt(got.HRV, hd[0].HRV) || !sameOpt(got.BreathingRate, hd[0].BreathingRate) ||
				got.ZoneMinutes == nil || *got.ZoneMinutes.Total != hd[0].ZoneMinutes.Total() {
				r.t.Fatalf("health in today --json:\n%s\noracle %+v (%v)", raw, hd, err)
			}
			if ws, _ := h0(r).Workouts(r.ctx, r.today, r.today); len(got.Workouts) != len(ws) {
				r.t.Fatalf("%d workouts in today --json, oracle %d", len(got.Workouts), len(ws))
			}
			// The request budget holds for the binary too: nothing twice, and
			// settings, devices, 6 for the summary, 2 intraday, the 31-day
			// block's sleep pages and weight; the health metrics one
			// request per type for the block (9) and its exercise pages.
			fk := r.f.server.(*googlehealthtest.Server)
			all, _ := r.f.oracle.Sleep(r.ctx, r.today.AddDays(-30), r.today)
			h, _ := providers.HealthOf(r.f.oracle)
			workouts, _ := h.Workouts(r.ctx, r.today.AddDays(-30), r.today)
			want := 2 + 6 + 2 + (len(all)+24)/25 + 1 + 9 + max(1, (len(workouts)+24)/25)
			seen := map[string]bool{}
			for _, q := range fk.Requests() {
				if q.Status != 200 || seen[q.Key()] {
					r.t.Fatalf("the binary's request %s got %d (or was sent twice)", q.Key(), q.Status)
				}
				seen[q.Key()] = true
			}
			if fk.Count() != want {
				r.t.Errorf("today --json made %d requests, want %d", fk.Count(), want)
			}
			r.t.Logf("today --json made %d requests", fk.Count())
			prof, _ := r.f.oracle.Profile(r.ctx)
			return []string{
				"googlehealth",
				textfmt.Int(sum.Steps),
				fmt.Sprintf("%s %d%%", prof.Devices[0].Name, prof.Devices[0].BatteryPercent),
				fmt.Sprintf("%d bpm", got.LatestHeartRate.BPM),
				fmt.Sprintf("Resting   %d bpm", sum.RestingHeartRate),
			}
		},
		failures: []failure{
			{"malformed sleep", func(s any) {
				s.(*googlehealthtest.Server).Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultMalformedJSON, Path: "/sleep/", Times: -1})
			}, []string{"sleep", "JSON"}},
			{"not linked", func(s any) {
				s.(*googlehealthtest.Server).ClearFaults()
				s.(*googlehealthtest.Server).SetAccountNotLinked(true)
			}, []string{"ACCOUNT_NOT_LINKED", "fittui auth login googlehealth"}},
			{"revoked", func(s any) {
				s.(*googlehealthtest.Server).SetAccountNotLinked(false)
				s.(*googlehealthtest.Server).Revoke()
			}, []string{"fittui auth login googlehealth"}},
		},
	},
	{
		name: "misfit",
		start: func(t *testing.T, persona string, now func() time.Time, redirect string, _ bool) *fake {
			s := misfittest.New(misfittest.Config{Persona: persona, Now: now, RedirectURIs: []string{redirect}})
			t.Cleanup(s.Close)
			return &fake{s.Env(), s.OAuth, s.AuthURL(), s.Location(), s.Demo(), s.Secrets, s}
		},
		authorized: func(t *testing.T, q url.Values, _ any) {
			if q.Get("scope") != "public,tracking,session,sleeps" {
				t.Errorf("scope %q", q.Get("scope"))
			}
		},
		today: func(r *run, got todayJSON, raw []byte) []string {
			fk := r.f.server.(*misfittest.Server)
			_, off := r.frozen.In(r.f.loc).Zone()
			zone := fmt.Sprintf("UTC-%02d:00", -off/3600) // New York, from the goals' offset
			sum, _ := r.f.oracle.DaySummary(r.ctx, r.today)
			active := 0
			for _, s := range fk.Sessions(r.ctx, r.today) {
				active += int(s.Duration / time.Minute)
			}
			if got.Account != "misfit" || got.Provider != "misfit" || got.Date != r.today.String() || got.TimeZone != zone ||
				got.Steps != sum.Steps || got.DistanceKm != round2(sum.DistanceKm) || got.Calories != sum.Calories ||
				got.ActiveMinutes != active || got.Floors != nil || got.RestingHeartRate != nil || got.WeightKg != nil ||
				got.LatestHeartRate != nil || got.Goals.Steps == nil || *got.Goals.Steps != sum.Goals.Steps {
				r.t.Fatalf("today --json:\n%s\noracle summary %+v, active %d, zone %s", raw, sum, active, zone)
			}
			// The main sleep: the demo's, minus the time Misfit counts as awake.
			for _, s := range fk.DemoSleeps(r.ctx, r.today.AddDays(-1), r.today) {
				if !s.Main || s.Date != r.today {
					continue
				}
				asleep := 0
				for _, seg := range s.Segments {
					if misfittest.SleepValue(seg.Stage) != 1 {
						asleep += int(seg.Duration / time.Minute)
					}
				}
				if got.SleepMinutes == nil || *got.SleepMinutes != asleep {
					r.t.Fatalf("sleep %v, oracle %d", got.SleepMinutes, asleep)
				}
			}
			dev, _ := fk.DemoDevice(r.ctx)
			return []string{
				"Day · misfit",
				textfmt.Int(sum.Steps) + " / " + textfmt.Int(sum.Goals.Steps),
				fmt.Sprintf("Misfit Shine %d%%", dev.BatteryPercent),
			}
		},
		// Logout: nothing to revoke at Misfit; the token is deleted.
		after: func(r *run, raw []byte) {
			out := r.cmd("auth", "logout", "misfit")
			if !strings.Contains(out, "Misfit offers no way to revoke a token") {
				r.t.Fatalf("logout:\n%s", out)
			}
			for _, sec := range r.f.secrets() {
				if strings.Contains(out, sec) || strings.Contains(string(raw), sec) {
					r.t.Fatal("a secret was printed")
				}
			}
			// The account is gone (today falls back to the demo accounts).
			cmd := exec.CommandContext(r.ctx, r.bin, "today", "--json")
			cmd.Env = r.env
			if out, _ := cmd.CombinedOutput(); strings.Contains(string(out), `"provider": "misfit"`) {
				r.t.Fatalf("today after logout still shows misfit:\n%s", out)
			}
		},
		failures: []failure{
			{"malformed summary", func(s any) {
				s.(*misfittest.Server).SetFault("/summary", misfittest.FaultMalformed, -1)
			}, []string{"daily summary"}},
			{"revoked", func(s any) {
				s.(*misfittest.Server).ClearFaults()
				s.(*misfittest.Server).Revoke()
			}, []string{"fittui auth login misfit"}},
		},
	},
	{
		name: "jawbone",
		start: func(t *testing.T, persona string, now func() time.Time, redirect string, _ bool) *fake {
			s := jawbonetest.New(jawbonetest.Config{Persona: persona, Now: now, RedirectURIs: []string{redirect}})
			t.Cleanup(s.Close)
			return &fake{s.Env(), s.OAuth, s.AuthURL(), s.Location(), s.Demo(), s.Secrets, s}
		},
		today: func(r *run, got todayJSON, raw []byte) []string {
			sum, sleeps, days, _ := oracleDay(r)
			dist := round2(sum.DistanceKm)
			if jawbonetest.DistanceOmitted(r.today) {
				dist = 0
			}
			if got.Account != "jawbone" || got.Provider != "jawbone" || got.Date != r.today.String() || got.TimeZone != r.f.loc.String() ||
				got.Steps != sum.Steps || got.DistanceKm != dist || got.Calories != sum.Calories ||
				got.ActiveMinutes != sum.ActiveMinutes || got.Floors != nil ||
				got.RestingHeartRate == nil || *got.RestingHeartRate != sum.RestingHeartRate {
				r.t.Fatalf("today --json:\n%s\noracle summary %+v", raw, sum)
			}
			mainSleep(r.t, got, sleeps)
			latestWeight(r.t, got, days, false)
			return []string{"Day · jawbone", textfmt.Int(sum.Steps), fmt.Sprintf("Resting   %d bpm", sum.RestingHeartRate)}
		},
		// Logging out disconnects the app: the fake saw the DELETE and no
		// token it issued works any more.
		after: func(r *run, _ []byte) {
			fk := r.f.server.(*jawbonetest.Server)
			live := func() (n int) {
				for _, s := range fk.Secrets() {
					if fk.OAuth.ValidAccessToken(s) {
						n++
					}
				}
				return n
			}
			if live() == 0 {
				r.t.Fatal("no live token before logout")
			}
			out := r.cmd("auth", "logout", "jawbone")
			for _, sec := range fk.Secrets() {
				if strings.Contains(out, sec) {
					r.t.Fatal("a secret was printed by auth logout")
				}
			}
			if fk.Disconnects() != 1 {
				r.t.Fatalf("%d disconnects", fk.Disconnects())
			}
			deleted := false
			for _, q := range fk.Requests() {
				deleted = deleted || q.Method == "DELETE" && q.Path == jawbonetest.APIPath+"/users/@me/PartnerAppMembership" && q.Status == 200
			}
			if !deleted || live() != 0 {
				r.t.Fatalf("after logout: DELETE seen %v, %d tokens still work", deleted, live())
			}
		},
	},
}

// TestEndToEnd drives the real fittui binary against each provider's
// fake: `fittui auth login PROVIDER --no-browser` completed by a scripted
// browser, `fittui today --json` compared with the demo oracle, the
// dashboard in tmux, then what the provider does on logout.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fittui binary")
	}
	bin := clitest.Binary(t)
	for _, row := range e2eRows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			// The fake's data clock is frozen at the start so the oracle sees
			// what the binary saw; skip close to midnight in the account's zone.
			frozen := time.Now().Truncate(time.Second)
			if row.freeze != nil {
				frozen = row.freeze(time.Now())
			}
			r := signedIn(t, row, bin, "office", func() time.Time { return frozen }, true)
			r.frozen = frozen
			if l := frozen.In(r.f.loc); l.Hour() == 23 && l.Minute() >= 55 || l.Hour() == 0 && l.Minute() < 3 {
				t.Skip("too close to midnight in the account's zone")
			}
			r.today = providers.DateOf(frozen.In(r.f.loc))
			if row.before != nil {
				row.before(r)
			}
			cmd := exec.CommandContext(r.ctx, bin, "today", "--json")
			cmd.Env = r.env
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
			wants := row.today(r, got, raw)
			if screen, ok := clitest.Dashboard(t, bin, r.env, wants); ok {
				t.Logf("today --json:\n%s\ndashboard:\n%s", raw, screen)
			} else {
				t.Log("tmux not installed; dashboard step skipped")
			}
			if row.after != nil {
				row.after(r, raw)
			}
		})
	}
}

// TestEndToEndFailures: bad answers, a revoked grant, an account without
// data or a shut-down API make `fittui today` exit non-zero with a
// message that says what happened and what to do, and never print a
// secret.
func TestEndToEndFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fittui binary")
	}
	bin := clitest.Binary(t)
	for _, row := range e2eRows {
		if len(row.failures) == 0 {
			continue
		}
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			r := signedIn(t, row, bin, "runner", nil, false)
			if code, msg := r.todayCode(); code != 0 {
				t.Fatalf("healthy fake: exit %d: %s", code, msg)
			}
			for _, f := range row.failures {
				f.apply(r.f.server)
				code, msg := r.todayCode()
				if code == 0 {
					t.Fatalf("%s: exit 0: %s", f.name, msg)
				}
				for _, w := range f.wants {
					if !strings.Contains(msg, w) {
						t.Fatalf("%s: exit %d: %s", f.name, code, msg)
					}
				}
			}
		})
	}
}

// signedIn starts the row's fake and signs in to it with `fittui auth
// login PROVIDER --no-browser`, played by the fake's scripted browser
// (consent, then the redirect to fittui's loopback callback).
func signedIn(t *testing.T, row e2eRow, bin, persona string, now func() time.Time, secret bool) *run {
	t.Helper()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	f := row.start(t, persona, now, redirect, secret)
	env := clitest.Env(t, f.env...)
	clitest.Login(t, bin, env, row.name, f.oauth, f.authURL)
	if row.authorized != nil {
		row.authorized(t, f.oauth.LastAuthorize(), f.server)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return &run{t: t, bin: bin, env: env, f: f, ctx: ctx}
}

// todayCode runs `fittui today --json` from an empty cache (with cached
// data fittui shows the last good data and says why on stderr instead:
// TestTodayOfflineFromCache) and returns its exit code and stderr, failing
// if anything printed holds a secret.
func (r *run) todayCode() (int, string) {
	r.cmd("cache", "clear")
	cmd := exec.CommandContext(r.ctx, r.bin, "today", "--json")
	cmd.Env = r.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	for _, sec := range r.f.secrets() {
		if strings.Contains(stderr.String(), sec) || strings.Contains(string(out), sec) {
			r.t.Fatal("a secret was printed")
		}
	}
	return code, stderr.String()
}

// cmd runs the binary with args, failing unless it succeeds; it returns
// what it printed.
func (r *run) cmd(args ...string) string {
	r.t.Helper()
	c := exec.CommandContext(r.ctx, r.bin, args...)
	c.Env = r.env
	out, err := c.CombinedOutput()
	if err != nil {
		r.t.Fatalf("fittui %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// oracleDay is the demo's today: summary, sleeps, 31 days of daily values
// and intraday data.
func oracleDay(r *run) (providers.DaySummary, []providers.SleepSession, []providers.DailyValues, providers.Intraday) {
	sum, _ := r.f.oracle.DaySummary(r.ctx, r.today)
	sleeps, _ := r.f.oracle.Sleep(r.ctx, r.today, r.today)
	days, _ := r.f.oracle.DailySeries(r.ctx, r.today.AddDays(-30), r.today)
	in, _ := r.f.oracle.Intraday(r.ctx, r.today)
	return sum, sleeps, days, in
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// mainSleep checks the sleep minutes against the day's main sleep.
func mainSleep(t *testing.T, got todayJSON, sleeps []providers.SleepSession) {
	t.Helper()
	for _, s := range sleeps {
		if s.Main && (got.SleepMinutes == nil || *got.SleepMinutes != int(s.Asleep/time.Minute)) {
			t.Fatalf("sleep %v, oracle %v", got.SleepMinutes, s.Asleep)
		}
	}
}

// latestWeight checks the weight against the newest weigh-in of the 31
// days; must: the oracle has to have one (or the check lost its point).
func latestWeight(t *testing.T, got todayJSON, days []providers.DailyValues, must bool) {
	t.Helper()
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].WeightKg > 0 {
			if got.WeightKg == nil || *got.WeightKg != round2(days[i].WeightKg) {
				t.Fatalf("weight %v, oracle %v", got.WeightKg, days[i].WeightKg)
			}
			return
		}
	}
	if must {
		t.Fatal("the oracle has no weigh-in; the test lost its point")
	}
}

// meanSince is the rounded mean of the 1-second readings from minute on,
// and how many there are.
func meanSince(in providers.Intraday, minute time.Time) (int, int) {
	var total float64
	var k int
	for _, s := range in.HeartRate.Samples {
		if !s.Time.Before(minute) {
			total += s.Value
			k++
		}
	}
	if k == 0 {
		return 0, 0
	}
	return int(math.Round(total / float64(k))), k
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

// h0 is the oracle's health reader.
func h0(r *run) providers.HealthReader {
	h, _ := providers.HealthOf(r.f.oracle)
	return h
}

// sameOpt compares an optional number of the JSON with the oracle's, to
// two decimals.
func sameOpt(got, want *float64) bool {
	if got == nil || want == nil {
		return got == want
	}
	return math.Abs(*got-*want) < 0.006
}
