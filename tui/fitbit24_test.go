package tui

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/providertest"
	"github.com/fittui/fittui/tui/config"
	"github.com/fittui/fittui/tui/wiring"
)

// openFitbitAccount opens a signed-in Fitbit account against fake exactly
// as the program does (wiring.Setup with a cache at root), on clk.
func openFitbitAccount(t *testing.T, fake *fitbittest.Server, clk *clock, root, tokens string, wire *providertest.Wire) wiring.Opened {
	t.Helper()
	env := map[string]string{
		"FITTUI_FITBIT_CLIENT_ID": fake.ClientID(), "FITTUI_FITBIT_CLIENT_SECRET": "s3cret",
		"FITTUI_FITBIT_TOKEN_URL": fake.TokenURL(), "FITTUI_FITBIT_API_URL": fake.URL,
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	st, err := cache.Open(cache.Options{Root: root, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	s := &wiring.Setup{Config: cfg, TokenDir: tokens, Now: clk.Now, Cache: st, Refresh: time.Minute,
		HTTPClient: &http.Client{Timeout: 10 * time.Second, Transport: wire.Transport(nil)}}
	list, err := s.Accounts()
	if err != nil || len(list) != 1 {
		t.Fatalf("accounts %v %v", list, err)
	}
	o, err := s.Open(list[0])
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func seedFitbitToken(t *testing.T, fake *fitbittest.Server, dir string) {
	t.Helper()
	st, _, err := tokenstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := fake.Grant()
	if err := st.Save(&tokenstore.Record{Provider: "fitbit", Account: "me",
		Token: tokenstore.Token{AccessToken: g.AccessToken, RefreshToken: g.RefreshToken, TokenType: "Bearer", Expiry: g.Expiry}}); err != nil {
		t.Fatal(err)
	}
}

// TestDashboard24HoursOnFitbit runs the dashboard itself (the root model,
// its ticker every minute, the default 1-minute refresh, the person's r
// about three times an hour, the history pane browsed now and then)
// against the fake Fitbit server for 24 simulated hours: no clock hour
// goes over Fitbit's 150 requests, the fake never answers 429, and
// today's data on screen is never more than 20 minutes old (typically 3:
// the person's refreshes spend about 25 requests each, and the scheduler
// stretches the interval to leave them room).
func TestDashboard24HoursOnFitbit(t *testing.T) {
	if testing.Short() {
		t.Skip("24 simulated hours")
	}
	clk := newClock(time.Date(2026, 3, 5, 15, 0, 30, 0, time.UTC))
	fake := fitbittest.New(fitbittest.Config{Persona: "office", Now: clk.Now, ClientSecret: "s3cret"})
	defer fake.Close()
	tokens := t.TempDir()
	seedFitbitToken(t, fake, tokens)
	wire := &providertest.Wire{}
	acc := openFitbitAccount(t, fake, clk, t.TempDir(), tokens, wire)
	m := newModel(t, []wiring.Opened{acc}, clk.Now)
	start(m, 140, 45)

	hour := clk.Now().Truncate(time.Hour)
	worstAge := time.Duration(0)
	check := func() {
		n, limited := 0, 0
		for _, r := range fake.Requests() {
			if r.OAuth {
				continue
			}
			n++
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		t.Logf("%s: %3d requests, data at most %v old", hour.Format("Jan 2 15h"), n, worstAge)
		if n > 150 {
			t.Errorf("%s: %d requests in one clock hour; Fitbit allows 150", hour.Format("15h"), n)
		}
		if limited > 0 {
			t.Errorf("%s: the fake answered 429 %d times", hour.Format("15h"), limited)
		}
		if worstAge > 20*time.Minute {
			t.Errorf("%s: today's data was %v old", hour.Format("15h"), worstAge)
		}
		fake.ResetLog()
		worstAge = 0
	}
	hours := 24
	if raceEnabled {
		hours = 3 // the race detector makes each hour ten times slower
	}
	for tick := range hours * 60 {
		clk.Set(clk.Now().Add(time.Minute))
		if h := clk.Now().Truncate(time.Hour); !h.Equal(hour) {
			check()
			hour = h
		}
		send(m, tickMsg{})
		switch {
		case tick%17 == 5:
			press(m, "r")
		case tick%97 == 40: // another range of history: 30 days, 90, a year
			for m.layout.Focus() != PaneHistory {
				press(m, "tab")
			}
			press(m, "t")
		}
		// The provider's shared fetches run detached from their callers
		// (a caller that gives up does not stop a fetch others wait for),
		// so one may still be on its way when the commands have answered;
		// the simulated clock must not jump a minute under it, or the
		// fake would count it in the wrong minute or hour.
		wire.Settle(t)
		a := m.state.Get(0)
		if a.Today.Day != providers.DateOf(clk.Now().In(a.Location(time.UTC))) {
			continue // the new day is on its way
		}
		if age := clk.Now().Sub(a.Today.UpdatedAt); tick > 5 && age > worstAge {
			worstAge = age
		}
	}
	check()
}
